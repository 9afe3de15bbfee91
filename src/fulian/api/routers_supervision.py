"""Supervision (督导): teams and their regions, visits with their findings, and the rectification items the
visited units close: the same selectors and services as the pages. Evidence files are added on the item's page."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from fulian.core.policy import Action
from fulian.core.tree import subtree_q
from fulian.dispatch.models import Recipient
from fulian.orgs.selectors import access_unit_by_id, unit_home_for, units_for
from fulian.supervision import selectors, services

from .pagination import CappedPagination
from .schemas import ErrorOut
from .schemas_supervision import (
    RectificationCloseIn,
    RectificationOut,
    SupervisionRegionItemsOut,
    SupervisionTaskOut,
    SupervisionTeamIn,
    SupervisionTeamOut,
    SupervisionVisitIn,
    SupervisionVisitOut,
)

router = Router(tags=["supervision"])


def _item(item, now=None):
    finding = item.dispatch.finding
    return {"id": item.pk, "finding": finding.text, "unit_id": item.unit_id, "unit_name": item.unit.name,
            "team_id": finding.team_id, "visit_id": finding.visit_id, "deadline": item.deadline,
            "state": item.state, "done": item.is_done, "late": item.is_late(now or timezone.now()),
            "done_at": item.done_at, "note": finding.note, "version": item.version}


def _visit(visit):
    return {"id": visit.pk, "team_id": visit.team_id, "unit_id": visit.unit_id, "visited_on": visit.visited_on,
            "places": visit.places, "summary": visit.summary,
            "checked_ids": list(visit.checked.values_list("pk", flat=True).order_by("pk")),
            "rectifications": [_item(r) for r in selectors.items_of_visit(visit)]}


@router.get("/supervision/teams", response=list[SupervisionTeamOut])
@paginate(CappedPagination)
def teams_list(request):
    """Teams of units in your scope and the teams you are a member of."""
    return selectors.teams_for(request.auth).prefetch_related("members", "regions")


@router.post("/supervision/teams", response={201: SupervisionTeamOut, 400: ErrorOut, 404: ErrorOut})
def team_create(request, payload: SupervisionTeamIn):
    """督导组: formed by a chair or vice-chair of the unit or above."""
    if payload.unit_id:
        unit = access_unit_by_id(request.auth, payload.unit_id, need=Action.EDIT)
    else:
        unit = unit_home_for(request.auth)
        if unit is None:
            raise Http404("unit")
    members = list(selectors.cadres_for_team(unit).filter(pk__in=set(payload.member_ids)))
    regions = list(units_for(request.auth).filter(pk__in=set(payload.region_ids)))
    if len(members) != len(set(payload.member_ids)) or len(regions) != len(set(payload.region_ids)):
        raise Http404("member or region")
    team = services.team_create(actor=request.auth, unit=unit, name=payload.name, members=members, regions=regions)
    return Status(201, team)


@router.get("/supervision/teams/{team_id}", response={200: SupervisionTeamOut, 404: ErrorOut})
def team_get(request, team_id: int):
    return selectors.access_team_by_id(request.auth, team_id)


@router.get("/supervision/teams/{team_id}/visits", response={200: list[SupervisionVisitOut], 404: ErrorOut})
def visits_list(request, team_id: int):
    team = selectors.access_team_by_id(request.auth, team_id)
    return [_visit(v) for v in selectors.visits_of(team)[:100]]


@router.post("/supervision/teams/{team_id}/visits", response={201: SupervisionVisitOut, 400: ErrorOut, 404: ErrorOut})
def visit_record(request, team_id: int, payload: SupervisionVisitIn):
    """督导检查: one rectification item per finding goes to the visited unit. The same `client_token` again returns
    the first visit; a date after today or a deadline before it answers 400 and saves nothing."""
    team = selectors.access_team_by_id(request.auth, team_id)
    if not services.may_record_visit(request.auth, team):
        raise Http404("not a member")
    unit = access_unit_by_id(request.auth, payload.unit_id)
    checked = list(Recipient.objects.filter(subtree_q(unit.path, "unit_path"), pk__in=set(payload.checked_ids))
                   .select_related("dispatch"))
    if len(checked) != len(set(payload.checked_ids)):
        raise ValidationError(_("检查的任务只能是被督导单位收到的工作任务。"))
    visit = services.visit_record(actor=request.auth, team=team, unit=unit, visited_on=payload.visited_on,
                                  places=payload.places, summary=payload.summary, checked=checked,
                                  findings=[(f.text, f.due_on) for f in payload.findings],
                                  client_token=payload.client_token)
    return Status(201, _visit(visit))


@router.get("/supervision/teams/{team_id}/rectifications",
            response={200: list[SupervisionRegionItemsOut], 404: ErrorOut})
def team_items(request, team_id: int):
    """Open items by region: per region of the team, open / late / done counts and the items."""
    team = selectors.access_team_by_id(request.auth, team_id)
    now = timezone.now()
    return [{"region_id": r["region"].pk, "region_name": r["region"].name, "open": r["open"], "late": r["late"],
             "done": r["done"], "items": [_item(row["item"], now) for row in r["rows"]]}
            for r in selectors.items_by_region(team, now=now)]


@router.get("/supervision/units/{unit_id}/tasks", response={200: list[SupervisionTaskOut], 404: ErrorOut})
def region_tasks(request, unit_id: int):
    """The work tasks units under `unit_id` received (open ones first): what a visit may tick as checked."""
    unit = access_unit_by_id(request.auth, unit_id)
    return [{"recipient_id": row["recipient"].pk, "task_id": row["recipient"].dispatch_id,
             "title": row["recipient"].dispatch.title, "unit_id": row["recipient"].unit_id,
             "unit_name": row["recipient"].unit.name, "state": row["recipient"].state,
             "deadline": row["recipient"].deadline, "late": row["late"], "reported": row["reported"]}
            for row in selectors.region_tasks(unit)]


@router.get("/supervision/visits/{visit_id}", response={200: SupervisionVisitOut, 404: ErrorOut})
def visit_get(request, visit_id: int):
    return _visit(selectors.access_visit_by_id(request.auth, visit_id))


@router.get("/supervision/rectifications", response=list[RectificationOut])
def rectifications_list(request, open: bool = False):
    """Your unit's rectification items, newest first; `open`: only those still to do, soonest deadline first."""
    rows = selectors.rectifications_to_do(request.auth) if open else selectors.rectifications_of_unit(request.auth)
    now = timezone.now()
    return [_item(r, now) for r in rows.select_related("unit", "dispatch__finding")[:200]]


@router.get("/supervision/rectifications/{rectification_id}", response={200: RectificationOut, 404: ErrorOut})
def rectification_get(request, rectification_id: int):
    return _item(selectors.access_rectification_by_id(request.auth, rectification_id))


@router.post("/supervision/rectifications/{rectification_id}/close",
             response={200: RectificationOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def rectification_close(request, rectification_id: int, payload: RectificationCloseIn):
    """整改完成 with a note (a photo or PDF may be added on the item's page; never required). A second close 409."""
    item = selectors.access_rectification_by_id(request.auth, rectification_id, need=Action.EDIT)
    services.rectification_close(actor=request.auth, recipient=item, note=payload.note, version=payload.version)
    return _item(selectors.access_rectification_by_id(request.auth, rectification_id))
