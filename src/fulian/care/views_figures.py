"""关爱帮扶统计 for leaders and staff: women in each care group on a day (from the records), and for a month range
plans opened and closed, help given, offers matched and their outcomes (core.figures, rolled up the tree), 受益率
from the records beside the survey's; for a province or a city, the groups of each unit below it as an ECharts bar
chart (the data as JSON in the page, drawn by static/fulian/care-charts.js; a table holds the same figures)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fulian.core.figures import figure_get, figure_values
from fulian.core.policy import Action, allows
from fulian.orgs.models import Level, Unit

from . import registry
from .figures import groups_by_unit
from .models import CareGroup, ChildSituation
from .selectors import param_day, param_month
from .views_registry import unit_asked

FLOWS = ["care_plans_opened", "care_plans_closed", "care_help_given", "care_help_amount", "care_offers",
         "care_needs_matched", "care_outcomes", "care_goals_met", "care_resources", "care_resource_places"]
STOCKS = ["care_women", "care_plans_live"] + [f"care_children_{s}" for s in ChildSituation.values]
RATES = ["care_benefit", "rate_benefit"]
CHART_UNITS = 400


LABELS = {"rate_benefit": _("受益率(问卷)")}  # beside 关爱对象受益率(记录): say where each comes from


def _labelled(values: dict, keys: list[str]) -> list[dict]:
    rows = []
    for key in keys:
        figure = figure_get(key)
        if figure is not None:
            rows.append({"key": key, "label": LABELS.get(key, figure.label), "value": values.get(key),
                         "source": figure.source})
    return rows


@login_required
def care_figures(request):
    user = request.user
    today = timezone.localdate()
    unit = unit_asked(request)
    on = param_day(request.GET, "date", default=today)
    start = param_month(request.GET, "start", default=today.year * 100 + 1)
    end = param_month(request.GET, "end", default=today.year * 100 + today.month)
    if start > end:
        raise BadRequest("start after end")
    counts = registry.group_counts(unit.path, on)
    values = figure_values([unit.pk], FLOWS + STOCKS + RATES, start=start, end=end).get(unit.pk, {})
    below, chart = [], None
    if unit.level <= Level.CITY:
        children = list(Unit.objects.filter(parent=unit).order_by("code")[:CHART_UNITS])
        by_unit = groups_by_unit(children, on)
        below = [{"unit": c, "counts": [by_unit[c.pk][g] for g in CareGroup.values],
                  "total": sum(by_unit[c.pk].values())} for c in children]
        query = f"&date={on.isoformat()}&start={start // 100}-{start % 100:02d}&end={end // 100}-{end % 100:02d}"
        chart = {"units": [c.name for c in children], "groups": [str(label) for label in CareGroup.labels],
                 "series": [[by_unit[c.pk][g] for c in children] for g in CareGroup.values],
                 "links": [reverse("care_figures") + f"?unit={c.pk}{query}" for c in children]}
    return render(request, "care/figures.html", {
        "unit": unit, "on": on, "start": f"{start // 100}-{start % 100:02d}", "end": f"{end // 100}-{end % 100:02d}",
        "counts": [{"label": label, "n": counts[g]} for g, label in CareGroup.choices], "women": counts["women"],
        "flows": _labelled(values, FLOWS), "stocks": _labelled(values, STOCKS), "rates": _labelled(values, RATES),
        "groups": CareGroup.labels, "below": below, "chart": chart,
        "ancestors": [u for u in Unit.objects.filter(path__in=[unit.path[:i] for i in range(4, len(unit.path), 4)])
                      .order_by("path") if allows(user, Action.VIEW, u.path)]})
