"""Incident figures for the registry (core.figures), computed from the records for any units and months: an
incident counts in the month of its first report, under its unit's subtree. No live tally: incidents are few."""

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from fulian.core.figures import FLOW, figure_define
from fulian.core.tree import subtree_q
from fulian.orgs.models import Unit

from .models import Incident


def _per_unit(unit_ids, start, end, measure):
    from .selectors import in_months, with_statement_time

    out = {}
    for unit in Unit.objects.filter(pk__in=list(unit_ids)).only("pk", "path"):
        rows = in_months(Incident.objects.filter(subtree_q(unit.path, "unit_path")), start, end)
        out[unit.pk] = measure(with_statement_time(rows))
    return out


def incidents_reported(unit_ids, start, end):
    return _per_unit(unit_ids, start, end, lambda rows: rows.count())


def incidents_statement_on_time(unit_ids, start, end):
    return _per_unit(unit_ids, start, end,
                     lambda rows: rows.filter(statement_at__isnull=False, statement_at__lte=F("statement_due")).count())


def _avg_hours(rows) -> float | None:
    pairs = list(rows.filter(first_action_at__isnull=False).values_list("reported_at", "first_action_at"))
    if not pairs:
        return None
    return round(sum((b - a).total_seconds() for a, b in pairs) / len(pairs) / 3600, 1)


def incidents_response_hours(unit_ids, start, end):
    return _per_unit(unit_ids, start, end, _avg_hours)


figure_define("incidents_reported", _("维权事件(件)"), kind=FLOW, compute=incidents_reported,
              source=_("维权事件：期内首次报告的事件"))
figure_define("incidents_statement_on_time", _("按时发声的维权事件(件)"), kind=FLOW,
              compute=incidents_statement_on_time, source=_("维权事件：首次声明在时限内发布的期内事件"))
figure_define("incidents_response_hours", _("维权事件平均响应用时(小时)"), kind=FLOW, compute=incidents_response_hours,
              source=_("维权事件：从首次报告到首次行动的平均小时数"))
