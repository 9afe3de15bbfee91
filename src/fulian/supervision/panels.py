"""Supervision's sections on pages it does not own: her unit's open rectification items on 今日工作, and on 工作台
also the supervision teams she sees (the way in to 督导 for a leader)."""

from django.utils.translation import gettext as _

from fulian.core.panels import panel_register
from fulian.work.panels import with_clocks

from . import selectors

PANEL_ROWS = 20


def _todo(request, _obj):
    if getattr(request.user, "unit_id", None) is None:
        return None
    rows = with_clocks(selectors.rectifications_to_do(request.user)[:PANEL_ROWS])
    if not rows:
        return None
    return {"title": _("督导整改事项"), "rows": rows}


def _home(request, obj):
    context = _todo(request, obj) or {"title": _("督导整改事项"), "rows": []}
    context["teams"] = list(selectors.teams_for(request.user)[:5])
    return context if context["rows"] or context["teams"] else None


panel_register("today", order=15, template="supervision/_todo_panel.html", context=_todo)
panel_register("home", order=15, template="supervision/_todo_panel.html", context=_home)
