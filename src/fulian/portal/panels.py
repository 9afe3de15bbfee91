"""The portal's sections on pages it does not own: the practices her unit holds now on 今日工作 and 工作台
(core.panels), shown only when there are some."""

from django.utils.translation import gettext as _

from fulian.core.panels import panel_register

from . import practices

PANEL_ROWS = 10


def _received(request, _obj):
    if getattr(request.user, "unit_id", None) is None:
        return None
    rows = list(practices.practices_for(request.user, box="received")[:PANEL_ROWS])
    if not rows:
        return None
    return {"title": _("收到的典型做法"), "rows": rows}


panel_register("today", order=30, template="portal/_practices_panel.html", context=_received)
panel_register("home", order=30, template="portal/_practices_panel.html", context=_received)
