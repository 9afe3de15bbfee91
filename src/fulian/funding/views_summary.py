"""经费 pages of a unit's year: her own unit's (经费) and any unit's in her scope, drilled down child by child — its own
ledger, what it split down and the share of it that reached village federations, its children side by side, the
money waiting for it to confirm, its shares from above and its allocations — and the village federations that
received nothing. Parse, one access function, the selectors, render."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from fulian.core.paging import page_of
from fulian.core.policy import Action, allows, may_allocate_funds, may_keep_funds
from fulian.orgs.models import Level
from fulian.orgs.selectors import access_unit_by_id, unit_home_for

from . import ledger, selectors
from .forms_allocations import PayForm
from .forms_ledger import ConfirmForm
from .population import year_range
from .views_common import ancestors_in_scope, param_year, percent

ROWS = 50
VILLAGES_PER_PAGE = 50


@login_required
def funding_home(request):
    """经费: her own unit's year."""
    unit = unit_home_for(request.user)
    if unit is None:
        raise Http404("no unit")
    return _unit_page(request, access_unit_by_id(request.user, unit.pk))


@login_required
def funding_unit(request, unit_id: int):
    return _unit_page(request, access_unit_by_id(request.user, unit_id))


def _shares_rows(user, unit, year: int, can_keep: bool) -> list[dict]:
    """Her unit's shares from above, each with what she may do with it: split it on (往下分配) when it reached her
    unit whole, pay its part below (按分配拨付) when her unit is in between of a cascade."""
    rows = []
    shares = selectors.shares_received(user, unit, year=year).select_related("split")[:ROWS]
    for share in shares:
        allocation = share.allocation
        between = share.level < allocation.target_level
        split = getattr(share, "split", None)
        rows.append({
            "share": share, "allocation": allocation, "between": between, "split": split,
            "may_split": can_keep and not between and split is None and unit.level < Level.VILLAGE,
            "may_pay": can_keep and between,
            "may_open": allows(user, Action.VIEW, allocation.unit_path),
        })
    return rows


def _unit_page(request, unit):
    user = request.user
    year = param_year(request.GET)
    summary = selectors.funds_summary(user, unit, year)
    can_keep = may_keep_funds(user, unit.path)
    children = summary["children"]
    for row in children:
        row["village_share_text"] = percent(row["village_share"])
    subtree = summary["subtree"]
    today = timezone.localdate()
    return render(request, "funding/unit.html", {
        "unit": unit, "year": year, "years": list(reversed(year_range(today))), "summary": summary,
        "own": summary["own"],
        "subtree": subtree, "children": children, "village_share_text": percent(subtree["village_share"]),
        "ancestors": ancestors_in_scope(user, unit),
        "to_confirm": list(ledger.receipts_to_confirm(unit).order_by("on_date", "pk")[:ROWS]) if can_keep else [],
        "shares": _shares_rows(user, unit, year, can_keep),
        "allocations": list(selectors.allocations_made(user, unit, year=year)[:ROWS]),
        "can_keep": can_keep, "can_allocate": can_keep and unit.level < Level.VILLAGE and unit.is_geographic,
        "is_leader": may_allocate_funds(user, unit.path),
        "confirm_form": ConfirmForm(initial={"on_date": today}), "pay_form": PayForm(initial={"on_date": today}),
        "sources": [(s, total, summary["own"]["by_source"].get(s.value)) for s, total in subtree["by_source"]],
    })


@login_required
def villages_without(request, unit_id: int):
    """The village federations under the unit that received no money from above in the year."""
    user = request.user
    unit = access_unit_by_id(user, unit_id)
    year = param_year(request.GET)
    rows = selectors.villages_without_funds(user, unit, year).select_related("parent", "parent__parent")
    return render(request, "funding/villages_without.html", {
        "unit": unit, "year": year, "page": page_of(request, rows, VILLAGES_PER_PAGE), "query": f"year={year}",
        "ancestors": ancestors_in_scope(user, unit)})
