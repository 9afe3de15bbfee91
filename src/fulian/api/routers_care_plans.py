"""Help plans (帮扶台账) for the app: a plan for a woman in care and her family, its goals, the help given over time,
the visits (her contact logs since it opened), a contact log's need opening or joining a plan, and closing it with
an outcome. The same services and reads as the pages (care.plans)."""

import datetime as dt

from django.core.exceptions import BadRequest
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.pagination import paginate

from fulian.accounts.selectors import access_cadre_by_id
from fulian.care import plans
from fulian.care.models import HelpGiven, HelpGoal, HelpPlan, PlanState
from fulian.core.paging import count_capped
from fulian.core.policy import Action
from fulian.people.families import access_family_by_id
from fulian.people.selectors import access_woman_by_id

from .pagination import CappedPagination
from .routers_care_registry import Dressed
from .schemas import ErrorOut
from .schemas_care import (
    CareGoalCloseIn,
    CareGoalIn,
    CareGoalOut,
    CareHelpIn,
    CareHelpOut,
    CarePlanCloseIn,
    CarePlanDetailOut,
    CarePlanFromNeedIn,
    CarePlanIn,
    CarePlanOut,
    CarePlanUpdateIn,
    CareVisitOut,
)

router = Router(tags=["care"])


def plan_out(p: HelpPlan) -> dict:
    return {"id": p.pk, "woman_id": p.woman_id, "woman_name": p.woman.name, "family_id": p.family_id,
            "unit_name": p.woman.home_unit.name, "title": p.title, "responsible_id": p.responsible_id,
            "responsible_name": p.responsible.full_name or p.responsible.username, "review_on": p.review_on,
            "lat": p.lat, "lng": p.lng, "state": p.state, "outcome": p.outcome, "outcome_note": p.outcome_note,
            "opened_on": p.opened_on, "closed_on": p.closed_on, "version": p.version, "created_at": p.created_at}


def goal_out(g: HelpGoal) -> dict:
    return {"id": g.pk, "plan_id": g.plan_id, "woman_id": g.woman_id, "category": g.category, "text": g.text,
            "skills": plans.skills_of(g.skills_mask), "age": g.age, "need_id": g.need_id, "state": g.state,
            "met_on": g.met_on, "created_at": g.created_at}


def help_out(h: HelpGiven) -> dict:
    return {"id": h.pk, "plan_id": h.plan_id, "given_on": h.given_on, "kind": h.kind,
            "amount": float(h.amount) if h.amount is not None else None,
            "hours": float(h.hours) if h.hours is not None else None, "provider": h.provider, "note": h.note,
            "offer_id": h.offer_id}


def _detail(request, plan_id: int) -> dict:
    plan = plans.access_plan_by_id(request.auth, plan_id)
    return {**plan_out(plan), "goals": [goal_out(g) for g in plan.goals.order_by("created_at", "pk")],
            "help": [help_out(h) for h in plan.help.order_by("-given_on", "-pk")]}


def _responsible(request, responsible_id):
    return access_cadre_by_id(request.auth, responsible_id) if responsible_id else request.auth


@router.get("/care/plans", response={200: list[CarePlanOut], 400: ErrorOut, 404: ErrorOut})
@paginate(CappedPagination)
def care_plans_list(request, state: str = Query("", max_length=8), mine: bool = False,
                    woman_id: int | None = None, due_by: dt.date | None = None):
    """Plans of your scope: open first, by review date. `mine`: those you are responsible for; `due_by`: open
    plans due for review by that day."""
    if state and state not in PlanState.values:
        raise BadRequest("state must be one of " + ", ".join(PlanState.values))
    woman = access_woman_by_id(request.auth, woman_id) if woman_id is not None else None
    rows = plans.plans_for(request.auth, state=state, responsible=request.auth if mine else None, woman=woman,
                           due_by=due_by).select_related("woman__home_unit")
    request.known_count = count_capped(rows)
    return Dressed(rows, plan_out)


@router.post("/care/plans", response={200: CarePlanDetailOut, 201: CarePlanDetailOut, 400: ErrorOut,
                                      404: ErrorOut, 409: ErrorOut})
def care_plan_create(request, payload: CarePlanIn):
    """建立帮扶台账 for a woman of your scope, with its first goals. The same `client_token` again answers 200 with
    the first plan."""
    woman = access_woman_by_id(request.auth, payload.woman_id, need=Action.EDIT)
    family = access_family_by_id(request.auth, payload.family_id) if payload.family_id else None
    existed = bool(payload.client_token) and HelpPlan.objects.filter(client_token=payload.client_token).exists()
    plan = plans.plan_open(actor=request.auth, woman=woman, title=payload.title,
                           responsible=_responsible(request, payload.responsible_id), review_on=payload.review_on,
                           today=timezone.localdate(), family=family, lat=payload.lat, lng=payload.lng,
                           goals=[g.dict() for g in payload.goals], client_token=payload.client_token)
    return Status(200 if existed else 201, _detail(request, plan.pk))


@router.get("/care/plans/{care_plan_id}", response={200: CarePlanDetailOut, 404: ErrorOut})
def care_plan_get(request, care_plan_id: int):
    return _detail(request, care_plan_id)


@router.put("/care/plans/{care_plan_id}", response={200: CarePlanDetailOut, 400: ErrorOut, 404: ErrorOut,
                                                    409: ErrorOut})
def care_plan_update(request, care_plan_id: int, payload: CarePlanUpdateIn):
    """Its title, responsible cadre, review date and place; 409 when `version` is no longer current."""
    plan = plans.access_plan_by_id(request.auth, care_plan_id, need=Action.EDIT)
    plans.plan_update(actor=request.auth, plan=plan, version=payload.version, title=payload.title,
                      responsible=_responsible(request, payload.responsible_id), review_on=payload.review_on,
                      lat=payload.lat, lng=payload.lng)
    return _detail(request, plan.pk)


@router.post("/care/plans/{care_plan_id}/close", response={200: CarePlanDetailOut, 400: ErrorOut, 404: ErrorOut,
                                                           409: ErrorOut})
def care_plan_close(request, care_plan_id: int, payload: CarePlanCloseIn):
    """结案 with an outcome; its open goals are dropped. 409 when closed already or `version` is stale."""
    plan = plans.access_plan_by_id(request.auth, care_plan_id, need=Action.EDIT)
    plans.plan_close(actor=request.auth, plan=plan, version=payload.version, outcome=payload.outcome,
                     note=payload.note, today=timezone.localdate())
    return _detail(request, plan.pk)


@router.post("/care/plans/{care_plan_id}/goals", response={201: CareGoalOut, 400: ErrorOut, 404: ErrorOut})
def care_goal_add(request, care_plan_id: int, payload: CareGoalIn):
    plan = plans.access_plan_by_id(request.auth, care_plan_id, need=Action.EDIT)
    goal = plans.goal_add(actor=request.auth, plan=plan, category=payload.category, text=payload.text,
                          skills=payload.skills, today=timezone.localdate())
    return Status(201, goal_out(goal))


@router.get("/care/goals/{care_goal_id}", response={200: CareGoalOut, 404: ErrorOut})
def care_goal_get(request, care_goal_id: int):
    return goal_out(plans.access_goal_by_id(request.auth, care_goal_id))


@router.post("/care/goals/{care_goal_id}/close", response={200: CareGoalOut, 400: ErrorOut, 404: ErrorOut,
                                                           409: ErrorOut})
def care_goal_close(request, care_goal_id: int, payload: CareGoalCloseIn):
    """A goal met (its contact log's need closes too) or dropped; twice is 409."""
    goal = plans.access_goal_by_id(request.auth, care_goal_id, need=Action.EDIT)
    return goal_out(plans.goal_close(actor=request.auth, goal=goal, state=payload.state, today=timezone.localdate(),
                                     resolution=payload.resolution))


@router.post("/care/plans/{care_plan_id}/help", response={200: CareHelpOut, 201: CareHelpOut, 400: ErrorOut,
                                                          404: ErrorOut})
def care_help_add(request, care_plan_id: int, payload: CareHelpIn):
    """帮扶记录: help given on a day (kind, yuan or hours, provider). The same `client_token` again answers 200."""
    plan = plans.access_plan_by_id(request.auth, care_plan_id, need=Action.EDIT)
    existed = bool(payload.client_token) and HelpGiven.objects.filter(client_token=payload.client_token).exists()
    row = plans.help_add(actor=request.auth, plan=plan, given_on=payload.given_on, kind=payload.kind,
                         provider=payload.provider, amount=payload.amount, hours=payload.hours, note=payload.note,
                         today=timezone.localdate(), client_token=payload.client_token)
    return Status(200 if existed else 201, help_out(row))


@router.get("/care/plans/{care_plan_id}/visits", response={200: list[CareVisitOut], 404: ErrorOut})
def care_plan_visits(request, care_plan_id: int):
    """The contact logs with her since the plan opened (those you may see), newest first."""
    plan = plans.access_plan_by_id(request.auth, care_plan_id)
    return [{"id": v["id"], "contacted_on": v["contacted_on"], "cadre": v["cadre"], "channel_label": v["channel"],
             "views": v["views"], "help_given": v["help_given"]} for v in plans.plan_visits(request.auth, plan)]


@router.post("/care/needs/{need_id}/plan", response={200: CareGoalOut, 400: ErrorOut, 404: ErrorOut,
                                                     409: ErrorOut})
def care_plan_from_need(request, need_id: int, payload: CarePlanFromNeedIn):
    """A contact log's open need joins her open plan as a goal, or opens a plan with it; once only per need (the
    same need again answers its goal)."""
    responsible = access_cadre_by_id(request.auth, payload.responsible_id) if payload.responsible_id else None
    goal = plans.plan_from_need(actor=request.auth, need_id=need_id, today=timezone.localdate(),
                                responsible=responsible, review_on=payload.review_on, skills=payload.skills)
    return goal_out(goal)
