"""Writes to the women registry: register, update (with a version check), merge. Each writes its audit row."""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.core.audit import audit_record
from fulian.core.crypto import encrypt, keyed_hash
from fulian.core.errors import Conflict
from fulian.core.figures import STANDING, figures_add, period_of
from fulian.core.hooks import hook_call
from fulian.core.idnumber import IdNumber, parse_id_number
from fulian.core.phone import normalize_phone
from fulian.core.pinyin import name_initials, name_pinyin
from fulian.core.policy import Action, allows
from fulian.orgs.models import Level

from .models import Tag, Woman
from .vocabularies import ETHNICITIES, ETHNICITY_ALIASES, Occupation, TagCode

HOME_LEVELS = (Level.TOWNSHIP, Level.VILLAGE)


class DuplicateWoman(ValidationError):
    """The ID number is registered already; `existing` is that record when the actor may see it."""

    def __init__(self, message, existing=None):
        super().__init__(message, code="duplicate")
        self.existing = existing


class StaleEdit(Conflict):
    def __init__(self):
        super().__init__(
            _("这条记录刚被其他人修改过。您的修改没有保存，请刷新后查看最新内容再修改。"), code="stale"
        )


@dataclass
class WomanData:
    """Cleaned values, the same whether they came from a form, the API or an Excel row."""

    name: str
    home_unit: object
    id_number: IdNumber | None = None
    phone: str = ""
    ethnicity: str = ""
    occupation: str = ""
    tags: list[str] = field(default_factory=list)
    consent_purpose: str = ""
    consent_on: dt.date | None = None


def clean_name(raw) -> str:
    name = "".join(str(raw or "").split())
    if not name:
        raise ValidationError(_("姓名为空。"), code="name_blank")
    if len(name) > 30:
        raise ValidationError(_("姓名超过30个字。"), code="name_long")
    if any(c.isdigit() for c in name):
        raise ValidationError(_("姓名中不能有数字。"), code="name_digits")
    return name


def clean_ethnicity(raw) -> str:
    text = "".join(str(raw or "").split())
    if not text:
        return ""
    if text in ETHNICITIES:
        return text
    if text in ETHNICITY_ALIASES:
        return ETHNICITY_ALIASES[text]
    raise ValidationError(_("“%(value)s”不是56个民族之一。") % {"value": text}, code="ethnicity_unknown")


def clean_occupation(raw) -> str:
    text = str(raw or "").strip()
    if not text:
        return ""
    for choice in Occupation:
        if text in (choice.value, str(choice.label)):
            return choice.value
    raise ValidationError(
        _("职业“%(value)s”不在列表中（%(choices)s）。") % {
            "value": text, "choices": "、".join(map(str, Occupation.labels))},
        code="occupation_unknown",
    )


def clean_tags(raw) -> list[str]:
    if isinstance(raw, list | tuple):
        parts = [str(p) for p in raw]
    else:
        text = str(raw or "").replace("，", ",").replace("、", ",").replace(";", ",").replace("；", ",")
        parts = text.split(",")
    tags = []
    for part in (p.strip() for p in parts):
        if not part:
            continue
        for choice in TagCode:
            if part in (choice.value, str(choice.label)):
                tags.append(choice.value)
                break
        else:
            raise ValidationError(
                _("标签“%(value)s”不在列表中（%(choices)s）。") % {
                    "value": part, "choices": "、".join(map(str, TagCode.labels))},
                code="tag_unknown",
            )
    return sorted(set(tags))


def clean_consent(purpose_raw, date_raw, *, today: dt.date) -> tuple[str, dt.date | None]:
    purpose = str(purpose_raw or "").strip()[:200]
    consent_on = None
    if isinstance(date_raw, dt.datetime):
        consent_on = date_raw.date()
    elif isinstance(date_raw, dt.date):
        consent_on = date_raw
    elif date_raw not in (None, ""):
        text = str(date_raw).strip().replace("/", "-").replace(".", "-")
        try:
            consent_on = dt.date.fromisoformat(text)
        except ValueError:
            raise ValidationError(
                _("同意日期“%(value)s”不是日期，请写成2026-03-08。") % {"value": date_raw}, code="consent_date_format"
            ) from None
    if consent_on and consent_on > today:
        raise ValidationError(_("同意日期在今天之后。"), code="consent_date_future")
    if consent_on and not purpose:
        raise ValidationError(_("填写了同意日期，但没有写同意的用途。"), code="consent_purpose_missing")
    if purpose and not consent_on:
        raise ValidationError(_("填写了同意用途，但没有写同意日期。"), code="consent_date_missing")
    return purpose, consent_on


def clean_home_unit(unit, *, actor):
    if unit is None:
        raise ValidationError(_("没有所在村(社区)。"), code="unit_blank")
    if actor is not None and not allows(actor, Action.EDIT, unit.path):
        raise ValidationError(_("所在村(社区)不在您的工作范围内。"), code="unit_out_of_scope")
    if unit.level not in HOME_LEVELS or not unit.is_geographic:
        raise ValidationError(
            _("“%(name)s”是%(level)s；妇女应登记到村(社区)或乡镇(街道)。") % {
                "name": unit.name, "level": unit.get_level_display()},
            code="unit_level",
        )
    return unit


def clean_female_id(raw, *, today: dt.date) -> IdNumber | None:
    if raw is None or not str(raw).strip():
        return None
    number = parse_id_number(raw, today=today)
    if not number.is_female:
        raise ValidationError(_("身份证号第17位表示男性；妇女名册只登记女性，请核对号码。"), code="id_male")
    return number


def _identifier_fields(number: IdNumber | None) -> dict:
    if number is None:
        return {"id_encrypted": "", "id_hash": None, "id_masked": "", "id_last4": "", "birth_date": None}
    return {
        "id_encrypted": encrypt(number.number),
        "id_hash": keyed_hash(number.number),
        "id_masked": number.masked,
        "id_last4": number.last4,
        "birth_date": number.birth_date,
    }


def woman_values(data: WomanData) -> dict:
    """Model field values for `data` (without identifier fields and tags)."""
    return {
        "name": data.name,
        "name_initials": name_initials(data.name)[:30],
        "name_pinyin": name_pinyin(data.name)[:120],
        "phone": data.phone,
        "phone_last4": data.phone[-4:],
        "home_unit_id": data.home_unit.pk,
        "unit_path": data.home_unit.path,
        "ethnicity": data.ethnicity,
        "occupation": data.occupation,
        "consent_purpose": data.consent_purpose,
        "consent_on": data.consent_on,
    }


def woman_build(*, actor, data: WomanData) -> Woman:
    """A new, unsaved record for `data` — the one way a woman's fields are filled, for the form, the API and the
    roster import (which saves many at once)."""
    return Woman(created_by=actor if getattr(actor, "pk", None) else None, **woman_values(data),
                 **_identifier_fields(data.id_number))


def woman_apply(woman: Woman, values: dict, *, now) -> dict:
    """Set changed values on a loaded record with its version bumped; returns {field: new value} that changed."""
    diff = {k: v for k, v in values.items() if getattr(woman, k) != v}
    for k, v in diff.items():
        setattr(woman, k, v)
    if diff:
        woman.version += 1
        woman.updated_at = now
    return diff


def women_registered(women) -> None:
    """Newly registered women count where they live, in the month they were registered, and in the standing count
    of women under each unit that the lists show as their total (core.figures)."""
    figures_add([delta for w in women for delta in (
        (w.unit_path, period_of(w.created_at), "women_registered", 1), (w.unit_path, STANDING, "women", 1))])


def women_moved(moves) -> None:
    """Women who moved village, as (woman, old unit path): her registration figure moves with her and the apps that
    follow her (contacts: history and links) are told — the same for one edit and for a whole roster."""
    moves = list(moves)
    figures_add([delta for woman, old_path in moves for delta in (
        (old_path, period_of(woman.created_at), "women_registered", -1),
        (woman.unit_path, period_of(woman.created_at), "women_registered", 1),
        (old_path, STANDING, "women", -1), (woman.unit_path, STANDING, "women", 1))])
    for woman, old_path in moves:
        hook_call("woman.moved", woman=woman, old_path=old_path)


def find_by_id_number(number: IdNumber) -> Woman | None:
    return Woman.objects.filter(id_hash=keyed_hash(number.number), merged_into__isnull=True).first()


def _set_tags(woman: Woman, codes: list[str]) -> None:
    woman.tags.set(Tag.objects.filter(code__in=codes))


def woman_create(*, actor, data: WomanData) -> Woman:
    """Register a woman. The same ID number twice finds the first record instead (DuplicateWoman)."""
    clean_home_unit(data.home_unit, actor=actor)
    with transaction.atomic():
        if data.id_number is not None:
            existing = find_by_id_number(data.id_number)
            if existing is not None:
                visible = existing if actor is None or allows(actor, Action.VIEW, existing.unit_path) else None
                raise DuplicateWoman(_("这个身份证号已经登记过了。") if visible else
                                     _("这个身份证号已登记在您工作范围以外的组织，请联系上级妇联处理。"), visible)
        woman = woman_build(actor=actor, data=data)
        woman.save()
        _set_tags(woman, data.tags)
        women_registered([woman])
        audit_record(actor=actor, action="woman.create", obj=woman, changes={"unit": data.home_unit.code})
    return woman


def woman_update(*, actor, woman: Woman, data: WomanData, version: int) -> Woman:
    """Save her edit only if nobody saved in between (optimistic lock on `version`)."""
    clean_home_unit(data.home_unit, actor=actor)
    values = woman_values(data)
    if data.id_number is not None:
        values.update(_identifier_fields(data.id_number))
    with transaction.atomic():
        if data.id_number is not None:
            other = find_by_id_number(data.id_number)
            if other is not None and other.pk != woman.pk:
                raise DuplicateWoman(_("这个身份证号已属于另一条记录，可以用“合并重复记录”把两条合并。"),
                                     other if allows(actor, Action.VIEW, other.unit_path) else None)
        changes = {k: [str(getattr(woman, k)), str(v)] for k, v in values.items()
                   if k not in ("id_encrypted", "name_initials", "name_pinyin", "unit_path") and getattr(woman, k) != v}
        updated = Woman.objects.filter(pk=woman.pk, version=version).update(
            version=F("version") + 1, updated_at=timezone.now(), **values
        )
        if not updated:
            raise StaleEdit()
        old_path = woman.unit_path
        moved = old_path != values["unit_path"]
        woman.refresh_from_db()
        _set_tags(woman, data.tags)
        if moved:
            women_moved([(woman, old_path)])
        audit_record(actor=actor, action="woman.update", obj=woman, changes=changes)
    return woman


def woman_merge(*, actor, survivor: Woman, duplicate: Woman) -> Woman:
    """Join a duplicate into the survivor: her contacts, needs and assignments move; the duplicate stays,
    marked merged, so both histories remain readable."""
    if survivor.pk == duplicate.pk:
        raise ValidationError(_("不能把一条记录合并到它自己。"))
    for w in (survivor, duplicate):
        if not allows(actor, Action.EDIT, w.unit_path) or w.merged_into_id:
            raise ValidationError(_("只能合并您工作范围内、尚未合并的记录。"))
    with transaction.atomic():
        moved = {}
        for result in hook_call("woman.merged", source=duplicate, target=survivor):
            moved.update(result or {})
        fill = {}
        for name in ("phone", "ethnicity", "occupation", "consent_purpose", "consent_on", "birth_date"):
            if not getattr(survivor, name) and getattr(duplicate, name):
                fill[name] = getattr(duplicate, name)
        if not survivor.id_hash and duplicate.id_hash:
            fill.update(id_encrypted=duplicate.id_encrypted, id_masked=duplicate.id_masked,
                        id_last4=duplicate.id_last4)
        Woman.objects.filter(pk=duplicate.pk).update(merged_into=survivor, updated_at=timezone.now(),
                                                     version=F("version") + 1)
        figures_add([(duplicate.unit_path, period_of(duplicate.created_at), "women_registered", -1),
                     (duplicate.unit_path, STANDING, "women", -1)])
        if fill:
            if "id_encrypted" in fill:
                fill["id_hash"] = duplicate.id_hash
            Woman.objects.filter(pk=survivor.pk).update(version=F("version") + 1, **fill)
        survivor.tags.add(*duplicate.tags.all())
        survivor.refresh_from_db()
        audit_record(actor=actor, action="woman.merge", obj=survivor,
                     changes={"merged": duplicate.pk, "moved": moved})
    return survivor


def woman_data_clean(*, actor, raw: dict, today: dt.date, require_id: bool = False) -> WomanData:
    """Clean a form's or an API body's values; raises ValidationError({field: [messages]})."""
    from fulian.orgs.models import Unit

    errors: dict[str, list[str]] = {}
    values: dict = {}

    def attempt(key, fn):
        try:
            values[key] = fn()
        except ValidationError as exc:
            errors[key] = exc.messages

    attempt("name", lambda: clean_name(raw.get("name")))
    attempt("id_number", lambda: clean_female_id(raw.get("id_number"), today=today))
    if require_id and "id_number" not in errors and values.get("id_number") is None:
        errors["id_number"] = [_("身份证号为空。")]
    attempt("phone", lambda: normalize_phone(raw.get("phone")))
    code = "".join(str(raw.get("unit_code") or "").split())
    unit = Unit.objects.filter(code=code).first() if code else None
    if code and unit is None:
        errors["unit_code"] = [_("没有代码为%(code)s的村(社区)。") % {"code": code}]
    else:
        attempt("unit_code", lambda: clean_home_unit(unit, actor=actor))
    attempt("ethnicity", lambda: clean_ethnicity(raw.get("ethnicity")))
    attempt("occupation", lambda: clean_occupation(raw.get("occupation")))
    attempt("tags", lambda: clean_tags(raw.get("tags") or []))
    attempt("consent", lambda: clean_consent(raw.get("consent_purpose"), raw.get("consent_on"), today=today))
    if errors:
        raise ValidationError(errors)
    return WomanData(name=values["name"], home_unit=values["unit_code"], id_number=values["id_number"],
                     phone=values["phone"], ethnicity=values["ethnicity"], occupation=values["occupation"],
                     tags=values["tags"], consent_purpose=values["consent"][0], consent_on=values["consent"][1])
