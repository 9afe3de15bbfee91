"""Care memberships (关爱对象名单) and resources (帮扶资源) imported from Excel, in the background as the women are.

Memberships: each row names a woman of the registry in the uploader's scope (by ID number, or by name and phone), a
care group and the date she came in. Every bad row is reported with its row, column and reason — a wrong ID number,
an unknown group, a woman not found in her scope — and the good rows are kept, each through the registry's own
service (registry.membership_add), so its rules, audit and figures are the page's. A woman already open in the group
is counted as already there (unchanged), so uploading the same file twice registers nothing twice. A woman outside
her scope is reported as not found in it, the same words as for one not in the registry at all.

Resources: each row published by her own unit through resources.resource_create; a row's client token is a hash of
its unit, title, kind, provider and start date, so the same file again publishes nothing twice.
"""

import datetime as dt
import hashlib
import re

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from fulian.core.crypto import keyed_hash
from fulian.core.errors import Conflict
from fulian.core.excel import Column, RowError, template_xlsx
from fulian.core.imports import import_job_progress, import_roster_run, register
from fulian.core.phone import normalize_phone
from fulian.core.policy import Action, scope_q
from fulian.orgs.models import Unit
from fulian.orgs.selectors import unit_by_code_for, unit_home_for
from fulian.people.models import Woman
from fulian.people.services import clean_female_id, clean_name

from .models import CareGroup, CareMembership, LowIncomeKind, ProviderKind, Resource, ResourceKind, Skill, Visibility
from .registry import NOTE_MAX, membership_add
from .resources import resource_create

KIND = "care_memberships"
CHUNK = 500
COLUMNS = [
    Column("id_number", "身份证号", example="130123199003070048", width=22, text=True,
           note="18位身份证号；不填时按“姓名＋手机号”查找。她须已登记在妇女名册、在您的工作范围内"),
    Column("name", "姓名", example="张秀英", width=12, note="不填身份证号时必填；填了身份证号时须与名册一致"),
    Column("phone", "手机号", example="13812345678", width=14, text=True, note="不填身份证号时必填，与名册中的一致"),
    Column("group", "关爱类别", required=True, example="低收入妇女", width=14,
           note="、".join(map(str, CareGroup.labels)) + "之一"),
    Column("low_income_kind", "低收入类别", example="低保对象", width=16,
           note="关爱类别为低收入妇女时必填：" + "、".join(map(str, LowIncomeKind.labels))),
    Column("disability_grade", "残疾等级", example="", width=10,
           note="关爱类别为残疾妇女时必填：一级、二级、三级或四级（残疾人证上的等级）"),
    Column("start_on", "纳入日期", required=True, example="2026-03-08", width=12, note="格式 2026-03-08，不晚于今天"),
    Column("note", "说明", example="", width=30, note="200字以内"),
]
# read but not in the template: an export's 退出日期 must not come back in as an open membership
READ_COLUMNS = [*COLUMNS, Column("end_on", "退出日期")]
TITLES = {c.key: c.title for c in READ_COLUMNS}
FIELD_OF_CODE = {"care_group": "group", "care_start_future": "start_on", "care_low_income_kind": "low_income_kind",
                 "care_disability_grade": "disability_grade", "woman_merged": "id_number"}
GRADES = {"1": 1, "一": 1, "2": 2, "二": 2, "3": 3, "三": 3, "4": 4, "四": 4}
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def memberships_template() -> bytes:
    return template_xlsx(COLUMNS, sheet_title="关爱对象", notes=[
        "每行一名妇女的一个关爱类别；同一妇女属于几个类别，就填几行。",
        "她须已登记在妇女名册中，且在您的工作范围内；没有登记的，请先导入或登记妇女名册。",
        "有问题的行不会导入，系统会生成错误报告，写明行号、列和原因；其他行照常导入。",
        "改正后可以重新导入整个文件：已在该类别中的妇女记为“无变化”，不会重复登记。",
        "退出关爱请在页面上办理（导入只登记纳入）。",
    ])


def _key(text) -> str:
    return "".join(str(text or "").split())


def _aliases(choices, *, cut: tuple[str, ...]) -> dict[str, str]:
    """Each value by its code, its label in Chinese and in the current language, and the label shortened."""
    names: dict[str, str] = {}
    for language in ("zh-hans", translation.get_language() or "zh-hans"):
        with translation.override(language):
            for value, label in choices:
                for name in (value, str(label)):
                    names[_key(name).lower()] = value
                    for suffix in cut:
                        if str(label).endswith(suffix) and len(str(label)) > len(suffix):
                            names[_key(str(label)[: -len(suffix)])] = value
    return names


def _choice(raw, names: dict, labels) -> str:
    value = names.get(_key(raw).lower())
    if value is None:
        raise ValidationError(_("“%(value)s”不在列表中（%(choices)s）。") % {
            "value": _key(raw)[:20], "choices": "、".join(map(str, labels))})
    return value


def clean_grade(raw) -> int | None:
    if raw is None or _key(raw) == "":
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = _key(raw).removesuffix("级")
    if text not in GRADES:
        raise ValidationError(_("残疾等级应为一级、二级、三级或四级，现为“%(value)s”。") % {"value": _key(raw)[:10]})
    return GRADES[text]


def clean_date(raw, *, label: str) -> dt.date | None:
    """A date cell (Excel date, 2026-03-08, 2026/3/8, 2026.3.8, 2026年3月8日, 20260308), or None when blank."""
    if raw is None or _key(raw) == "":
        return None
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = _key(raw)
    if isinstance(raw, float | int) and not isinstance(raw, bool):
        text = str(int(raw)) if float(raw).is_integer() else text
    match = _DATE.match(text) or (re.match(r"^(\d{4})(\d{2})(\d{2})$", text))
    try:
        if match is None:
            raise ValueError
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise ValidationError(_("%(label)s“%(value)s”不是日期，请写成2026-03-08。") % {
            "label": label, "value": text[:20]}) from None


def import_memberships(job) -> None:
    """Import handler registered for kind "care_memberships"."""
    import_roster_run(job, READ_COLUMNS, lambda actor, today: MembershipsImport(actor=actor, today=today))


register(KIND, import_memberships)


class MembershipsImport:
    def __init__(self, *, actor, today: dt.date):
        self.actor, self.today = actor, today
        self.errors: list[RowError] = []
        self.originals: dict[int, tuple] = {}
        self.seen: dict[tuple[int, str], int] = {}  # (woman, group) -> its first row in this file
        self.groups = _aliases(CareGroup.choices, cut=("妇女", "母亲"))
        self.groups.update({_key("独居老人"): CareGroup.ELDERLY_ALONE, _key("其他"): CareGroup.OTHER})
        self.kinds = _aliases(LowIncomeKind.choices, cut=("对象", "人员"))
        self.kinds.update({_key("防返贫监测对象"): LowIncomeKind.MONITORED, _key("监测对象"): LowIncomeKind.MONITORED,
                           _key("其他"): LowIncomeKind.OTHER})
        self.counts = {"processed_rows": 0, "created_count": 0, "unchanged_count": 0, "error_count": 0}

    def run(self, rows, job=None):
        chunk = []
        for item in rows:
            chunk.append(item)
            if len(chunk) >= CHUNK:
                self._chunk(chunk, job)
                chunk = []
        if chunk:
            self._chunk(chunk, job)
        self.errors.sort(key=lambda e: e.row)
        return self

    def _fail(self, number: int, values: tuple, key: str, value, message: str) -> None:
        self.errors.append(RowError(number, TITLES.get(key, ""), value, message))
        self.originals[number] = values

    def _chunk(self, chunk, job) -> None:
        cleaned = []
        for number, record, values in chunk:
            row = self._clean(number, record, values)
            if row is not None:
                cleaned.append(row)
        women = self._women(cleaned)
        ids = {w.pk for w in women[0].values()} | {w.pk for found in women[1].values() for w in found}
        open_now = set(CareMembership.objects.filter(woman_id__in=ids, end_on__isnull=True)
                       .values_list("woman_id", "group"))
        for number, record, values, row in cleaned:
            woman = self._woman_of(number, record, values, row, women)
            if woman is None:
                continue
            key = (woman.pk, row["group"])
            first = self.seen.setdefault(key, number)
            if first != number:
                self._fail(number, values, "group", record.get("group"),
                           _("与第%(row)d行是同一妇女、同一关爱类别。") % {"row": first})
                continue
            if key in open_now:
                self.counts["unchanged_count"] += 1  # already there: a second upload registers nothing twice
                continue
            self._add(number, record, values, woman, row)
        self.counts["processed_rows"] += len(chunk)
        self.counts["error_count"] = len(self.originals)
        if job is not None:
            import_job_progress(job, **self.counts)

    def _clean(self, number, record, values):
        errors_before = len(self.errors)

        def attempt(key, fn):
            try:
                return fn()
            except ValidationError as exc:
                self._fail(number, values, key, record.get(key), " ".join(exc.messages))
                return None

        row = {"id_number": attempt("id_number", lambda: clean_female_id(record.get("id_number"), today=self.today)),
               "name": attempt("name", lambda: clean_name(record.get("name")) if _key(record.get("name")) else ""),
               "phone": attempt("phone", lambda: normalize_phone(record.get("phone"))),
               "group": attempt("group", lambda: _choice(record.get("group"), self.groups, CareGroup.labels)),
               "low_income_kind": attempt("low_income_kind", lambda: _choice(
                   record.get("low_income_kind"), self.kinds, LowIncomeKind.labels)
                   if _key(record.get("low_income_kind")) else ""),
               "disability_grade": attempt("disability_grade", lambda: clean_grade(record.get("disability_grade"))),
               "start_on": attempt("start_on", lambda: clean_date(record.get("start_on"), label=TITLES["start_on"])),
               "note": str(record.get("note") or "").strip()[:NOTE_MAX]}
        if row["start_on"] is None and len(self.errors) == errors_before:
            self._fail(number, values, "start_on", None, _("纳入日期为空。"))
        if _key(record.get("end_on")):
            self._fail(number, values, "end_on", record.get("end_on"),
                       _("这一行有退出日期：导入只登记纳入关爱，退出请在页面上办理。"))
        if row["id_number"] is None and len(self.errors) == errors_before and not (row["name"] and row["phone"]):
            self._fail(number, values, "id_number", None, _("请填写身份证号，或同时填写姓名和手机号。"))
        if len(self.errors) > errors_before:
            return None
        return number, record, values, row

    def _women(self, cleaned) -> tuple[dict, dict]:
        """The women of her scope the rows name: {ID hash: woman} and {(name, phone): [women]}."""
        hashes = {keyed_hash(r["id_number"].number) for _n, _rec, _v, r in cleaned if r["id_number"] is not None}
        phones = {r["phone"] for _n, _rec, _v, r in cleaned if r["id_number"] is None}
        by_hash: dict[str, Woman] = {}
        by_pair: dict[tuple[str, str], list[Woman]] = {}
        if not hashes and not phones:
            return by_hash, by_pair
        mine = Woman.objects.filter(scope_q(self.actor, field="unit_path", action=Action.EDIT),
                                    merged_into__isnull=True)
        for w in mine.filter(Q(id_hash__in=hashes) | Q(phone__in=phones)).only("id", "name", "phone", "id_hash",
                                                                                 "unit_path", "merged_into"):
            if w.id_hash in hashes:
                by_hash[w.id_hash] = w
            if w.phone in phones:
                by_pair.setdefault((w.name, w.phone), []).append(w)
        return by_hash, by_pair

    def _woman_of(self, number, record, values, row, women):
        by_hash, by_pair = women
        if row["id_number"] is not None:
            woman = by_hash.get(keyed_hash(row["id_number"].number))
            if woman is None:
                self._fail(number, values, "id_number", row["id_number"].masked,
                           _("您的工作范围内没有这个身份证号的妇女：请先登记到妇女名册，或请她所在的村(社区)导入。"))
                return None
            if row["name"] and row["name"] != woman.name:
                self._fail(number, values, "name", record.get("name"),
                           _("姓名与妇女名册中这个身份证号的姓名不一致，请核对。"))
                return None
            return woman
        matches = by_pair.get((row["name"], row["phone"]), [])
        if len(matches) != 1:
            message = (_("您的工作范围内没有姓名和手机号都相同的妇女：请核对，或填写身份证号。") if not matches else
                       _("有%(n)d名妇女姓名和手机号都相同：请填写身份证号。") % {"n": len(matches)})
            self._fail(number, values, "name", record.get("name"), message)
            return None
        return matches[0]

    def _add(self, number, record, values, woman, row) -> None:
        try:
            membership_add(actor=self.actor, woman=woman, group=row["group"], start_on=row["start_on"],
                           today=self.today, low_income_kind=row["low_income_kind"],
                           disability_grade=row["disability_grade"], note=row["note"])
        except Conflict:
            self.counts["unchanged_count"] += 1  # opened by someone else since the chunk was read
        except ValidationError as exc:
            key = FIELD_OF_CODE.get(getattr(exc, "code", None) or "", "group")
            self._fail(number, values, key, record.get(key), " ".join(exc.messages))
        else:
            self.counts["created_count"] += 1



# --- resources --------------------------------------------------------------------------------------------------

RESOURCES_KIND = "care_resources"
RESOURCE_COLUMNS = [
    Column("title", "名称", required=True, example="巾帼车间手工编织岗", width=20, note="100字以内"),
    Column("kind", "资源类别", required=True, example="就业岗位", width=14,
           note="、".join(str(label) for value, label in ResourceKind.choices if value != ResourceKind.COURSE_SEAT)
           + "之一（培训名额请在页面上选培训活动发布）"),
    Column("provider", "提供方", required=True, example="正定县巾帼扶贫车间", width=20),
    Column("provider_kind", "提供方类别", required=True, example="企业", width=12,
           note="、".join(map(str, ProviderKind.labels)) + "之一"),
    Column("capacity", "名额", required=True, example="5", width=8, note="1到100000的整数"),
    Column("amount", "每份金额(元)", example="", width=12, note="小额贷款、捐赠等填写"),
    Column("groups", "面向关爱类别", example="低收入妇女、单亲母亲", width=20,
           note="可多个，用顿号或逗号分隔；不填为不限"),
    Column("skills", "技能要求", example="手工编织", width=14,
           note="可多个：" + "、".join(map(str, Skill.labels)) + "；不填为不限"),
    Column("age_min", "最小年龄", example="18", width=8),
    Column("age_max", "最大年龄", example="55", width=8),
    Column("place_code", "所在地代码", example="130123100000", width=16, text=True,
           note="资源所在的村(社区)或乡镇的12位区划代码，须在您的工作范围内；不填为发布单位"),
    Column("address", "地址", example="正定镇恒州路8号", width=24),
    Column("lat", "纬度", example="38.15", width=10, note="和经度一起填写，或都不填"),
    Column("lng", "经度", example="114.57", width=10),
    Column("starts_on", "开始日期", required=True, example="2026-03-01", width=12),
    Column("ends_on", "结束日期", required=True, example="2026-12-31", width=12),
    Column("visibility", "可见范围", example="本级及下级", width=16,
           note="、".join(map(str, Visibility.labels)) + "之一；不填为本级及下级"),
    Column("description", "说明", example="", width=30),
]
RESOURCE_TITLES = {c.key: c.title for c in RESOURCE_COLUMNS}
RESOURCE_FIELD_OF_CODE = {
    "care_resource_kind": "kind", "care_provider_kind": "provider_kind", "care_visibility": "visibility",
    "care_resource_title": "title", "care_resource_provider": "provider", "care_resource_period": "ends_on",
    "care_resource_place": "place_code", "care_coordinates": "lat", "care_resource_age": "age_min",
    "care_group": "groups", "care_skill": "skills", "care_resource_amount": "amount",
    "care_resource_capacity": "capacity"}
_SEPARATORS = re.compile(r"[、,，;；/\s]+")


def resources_template() -> bytes:
    return template_xlsx(RESOURCE_COLUMNS, sheet_title="帮扶资源", notes=[
        "每行一条资源，由您所在的单位发布。",
        "有问题的行不会导入，系统会生成错误报告，写明行号、列和原因；其他行照常导入。",
        "同一文件重复导入不会重复发布：名称、类别、提供方和开始日期都相同的行记为“无变化”。",
    ])


def _number(raw, label: str, *, integer: bool = False, lo=None, hi=None):
    if raw is None or _key(raw) == "":
        return None
    try:
        value = float(_key(raw))
    except ValueError:
        raise ValidationError(_("%(label)s应为数字。") % {"label": label}) from None
    if integer and not value.is_integer():
        raise ValidationError(_("%(label)s应为整数。") % {"label": label})
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise ValidationError(_("%(label)s应在%(lo)s到%(hi)s之间。") % {"label": label, "lo": lo, "hi": hi})
    return int(value) if integer else value


def _many(raw, names: dict, labels) -> list[str]:
    return [_choice(part, names, labels) for part in _SEPARATORS.split(str(raw or "").strip()) if part]


def resource_token(unit: Unit, record: dict) -> str:
    """The same row of the same unit again is the same resource: its client token is a hash of what names it."""
    key = "|".join(str(x) for x in (unit.pk, record["title"], record["kind"], record["provider"], record["starts_on"]))
    return "xls-" + hashlib.sha256(key.encode()).hexdigest()[:36]


def import_resources(job) -> None:
    """Import handler registered for kind "care_resources"."""
    import_roster_run(job, RESOURCE_COLUMNS, lambda actor, _today: ResourcesImport(actor=actor))


register(RESOURCES_KIND, import_resources)


class ResourcesImport:
    """Each good row through resources.resource_create, published by her own unit."""

    def __init__(self, *, actor):
        self.actor = actor
        self.unit = unit_home_for(actor)
        self.errors: list[RowError] = []
        self.originals: dict[int, tuple] = {}
        self.places: dict[str, Unit | None] = {}
        self.names = {
            "kind": _aliases([c for c in ResourceKind.choices if c[0] != ResourceKind.COURSE_SEAT], cut=()),
            "provider_kind": _aliases(ProviderKind.choices, cut=()),
            "visibility": _aliases(Visibility.choices, cut=()),
            "groups": {**_aliases(CareGroup.choices, cut=("妇女", "母亲")), _key("独居老人"): CareGroup.ELDERLY_ALONE},
            "skills": _aliases(Skill.choices, cut=()),
        }
        self.counts = {"processed_rows": 0, "created_count": 0, "unchanged_count": 0, "error_count": 0}

    def run(self, rows, job=None):
        for number, record, values in rows:
            self._row(number, record, values)
            self.counts["processed_rows"] += 1
            if job is not None and self.counts["processed_rows"] % 100 == 0:
                import_job_progress(job, **self.counts)
        self.counts["error_count"] = len(self.originals)
        if job is not None:
            import_job_progress(job, **self.counts)
        self.errors.sort(key=lambda e: e.row)
        return self

    def _fail(self, number, values, key, value, message) -> None:
        self.errors.append(RowError(number, RESOURCE_TITLES.get(key, ""), value, message))
        self.originals[number] = values

    def _place(self, raw):
        code = _key(raw)
        if not code:
            return None
        if code not in self.places:
            self.places[code] = unit_by_code_for(self.actor, code)
        if self.places[code] is None:
            raise ValidationError(_("您的工作范围内没有代码为%(code)s的单位。") % {"code": code[:24]})
        return self.places[code]

    def _row(self, number, record, values) -> None:
        errors_before = len(self.errors)

        def attempt(key, fn):
            try:
                return fn()
            except ValidationError as exc:
                self._fail(number, values, key, record.get(key), " ".join(exc.messages))
                return None

        def text(key, size):
            return str(record.get(key) or "").strip()[:size]

        kinds = [v for v in ResourceKind.values if v != ResourceKind.COURSE_SEAT]
        row = {"title": text("title", 100), "provider": text("provider", 100), "description": text("description", 5000),
               "address": text("address", 200),
               "kind": attempt("kind", lambda: _choice(record.get("kind"), self.names["kind"],
                                                       [ResourceKind(k).label for k in kinds])),
               "provider_kind": attempt("provider_kind", lambda: _choice(
                   record.get("provider_kind"), self.names["provider_kind"], ProviderKind.labels)),
               "visibility": attempt("visibility", lambda: _choice(
                   record.get("visibility"), self.names["visibility"], Visibility.labels)
                   if _key(record.get("visibility")) else Visibility.SUBTREE),
               "groups": attempt("groups", lambda: _many(record.get("groups"), self.names["groups"],
                                                         CareGroup.labels)),
               "skills": attempt("skills", lambda: _many(record.get("skills"), self.names["skills"], Skill.labels)),
               "capacity": attempt("capacity", lambda: _number(record.get("capacity"), RESOURCE_TITLES["capacity"],
                                                               integer=True, lo=1, hi=100000)),
               "amount": attempt("amount", lambda: _number(record.get("amount"), RESOURCE_TITLES["amount"], lo=0,
                                                           hi=999_999_999)),
               "age_min": attempt("age_min", lambda: _number(record.get("age_min"), RESOURCE_TITLES["age_min"],
                                                             integer=True, lo=0, hi=120)),
               "age_max": attempt("age_max", lambda: _number(record.get("age_max"), RESOURCE_TITLES["age_max"],
                                                             integer=True, lo=0, hi=120)),
               "lat": attempt("lat", lambda: _number(record.get("lat"), RESOURCE_TITLES["lat"], lo=-90, hi=90)),
               "lng": attempt("lng", lambda: _number(record.get("lng"), RESOURCE_TITLES["lng"], lo=-180, hi=180)),
               "place_unit": attempt("place_code", lambda: self._place(record.get("place_code"))),
               "starts_on": attempt("starts_on", lambda: clean_date(record.get("starts_on"),
                                                                    label=RESOURCE_TITLES["starts_on"])),
               "ends_on": attempt("ends_on", lambda: clean_date(record.get("ends_on"),
                                                                label=RESOURCE_TITLES["ends_on"]))}
        for key in ("capacity", "starts_on", "ends_on"):
            if row[key] is None and not any(e.row == number and e.column == RESOURCE_TITLES[key]
                                            for e in self.errors[errors_before:]):
                self._fail(number, values, key, None, _("%(label)s为空。") % {"label": RESOURCE_TITLES[key]})
        if self.unit is None:
            self._fail(number, values, "title", None, _("您的账号没有所属单位，不能发布资源。"))
        if len(self.errors) > errors_before:
            return
        token = resource_token(self.unit, row)
        if Resource.objects.filter(client_token=token).exists():
            self.counts["unchanged_count"] += 1
            return
        try:
            resource_create(actor=self.actor, unit=self.unit, client_token=token, **row)
        except ValidationError as exc:
            key = RESOURCE_FIELD_OF_CODE.get(getattr(exc, "code", None) or "", "title")
            self._fail(number, values, key, record.get(key), " ".join(exc.messages))
        else:
            self.counts["created_count"] += 1
