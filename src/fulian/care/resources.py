"""Resources units and partners offer (jobs, course seats, micro-loans, donations, volunteer hours, charity), and
who sees them: `subtree` — the publishing unit and the units under it; `province` — every unit of its province;
`partners` — its province and the provinces of a running PartnerAgreement (京津冀妇女发展协作).

A course seat is a place in a course of the activities module (hook "course.seats"): accepting one signs her up
there ("course.seat_take"), so its places are counted once, by the course; `capacity`/`remaining` mirror it.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.core.audit import audit_record, changed_fields
from fulian.core.errors import Conflict
from fulian.core.figures import figures_add, period_of
from fulian.core.hooks import hook_call
from fulian.core.policy import Action, allows, require, scope_path, scope_q
from fulian.core.tree import SEGMENT, ancestor_paths
from fulian.core.writes import write_path
from fulian.orgs.models import Level, Unit

from .models import (
    GROUP_BITS,
    PartnerAgreement,
    ProviderKind,
    Resource,
    ResourceKind,
    ResourceState,
    Visibility,
)
from .plans import _check_coordinates, skills_mask

PROVINCE_LEN = SEGMENT  # a province is a root of the tree


def province_of(path: str) -> str:
    return path[:PROVINCE_LEN]


def partner_provinces(province_path: str, on: dt.date) -> list[str]:
    """Provinces in a running agreement with this one (itself excluded)."""
    agreements = PartnerAgreement.objects.filter(provinces__path=province_path, starts_on__lte=on).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=on))
    rows = PartnerAgreement.provinces.through.objects.filter(partneragreement__in=agreements).values_list(
        "unit__path", flat=True)
    return sorted({p for p in rows if p != province_path})


def visible_q(path: str, on: dt.date, *, prefix: str = "") -> Q:
    """Resources a need (or a cadre) at `path` may be offered: see the module's docstring."""
    province = province_of(path)
    q = (Q(**{f"{prefix}visibility": Visibility.SUBTREE, f"{prefix}unit_path__in": ancestor_paths(path)})
         | Q(**{f"{prefix}visibility__in": [Visibility.PROVINCE, Visibility.PARTNERS],
                f"{prefix}province_path": province}))
    partners = partner_provinces(province, on)
    if partners:
        q |= Q(**{f"{prefix}visibility": Visibility.PARTNERS, f"{prefix}province_path__in": partners})
    return q


def is_visible_to(resource: Resource, path: str, on: dt.date) -> bool:
    if resource.visibility == Visibility.SUBTREE:
        return path.startswith(resource.unit_path)
    if province_of(path) == resource.province_path:
        return True
    return (resource.visibility == Visibility.PARTNERS
            and resource.province_path in partner_provinces(province_of(path), on))


def resources_for(user, *, kind: str = "", state: str = ResourceState.OPEN, own: bool = False,
                  today: dt.date | None = None):
    """Resources she may offer (visible to her unit) and those her subtree publishes; `own`: only the latter."""
    today = today or timezone.localdate()
    mine = scope_q(user, field="unit_path")
    root = scope_path(user)
    if root is None:
        return Resource.objects.none()
    q = mine if own or root == "" else mine | visible_q(root, today)
    rows = Resource.objects.filter(q).select_related("unit", "place_unit")
    if kind:
        rows = rows.filter(kind=kind)
    if state:
        rows = rows.filter(state=state)
    return rows.order_by("-created_at", "-id")


def access_resource_by_id(user, resource_id, *, need: str = Action.VIEW, today: dt.date | None = None) -> Resource:
    resource = Resource.objects.select_related("unit", "place_unit").filter(pk=resource_id).first()
    if resource is None:
        raise Http404("resource not found")
    if allows(user, need, resource.unit_path):
        return resource
    root = scope_path(user)
    if need == Action.VIEW and root is not None and is_visible_to(resource, root, today or timezone.localdate()):
        return resource
    raise Http404("resource not found")


def _decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("金额要是数字。"), code="care_resource_amount") from None
    if number < 0 or number >= Decimal("1e9"):
        raise ValidationError(_("金额不正确。"), code="care_resource_amount")
    return number.quantize(Decimal("0.01"))


def groups_mask(groups) -> int:
    mask = 0
    for g in groups or ():
        if g not in GROUP_BITS:
            raise ValidationError(_("关爱类别不正确：%(g)s") % {"g": g}, code="care_group")
        mask |= GROUP_BITS[g]
    return mask


def groups_of(mask: int) -> list[str]:
    return [g for g, bit in GROUP_BITS.items() if mask & bit]


def course_info(activity_ids: list[int]) -> dict:
    """{activity id: {"title", "unit_path", "capacity", "confirmed", "open"}} from the activities module."""
    info: dict = {}
    for result in hook_call("course.seats", activity_ids=activity_ids):
        info.update(result)
    return info


def _clean(*, actor, unit: Unit, kind, title, provider, provider_kind, capacity, starts_on, ends_on, visibility,
           place_unit, lat, lng, age_min, age_max, groups, skills, amount, activity_id) -> dict:
    require(actor, Action.EDIT, unit.path)
    if kind not in ResourceKind.values:
        raise ValidationError(_("资源类别不正确。"), code="care_resource_kind")
    if provider_kind not in ProviderKind.values:
        raise ValidationError(_("提供方类别不正确。"), code="care_provider_kind")
    if visibility not in Visibility.values:
        raise ValidationError(_("可见范围不正确。"), code="care_visibility")
    title, provider = (title or "").strip(), (provider or "").strip()
    if not title:
        raise ValidationError(_("请填写资源名称。"), code="care_resource_title")
    if not provider:
        raise ValidationError(_("请填写提供方。"), code="care_resource_provider")
    if ends_on < starts_on:
        raise ValidationError(_("结束日期不能早于开始日期。"), code="care_resource_period")
    place_unit = place_unit or unit
    if not place_unit.path.startswith(province_of(unit.path)):
        raise ValidationError(_("资源所在地要在本省。"), code="care_resource_place")
    _check_coordinates(lat, lng)
    if age_min is not None and age_max is not None and age_min > age_max:
        raise ValidationError(_("最小年龄不能大于最大年龄。"), code="care_resource_age")
    values = {"kind": kind, "title": title[:100], "provider": provider[:100], "provider_kind": provider_kind,
              "starts_on": starts_on, "ends_on": ends_on, "visibility": visibility, "place_unit": place_unit,
              "place_path": place_unit.path, "place_depth": len(place_unit.path) // SEGMENT, "lat": lat, "lng": lng,
              "age_min": age_min, "age_max": age_max, "groups_mask": groups_mask(groups),
              "skills_mask": skills_mask(skills), "amount": _decimal(amount), "activity_id": None}
    if kind == ResourceKind.COURSE_SEAT:
        if not activity_id:
            raise ValidationError(_("培训名额要选一个培训活动。"), code="care_resource_course")
        course = None
        for found in hook_call("course.for_resource", user=actor, activity_id=activity_id):
            course = course or found
        if course is None:
            raise ValidationError(_("找不到这个培训活动，或它不在本辖区、不限名额。"), code="care_resource_course")
        values.update(activity_id=course["id"], capacity=course["capacity"],
                      remaining=max(course["capacity"] - course["confirmed"], 0))
    else:
        if capacity is None or not (1 <= int(capacity) <= 100000):
            raise ValidationError(_("名额要在1到100000之间。"), code="care_resource_capacity")
        values["capacity"] = int(capacity)
    return values


def resource_create(*, actor, unit: Unit, kind: str, title: str, provider: str, provider_kind: str,
                    starts_on: dt.date, ends_on: dt.date, capacity: int | None = None,
                    visibility: str = Visibility.SUBTREE, place_unit: Unit | None = None, lat=None, lng=None,
                    age_min=None, age_max=None, groups=(), skills=(), amount=None, activity_id=None,
                    description: str = "", address: str = "", client_token: str | None = None,
                    now=None) -> Resource:
    if client_token:
        done = Resource.objects.filter(client_token=client_token, unit=unit).first()
        if done is not None:
            return done
    values = _clean(actor=actor, unit=unit, kind=kind, title=title, provider=provider, provider_kind=provider_kind,
                    capacity=capacity, starts_on=starts_on, ends_on=ends_on, visibility=visibility,
                    place_unit=place_unit, lat=lat, lng=lng, age_min=age_min, age_max=age_max, groups=groups,
                    skills=skills, amount=amount, activity_id=activity_id)
    values.setdefault("remaining", values["capacity"])
    now = now or timezone.now()
    try:
        with write_path():
            resource = Resource.objects.create(
                unit=unit, unit_path=unit.path, province_path=province_of(unit.path),
                description=(description or "").strip()[:5000], address=(address or "").strip()[:200],
                created_at=now, created_by=actor, client_token=client_token or None, **values)
            figures_add([(unit.path, period_of(now), "care_resources", 1),
                         (unit.path, period_of(now), "care_resource_places", resource.capacity)])
            audit_record(actor=actor, action="care.resource_create", obj=resource, now=now,
                         changes={"kind": kind, "capacity": resource.capacity, "visibility": visibility})
    except IntegrityError:
        done = Resource.objects.filter(client_token=client_token).first() if client_token else None
        if done is None:
            raise
        return done
    return resource


def resource_update(*, actor, resource: Resource, version: int, capacity: int | None = None, title=None,
                    description=None, ends_on=None, visibility=None, now=None) -> Resource:
    """Change what may change once offers exist: title, text, end date, visibility, and the capacity (never
    below the places already taken)."""
    require(actor, Action.EDIT, resource.unit_path)
    values = {}
    if title is not None:
        if not title.strip():
            raise ValidationError(_("请填写资源名称。"), code="care_resource_title")
        values["title"] = title.strip()[:100]
    if description is not None:
        values["description"] = description.strip()[:5000]
    if ends_on is not None:
        if ends_on < resource.starts_on:
            raise ValidationError(_("结束日期不能早于开始日期。"), code="care_resource_period")
        values["ends_on"] = ends_on
    if visibility is not None:
        if visibility not in Visibility.values:
            raise ValidationError(_("可见范围不正确。"), code="care_visibility")
        values["visibility"] = visibility
    now = now or timezone.now()
    with write_path():
        current = Resource.objects.select_for_update().get(pk=resource.pk)
        if current.version != version:
            raise Conflict(_("这条资源已被他人修改，请刷新后再改。"), code="version_conflict")
        if capacity is not None and current.kind != ResourceKind.COURSE_SEAT:
            taken = current.capacity - current.remaining
            if not (1 <= int(capacity) <= 100000) or int(capacity) < taken:
                raise ValidationError(_("名额不能少于已接受的%(n)d个。") % {"n": taken}, code="care_resource_capacity")
            values["capacity"], values["remaining"] = int(capacity), int(capacity) - taken
            if values["capacity"] != current.capacity:
                figures_add([(current.unit_path, period_of(current.created_at), "care_resource_places",
                              values["capacity"] - current.capacity)])
        changes = changed_fields(current, values)
        Resource.objects.filter(pk=current.pk).update(version=version + 1, **values)
        audit_record(actor=actor, action="care.resource_update", obj=current, now=now, changes=changes)
    resource.refresh_from_db()
    return resource


def resource_close(*, actor, resource: Resource, now=None) -> Resource:
    require(actor, Action.EDIT, resource.unit_path)
    with write_path():
        if not Resource.objects.filter(pk=resource.pk, state=ResourceState.OPEN).update(
                state=ResourceState.CLOSED, version=resource.version + 1):
            raise Conflict(_("这条资源已经关闭了。"), code="care_resource_closed")
        audit_record(actor=actor, action="care.resource_close", obj=resource, now=now)
    resource.refresh_from_db()
    return resource


def agreement_create(*, actor, name: str, provinces: list[Unit], starts_on: dt.date, ends_on: dt.date | None = None,
                     now=None) -> PartnerAgreement:
    """A cooperation agreement between provinces: entered by a province's leaders (one of the provinces is theirs)."""
    from fulian.core.policy import is_leader_of

    if len(provinces) < 2 or any(p.level != Level.PROVINCE for p in provinces):
        raise ValidationError(_("协作至少要有两个省级妇联。"), code="care_agreement_provinces")
    if not any(is_leader_of(actor, p.path) or getattr(actor, "is_superuser", False) for p in provinces):
        raise ValidationError(_("只有协作省份的省妇联领导可以登记协作。"), code="care_agreement_actor")
    if not (name or "").strip():
        raise ValidationError(_("请填写协作名称。"), code="care_agreement_name")
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError(_("结束日期不能早于开始日期。"), code="care_agreement_period")
    now = now or timezone.now()
    with write_path():
        agreement = PartnerAgreement.objects.create(name=name.strip()[:100], starts_on=starts_on, ends_on=ends_on,
                                                    created_at=now, created_by=actor)
        agreement.provinces.set(provinces)
        audit_record(actor=actor, action="care.agreement_create", obj=agreement, now=now,
                     changes={"provinces": [p.pk for p in provinces]})
    return agreement


def agreements_for(user, on: dt.date | None = None):
    root = scope_path(user)
    rows = PartnerAgreement.objects.prefetch_related("provinces").order_by("-starts_on", "-id")
    if root is None:
        return rows.none()
    if root:
        rows = rows.filter(provinces__path=province_of(root))
    return rows

