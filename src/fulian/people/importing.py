"""Women roster import: every bad row reported with its row, column and reason; good rows upserted by ID.

Rows are taken in chunks of CHUNK: each chunk is validated, looked up and written in one transaction, so
progress is visible and a crash loses nothing already committed. Re-importing a file changes nothing:
rows are matched by the keyed hash of the ID number and only differing values are written.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.core.audit import audit_record
from fulian.core.crypto import keyed_hash
from fulian.core.excel import Column, RowError, template_xlsx
from fulian.core.imports import import_job_progress, import_roster_run
from fulian.core.params import is_ascii_digits
from fulian.core.phone import normalize_phone
from fulian.core.policy import Action, allows
from fulian.orgs.models import Unit

from .models import Tag, Woman
from .services import (
    WomanData,
    clean_consent,
    clean_ethnicity,
    clean_female_id,
    clean_home_unit,
    clean_name,
    clean_occupation,
    clean_tags,
    woman_apply,
    woman_build,
    woman_values,
    women_moved,
    women_registered,
)
from .vocabularies import Occupation, TagCode

CHUNK = 1000
COLUMNS = [
    Column("name", "姓名", required=True, example="张秀英", note="2–30个字，不含数字", width=12),
    Column("id_number", "身份证号", required=True, example="130123199003070048",
           note="18位（15位旧号自动升级），最后一位可为X；必须是女性；请保持“文本”格式", width=22, text=True),
    Column("phone", "手机号", example="13812345678", note="11位手机号或带区号的固定电话", width=14, text=True),
    Column("unit_code", "村(社区)代码", required=True, example="130123100001",
           note="12位统计用区划代码，须在您的工作范围内，村(社区)或乡镇(街道)一级", width=16, text=True),
    Column("ethnicity", "民族", example="汉族", note="56个民族之一，可省略“族”字", width=10),
    Column("occupation", "职业", example="农民", note="、".join(map(str, Occupation.labels)), width=12),
    Column("tags", "标签", example="留守、贫困", width=16,
           note="可多个，用顿号或逗号分隔：" + "、".join(map(str, TagCode.labels))),
    Column("consent_purpose", "同意用途", example="妇联联系服务", width=16,
           note="本人同意登记信息的用途（个人信息保护法）"),
    Column("consent_on", "同意日期", example="2026-03-08", note="格式 2026-03-08", width=12),
]
TITLES = {c.key: c.title for c in COLUMNS}
FIELD_OF_CODE = {  # which column a validation error code belongs to
    "name": "name", "id": "id_number", "phone": "phone", "unit": "unit_code", "ethnicity": "ethnicity",
    "occupation": "occupation", "tag": "tags", "consent": "consent_on",
}


def women_template() -> bytes:
    return template_xlsx(COLUMNS, sheet_title="妇女名册", notes=[
        "每行一名妇女；同一身份证号再次导入时更新原记录，不会重复登记。",
        "有问题的行不会导入，系统会生成错误报告，写明行号、列和原因；改正后可以重新导入整个文件。",
    ])


def import_women(job) -> None:
    """Import handler registered for kind "women" (see people.apps)."""
    import_roster_run(job, COLUMNS, lambda actor, today: WomenImport(actor=actor, today=today))


class WomenImport:
    def __init__(self, *, actor, today: dt.date):
        self.actor = actor
        self.today = today
        self.errors: list[RowError] = []
        self.originals: dict[int, tuple] = {}
        self.seen: dict[str, int] = {}  # id hash -> first row number in this file
        self.units: dict[str, Unit | None] = {}
        self.tags = {t.code: t for t in Tag.objects.all()}
        self.counts = {"processed_rows": 0, "created_count": 0, "updated_count": 0, "unchanged_count": 0,
                       "error_count": 0}

    def run(self, rows, job=None):
        chunk = []
        for item in rows:
            chunk.append(item)
            if len(chunk) >= CHUNK:
                self._chunk(chunk, job)
                chunk = []
        if chunk:
            self._chunk(chunk, job)
        return self

    def _fail(self, number: int, values: tuple, key: str, value, message: str) -> None:
        self.errors.append(RowError(number, TITLES[key], value, message))
        self.originals[number] = values

    def _chunk(self, chunk, job) -> None:
        self._load_units({_code(r.get("unit_code")) for _n, r, _v in chunk})
        good: list[tuple[int, WomanData, str]] = []
        for number, record, values in chunk:
            data, hash_, failed = self._clean(number, record, values)
            if not failed:
                good.append((number, data, hash_))
        with transaction.atomic():
            self._write(good, {n: v for n, _r, v in chunk})
        self.counts["processed_rows"] += len(chunk)
        self.counts["error_count"] = len(self.originals)
        if job is not None:
            import_job_progress(job, **self.counts)

    def _load_units(self, codes: set[str]) -> None:
        wanted = [c for c in codes if c and c not in self.units]
        found = {u.code: u for u in Unit.objects.filter(code__in=wanted)}
        for code in wanted:
            self.units[code] = found.get(code)

    def _clean(self, number, record, values):
        errors_before = len(self.errors)

        def attempt(key, fn):
            try:
                return fn()
            except ValidationError as exc:
                self._fail(number, values, key, record.get(key), " ".join(exc.messages))
                return None

        name = attempt("name", lambda: clean_name(record.get("name")))
        id_number = attempt("id_number", lambda: self._id(record.get("id_number")))
        phone = attempt("phone", lambda: normalize_phone(record.get("phone")))
        unit = attempt("unit_code", lambda: self._unit(record.get("unit_code")))
        ethnicity = attempt("ethnicity", lambda: clean_ethnicity(record.get("ethnicity")))
        occupation = attempt("occupation", lambda: clean_occupation(record.get("occupation")))
        tags = attempt("tags", lambda: clean_tags(record.get("tags")))
        consent = attempt("consent_on", lambda: clean_consent(record.get("consent_purpose"), record.get("consent_on"),
                                                              today=self.today))
        hash_ = None
        if id_number is not None:
            hash_ = keyed_hash(id_number.number)
            first = self.seen.get(hash_)
            if first is not None:
                self._fail(number, values, "id_number", record.get("id_number"),
                           _("与第%(row)d行的身份证号重复，同一人只登记一次。") % {"row": first})
            else:
                self.seen[hash_] = number
        if len(self.errors) > errors_before:
            return None, None, True
        data = WomanData(name=name, home_unit=unit, id_number=id_number, phone=phone or "", ethnicity=ethnicity,
                         occupation=occupation, tags=tags, consent_purpose=consent[0], consent_on=consent[1])
        return data, hash_, False

    def _id(self, raw):
        number = clean_female_id(raw, today=self.today)
        if number is None:
            raise ValidationError(_("身份证号为空。"), code="id_blank")
        return number

    def _unit(self, raw):
        code = _code(raw)
        if not code:
            raise ValidationError(_("村(社区)代码为空。"))
        if not (len(code) == 12 and is_ascii_digits(code)):
            raise ValidationError(_("村(社区)代码应为12位数字，现为“%(code)s”。") % {"code": code})
        unit = self.units.get(code)
        if unit is None:
            raise ValidationError(_("没有代码为%(code)s的村(社区)。") % {"code": code})
        return clean_home_unit(unit, actor=self.actor)

    def _write(self, good, originals) -> None:
        if not good:
            return
        existing = {w.id_hash: w for w in Woman.objects.filter(
            id_hash__in=[h for _n, _d, h in good], merged_into__isnull=True).prefetch_related("tags")}
        new, changed, updated, moved = [], [], {}, []
        new_tags: list[tuple[Woman, list[str]]] = []
        now = timezone.now()
        for number, data, hash_ in good:
            values = woman_values(data)
            woman = existing.get(hash_)
            if woman is None:
                woman = woman_build(actor=self.actor, data=data)
                new.append(woman)
                new_tags.append((woman, data.tags))
                continue
            if not allows(self.actor, Action.EDIT, woman.unit_path):
                self._fail(number, originals[number], "id_number", data.id_number.masked,
                           _("这个身份证号已登记在您工作范围以外的组织，请联系上级妇联处理。"))
                continue
            tags_now = sorted(t.code for t in woman.tags.all())
            old_path = woman.unit_path
            diff = woman_apply(woman, values, now=now)
            if not diff and tags_now == data.tags:
                self.counts["unchanged_count"] += 1
                continue
            if "unit_path" in diff:
                moved.append((woman, old_path))
            if not diff:  # only her tags changed: still a new version of her record
                woman.version += 1
                woman.updated_at = now
            changed.append(woman)
            if tags_now != data.tags:
                Woman.tags.through.objects.filter(woman=woman).delete()
                new_tags.append((woman, data.tags))
            updated[woman.pk] = sorted(diff) + (["tags"] if tags_now != data.tags else [])
        Woman.objects.bulk_create(new, batch_size=CHUNK)
        if any(w.pk is None for w in new):  # backends that cannot return ids from a bulk insert
            ids = dict(Woman.objects.filter(id_hash__in=[w.id_hash for w in new], merged_into__isnull=True)
                       .values_list("id_hash", "id"))
            for w in new:
                w.pk = ids[w.id_hash]
        if changed:
            fields = ["name", "name_initials", "name_pinyin", "phone", "phone_last4", "home_unit_id", "unit_path",
                      "ethnicity",
                      "occupation", "consent_purpose", "consent_on", "version", "updated_at"]
            Woman.objects.bulk_update(changed, fields, batch_size=CHUNK)
        Woman.tags.through.objects.bulk_create([
            Woman.tags.through(woman_id=w.pk, tag_id=self.tags[code].pk) for w, codes in new_tags for code in codes
        ], batch_size=CHUNK)
        women_registered(new)
        women_moved(moved)
        if new or changed:
            # one audit row per chunk, naming every record it created or changed (and which fields)
            audit_record(actor=self.actor, action="woman.import", now=now,
                         changes={"created": [w.pk for w in new], "updated": updated})
        self.counts["created_count"] += len(new)
        self.counts["updated_count"] += len(changed)


def _code(raw) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return "".join(str(raw).split())
