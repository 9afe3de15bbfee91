"""Excel rosters of organisation building — volunteers, women's social organisations, Women's Homes, new-media
accounts and staffing — imported and exported to the same standard as the women registry: a template, every
bad row reported by row and column in an error file, idempotent re-import (rows are matched by their natural
key: unit code + name, or unit code + kind), run in the background with progress."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.core.excel import Column, Roster, RowError, error_xlsx, template_xlsx
from fulian.core.imports import import_job_attach_errors, import_job_progress, register
from fulian.core.links import clean_link
from fulian.core.phone import normalize_phone
from fulian.core.policy import Action, allows, scope_q

from . import building, homes
from .models import MediaAccount, Post, PostKind, SocialOrganisation, StaffMember, Unit, Volunteer

UNIT = Column(
    "unit_code",
    "组织代码",
    required=True,
    example="130123100001",
    text=True,
    width=16,
    note="12位区划代码（两新组织用组织树上的代码），须在您的工作范围内",
)


def _choice(value, choices, label) -> str:
    text = str(value or "").strip()
    for code, name in choices:
        if text in (code, str(name)):
            return code
    raise ValidationError(
        _("%(label)s“%(value)s”不在列表中（%(choices)s）。")
        % {"label": label, "value": text, "choices": "、".join(str(n) for _c, n in choices)}
    )


def _int(value, label, *, minimum=0) -> int:
    try:
        number = int(Decimal(str(value).strip()))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("%(label)s应为整数。") % {"label": label}) from None
    if number < minimum:
        raise ValidationError(_("%(label)s不能小于%(n)d。") % {"label": label, "n": minimum})
    return number


def _phone(value) -> str:
    try:
        return normalize_phone(value) if _text(value) else ""
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from None


def _text(value) -> str:
    return "" if value is None else str(value).strip()


@dataclass
class Spec:
    kind: str
    title: str
    columns: list[Column]

    def key(self, row: dict) -> dict:
        raise NotImplementedError

    def clean(self, record: dict) -> dict:
        raise NotImplementedError

    def save(self, actor, unit, row: dict, existing) -> str:
        raise NotImplementedError

    def queryset(self, user):
        raise NotImplementedError

    def export_row(self, obj) -> list:
        raise NotImplementedError


class VolunteerSpec(Spec):
    def key(self, row):
        return {"unit": row["unit"], "name": row["name"]}

    def clean(self, r):
        name = _text(r.get("name"))
        if not name:
            raise ValidationError({"name": [_("姓名为空。")]})
        phone = _phone(r.get("phone"))
        return {
            "name": name[:30],
            "phone": phone,
            "skills": _text(r.get("skills"))[:200],
            "team": _text(r.get("team"))[:100],
        }

    def save(self, actor, unit, row, existing):
        if existing is None:
            building.volunteer_add(actor=actor, unit=unit, **{k: row[k] for k in ("name", "phone", "skills", "team")})
            return "created"
        return _update(actor, existing, {k: row[k] for k in ("phone", "skills", "team")})

    def queryset(self, user):
        return Volunteer.objects.filter(scope_q(user, field="unit_path")).select_related("unit")

    def export_row(self, v):
        return [v.name, v.unit.code, v.phone, v.skills, v.team]


class SocialOrgSpec(Spec):
    def key(self, row):
        return {"unit": row["unit"], "name": row["name"]}

    def clean(self, r):
        name = _text(r.get("name"))
        if not name:
            raise ValidationError({"name": [_("名称为空。")]})
        try:
            category = _choice(r.get("category"), SocialOrganisation.Category.choices, _("类别"))
        except ValidationError as exc:
            raise ValidationError({"category": exc.messages}) from None
        return {
            "name": name[:100],
            "category": category,
            "contact": _text(r.get("contact"))[:100],
            "support": _text(r.get("support")),
        }

    def save(self, actor, unit, row, existing):
        if existing is None:
            building.social_org_add(
                actor=actor, unit=unit, **{k: row[k] for k in ("name", "category", "contact", "support")}
            )
            return "created"
        return _update(actor, existing, {k: row[k] for k in ("category", "contact", "support")})

    def queryset(self, user):
        return SocialOrganisation.objects.filter(scope_q(user, field="unit_path")).select_related("unit")

    def export_row(self, s):
        return [s.name, s.unit.code, s.get_category_display(), s.contact, s.support]


class HomeSpec(Spec):
    def key(self, row):
        return {"unit": row["unit"], "name": row["name"]}

    def clean(self, r):
        errors = {}
        name, address = _text(r.get("name")), _text(r.get("address"))
        if not name:
            errors["name"] = [_("名称为空。")]
        if not address:
            errors["address"] = [_("地址为空。")]
        coords = {}
        for key, low, high, label in (("latitude", -90, 90, _("纬度")), ("longitude", -180, 180, _("经度"))):
            try:
                coords[key] = homes._coordinate(r.get(key), low, high, label)
            except ValidationError as exc:
                errors[key] = exc.messages
        if not errors and (coords["latitude"] is None) != (coords["longitude"] is None):
            errors["longitude"] = [_("经度和纬度要一起填写。")]
        if errors:
            raise ValidationError(errors)
        return {
            "name": name[:100],
            "address": address[:200],
            **coords,
            "opening_hours": _text(r.get("opening_hours")),
            "facilities": _text(r.get("facilities")),
            "phone": _phone(r.get("phone")),
        }

    def save(self, actor, unit, row, existing):
        values = {
            k: row[k] for k in ("name", "address", "latitude", "longitude", "opening_hours", "facilities", "phone")
        }
        if existing is not None and all(getattr(existing, k) == v for k, v in values.items()):
            return "unchanged"
        homes.home_save(actor=actor, unit=unit, home=existing, **values)
        return "created" if existing is None else "updated"

    def queryset(self, user):
        return homes.homes_for(user)

    def export_row(self, h):
        return [h.name, h.unit.code, h.address, h.latitude, h.longitude, h.opening_hours, h.facilities, h.phone]


class MediaSpec(Spec):
    def key(self, row):
        return {"unit": row["unit"], "platform": row["platform"], "name": row["name"]}

    def clean(self, r):
        errors = {}
        name = _text(r.get("name"))
        if not name:
            errors["name"] = [_("名称为空。")]
        try:
            platform = _choice(r.get("platform"), MediaAccount.Platform.choices, _("平台"))
        except ValidationError as exc:
            errors["platform"], platform = exc.messages, ""
        try:
            url = clean_link(_text(r.get("url")))
        except ValidationError as exc:
            errors["url"], url = exc.messages, ""
        followers = None
        if _text(r.get("followers")):
            try:
                followers = _int(r.get("followers"), _("关注/成员数"))
            except ValidationError as exc:
                errors["followers"] = exc.messages
        if errors:
            raise ValidationError(errors)
        return {"name": name[:100], "platform": platform, "url": url, "followers": followers}

    def save(self, actor, unit, row, existing):
        result = "unchanged"
        if existing is None:
            existing = building.media_account_add(
                actor=actor, unit=unit, platform=row["platform"], name=row["name"], url=row["url"]
            )
            result = "created"
        elif existing.url != row["url"]:
            result = _update(actor, existing, {"url": row["url"]})
        if row["followers"] is not None:
            today = timezone.localdate()
            latest = existing.counts.filter(counted_on=today).first()
            if latest is None or latest.followers != row["followers"]:
                building.follower_count_record(
                    actor=actor, account=existing, counted_on=today, followers=row["followers"]
                )
                result = "updated" if result == "unchanged" else result
        return result

    def queryset(self, user):
        return (
            MediaAccount.objects.filter(scope_q(user, field="unit_path"))
            .select_related("unit")
            .prefetch_related("counts")
        )

    def export_row(self, m):
        latest = m.counts.all()[:1]
        return [m.get_platform_display(), m.name, m.unit.code, m.url, latest[0].followers if latest else None]


class PostSpec(Spec):
    """编制 by kind: the quota is imported; 在岗 is exported as counted from the named roster and never read."""

    def key(self, row):
        return {"unit": row["unit"], "kind": row["kind"]}

    def clean(self, r):
        errors, row = {}, {}
        for key, fn in (
            ("kind", lambda: _choice(r.get("kind"), PostKind.choices, _("类别"))),
            ("quota", lambda: _int(r.get("quota"), _("编制"))),
        ):
            try:
                row[key] = fn()
            except ValidationError as exc:
                errors[key] = exc.messages
        if errors:
            raise ValidationError(errors)
        return row

    def save(self, actor, unit, row, existing):
        if existing is not None and existing.quota == row["quota"]:
            return "unchanged"
        building.post_set(actor=actor, unit=unit, kind=row["kind"], quota=row["quota"])
        return "created" if existing is None else "updated"

    def queryset(self, user):
        return Post.objects.filter(scope_q(user, field="unit_path")).select_related("unit")

    def export_rows(self, user):
        today = timezone.localdate()
        posts = self.queryset(user).annotate(filled=building.staff_count_subquery(today))
        return ([p.unit.code, p.unit.name, p.get_kind_display(), p.quota, p.filled] for p in posts.iterator(2000))


def _date(value, label):
    import datetime as dt

    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip().replace("/", "-").replace(".", "-"))
    except ValueError:
        raise ValidationError(_("%(label)s应为日期，例如 2026-03-01。") % {"label": label}) from None


class StaffSpec(Spec):
    """人员花名册: one row per cadre; re-importing the same unit + name + 到岗日期 updates her row (an end date, a
    post), never adds her twice."""

    def key(self, row):
        return {"unit": row["unit"], "name": row["name"], "starts_on": row["starts_on"]}

    def clean(self, r):
        errors, row = {}, {}
        row["name"] = _text(r.get("name"))[:30]
        if not row["name"]:
            errors["name"] = [_("姓名为空。")]
        for key, fn in (
            ("kind", lambda: _choice(r.get("kind"), PostKind.choices, _("人员类别"))),
            ("starts_on", lambda: _date(r.get("starts_on"), _("到岗日期"))),
            ("ends_on", lambda: _date(r.get("ends_on"), _("离岗/挂职期满日期"))),
            ("phone", lambda: _phone(r.get("phone"))),
        ):
            try:
                row[key] = fn()
            except ValidationError as exc:
                errors[key] = exc.messages
        if not errors and row["starts_on"] is None:
            errors["starts_on"] = [_("到岗日期为空。")]
        if errors:
            raise ValidationError(errors)
        row["post"] = _text(r.get("post"))[:40]
        row["seconded_from"] = _text(r.get("seconded_from"))[:100]
        return row

    def save(self, actor, unit, row, existing):
        values = {k: row[k] for k in ("kind", "post", "seconded_from", "ends_on", "phone")}
        if existing is None:
            building.staff_add(actor=actor, unit=unit, name=row["name"], starts_on=row["starts_on"], **values)
            return "created"
        if values["ends_on"] is not None and values["ends_on"] <= existing.starts_on:
            raise ValidationError(_("离岗日期应晚于到岗日期。"))
        if values["kind"] == PostKind.SECONDED and values["ends_on"] is None:
            raise ValidationError(_("挂职干部请填写挂职期满日期。"))
        return _update(actor, existing, values)

    def queryset(self, user):
        return StaffMember.objects.filter(scope_q(user, field="unit_path")).select_related("unit")

    def export_row(self, m):
        return [m.name, m.unit.code, m.get_kind_display(), m.post, m.starts_on, m.ends_on, m.seconded_from, m.phone]


def _update(actor, obj, values: dict) -> str:
    return "updated" if building.building_record_update(actor=actor, record=obj, values=values) else "unchanged"


SPECS = {
    "volunteers": VolunteerSpec(
        "volunteers",
        "巾帼志愿者",
        [
            Column("name", "姓名", required=True, example="刘敏"),
            UNIT,
            Column("phone", "电话", example="13800001111", text=True),
            Column("skills", "专长", example="家政、法律"),
            Column("team", "队伍", example="巾帼志愿服务队"),
        ],
    ),
    "social_orgs": SocialOrgSpec(
        "social_orgs",
        "女性社会组织",
        [
            Column("name", "名称", required=True, example="正定县巾帼家政服务协会"),
            UNIT,
            Column("category", "类别", required=True, example="服务类", note="专业类、公益类、服务类"),
            Column("contact", "联系人/电话", example="王女士 13800002222"),
            Column("support", "扶持情况"),
        ],
    ),
    "homes": HomeSpec(
        "homes",
        "妇女之家",
        [
            Column("name", "名称", required=True, example="恒东社区妇女之家"),
            UNIT,
            Column("address", "地址", required=True, example="恒东社区居委会二楼"),
            Column("latitude", "纬度", example="38.1467"),
            Column("longitude", "经度", example="114.5700"),
            Column("opening_hours", "开放时间", example="周一至周五 8:30-17:30"),
            Column("facilities", "设施"),
            Column("phone", "联系电话", text=True),
        ],
    ),
    "media": MediaSpec(
        "media",
        "新媒体账号",
        [
            Column("platform", "平台", required=True, example="微信公众号", note="网站、微信公众号、微博、工作群"),
            Column("name", "名称", required=True, example="正定女性"),
            UNIT,
            Column("url", "地址"),
            Column("followers", "关注/成员数", example="18600", note="填写则记为今天的人数"),
        ],
    ),
    "posts": PostSpec(
        "posts",
        "人员编制",
        [
            UNIT,
            Column("unit_name", "组织名称", note="导出时填写，导入时不读"),
            Column(
                "kind", "类别", required=True, example="专职干部", note="专职干部、挂职干部、兼职干部、妇女社会工作者"
            ),
            Column("quota", "编制", required=True, example="4"),
            Column("filled", "在岗", note="按人员花名册自动统计：导出时填写，导入时不读"),
        ],
    ),
    "staff": StaffSpec(
        "staff",
        "人员花名册",
        [
            Column("name", "姓名", required=True, example="李红"),
            UNIT,
            Column("kind", "人员类别", required=True, example="挂职干部",
                   note="专职干部、挂职干部、兼职干部、妇女社会工作者"),
            Column("post", "职务", example="副主席"),
            Column("starts_on", "到岗日期", required=True, example="2026-03-01", text=True),
            Column("ends_on", "离岗/挂职期满日期", example="2027-02-28", text=True, note="挂职干部必填"),
            Column("seconded_from", "派出单位", example="正定县教育局"),
            Column("phone", "电话", text=True),
        ],
    ),
}


def roster_template(kind: str) -> bytes:
    spec = SPECS[kind]
    return template_xlsx(
        spec.columns,
        sheet_title=spec.title,
        notes=[
            "有问题的行不会导入，系统会生成错误报告，写明行号、列和原因。",
            "同一组织的同名记录再次导入时更新原记录，不会重复登记。",
        ],
    )


def import_roster(job) -> None:
    spec = SPECS[job.kind.removeprefix("roster:")]
    actor = get_user_model().objects.select_related("unit").get(pk=job.created_by_id)
    titles = {c.key: c.title for c in spec.columns}
    errors, originals, seen, units = [], {}, {}, {}
    counts = {"processed_rows": 0, "created_count": 0, "updated_count": 0, "unchanged_count": 0, "error_count": 0}
    with job.source.open("rb") as fh:
        roster = Roster(fh, spec.columns)
        import_job_progress(job, total_rows=roster.estimated_rows)
        for number, record, values in roster:
            counts["processed_rows"] += 1
            problems = []
            code = _text(record.get("unit_code"))
            if code not in units:
                units[code] = Unit.objects.filter(code=code).first()
            unit = units[code]
            if not code:
                problems.append(("unit_code", _("组织代码为空。")))
            elif unit is None:
                problems.append(("unit_code", _("没有代码为%(code)s的组织。") % {"code": code}))
            elif not allows(actor, Action.EDIT, unit.path):
                problems.append(("unit_code", _("%(name)s不在您的工作范围内。") % {"name": unit.name}))
            try:
                row = spec.clean(record)
            except ValidationError as exc:
                found = exc.message_dict.items() if hasattr(exc, "error_dict") else [("", exc.messages)]
                problems += [(k, m) for k, ms in found for m in ms]
                row = None
            if row is not None and not problems:
                row["unit"] = unit
                key = tuple(sorted((k, str(getattr(v, "pk", v))) for k, v in spec.key(row).items()))
                if key in seen:
                    problems.append(
                        ("name" if "name" in titles else "kind", _("与第%(row)d行重复。") % {"row": seen[key]})
                    )
                seen.setdefault(key, number)
            if problems:
                for key, message in problems:
                    errors.append(RowError(number, titles.get(key, key), record.get(key), message))
                originals[number] = values
                counts["error_count"] += 1
            else:
                existing = spec.queryset(actor).filter(**spec.key(row)).first()
                try:
                    result = spec.save(actor, unit, row, existing)
                except ValidationError as exc:
                    errors.append(RowError(number, "", "", " ".join(exc.messages)))
                    originals[number] = values
                    counts["error_count"] += 1
                else:
                    counts[f"{result}_count"] += 1
            if counts["processed_rows"] % 200 == 0:
                import_job_progress(job, **counts)
        roster.close()
    import_job_progress(job, **counts)
    if errors:
        import_job_attach_errors(job, error_xlsx(errors, header=roster.header, originals=originals))


def export_roster(kind: str, user):
    spec = SPECS[kind]
    if hasattr(spec, "export_rows"):
        return [c.title for c in spec.columns], spec.export_rows(user)
    return [c.title for c in spec.columns], (spec.export_row(o) for o in spec.queryset(user).iterator(2000))


for _kind in SPECS:
    register(f"roster:{_kind}", import_roster)
