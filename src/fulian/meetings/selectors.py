"""Reading meetings, scoped: a meeting and its minutes are seen by its unit and the units above it (scope_q), never
by the units below it or beside it (404, as for a meeting that does not exist)."""

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from fulian.core.access import access_by_id
from fulian.core.policy import Action, scope_q
from fulian.orgs.models import Body, BodyMember, SocialOrganisation, Unit
from fulian.work.selectors import completion

from .models import COMMITTEE_BODY, Decision, DecisionTask, Meeting, MeetingKind


def access_meeting_by_id(user, meeting_id, *, need: str = Action.VIEW) -> Meeting:
    return access_by_id(user, Meeting, meeting_id, need=need,
                        queryset=Meeting.objects.select_related("unit", "body"))


def access_decision_by_id(user, decision_id, *, need: str = Action.VIEW) -> Decision:
    return access_by_id(user, Decision, decision_id, need=need,
                        queryset=Decision.objects.select_related("meeting", "meeting__unit"))


def meetings_for(user, *, unit: Unit | None = None, kind: str | None = None, year: int | None = None):
    """Meetings in her scope (of one unit, kind, year when given), newest first, with their decisions counted."""
    rows = Meeting.objects.filter(scope_q(user, field="unit_path"))
    if unit is not None:
        rows = rows.filter(unit=unit)
    if kind:
        rows = rows.filter(kind=kind)
    if year:
        start = timezone.make_aware(dt.datetime(year, 1, 1))
        rows = rows.filter(held_at__gte=start, held_at__lt=timezone.make_aware(dt.datetime(year + 1, 1, 1)))
    return (rows.select_related("unit")
            .annotate(decision_count=Count("decisions", distinct=True),
                      passed_count=Count("decisions", filter=Q(decisions__passed=True), distinct=True))
            .order_by("-held_at", "-pk"))


def committee_members(unit: Unit, kind: str, on: dt.date) -> tuple[Body | None, list[BodyMember]]:
    """The body whose members a committee meeting on `on` ticks, and its members (none for other kinds)."""
    if kind not in COMMITTEE_BODY:
        return None, []
    body = (Body.objects.filter(unit=unit, kind=COMMITTEE_BODY[kind], term_start__lte=on, term_end__gte=on)
            .order_by("-term_start").first())
    return body, list(BodyMember.objects.filter(body=body).order_by("pk")) if body else []


def organisation_names(unit: Unit) -> list[str]:
    """Names offered for a joint meeting: the unit's social organisations (组织建设) and partners (维权服务)."""
    from fulian.cases.models import Partner

    names = list(SocialOrganisation.objects.filter(unit=unit).order_by("name").values_list("name", flat=True)[:200])
    names += list(Partner.objects.filter(unit=unit).order_by("name").values_list("name", flat=True)[:200])
    return list(dict.fromkeys(names))


def decisions_of(meeting: Meeting, *, now=None) -> list[dict]:
    """Its decisions, each with its votes by name and its tasks with their completion at the meeting's unit."""
    now = now or timezone.now()
    decisions = list(meeting.decisions.prefetch_related("votes").order_by("pk"))
    links = (DecisionTask.objects.filter(decision__in=decisions)
             .select_related("task", "task__dispatch", "task__dispatch__unit").order_by("pk"))
    tasks: dict[int, list] = {}
    for link in links:
        totals = completion(link.task, at=link.task.dispatch.unit, now=now)["totals"]
        tasks.setdefault(link.decision_id, []).append({"task": link.task, "totals": totals})
    return [{"decision": d, "votes": list(d.votes.all()), "tasks": tasks.get(d.pk, [])} for d in decisions]


def kinds() -> list[tuple[str, str]]:
    return list(MeetingKind.choices)
