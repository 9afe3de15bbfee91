"""Help plans (帮扶台账): a woman in care and her family followed over time.

A plan has goals (HelpGoal; one may come from a need of a contact log — hook "need.for_care" reads it, and the
goal's outcome closes it there with "need.met"), a responsible cadre, help given (HelpGiven), the visits (the
contact logs of its women since it opened, hook "care.visits") and a review date; it closes with an outcome.
Figures: care_plans_opened, care_plans_closed, care_help_given (records), care_help_amount (yuan), at the plan's
unit, by the month.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.core.audit import audit_record
from fulian.core.errors import Conflict
from fulian.core.figures import figures_add, period_of
from fulian.core.hooks import hook_call
from fulian.core.policy import Action, allows, require, scope_q
from fulian.core.writes import write_path
from fulian.people.models import Family, Woman

from .models import (
    SKILL_BITS,
    GoalCategory,
    GoalState,
    HelpGiven,
    HelpGoal,
    HelpKind,
    HelpPlan,
    PlanOutcome,
    PlanState,
)
from .registry import family_of_woman, groups_mask_of

TEXT_MAX = 300


def age_on(birth_date: dt.date | None, on: dt.date) -> int | None:
    if birth_date is None:
        return None
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def skills_mask(skills) -> int:
    mask = 0
    for s in skills or ():
        if s not in SKILL_BITS:
            raise ValidationError(_("技能不正确：%(s)s") % {"s": s}, code="care_skill")
        mask |= SKILL_BITS[s]
    return mask


def skills_of(mask: int) -> list[str]:
    return [s for s, bit in SKILL_BITS.items() if mask & bit]


def _check_responsible(responsible, path: str) -> None:
    if responsible is None or not allows(responsible, Action.EDIT, path):
        raise ValidationError(_("责任干部要是能在这个村(社区)工作的妇联干部。"), code="care_responsible")


def _check_coordinates(lat, lng) -> None:
    if (lat is None) != (lng is None):
        raise ValidationError(_("经纬度要一起填写。"), code="care_coordinates")
    if lat is not None and not (3 <= lat <= 54 and 73 <= lng <= 136):
        raise ValidationError(_("经纬度不在中国境内。"), code="care_coordinates")


def plan_open(*, actor, woman: Woman, title: str, responsible, review_on: dt.date, today: dt.date,
              family: Family | None = None, lat: float | None = None, lng: float | None = None,
              goals: list[dict] = (), client_token: str | None = None, now=None) -> HelpPlan:
    """Open a plan for her (and her family: given, or her first family of the registry). `goals`: [{category,
    text, skills, need_id}]."""
    require(actor, Action.EDIT, woman.unit_path)
    if client_token:
        done = HelpPlan.objects.filter(client_token=client_token, woman=woman).first()
        if done is not None:
            return done
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("请填写帮扶事项。"), code="care_plan_title")
    _check_responsible(responsible, woman.unit_path)
    if review_on < today:
        raise ValidationError(_("复核日期不能早于今天。"), code="care_review_past")
    _check_coordinates(lat, lng)
    if family is None:
        family = family_of_woman(woman)
    elif not family.members.filter(woman=woman).exists():
        raise ValidationError(_("她不是这个家庭的成员。"), code="care_plan_family")
    now = now or timezone.now()
    try:
        with write_path():
            plan = HelpPlan.objects.create(
                woman=woman, family=family, unit_path=woman.unit_path, title=title[:100], responsible=responsible,
                review_on=review_on, lat=lat, lng=lng, opened_on=today, created_at=now, created_by=actor,
                client_token=client_token or None)
            for goal in goals:
                _goal_create(actor=actor, plan=plan, today=today, now=now, **goal)
            figures_add([(plan.unit_path, period_of(today), "care_plans_opened", 1),
                         (plan.unit_path, period_of(today), "care_plans_live", 1)])
            audit_record(actor=actor, action="care.plan_open", obj=plan, now=now, changes={"woman": woman.pk})
    except IntegrityError:
        done = HelpPlan.objects.filter(client_token=client_token).first() if client_token else None
        if done is None:
            raise Conflict(_("这项需求已经在帮扶台账里了。"), code="care_need_planned") from None
        return done
    return plan


def _goal_create(*, actor, plan: HelpPlan, category: str, text: str, today: dt.date, now, skills=(),
                 need_id: int | None = None) -> HelpGoal:
    if category not in GoalCategory.values:
        raise ValidationError(_("目标类别不正确。"), code="care_goal_category")
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("请填写帮扶目标。"), code="care_goal_text")
    return HelpGoal.objects.create(
        plan=plan, woman_id=plan.woman_id, unit_path=plan.unit_path, category=category, text=text[:TEXT_MAX],
        skills_mask=skills_mask(skills), groups_mask=groups_mask_of(plan.woman_id, today),
        age=age_on(plan.woman.birth_date, today), need_id=need_id, created_at=now)


def goal_add(*, actor, plan: HelpPlan, category: str, text: str, today: dt.date, skills=(),
             now=None) -> HelpGoal:
    require(actor, Action.EDIT, plan.unit_path)
    if plan.state != PlanState.OPEN:
        raise ValidationError(_("这份台账已经结案。"), code="care_plan_closed")
    now = now or timezone.now()
    with write_path():
        goal = _goal_create(actor=actor, plan=plan, category=category, text=text, skills=skills, today=today,
                            now=now)
        audit_record(actor=actor, action="care.goal_add", obj=plan, now=now, changes={"goal": goal.pk})
    return goal


def need_facts(user, need_id: int) -> dict:
    """A need of a contact log she may edit (contacts answers through "need.for_care"); 404 otherwise."""
    for facts in hook_call("need.for_care", user=user, need_id=need_id):
        if facts:
            return facts
    raise Http404("need not found")


def plan_from_need(*, actor, need_id: int, today: dt.date, responsible=None, review_on: dt.date | None = None,
                   skills=(), now=None) -> HelpGoal:
    """A need of a contact log joins her open plan as a goal, or opens a plan with it. Once only per need."""
    facts = need_facts(actor, need_id)
    if facts["status"] != "open":
        raise ValidationError(_("这项需求已经处理过了。"), code="need_closed")
    done = HelpGoal.objects.filter(need_id=need_id).first()
    if done is not None:
        return done
    woman = Woman.objects.get(pk=facts["woman_id"])
    require(actor, Action.EDIT, woman.unit_path)
    category = facts["category"] if facts["category"] in GoalCategory.values else GoalCategory.OTHER
    text = facts["description"] or GoalCategory(category).label
    now = now or timezone.now()
    plan = HelpPlan.objects.filter(woman=woman, state=PlanState.OPEN).order_by("-opened_on", "-id").first()
    try:
        if plan is None:
            plan = plan_open(actor=actor, woman=woman, title=text[:100], responsible=responsible or actor,
                             review_on=review_on or today + dt.timedelta(days=90), today=today, now=now,
                             goals=[{"category": category, "text": text, "skills": skills, "need_id": need_id}])
            return plan.goals.get(need_id=need_id)
        with write_path():
            goal = _goal_create(actor=actor, plan=plan, category=category, text=text, skills=skills,
                                need_id=need_id, today=today, now=now)
            audit_record(actor=actor, action="care.goal_add", obj=plan, now=now,
                         changes={"goal": goal.pk, "need": need_id})
        return goal
    except (IntegrityError, Conflict):
        done = HelpGoal.objects.filter(need_id=need_id).first()  # a double tap: the first one made it
        if done is None:
            raise
        return done


def goal_close(*, actor, goal: HelpGoal, state: str, today: dt.date, resolution: str = "", now=None) -> HelpGoal:
    """A goal is met (its need, if any, closes too) or dropped."""
    require(actor, Action.EDIT, goal.unit_path)
    if state not in (GoalState.MET, GoalState.DROPPED):
        raise ValidationError(_("状态不正确。"), code="care_goal_state")
    now = now or timezone.now()
    with write_path():
        if not HelpGoal.objects.filter(pk=goal.pk, state=GoalState.OPEN).update(state=state, met_on=today):
            raise Conflict(_("这个目标已经处理过了。"), code="care_goal_closed")
        goal.state, goal.met_on = state, today
        if state == GoalState.MET:
            figures_add([(goal.unit_path, period_of(today), "care_goals_met", 1)])
            if goal.need_id:
                hook_call("need.met", actor=actor, need_id=goal.need_id, today=today,
                          resolution=(resolution or goal.text)[:300])
        audit_record(actor=actor, action="care.goal_close", obj=goal.plan, now=now,
                     changes={"goal": goal.pk, "state": state})
    return goal


def _amount(value, field: str, label: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("%(label)s要是数字。") % {"label": label}, code=f"care_{field}") from None
    if number < 0 or number >= Decimal("1e9"):
        raise ValidationError(_("%(label)s不正确。") % {"label": label}, code=f"care_{field}")
    return number.quantize(Decimal("0.01") if field == "amount" else Decimal("0.1"))


def help_add(*, actor, plan: HelpPlan, given_on: dt.date, kind: str, provider: str, today: dt.date, amount=None,
             hours=None, note: str = "", offer=None, client_token: str | None = None, now=None) -> HelpGiven:
    require(actor, Action.EDIT, plan.unit_path)
    if client_token:
        done = HelpGiven.objects.filter(client_token=client_token, plan=plan).first()
        if done is not None:
            return done
    if kind not in HelpKind.values:
        raise ValidationError(_("帮扶方式不正确。"), code="care_help_kind")
    if given_on > today:
        raise ValidationError(_("日期不能在今天之后。"), code="care_help_future")
    if given_on < plan.opened_on:
        raise ValidationError(_("日期不能早于建档日期。"), code="care_help_before_plan")
    provider = (provider or "").strip()
    if not provider:
        raise ValidationError(_("请填写提供方。"), code="care_help_provider")
    amount = _amount(amount, "amount", _("金额"))
    hours = _amount(hours, "hours", _("时长"))
    now = now or timezone.now()
    try:
        with write_path():
            row = HelpGiven.objects.create(
                plan=plan, unit_path=plan.unit_path, given_on=given_on, kind=kind, amount=amount, hours=hours,
                provider=provider[:100], note=(note or "").strip()[:300], offer=offer, created_at=now,
                created_by=actor, client_token=client_token or None)
            deltas = [(plan.unit_path, period_of(given_on), "care_help_given", 1)]
            if amount:
                deltas.append((plan.unit_path, period_of(given_on), "care_help_amount", int(amount)))
            figures_add(deltas)
            audit_record(actor=actor, action="care.help_add", obj=plan, now=now,
                         changes={"kind": kind, "amount": str(amount or ""), "hours": str(hours or "")})
    except IntegrityError:
        done = HelpGiven.objects.filter(client_token=client_token).first() if client_token else None
        if done is None:
            raise
        return done
    return row


def plan_update(*, actor, plan: HelpPlan, version: int, title: str, responsible, review_on: dt.date,
                lat=None, lng=None, now=None) -> HelpPlan:
    require(actor, Action.EDIT, plan.unit_path)
    if plan.state != PlanState.OPEN:
        raise ValidationError(_("这份台账已经结案。"), code="care_plan_closed")
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("请填写帮扶事项。"), code="care_plan_title")
    _check_responsible(responsible, plan.unit_path)
    _check_coordinates(lat, lng)
    now = now or timezone.now()
    with write_path():
        if not HelpPlan.objects.filter(pk=plan.pk, version=version).update(
                version=version + 1, title=title[:100], responsible=responsible, review_on=review_on, lat=lat,
                lng=lng):
            raise Conflict(_("这份台账已被他人修改，请刷新后再改。"), code="version_conflict")
        audit_record(actor=actor, action="care.plan_update", obj=plan, now=now,
                     changes={"review_on": str(review_on), "responsible": responsible.pk})
    plan.refresh_from_db()
    return plan


def plan_close(*, actor, plan: HelpPlan, version: int, outcome: str, today: dt.date, note: str = "",
               now=None) -> HelpPlan:
    require(actor, Action.EDIT, plan.unit_path)
    if outcome not in PlanOutcome.values:
        raise ValidationError(_("请选择结案情况。"), code="care_plan_outcome")
    now = now or timezone.now()
    with write_path():
        if not HelpPlan.objects.filter(pk=plan.pk, version=version, state=PlanState.OPEN).update(
                version=version + 1, state=PlanState.CLOSED, outcome=outcome, outcome_note=(note or "")[:300],
                closed_on=today):
            raise Conflict(_("这份台账已结案或已被他人修改，请刷新。"), code="version_conflict")
        HelpGoal.objects.filter(plan=plan, state=GoalState.OPEN).update(state=GoalState.DROPPED, met_on=today)
        figures_add([(plan.unit_path, period_of(today), "care_plans_closed", 1),
                     (plan.unit_path, period_of(today), "care_plans_live", -1)])
        audit_record(actor=actor, action="care.plan_close", obj=plan, now=now, changes={"outcome": outcome})
    plan.refresh_from_db()
    return plan


def access_plan_by_id(user, plan_id, *, need: str = Action.VIEW) -> HelpPlan:
    plan = HelpPlan.objects.select_related("woman", "family", "responsible").filter(pk=plan_id).filter(
        scope_q(user, field="unit_path", action=need)).first()
    if plan is None:
        raise Http404("plan not found")
    return plan


def access_goal_by_id(user, goal_id, *, need: str = Action.VIEW) -> HelpGoal:
    goal = HelpGoal.objects.select_related("plan", "woman").filter(pk=goal_id).filter(
        scope_q(user, field="unit_path", action=need)).first()
    if goal is None:
        raise Http404("goal not found")
    return goal


def plans_for(user, *, state: str = "", responsible=None, woman=None, due_by: dt.date | None = None):
    rows = HelpPlan.objects.filter(scope_q(user, field="unit_path")).select_related("woman", "responsible")
    if state:
        rows = rows.filter(state=state)
    if responsible is not None:
        rows = rows.filter(responsible=responsible)
    if woman is not None:
        rows = rows.filter(woman=woman)
    if due_by is not None:
        rows = rows.filter(state=PlanState.OPEN, review_on__lte=due_by)
    return rows.order_by("state", "review_on", "-id")


def plan_visits(user, plan: HelpPlan) -> list:
    """The contact logs with the plan's woman since the plan opened (contacts answers, within her scope)."""
    visits = []
    for rows in hook_call("care.visits", user=user, woman_ids=[plan.woman_id], since=plan.opened_on):
        visits += rows
    return sorted(visits, key=lambda v: v["contacted_on"], reverse=True)


def may_edit_plan(user, plan: HelpPlan) -> bool:
    return allows(user, Action.EDIT, plan.unit_path)



def funding_link(*, user, kind: str, link_id: int) -> str | None:
    """The hook "funding.link": the title of the help plan `link_id` she may see (an expense linked to it)."""
    if kind != "help_plan":
        return None
    try:
        plan = access_plan_by_id(user, link_id)
    except Http404:
        return None
    return f"{plan.woman.name}：{plan.title}"
