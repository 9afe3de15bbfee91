"""维权事件 through the API: the same selectors and services as the pages. Linked cases' details only for those who
may handle them (each read logged); everyone else gets the count."""

from django.core.exceptions import BadRequest
from django.http import Http404
from django.utils import timezone
from ninja import Router, Status
from ninja.pagination import paginate

from fulian.core.audit import read_record
from fulian.core.policy import Action
from fulian.incidents import selectors, services
from fulian.incidents.models import Incident, IncidentStatus
from fulian.orgs.selectors import access_unit_by_id, unit_home_for

from .pagination import CappedPagination
from .schemas import ErrorOut
from .schemas_incidents import (
    ActionOut,
    CaseLinkIn,
    CloseIn,
    IncidentActionIn,
    IncidentIn,
    IncidentOut,
    IncidentRowOut,
    IncidentUpdateIn,
    LinkedCaseOut,
    PendingStatementOut,
    RollupOut,
    StatementIn,
    StatementOut,
)

router = Router(tags=["incidents"])


def _aware(moment):
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _row(incident) -> dict:
    return {"id": incident.pk, "unit_id": incident.unit_id, "unit_name": incident.unit.name, "title": incident.title,
            "severity": incident.severity, "status": incident.status, "reported_at": incident.reported_at,
            "statement_due": incident.statement_due, "first_action_at": incident.first_action_at,
            "first_statement_at": incident.first_statement_at,
            "case_count": incident.case_links.count()}


def _statement(s) -> dict:
    a = s.article
    return {"id": s.pk, "article_id": a.pk, "title": a.title, "status": a.status, "submitted_at": s.submitted_at,
            "published_at": a.published_at, "review_note": a.review_note}


def _clock(incident, now) -> dict:
    clock = selectors.statement_clock(incident, now=now)
    return {"text": str(clock["text"]), "late": clock["late"], "done": clock["done"], "hours": clock["hours"]}


def _full(request, incident: Incident) -> dict:
    now = timezone.now()
    services.incidents_statement_sync(incidents=Incident.objects.filter(pk=incident.pk), now=now)
    incident.refresh_from_db()
    cases = selectors.linked_cases(request.auth, incident, purpose="incident_api")
    return {
        **_row(incident), "version": incident.version, "description": incident.description,
        "place_unit_id": incident.place_unit_id, "place_text": incident.place_text, "sources": incident.sources,
        "outcome": incident.outcome, "closed_at": incident.closed_at, "statement_clock": _clock(incident, now),
        "actions": [{"id": r["action"].pk, "kind": r["action"].kind, "text": r["action"].text, "at": r["action"].at,
                     "hours_since_report": r["hours"]} for r in selectors.actions_with_clock(incident)],
        "statements": [_statement(s) for s in selectors.statements_of(incident)],
        "cases": [{"id": c.pk, "tracking_code": c.tracking_display, "kind": c.kind, "status": c.status,
                   "home_unit_name": c.home_unit.name} for c in cases["rows"]],
        "case_count": cases["count"], "cases_hidden": cases["hidden"],
    }


def _place(request, place_unit_id):
    return access_unit_by_id(request.auth, place_unit_id) if place_unit_id else None


@router.get("/incidents", response=list[IncidentRowOut])
@paginate(CappedPagination)
def incidents_list(request, status: str = ""):
    """Incidents of your subtree, latest first report first; `status`: open, responding, closed or active."""
    if status and status != "active" and status not in IncidentStatus.values:
        raise BadRequest("unknown status")
    return selectors.incidents_for(request.auth, status=status)


@router.post("/incidents", response={201: IncidentOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def incident_create(request, payload: IncidentIn):
    """Record an incident; the first statement is due INCIDENT_STATEMENT_HOURS (24) after `reported_at`."""
    unit = access_unit_by_id(request.auth, payload.unit_id, need=Action.EDIT) if payload.unit_id \
        else unit_home_for(request.auth)
    if unit is None:
        raise Http404("unit")
    incident = services.incident_create(
        actor=request.auth, unit=unit, title=payload.title, reported_at=_aware(payload.reported_at),
        description=payload.description, place_unit=_place(request, payload.place_unit_id),
        place_text=payload.place_text, sources=payload.sources, severity=payload.severity,
        client_token=payload.client_token)
    return Status(201, _full(request, incident))


@router.get("/incidents/{incident_id}", response={200: IncidentOut, 404: ErrorOut})
def incident_get(request, incident_id: int):
    return _full(request, selectors.access_incident_by_id(request.auth, incident_id))


@router.patch("/incidents/{incident_id}", response={200: IncidentOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def incident_update(request, incident_id: int, payload: IncidentUpdateIn):
    """Correct the record (send the `version` you read: a stale one is 409)."""
    incident = selectors.access_incident_by_id(request.auth, incident_id, need=Action.EDIT)
    services.incident_update(
        actor=request.auth, incident=incident, version=payload.version, title=payload.title,
        reported_at=_aware(payload.reported_at), description=payload.description,
        place_unit=_place(request, payload.place_unit_id), place_text=payload.place_text, sources=payload.sources,
        severity=payload.severity)
    return _full(request, incident)


@router.post("/incidents/{incident_id}/actions", response={201: ActionOut, 400: ErrorOut, 404: ErrorOut})
def incident_action_add(request, incident_id: int, payload: IncidentActionIn):
    """Record an action; the answer says how many hours after the first report it was."""
    incident = selectors.access_incident_by_id(request.auth, incident_id, need=Action.EDIT)
    action = services.action_add(actor=request.auth, incident=incident, kind=payload.kind, text=payload.text,
                                 at=_aware(payload.at) if payload.at else None, client_token=payload.client_token)
    return Status(201, {"id": action.pk, "kind": action.kind, "text": action.text, "at": action.at,
                        "hours_since_report": selectors.hours_since(incident.reported_at, action.at)})


@router.post("/incidents/{incident_id}/cases", response={201: LinkedCaseOut, 400: ErrorOut, 404: ErrorOut})
def incident_case_link(request, incident_id: int, payload: CaseLinkIn):
    """Link a woman concerned through her case: only a case you may handle (else 400, the same for one that does
    not exist)."""
    incident = selectors.access_incident_by_id(request.auth, incident_id, need=Action.EDIT)
    case = services.case_find(request.auth, payload.case)
    services.case_link(actor=request.auth, incident=incident, case=case)
    read_record(actor=request.auth, obj=case, purpose="incident_link")  # the answer shows the case: a read
    return Status(201, {"id": case.pk, "tracking_code": case.tracking_display, "kind": case.kind,
                        "status": case.status, "home_unit_name": case.home_unit.name})


@router.post("/incidents/{incident_id}/statement", response={201: StatementOut, 400: ErrorOut, 404: ErrorOut})
def incident_statement(request, incident_id: int, payload: StatementIn):
    """Write the statement and (with `submit`) send it to review on the fast track: the reviewers are told at once,
    in the app and by SMS, with the deadline. Publishing is the portal's review (POST /articles/{id}/review)."""
    incident = selectors.access_incident_by_id(request.auth, incident_id, need=Action.EDIT)
    statement = services.statement_save(actor=request.auth, incident=incident, title=payload.title,
                                        body=payload.body, category=payload.category, submit=payload.submit)
    return Status(201, _statement(statement))


@router.post("/incidents/{incident_id}/close", response={200: IncidentOut, 400: ErrorOut, 404: ErrorOut,
                                                         409: ErrorOut})
def incident_close(request, incident_id: int, payload: CloseIn):
    incident = selectors.access_incident_by_id(request.auth, incident_id, need=Action.EDIT)
    services.incident_close(actor=request.auth, incident=incident, outcome=payload.outcome, version=payload.version)
    return _full(request, incident)


@router.get("/incident-statements/pending", response=list[PendingStatementOut])
def incident_statements_pending(request):
    """待审声明: incident statements awaiting your review, soonest deadline first."""
    now = timezone.now()
    return [{"statement": _statement(s), "incident_id": s.incident_id, "incident_title": s.incident.title,
             "unit_name": s.incident.unit.name, "statement_due": s.incident.statement_due,
             "clock": _clock(s.incident, now)} for s in selectors.statements_awaiting(request.auth)]


def _month(value: int | None, name: str) -> int | None:
    if value is None:
        return None
    if not (190001 <= value <= 299912) or value % 100 not in range(1, 13):
        raise BadRequest(f"{name} must be a month as YYYYMM")
    return value


@router.get("/incidents-rollup", response={200: RollupOut, 400: ErrorOut, 404: ErrorOut})
def incidents_rollup(request, unit_id: int | None = None, start: int | None = None, end: int | None = None):
    """Incidents of a unit's subtree (default yours) first reported in the months `start`..`end` (YYYYMM): by
    status, hours to the first action and to the first statement (median, average), statements late."""
    unit = access_unit_by_id(request.auth, unit_id) if unit_id else unit_home_for(request.auth)
    if unit is None:
        raise Http404("unit")
    start, end = _month(start, "start"), _month(end, "end")
    if start and end and start > end:
        raise BadRequest("start after end")
    rollup = selectors.incidents_rollup(request.auth, unit=unit, start=start, end=end)
    return {"unit_id": unit.pk, "start": start, "end": end, "statement_hours": services.statement_hours(),
            "totals": rollup["totals"], "own": rollup["own"],
            "rows": [{"unit_id": r["unit"].pk, "unit_name": r["unit"].name, **{k: v for k, v in r.items()
                                                                                if k != "unit"}}
                     for r in rollup["rows"]]}
