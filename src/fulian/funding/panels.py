"""Funding's section on the unit page (core.panels): the unit's year in two lines — its own money received, passed
on, spent and left; what it split down and the share that reached village federations — with a link to 经费."""

from django.utils import timezone

from fulian.core.panels import panel_register
from fulian.core.policy import Action, allows, may_keep_funds

from .selectors import funds_summary
from .views_common import percent


def unit_funds(request, unit):
    user = request.user
    if not unit.is_geographic or not allows(user, Action.VIEW, unit.path):
        return None
    year = timezone.localdate().year
    summary = funds_summary(user, unit, year)
    own, subtree = summary["own"], summary["subtree"]
    anything = own["received"] or own["passed"] or own["spent"] or own["balance"] or summary["allocated"] or \
        subtree.get("funds_in")
    if not anything and not may_keep_funds(user, unit.path):
        return None
    # one key of its own: the unit page's context has a `summary` of its own (and tests read it)
    return {"funds": {"unit": unit, "year": year, "own": own, "allocated": summary["allocated"], "subtree": subtree,
                      "village_share": percent(subtree["village_share"])}}


panel_register("unit.sections", order=60, template="funding/_unit_panel.html", context=unit_funds)
