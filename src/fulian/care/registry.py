"""The care registry: women in care groups with dates in and out, and children under a family of the registry.

A membership counts in its group from `start_on` to `end_on` (exclusive), so `group_counts(path, day)` is true for
any date and the figure `care_in_<group>` (a stock: +1 in the month she came in, −1 in the month she left) is true
for any month. Children are need-to-know (core.policy.may_know_child): a cadre who cares for the family — linked to
one of its women in the contact network (hook "family.carers"), responsible for a help plan of the family, or the
one who registered the child — or a chair or vice-chair above. Every read goes to the read log.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.core.audit import audit_record, read_record
from fulian.core.errors import Conflict
from fulian.core.figures import figures_add, period_of
from fulian.core.hooks import hook_call
from fulian.core.models import ReadLog
from fulian.core.phone import normalize_phone
from fulian.core.policy import Action, may_know_child, require, scope_q
from fulian.core.tree import subtree_q
from fulian.core.writes import write_path
from fulian.people.models import Family, Woman

from .models import (
    GROUP_BITS,
    CareGroup,
    CareMembership,
    Child,
    ChildSituation,
    EndReason,
    HelpGoal,
    HelpPlan,
    LowIncomeKind,
    Offer,
)

NOTE_MAX = 200


def group_metric(group: str) -> str:
    return f"care_in_{group}"


def _membership_deltas(m: CareMembership, sign: int = 1) -> list:
    deltas = [(m.unit_path, period_of(m.start_on), group_metric(m.group), sign)]
    if m.end_on is not None:
        deltas.append((m.unit_path, period_of(m.end_on), group_metric(m.group), -sign))
    return deltas


def membership_add(*, actor, woman: Woman, group: str, start_on: dt.date, today: dt.date, low_income_kind: str = "",
                   disability_grade: int | None = None, note: str = "", client_token: str | None = None,
                   now=None) -> CareMembership:
    """Mark her in a care group from `start_on`. A second open membership of the same group is refused."""
    require(actor, Action.EDIT, woman.unit_path)
    if client_token:
        done = CareMembership.objects.filter(client_token=client_token, woman=woman).first()
        if done is not None:
            return done
    if group not in CareGroup.values:
        raise ValidationError(_("关爱类别不正确。"), code="care_group")
    if start_on > today:
        raise ValidationError(_("纳入日期不能在今天之后。"), code="care_start_future")
    if group == CareGroup.LOW_INCOME:
        if low_income_kind not in LowIncomeKind.values:
            raise ValidationError(_("请选择低收入类别(低保、特困、防返贫监测对象、脱贫户)。"),
                                  code="care_low_income_kind")
    elif low_income_kind:
        raise ValidationError(_("只有低收入妇女填写低收入类别。"), code="care_low_income_kind")
    if group == CareGroup.DISABLED:
        if disability_grade not in (1, 2, 3, 4):
            raise ValidationError(_("请填写残疾人证等级(一至四级)。"), code="care_disability_grade")
    elif disability_grade is not None:
        raise ValidationError(_("只有残疾妇女填写残疾等级。"), code="care_disability_grade")
    if woman.merged_into_id is not None:
        raise ValidationError(_("这条记录已合并到另一条记录，请在那里登记。"), code="woman_merged")
    now = now or timezone.now()
    try:
        with write_path():
            m = CareMembership.objects.create(
                woman=woman, unit_path=woman.unit_path, group=group, low_income_kind=low_income_kind,
                disability_grade=disability_grade, note=note.strip()[:NOTE_MAX], start_on=start_on,
                created_at=now, created_by=actor, client_token=client_token or None)
            figures_add(_membership_deltas(m))
            audit_record(actor=actor, action="care.membership_add", obj=woman, now=now,
                         changes={"group": group, "start_on": str(start_on)})
    except IntegrityError:
        if client_token:
            done = CareMembership.objects.filter(client_token=client_token).first()
            if done is not None:
                return done
        raise Conflict(_("她已在“%(group)s”中，请先结束原来的登记。") % {"group": CareGroup(group).label},
                       code="care_membership_open") from None
    return m


def membership_end(*, actor, membership: CareMembership, end_on: dt.date, reason: str, today: dt.date,
                   now=None) -> CareMembership:
    require(actor, Action.EDIT, membership.unit_path)
    if reason not in EndReason.values:
        raise ValidationError(_("请选择退出原因。"), code="care_end_reason")
    if end_on > today:
        raise ValidationError(_("退出日期不能在今天之后。"), code="care_end_future")
    if end_on <= membership.start_on:
        raise ValidationError(_("退出日期要晚于纳入日期。"), code="care_end_before_start")
    now = now or timezone.now()
    with write_path():
        ended = CareMembership.objects.filter(pk=membership.pk, end_on__isnull=True).update(
            end_on=end_on, end_reason=reason)
        if not ended:
            raise Conflict(_("这条登记已经结束了。"), code="care_membership_ended")
        membership.end_on, membership.end_reason = end_on, reason
        figures_add([(membership.unit_path, period_of(end_on), group_metric(membership.group), -1)])
        audit_record(actor=actor, action="care.membership_end", obj=membership.woman, now=now,
                     changes={"group": membership.group, "end_on": str(end_on), "reason": reason})
    return membership


def access_membership_by_id(user, membership_id, *, need: str = Action.VIEW) -> CareMembership:
    m = CareMembership.objects.select_related("woman").filter(pk=membership_id).filter(
        scope_q(user, field="unit_path", action=need)).first()
    if m is None:
        raise Http404("membership not found")
    return m


def memberships_for(user, *, group: str = "", on: dt.date | None = None, under: str | None = None):
    rows = CareMembership.objects.filter(scope_q(user, field="unit_path")).select_related("woman")
    if under:
        rows = rows.filter(subtree_q(under, "unit_path"))
    if group:
        rows = rows.filter(group=group)
    if on is not None:
        rows = rows.filter(start_on__lte=on).filter(Q(end_on__isnull=True) | Q(end_on__gt=on))
    return rows.order_by("-start_on", "-id")


def memberships_of(woman: Woman):
    return CareMembership.objects.filter(woman=woman).order_by("end_on", "group", "-start_on")


def groups_mask_of(woman_id: int, on: dt.date) -> int:
    mask = 0
    for group in CareMembership.objects.filter(woman_id=woman_id, start_on__lte=on).filter(
            Q(end_on__isnull=True) | Q(end_on__gt=on)).values_list("group", flat=True):
        mask |= GROUP_BITS[group]
    return mask


def group_counts(path: str, on: dt.date) -> dict:
    """{group: women in it on `on`} under `path`, and "women": women in at least one group — from the records."""
    live = CareMembership.objects.filter(subtree_q(path, "unit_path"), start_on__lte=on).filter(
        Q(end_on__isnull=True) | Q(end_on__gt=on))
    counts = {g: 0 for g in CareGroup.values}
    for row in live.values("group").annotate(n=Count("id")).order_by():
        counts[row["group"]] = row["n"]
    counts["women"] = live.values("woman_id").distinct().count()
    return counts


def women_in_care_by_unit(*, path: str, on: dt.date, **_facts) -> dict[str, int]:
    """{unit path: women in at least one care group on `on`} for every unit under `path` that has any: the hook
    "care.women_by_unit", for funding's care-weighted allocations."""
    live = CareMembership.objects.filter(subtree_q(path, "unit_path"), start_on__lte=on).filter(
        Q(end_on__isnull=True) | Q(end_on__gt=on))
    rows = live.values("unit_path").annotate(n=Count("woman_id", distinct=True)).order_by()
    return {row["unit_path"]: row["n"] for row in rows}


def memberships_moved(*, woman: Woman, old_path: str | None = None, **_facts) -> None:
    """She moved: her memberships (open and past) count at her new unit, in the figures too. Her help plans stay
    with the unit that kept them (their history is its work); it closes an open one as 迁出 (PlanOutcome.MOVED)."""
    rows = list(CareMembership.objects.filter(woman=woman).exclude(unit_path=woman.unit_path))
    if not rows:
        return
    deltas = []
    for m in rows:
        deltas += _membership_deltas(m, -1)
        m.unit_path = woman.unit_path
        deltas += _membership_deltas(m, 1)
    CareMembership.objects.filter(pk__in=[m.pk for m in rows]).update(unit_path=woman.unit_path)
    figures_add(deltas)


def memberships_merged(*, source: Woman, target: Woman) -> dict:
    """Her duplicate record's memberships move to the surviving one; a group open on both keeps the survivor's."""
    moved = 0
    open_groups = set(CareMembership.objects.filter(woman=target, end_on__isnull=True).values_list("group",
                                                                                                  flat=True))
    deltas = []
    for m in CareMembership.objects.filter(woman=source):
        if m.end_on is None and m.group in open_groups:
            deltas += _membership_deltas(m, -1)
            m.delete()
            continue
        if m.unit_path != target.unit_path:
            deltas += _membership_deltas(m, -1)
            m.unit_path = target.unit_path
            deltas += _membership_deltas(m, 1)
        m.woman = target
        m.save(update_fields=["woman", "unit_path"])
        moved += 1
    Child.objects.filter(guardian=source).update(guardian=target)
    HelpPlan.objects.filter(woman=source).update(woman=target)
    HelpGoal.objects.filter(woman=source).update(woman=target)
    Offer.objects.filter(woman=source).update(woman=target)
    figures_add(deltas)
    return {"care_memberships": moved}


# --- children ---------------------------------------------------------------------------------------------------

def _carer_ids(family_id: int, woman_ids: list[int]) -> set[int]:
    ids: set[int] = set()
    for result in hook_call("family.carers", woman_ids=woman_ids):
        ids |= set(result)
    ids |= set(HelpPlan.objects.filter(Q(family_id=family_id) | Q(woman_id__in=woman_ids), state="open")
               .values_list("responsible_id", flat=True))
    return ids


def _family_women(family_id: int) -> list[int]:
    from fulian.people.models import FamilyMember

    return list(FamilyMember.objects.filter(family_id=family_id, woman__isnull=False).values_list("woman_id",
                                                                                                  flat=True))


def may_know_family_children(user, family: Family) -> bool:
    women = _family_women(family.pk)
    carers = _carer_ids(family.pk, women)
    return may_know_child(user, family.unit_path, is_carer=user.pk in carers)


def may_know(user, child: Child) -> bool:
    women = _family_women(child.family_id)
    if child.guardian_id and child.guardian_id not in women:
        women.append(child.guardian_id)
    carers = _carer_ids(child.family_id, women)
    if child.created_by_id:
        carers.add(child.created_by_id)
    return may_know_child(user, child.unit_path, is_carer=user.pk in carers)


def access_child_by_id(user, child_id, *, purpose: str = "", log: bool = True) -> Child:
    """The child, if she has need-to-know (else 404, as for a child that does not exist); the read is logged."""
    child = Child.objects.select_related("family", "guardian").filter(pk=child_id).first()
    if child is None or not may_know(user, child):
        raise Http404("child not found")
    if log:
        read_record(actor=user, obj=child, purpose=purpose or "care.child")
    return child


def children_for(user, *, family: Family | None = None, situation: str = "", limit: int | None = 500):
    """The children she has need-to-know of (not yet read: callers log the rows they show with `children_read`)."""
    rows = Child.objects.filter(scope_q(user, field="unit_path", action=Action.EDIT)).select_related("family")
    if family is not None:
        rows = rows.filter(family=family)
    if situation:
        rows = rows.filter(situation=situation)
    rows = rows.order_by("family_id", "birth_date", "id")
    return [c for c in (rows[:limit] if limit else rows) if may_know(user, c)]


def children_read(user, children: list, *, purpose: str, now=None) -> None:
    now = now or timezone.now()
    logs = []
    for child in children:
        log = ReadLog(at=now, actor=user, actor_label=user.get_username(), object_type="care.child",
                      object_id=str(child.pk), object_repr=child.name[:200], purpose=purpose[:200],
                      unit_path=child.unit_path)
        logs.append(log)
    if logs:
        ReadLog.objects.bulk_create(logs)


def _clean_child(*, family: Family, name, sex, birth_date, guardian, guardian_name, guardian_relation,
                 guardian_phone, situation, today) -> dict:
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("请填写儿童姓名。"), code="child_name")
    if sex not in ("f", "m"):
        raise ValidationError(_("请选择性别。"), code="child_sex")
    if birth_date is None or birth_date > today:
        raise ValidationError(_("出生日期不能在今天之后。"), code="child_birth_future")
    if (today - birth_date).days >= 18 * 365.25:
        raise ValidationError(_("年满十八周岁的不作为儿童登记。"), code="child_adult")
    if situation not in ChildSituation.values:
        raise ValidationError(_("请选择儿童类别。"), code="child_situation")
    if guardian is not None:
        if not family.members.filter(woman=guardian).exists():
            raise ValidationError(_("监护人要是这个家庭的成员。"), code="child_guardian_family")
        guardian_name = guardian_name or guardian.name
        guardian_phone = guardian_phone or guardian.phone
    guardian_name = (guardian_name or "").strip()
    if not guardian_name:
        raise ValidationError(_("请填写母亲或监护人。"), code="child_guardian")
    if not (guardian_relation or "").strip():
        raise ValidationError(_("请填写监护人与儿童的关系。"), code="child_guardian_relation")
    return {"name": name[:30], "sex": sex, "birth_date": birth_date, "guardian": guardian,
            "guardian_name": guardian_name[:30], "guardian_relation": guardian_relation.strip()[:20],
            "guardian_phone": normalize_phone(guardian_phone or "")[:20], "situation": situation}


def child_create(*, actor, family: Family, name: str, sex: str, birth_date: dt.date, situation: str,
                 guardian_relation: str, consent_by: str, consent_on: dt.date, today: dt.date,
                 guardian: Woman | None = None, guardian_name: str = "", guardian_phone: str = "",
                 school: str = "", situation_note: str = "", consent_note: str = "",
                 client_token: str | None = None, now=None) -> Child:
    """Register a child under `family`. Without the guardian's consent (who and when) nothing is kept."""
    require(actor, Action.EDIT, family.unit_path)
    if client_token:
        done = Child.objects.filter(client_token=client_token, family=family).first()
        if done is not None:
            return done
    values = _clean_child(family=family, name=name, sex=sex, birth_date=birth_date, guardian=guardian,
                          guardian_name=guardian_name, guardian_relation=guardian_relation,
                          guardian_phone=guardian_phone, situation=situation, today=today)
    if not (consent_by or "").strip() or consent_on is None:
        raise ValidationError(_("儿童信息是敏感个人信息，须先取得父母或监护人同意，并填写同意人和日期。"),
                              code="child_consent")
    if consent_on > today:
        raise ValidationError(_("同意日期不能在今天之后。"), code="child_consent_future")
    now = now or timezone.now()
    try:
        with write_path():
            child = Child.objects.create(
                family=family, unit_path=family.unit_path, school=school.strip()[:100],
                situation_note=situation_note.strip()[:300], consent_by=consent_by.strip()[:30],
                consent_on=consent_on, consent_note=consent_note.strip()[:100], created_at=now,
                created_by=actor, client_token=client_token or None, **values)
            figures_add([(family.unit_path, period_of(now), f"care_children_{situation}", 1)])
            audit_record(actor=actor, action="care.child_create", obj=family, now=now,
                         changes={"child": child.pk, "situation": situation})
    except IntegrityError:
        done = Child.objects.filter(client_token=client_token).first() if client_token else None
        if done is None:
            raise
        return done
    return child


def child_update(*, actor, child: Child, version: int, today: dt.date, now=None, **fields) -> Child:
    """Change a child's record (she must have need-to-know: callers get the child from access_child_by_id)."""
    require(actor, Action.EDIT, child.unit_path)
    values = _clean_child(family=child.family, today=today,
                          **{k: fields.get(k, getattr(child, k)) for k in (
                              "name", "sex", "birth_date", "guardian", "guardian_name", "guardian_relation",
                              "guardian_phone", "situation")})
    values["school"] = (fields.get("school", child.school) or "").strip()[:100]
    values["situation_note"] = (fields.get("situation_note", child.situation_note) or "").strip()[:300]
    now = now or timezone.now()
    with write_path():
        updated = Child.objects.filter(pk=child.pk, version=version).update(version=version + 1, **values)
        if not updated:
            raise Conflict(_("这条记录已被他人修改，请刷新后再改。"), code="version_conflict")
        if values["situation"] != child.situation:
            figures_add([(child.unit_path, period_of(child.created_at), f"care_children_{child.situation}", -1),
                         (child.unit_path, period_of(child.created_at), f"care_children_{values['situation']}", 1)])
        audit_record(actor=actor, action="care.child_update", obj=child.family, now=now,
                     changes={"child": child.pk, "fields": sorted(k for k in values if values[k] != getattr(
                         child, k))})
    for k, v in values.items():
        setattr(child, k, v)
    child.version = version + 1
    return child


def child_end(*, actor, child: Child, ended_on: dt.date, today: dt.date, now=None) -> Child:
    require(actor, Action.EDIT, child.unit_path)
    if ended_on > today:
        raise ValidationError(_("日期不能在今天之后。"), code="child_end_future")
    with write_path():
        if not Child.objects.filter(pk=child.pk, ended_on__isnull=True).update(ended_on=ended_on,
                                                                              version=child.version + 1):
            raise Conflict(_("这条记录已经结束关爱了。"), code="child_ended")
        figures_add([(child.unit_path, period_of(ended_on), f"care_children_{child.situation}", -1)])
        audit_record(actor=actor, action="care.child_end", obj=child.family, now=now,
                     changes={"child": child.pk, "ended_on": str(ended_on)})
    child.ended_on, child.version = ended_on, child.version + 1
    return child


def family_of_woman(woman: Woman) -> Family | None:
    from fulian.people.models import FamilyMember

    link = FamilyMember.objects.filter(woman=woman).select_related("family").order_by("id").first()
    return link.family if link else None


def family_children_count(family: Family) -> int:
    return Child.objects.filter(family=family, ended_on__isnull=True).count()
