"""The incidents' section on 工作台 (core.panels): statements awaiting her review, and her subtree's incidents whose
first statement is not out yet, each with its clock. Shown only when there is something to do."""

from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.core.panels import panel_register

from . import selectors
from .models import IncidentStatus

PANEL_ROWS = 10


def _home(request, _obj):
    now = timezone.now()
    review = [{"statement": s, "clock": selectors.statement_clock(s.incident, now=now)}
              for s in selectors.statements_awaiting(request.user)[:PANEL_ROWS]]
    waiting = (selectors.incidents_for(request.user).exclude(status=IncidentStatus.CLOSED)
               .filter(first_statement_at__isnull=True).order_by("statement_due", "pk")[:PANEL_ROWS])
    rows = [{"incident": i, "clock": selectors.statement_clock(i, now=now)} for i in waiting]
    if not review and not rows:
        return None
    return {"title": _("维权事件"), "review": review, "rows": rows}


panel_register("home", order=20, template="incidents/_home_panel.html", context=_home)
