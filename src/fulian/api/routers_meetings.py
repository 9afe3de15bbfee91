"""Meetings and decisions (会议): the same selectors and services as the pages. A committee meeting without a quorum
records no decision (400); a stale edit answers 409; a meeting is seen by its unit and the units above it only."""

import datetime as dt

from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from fulian.core.policy import Action
from fulian.meetings import selectors, services
from fulian.meetings.models import MeetingKind
from fulian.orgs.selectors import access_unit_by_id, unit_home_for, units_for
from fulian.work.selectors import templates_usable

from .pagination import CappedPagination
from .schemas import ErrorOut, enum_of
from .schemas_meetings import (
    DecisionIn,
    DecisionOut,
    DecisionTaskIn,
    MeetingIn,
    MeetingMembersOut,
    MeetingOut,
    MeetingPatch,
    MeetingRowOut,
    decision_out,
)
from .schemas_people import Id

router = Router(tags=["meetings"])


def _aware(moment):
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _unit(request, unit_id, *, need=Action.VIEW):
    if unit_id:
        return access_unit_by_id(request.auth, unit_id, need=need)
    unit = unit_home_for(request.auth)
    if unit is None:
        raise Http404("unit")
    return unit


def _decision(decision) -> dict:
    rows = [row for row in selectors.decisions_of(decision.meeting) if row["decision"].pk == decision.pk]
    return decision_out(rows[0])


class MeetingFilter(Schema):
    unit_id: Id | None = None
    kind: enum_of(MeetingKind) | None = None
    year: int | None = Field(None, ge=2000, le=2100)


@router.get("/meetings", response=list[MeetingRowOut])
@paginate(CappedPagination)
def meetings_list(request, filters: Query[MeetingFilter]):
    """Meetings in your scope (of one unit, kind or year), newest first."""
    unit = access_unit_by_id(request.auth, filters.unit_id) if filters.unit_id else None
    return selectors.meetings_for(request.auth, unit=unit, kind=filters.kind, year=filters.year)


@router.get("/meeting-members", response={200: MeetingMembersOut, 404: ErrorOut})
def meeting_members(request, kind: enum_of(MeetingKind), on: dt.date | None = None, unit_id: Id | None = None):
    """The members a committee meeting on `on` (default today) ticks as present: the body of that kind whose term
    covers the date (组织建设). Empty for other kinds or where no body is set up."""
    unit = _unit(request, unit_id)
    body, members = selectors.committee_members(unit, kind, on or timezone.localdate())
    return {"body_id": body.pk if body else None, "term_start": body.term_start if body else None,
            "term_end": body.term_end if body else None,
            "members": [{"id": m.pk, "name": m.name, "role": m.role} for m in members]}


@router.post("/meetings", response={201: MeetingOut, 400: ErrorOut, 404: ErrorOut})
def meeting_record(request, payload: MeetingIn):
    """Record a meeting. Committees: quorum counted against the body's members; without it the meeting is recorded
    but takes no decision. Joint meetings name the outside organisations."""
    unit = _unit(request, payload.unit_id, need=Action.EDIT)
    meeting = services.meeting_record(
        actor=request.auth, unit=unit, kind=payload.kind, held_at=_aware(payload.held_at), place=payload.place,
        chair_name=payload.chair_name, present_member_ids=payload.present_member_ids,
        absence_reasons=payload.absence_reasons, attendees=payload.attendees,
        absentees=[(a.name, a.reason) for a in payload.absentees], observers=payload.observers,
        organisations=payload.organisations, agenda=payload.agenda, minutes=payload.minutes,
        client_token=payload.client_token)
    return Status(201, selectors.access_meeting_by_id(request.auth, meeting.pk))


@router.get("/meetings/{meeting_id}", response={200: MeetingOut, 404: ErrorOut})
def meeting_get(request, meeting_id: int):
    """A meeting with its attendance, minutes, decisions, votes and the tasks the decisions issued."""
    return selectors.access_meeting_by_id(request.auth, meeting_id)


@router.patch("/meetings/{meeting_id}", response={200: MeetingOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def meeting_update(request, meeting_id: int, payload: MeetingPatch):
    """Change the place, chair, agenda, minutes or organisations; `version` as read (409 if someone saved since)."""
    meeting = selectors.access_meeting_by_id(request.auth, meeting_id, need=Action.EDIT)
    values = payload.dict(exclude={"version"}, exclude_none=True)
    services.meeting_update(actor=request.auth, meeting=meeting, version=payload.version, values=values)
    return selectors.access_meeting_by_id(request.auth, meeting_id)


@router.post("/meetings/{meeting_id}/decisions", response={201: DecisionOut, 400: ErrorOut, 404: ErrorOut})
def decision_record(request, meeting_id: int, payload: DecisionIn):
    """决定事项 with its vote. A committee meeting without a quorum answers 400; a decision short of a majority of
    the entitled members is recorded with `passed` false."""
    meeting = selectors.access_meeting_by_id(request.auth, meeting_id, need=Action.EDIT)
    counts = {"for": payload.votes_for, "against": payload.votes_against, "abstain": payload.votes_abstain}
    decision = services.decision_record(actor=request.auth, meeting=meeting, title=payload.title, text=payload.text,
                                        votes=counts, votes_by_name=payload.votes_by_name,
                                        client_token=payload.client_token)
    return Status(201, _decision(decision))


@router.post("/meetings/decisions/{decision_id}/tasks", response={201: DecisionOut, 400: ErrorOut,
                                                                   404: ErrorOut})
def decision_task_issue(request, decision_id: int, payload: DecisionTaskIn):
    """Issue a task from a passed decision (the meeting unit's chairs and vice-chairs), to every unit of `level`
    below or to the picked `unit_ids`; title and body default to the decision's."""
    decision = selectors.access_decision_by_id(request.auth, decision_id)
    template = None
    if payload.template_id:
        template = templates_usable(request.auth).filter(pk=payload.template_id).first()
        if template is None:
            raise Http404("template")
    units = None
    if payload.unit_ids is not None:
        units = list(units_for(request.auth).filter(pk__in=set(payload.unit_ids)))
        if len(units) != len(set(payload.unit_ids)):
            raise Http404("unit")
    services.decision_task_issue(actor=request.auth, decision=decision, title=payload.title, body=payload.body,
                                 deadline=_aware(payload.deadline), period_start=payload.period_start,
                                 period_end=payload.period_end, template=template, level=payload.level, units=units,
                                 client_token=payload.client_token)
    return Status(201, _decision(decision))
