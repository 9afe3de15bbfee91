"""Allocations for the app (经费分配): a rule previewed (every unit's share, what each level keeps, the part that
reaches villages — nothing written) and confirmed (the allocation, its shares down the tree and the dispatch to the
units of its target level; leaders only), a share split on by the unit it was allocated to, an allocation's
progress and its shares level by level, and paying every share a unit passes on in one call. The same services and
reads as the pages (funding.allocations, funding.ledger, funding.selectors)."""

from collections import defaultdict

from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.pagination import paginate

from fulian.core.policy import Action
from fulian.funding import ledger, selectors
from fulian.funding.allocations import (
    access_allocation_by_id,
    access_share_by_id,
    allocation_confirm,
    allocation_preview,
    rule_clean,
)
from fulian.funding.models import Allocation, Share
from fulian.funding.split import to_yuan
from fulian.orgs.selectors import access_unit_by_id

from .pagination import CappedPagination
from .routers_funding_ledger import paged, unit_ref, yuan
from .schemas import ErrorOut
from .schemas_funding import (
    FundingAllocationDetailOut,
    FundingAllocationIn,
    FundingAllocationOut,
    FundingPayIn,
    FundingPayOut,
    FundingPlanOut,
    FundingRuleIn,
    FundingShareOut,
)

router = Router(tags=["funding"])
PREVIEW_SHARES = 1000  # a province's plan to every village has 54,000 units: the levels' totals say the rest


def _number(value) -> float | None:
    return float(value) if value is not None else None


def allocation_out(a: Allocation) -> dict:
    return {"id": a.pk, "unit": unit_ref(a.unit), "year": a.year, "title": a.title, "amount": yuan(a.amount),
            "kept": yuan(a.kept), "basis": a.basis, "basis_label": str(a.get_basis_display()),
            "target_level": a.target_level, "per_village": yuan(a.per_village) if a.per_village is not None else None,
            "floor_per_village": yuan(a.floor_per_village), "care_weight": str(a.care_weight),
            "level_keep": {str(k): str(v) for k, v in (a.level_keep or {}).items()},
            "min_village_share": str(a.min_village_share) if a.min_village_share is not None else None,
            "village_share": _number(a.village_share), "root_id": a.root_id, "from_share_id": a.from_share_id,
            "dispatch_id": a.dispatch_id, "created_at": a.created_at}


def share_out(s: Share, target_level: int) -> dict:
    return {"id": s.pk, "allocation_id": s.allocation_id, "unit": unit_ref(s.unit), "level": s.level,
            "parent_id": s.parent_id, "amount": yuan(s.amount), "kept": yuan(s.kept), "paid": yuan(s.paid),
            "received": yuan(s.received), "reach": float(s.reach), "has_below": s.level < target_level}


def _rule_and_share(request, unit, payload: FundingRuleIn):
    """The rule as typed (every mistake a 400 that says what to change) and the share split on, if any."""
    from_share = access_share_by_id(request.auth, payload.from_share_id) if payload.from_share_id else None
    rule = rule_clean(unit, basis=payload.basis, target_level=payload.target_level,
                      per_village=payload.per_village, floor_per_village=payload.floor_per_village,
                      care_weight=payload.care_weight, level_keep=payload.level_keep,
                      min_village_share=payload.min_village_share)
    year = from_share.allocation.year if from_share is not None else payload.year or timezone.localdate().year
    return rule, from_share, year


def plan_out(plan) -> dict:
    levels: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for node in plan.nodes:
        totals = levels[node.level]
        totals[0] += 1
        totals[1] += node.amount
        totals[2] += node.kept
    return {
        "unit_id": plan.unit.pk, "year": plan.year, "basis": plan.rule.basis, "target_level": plan.rule.target_level,
        "amount": yuan(plan.amount), "kept": yuan(plan.kept),
        "village_share": float(plan.village_share) if plan.village_share is not None else None,
        "levels": [{"level": level, "units": n, "amount": yuan(to_yuan(fen)), "kept": yuan(to_yuan(kept))}
                   for level, (n, fen, kept) in sorted(levels.items())],
        "shares": [{"unit_id": n.unit_id, "unit_name": n.name, "level": n.level,
                    "parent_unit_id": n.parent.unit_id if n.parent is not None else None,
                    "amount": yuan(plan.amount_of(n)), "kept": yuan(to_yuan(n.kept)), "villages": n.villages,
                    "weight": float(n.weight)} for n in plan.nodes[:PREVIEW_SHARES]],
        "shares_total": len(plan.nodes),
    }


@router.post("/funding/units/{unit_id}/allocations/preview", response={200: FundingPlanOut, 400: ErrorOut,
                                                                        404: ErrorOut})
def funding_allocation_preview(request, unit_id: int, payload: FundingRuleIn):
    """The plan of a rule, nothing written: each unit's share down to the target level, what each level keeps, and
    the part of the cascade root's money it brings to village level. A plan below the root's minimum village share
    is refused (400, with the numbers). Any cadre of the unit may preview; leaders confirm."""
    unit = access_unit_by_id(request.auth, unit_id, need=Action.EDIT)
    rule, from_share, year = _rule_and_share(request, unit, payload)
    plan = allocation_preview(actor=request.auth, unit=unit, year=year, rule=rule, amount=payload.amount,
                              from_share=from_share, kept=payload.kept)
    return plan_out(plan)


@router.post("/funding/units/{unit_id}/allocations", response={200: FundingAllocationDetailOut,
                                                               201: FundingAllocationDetailOut, 400: ErrorOut,
                                                               404: ErrorOut, 409: ErrorOut})
def funding_allocation_create(request, unit_id: int, payload: FundingAllocationIn):
    """Confirm an allocation (a chair or vice-chair of the unit or above): its shares are written level by level
    and a dispatch goes to the units of its target level. With `from_share_id` the unit splits on a share it was
    allocated, keeping `kept`. The same `client_token` again answers 200 with the first allocation."""
    unit = access_unit_by_id(request.auth, unit_id, need=Action.EDIT)
    rule, from_share, year = _rule_and_share(request, unit, payload)
    started = timezone.now()
    allocation = allocation_confirm(actor=request.auth, unit=unit, year=year, title=payload.title, rule=rule,
                                    pay_by=payload.pay_by, amount=payload.amount, from_share=from_share,
                                    kept=payload.kept, client_token=payload.client_token, now=started)
    shown = access_allocation_by_id(request.auth, allocation.pk)
    return Status(200 if allocation.created_at < started else 201,
                  {**allocation_out(shown), "progress": _progress(shown)})


def _progress(allocation: Allocation) -> dict:
    progress = selectors.allocation_progress(allocation)
    top, leaves = progress["top"], progress["leaves"]
    return {"top": {k: yuan(top[k]) for k in ("amount", "paid", "received")},
            "leaves": {"amount": yuan(leaves["amount"]), "received": yuan(leaves["received"]),
                       "units": leaves["units"], "nothing": leaves["nothing"]}}


@router.get("/funding/allocations/{funding_allocation_id}", response={200: FundingAllocationDetailOut,
                                                                     404: ErrorOut})
def funding_allocation_get(request, funding_allocation_id: int):
    """An allocation with its rule and progress: paid and received of its top shares and of its target level."""
    allocation = access_allocation_by_id(request.auth, funding_allocation_id)
    return {**allocation_out(allocation), "progress": _progress(allocation)}


@router.get("/funding/allocations/{funding_allocation_id}/shares", response={200: list[FundingShareOut],
                                                                             404: ErrorOut})
@paginate(CappedPagination)
def funding_allocation_shares(request, funding_allocation_id: int,
                              under: int | None = Query(None, ge=1, le=2**53, description="a share of a unit in "
                                                        "between: the shares below it (default: the top shares)")):
    """An allocation's shares one level at a time, in tree order, each with what was paid to it and what it
    confirmed."""
    allocation = access_allocation_by_id(request.auth, funding_allocation_id)
    parent = access_share_by_id(request.auth, under) if under is not None else None
    if parent is not None and parent.allocation_id != allocation.pk:
        raise Http404("share not found")
    rows = selectors.allocation_shares(allocation, under=parent).order_by("unit_path")
    return paged(request, rows, lambda s: share_out(s, allocation.target_level))


@router.post("/funding/allocations/{funding_allocation_id}/pay", response={200: FundingPayOut, 400: ErrorOut,
                                                                           404: ErrorOut, 409: ErrorOut})
def funding_allocation_pay(request, funding_allocation_id: int, payload: FundingPayIn):
    """按分配拨付: pass on what is left to pay of every share of the allocation that `unit_id` passes on — the
    allocating unit its top shares, a unit in between of the cascade the shares below its own. Again pays nothing
    twice (`lines` 0)."""
    unit = access_unit_by_id(request.auth, payload.unit_id, need=Action.EDIT)
    allocation = _allocation_for(request.auth, unit, funding_allocation_id)
    lines = ledger.shares_pay(actor=request.auth, unit=unit, allocation=allocation, on_date=payload.on_date)
    return {"lines": lines}


def _allocation_for(user, unit, allocation_id: int) -> Allocation:
    """The allocation if she may see it, or if `unit` (hers) was allocated a share of it (a unit in between of a
    cascade started above her); 404 otherwise."""
    try:
        return access_allocation_by_id(user, allocation_id)
    except Http404:
        share = selectors.shares_received(user, unit).filter(allocation_id=allocation_id).first()
        if share is None:
            raise
        return share.allocation


# --- a unit's allocations: made and received --------------------------------------------------------------------

@router.get("/funding/units/{unit_id}/allocations", response={200: list[FundingAllocationOut], 404: ErrorOut})
@paginate(CappedPagination)
def funding_allocations_made(request, unit_id: int, year: int | None = Query(None, ge=2000, le=2100)):
    """The allocations the unit made (split-ons of shares it received included), newest first."""
    unit = access_unit_by_id(request.auth, unit_id)
    return paged(request, selectors.allocations_made(request.auth, unit, year=year).select_related("unit"),
                 allocation_out)


@router.get("/funding/units/{unit_id}/shares", response={200: list[FundingShareOut], 404: ErrorOut})
@paginate(CappedPagination)
def funding_shares_received(request, unit_id: int, year: int | None = Query(None, ge=2000, le=2100)):
    """The shares allocated to the unit from above, newest first, with what was paid and received of each; split
    one on with POST /funding/units/{unit_id}/allocations and `from_share_id`."""
    unit = access_unit_by_id(request.auth, unit_id)
    rows = selectors.shares_received(request.auth, unit, year=year).select_related("unit")
    return paged(request, rows, lambda s: share_out(s, s.allocation.target_level))

