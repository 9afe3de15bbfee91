"""The dispatch mechanism's counted facts and figures (core.figures): completions by the month they happened,
on time or not, and recipients that let their deadline pass, by the deadline's month — of the kinds that are tasks."""

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from fulian.core.figures import FLOW, RATE, figure_define, figures_counter, period_rows

from .models import Recipient, RecipientState
from .services import TASK_KINDS


@figures_counter
def dispatch_figures():
    tasks = Recipient.objects.filter(dispatch__kind__in=TASK_KINDS)
    done = tasks.filter(state=RecipientState.DONE, done_at__isnull=False)
    yield from period_rows(done, "unit_path", "done_at", "tasks_done")
    yield from period_rows(done.filter(done_at__lte=F("deadline")), "unit_path", "done_at", "tasks_on_time")
    yield from period_rows(tasks.filter(overdue_counted=True), "unit_path", "deadline", "tasks_overdue")


figure_define("tasks_done", _("完成上级任务(件次)"), kind=FLOW, source=_("任务办结记录"))
figure_define("tasks_overdue", _("逾期未完成任务(件次)"), kind=FLOW, source=_("任务截止时未完成的记录"))
figure_define("tasks_on_time_rate", _("任务按时完成率"), kind=RATE, metric="tasks_on_time", per="tasks_done",
              source=_("任务办结记录"))
