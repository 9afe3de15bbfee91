"""The work app's sections on pages it does not own: her unit's tasks to do on 今日工作 and 工作台, and a unit's
open received tasks on the unit page (core.panels)."""

import math

from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.core.panels import panel_register
from fulian.core.policy import Action, allows, may_issue_work

from . import selectors

PANEL_ROWS = 20


def clock(deadline, now=None) -> dict:
    """The deadline as a cadre reads it: "还剩 N 天", "今天截止" or "已逾期"."""
    now = now or timezone.now()
    left = deadline - now
    if left.total_seconds() < 0:
        return {"text": _("已逾期"), "late": True}
    days = math.floor(left.total_seconds() / 86400)
    if days < 1:
        return {"text": _("今天截止"), "late": False, "soon": True}
    return {"text": _("还剩 %(n)d 天") % {"n": days}, "late": False, "soon": days < 3}


def with_clocks(recipients, now=None) -> list[dict]:
    now = now or timezone.now()
    return [{"recipient": r, "clock": clock(r.deadline, now)} for r in recipients]


def _todo(request, _obj):
    if getattr(request.user, "unit_id", None) is None:
        return None
    return {"title": _("待办任务"), "rows": with_clocks(selectors.tasks_to_do(request.user)[:PANEL_ROWS]),
            "more": True}


def _unit(request, unit):
    if not allows(request.user, Action.VIEW, unit.path):
        return None
    rows = with_clocks(selectors.tasks_open_at(unit)[:PANEL_ROWS])
    if not rows:
        return None
    return {"title": _("收到的工作任务（未完成）"), "rows": rows, "more": False}


def _priorities(request, unit):
    """工作重点 of the year on 工作台 and the unit page: what the levels above set, and what the unit set below."""
    if unit is None:  # the pages that show it (her own 工作台, a unit page) have checked her access to `unit`
        return None
    context = selectors.priorities_of_unit(unit, year=timezone.localdate().year)
    context["can_set"] = unit.level < 5 and may_issue_work(request.user, unit.path)
    if not context["received"] and context["own"] is None and not context["can_set"]:
        return None
    return context


panel_register("home", order=5, template="work/_priorities_panel.html", context=_priorities)
panel_register("unit.sections", order=45, template="work/_priorities_panel.html", context=_priorities)
panel_register("today", order=10, template="work/_todo_panel.html", context=_todo)
panel_register("home", order=10, template="work/_todo_panel.html", context=_todo)
panel_register("unit.sections", order=50, template="work/_todo_panel.html", context=_unit)
