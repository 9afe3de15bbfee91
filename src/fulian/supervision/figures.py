"""Supervision's counted facts and figures (core.figures): visits made, rectification items opened and done (by
the month they happened, at the visited unit), and the items open now (counted from the rows)."""

from django.utils.translation import gettext_lazy as _

from fulian.core.figures import CURRENT, FLOW, figure_define, figures_counter, period_rows
from fulian.core.tree import subtree_q
from fulian.dispatch.models import DispatchStatus, Recipient, RecipientState
from fulian.orgs.models import Unit

from .models import Visit
from .services import KIND


@figures_counter
def supervision_figures():
    yield from period_rows(Visit.objects.all(), "unit_path", "visited_on", "supervision_visits")
    items = Recipient.objects.filter(dispatch__kind=KIND)
    yield from period_rows(items, "unit_path", "dispatch__created_at", "rectifications_opened")
    yield from period_rows(items.filter(state=RecipientState.DONE, done_at__isnull=False), "unit_path", "done_at",
                           "rectifications_done")


def _open_items(unit_ids, start, end):
    units = Unit.objects.filter(pk__in=unit_ids).values_list("id", "path")
    open_items = Recipient.objects.filter(dispatch__kind=KIND, dispatch__status=DispatchStatus.OPEN).exclude(
        state=RecipientState.DONE)
    return {uid: open_items.filter(subtree_q(path, "unit_path")).count() for uid, path in units}


figure_define("supervision_visits", _("接受督导检查(次)"), kind=FLOW, source=_("督导：督导检查记录"))
figure_define("rectifications_opened", _("督导发现问题(个)"), kind=FLOW, source=_("督导：下发的整改事项"))
figure_define("rectifications_done", _("完成整改(个)"), kind=FLOW, source=_("督导：整改完成记录"))
figure_define("rectifications_open", _("未完成整改事项(个)"), kind=CURRENT, compute=_open_items,
              source=_("督导：当前未完成的整改事项"))
