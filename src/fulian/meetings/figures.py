"""The meetings' counted facts and figures (core.figures): meetings held (all, and one metric per kind), decisions
made and decisions that issued at least one task, each in the month the meeting was held."""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from fulian.core.figures import FLOW, figure_define, figures_counter, period_rows

from .models import Decision, DecisionTask, Meeting, MeetingKind


@figures_counter
def meeting_figures():
    meetings = Meeting.objects.all()
    yield from period_rows(meetings, "unit_path", "held_at", "meetings_held")
    for kind in MeetingKind.values:
        yield from period_rows(meetings.filter(kind=kind), "unit_path", "held_at", f"meetings_{kind}")
    decisions = Decision.objects.all()
    yield from period_rows(decisions, "unit_path", "meeting__held_at", "decisions_made")
    tasked = decisions.filter(Exists(DecisionTask.objects.filter(decision=OuterRef("pk"))))
    yield from period_rows(tasked, "unit_path", "meeting__held_at", "decisions_tasked")


figure_define("meetings_held", _("召开会议(次)"), kind=FLOW, source=_("会议记录：期内召开的会议"))
for _kind in MeetingKind:
    figure_define(f"meetings_{_kind.value}", _kind.label, kind=FLOW, source=_("会议记录：期内召开的会议"))
figure_define("decisions_made", _("会议决定事项(项)"), kind=FLOW, source=_("会议记录：期内会议的决定事项"))
figure_define("decisions_tasked", _("决定事项转为任务(项)"), kind=FLOW,
              source=_("会议记录：期内会议的决定事项中已下发任务的"))
