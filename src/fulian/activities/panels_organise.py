"""Organising sections on pages activities does not own (core.panels): her unit's campaigns still to hold on
今日工作 and 工作台, and a Women's Home's activities on its page."""

from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.core.panels import panel_register
from fulian.core.policy import Action, allows

from .campaigns import campaigns_to_do
from .models import Activity, ActivityStatus

HOME_ROWS = 20


def _campaigns(request, _obj):
    rows = campaigns_to_do(request.user)
    return {"title": _("上级下发的主题活动"), "rows": rows} if rows else None


def home_activities(home, *, now=None, limit: int = HOME_ROWS) -> dict:
    """A Women's Home's published activities: those to come (soonest first) and those held (latest first)."""
    now = now or timezone.now()
    rows = Activity.objects.filter(home=home, status=ActivityStatus.PUBLISHED).select_related("unit")
    return {"coming": list(rows.filter(ends_at__gte=now).order_by("starts_at", "pk")[:limit]),
            "held": list(rows.filter(ends_at__lt=now).order_by("-starts_at", "-pk")[:limit]),
            "held_count": rows.filter(starts_at__lte=now).count()}


def _home(request, home):
    if home is None or not allows(request.user, Action.VIEW, home.unit_path):
        return None
    context = {"home": home, **home_activities(home)}
    for activity in context["coming"] + context["held"]:  # an activity of a unit above her is named, not linked
        activity.can_view = allows(request.user, Action.VIEW, activity.unit_path)
    return context


panel_register("today", order=12, template="activities/_campaigns_panel.html", context=_campaigns)
panel_register("home", order=12, template="activities/_campaigns_panel.html", context=_campaigns)
panel_register("womens_home.sections", order=10, template="activities/_home_activities.html", context=_home)
