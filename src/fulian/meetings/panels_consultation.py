"""Meetings' section on a consultation's page (core.panels "consultation.sections"): for a committee consultation,
the decisions of the meetings that voted on it, and — while no vote has passed — the unit's committee meetings in
which the organiser may record the vote. Here, not in consultations, because meetings sits above consultations."""

from fulian.consultations.models import Audience, ConsultationState
from fulian.core.panels import panel_register
from fulian.core.policy import Action, allows, scope_q

from .models import COMMITTEE_BODY, Decision, Meeting

MEETINGS_OFFERED = 5


def consultation_votes(request, consultation):
    if consultation.audience != Audience.COMMITTEE:
        return None
    user = request.user
    decisions = list(Decision.objects.filter(consultation=consultation).filter(scope_q(user, field="unit_path"))
                     .select_related("meeting").order_by("created_at", "pk"))
    meetings = []
    can_record = (consultation.state != ConsultationState.DRAFT and not any(d.passed for d in decisions)
                  and allows(user, Action.EDIT, consultation.unit_path))
    if can_record:
        meetings = list(Meeting.objects.filter(unit_id=consultation.unit_id, kind__in=list(COMMITTEE_BODY),
                                               has_quorum=True).order_by("-held_at", "-pk")[:MEETINGS_OFFERED])
    return {"consultation": consultation, "decisions": decisions, "meetings": meetings, "can_record": can_record}


panel_register("consultation.sections", order=10, template="meetings/_consultation_votes.html",
               context=consultation_votes)
