"""A unit's funding year and ledger for the app (经费保障): the year at a glance (its own ledger, its subtree from the
live figures, its children side by side), the ledger lines page by page, money received, passed on and spent
(JSON; receipt files are attached on the page), corrections as new lines (a posted line is never edited: there is
no PUT), confirming a disbursement's arrival, and the villages that received nothing. The same services and reads
as the pages (funding.ledger, funding.selectors)."""

from decimal import Decimal

from django.utils import timezone
from ninja import Query, Router, Status
from ninja.pagination import paginate

from fulian.core.paging import count_capped
from fulian.core.policy import Action
from fulian.funding import ledger, selectors
from fulian.funding.allocations import access_share_by_id
from fulian.funding.models import Entry, EntryKind, Source
from fulian.funding.population import population_set
from fulian.orgs.selectors import access_unit_by_id

from .pagination import CappedPagination
from .routers_care_registry import Dressed
from .schemas import ErrorOut, enum_of
from .schemas_funding import (
    FundingConfirmIn,
    FundingCorrectIn,
    FundingCorrectOut,
    FundingDisbursementIn,
    FundingEntryOut,
    FundingExpenseIn,
    FundingPopulationIn,
    FundingPopulationOut,
    FundingReceiptIn,
    FundingSummaryOut,
    FundingUnitRefOut,
)

router = Router(tags=["funding"])
YEAR = Query(None, ge=2000, le=2100, description="default this year")


def yuan(value) -> str:
    return f"{Decimal(value or 0):.2f}"


def unit_ref(unit) -> dict | None:
    if unit is None:
        return None
    return {"id": unit.pk, "code": unit.code, "name": unit.name, "level": unit.level}


def entry_out(e: Entry) -> dict:
    return {"id": e.pk, "unit": unit_ref(e.unit), "kind": e.kind, "kind_label": str(e.get_kind_display()),
            "on_date": e.on_date, "amount": yuan(e.amount), "source": e.source, "purpose": e.purpose,
            "other_unit": unit_ref(e.other_unit), "payer": e.payer, "share_id": e.share_id,
            "allocation_root_id": e.root_id, "disbursement_id": e.disbursement_id, "reverses_id": e.reverses_id,
            "replaces_id": e.replaces_id, "link_kind": e.link_kind, "link_id": e.link_id,
            "link_title": e.link_title, "has_file": bool(e.file), "note": e.note, "warning": e.warning,
            "created_at": e.created_at}


def paged(request, rows, out) -> Dressed:
    """A queryset for CappedPagination, counted (capped) before its slices are dressed as the schema's dicts."""
    request.known_count = count_capped(rows)
    return Dressed(rows, out)


def _year(year: int | None) -> int:
    return year or timezone.localdate().year


def _posted(request, entry: Entry, started) -> Status:
    """201 for a line posted now; 200 for the first one of a client token sent again. Read back through the access
    function: a token is never a way to see another unit's line."""
    shown = ledger.access_entry_by_id(request.auth, entry.pk)
    return Status(200 if entry.created_at < started else 201, entry_out(shown))


# --- the year ---------------------------------------------------------------------------------------------------

def _amounts(pairs, key: str) -> list[dict]:
    return [{key: choice.value, "label": str(choice.label), "amount": yuan(amount)} for choice, amount in pairs]


@router.get("/funding/units/{unit_id}/summary", response={200: FundingSummaryOut, 404: ErrorOut})
def funding_summary(request, unit_id: int, year: int | None = YEAR):
    """A unit's year: its own ledger (received by source, passed on, spent, balance), what it split down, its whole
    subtree from the live figures (received by source and by its villages, spent by purpose, the share that reached
    villages, villages reached and without money) and each child side by side."""
    unit = access_unit_by_id(request.auth, unit_id)
    summary = selectors.funds_summary(request.auth, unit, _year(year))
    own, subtree = summary["own"], summary["subtree"]
    return {
        "unit": unit_ref(unit), "year": summary["year"],
        "own": {"received": yuan(own["received"]), "passed": yuan(own["passed"]), "spent": yuan(own["spent"]),
                "balance": yuan(own["balance"]),
                "by_source": _amounts([(Source(s), a) for s, a in own["by_source"].items()], "source")},
        "allocated": yuan(summary["allocated"]),
        "subtree": {"received": yuan(subtree.get("funds_in")), "villages_received": yuan(subtree.get(
                    "funds_in_village")), "passed": yuan(subtree.get("funds_out")),
                    "spent": yuan(subtree.get("funds_spent")), "by_source": _amounts(subtree["by_source"], "source"),
                    "by_purpose": _amounts(subtree["by_purpose"], "purpose"),
                    "village_share": subtree["village_share"], "villages": subtree["villages"],
                    "villages_reached": subtree["villages_reached"], "villages_without": subtree["villages_without"]},
        "children": [{"unit": unit_ref(row["unit"]), "allocated": yuan(row["allocated"]),
                      "villages_received": yuan(row["villages_received"]), "spent": yuan(row["spent"]),
                      "split_down": yuan(row["split_down"]), "village_share": row["village_share"],
                      "villages": row["villages"], "villages_reached": row["villages_reached"],
                      "villages_without": row["villages_without"]} for row in summary["children"]],
    }


@router.get("/funding/units/{unit_id}/villages-without", response={200: list[FundingUnitRefOut], 404: ErrorOut})
@paginate(CappedPagination)
def funding_villages_without(request, unit_id: int, year: int | None = YEAR):
    """The village federations under the unit that received no money from above in the year, in tree order."""
    unit = access_unit_by_id(request.auth, unit_id)
    return paged(request, selectors.villages_without_funds(request.auth, unit, _year(year)), unit_ref)


# --- the ledger -------------------------------------------------------------------------------------------------

@router.get("/funding/units/{unit_id}/ledger", response={200: list[FundingEntryOut], 404: ErrorOut})
@paginate(CappedPagination)
def funding_ledger(request, unit_id: int, year: int | None = Query(None, ge=2000, le=2100,
                                                                   description="only the lines of this year"),
                   kind: enum_of(EntryKind, blank=True) = "", subtree: bool = False):
    """The unit's ledger lines (with `subtree`, every unit's under it too), newest first. Reversals show with a
    negative amount and `reverses_id`; their corrections with `replaces_id`."""
    unit = access_unit_by_id(request.auth, unit_id)
    return paged(request, ledger.ledger_for(request.auth, unit, kind=kind, year=year, subtree=subtree), entry_out)


@router.get("/funding/entries/{funding_entry_id}", response={200: FundingEntryOut, 404: ErrorOut})
def funding_entry_get(request, funding_entry_id: int):
    return entry_out(ledger.access_entry_by_id(request.auth, funding_entry_id))


@router.post("/funding/units/{unit_id}/receipts", response={200: FundingEntryOut, 201: FundingEntryOut,
                                                            400: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def funding_receipt_post(request, unit_id: int, payload: FundingReceiptIn):
    """收入: money the unit received, by source. From the federation above (`parent`), prefer confirming its
    disbursement (POST /funding/disbursements/{id}/confirm): the amount is then the one passed on. The same
    `client_token` again answers 200 with the first line."""
    unit = access_unit_by_id(request.auth, unit_id, need=Action.EDIT)
    share = access_share_by_id(request.auth, payload.share_id) if payload.share_id else None
    started = timezone.now()
    entry = ledger.receipt_post(actor=request.auth, unit=unit, on_date=payload.on_date, amount=payload.amount,
                                source=payload.source, payer=payload.payer, note=payload.note, share=share,
                                client_token=payload.client_token, now=started)
    return _posted(request, entry, started)


@router.post("/funding/units/{unit_id}/expenses", response={200: FundingEntryOut, 201: FundingEntryOut,
                                                            400: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def funding_expense_post(request, unit_id: int, payload: FundingExpenseIn):
    """支出: money spent, by purpose, optionally linked to an activity, project or help plan. Spending more than
    the unit received is recorded with a `warning`, not refused. The same `client_token` again answers 200."""
    unit = access_unit_by_id(request.auth, unit_id, need=Action.EDIT)
    started = timezone.now()
    entry = ledger.expense_post(actor=request.auth, unit=unit, on_date=payload.on_date, amount=payload.amount,
                                purpose=payload.purpose, note=payload.note, link_kind=payload.link_kind,
                                link_id=payload.link_id, client_token=payload.client_token, now=started)
    return _posted(request, entry, started)


@router.post("/funding/units/{unit_id}/disbursements", response={200: FundingEntryOut, 201: FundingEntryOut,
                                                                 400: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def funding_disbursement_post(request, unit_id: int, payload: FundingDisbursementIn):
    """拨付: money passed on to a unit below (for one of its shares, or not); more than the unit has is recorded
    with a `warning`. To pay every share of an allocation at once: POST /funding/allocations/{id}/pay."""
    unit = access_unit_by_id(request.auth, unit_id, need=Action.EDIT)
    to_unit = access_unit_by_id(request.auth, payload.to_unit_id)
    share = access_share_by_id(request.auth, payload.share_id) if payload.share_id else None
    started = timezone.now()
    entry = ledger.disbursement_post(actor=request.auth, unit=unit, to_unit=to_unit, on_date=payload.on_date,
                                     amount=payload.amount, note=payload.note, share=share,
                                     client_token=payload.client_token, now=started)
    return _posted(request, entry, started)


@router.post("/funding/entries/{funding_entry_id}/correct", response={201: FundingCorrectOut, 400: ErrorOut,
                                                                      404: ErrorOut, 409: ErrorOut})
def funding_entry_correct(request, funding_entry_id: int, payload: FundingCorrectIn):
    """更正: a posted line is never edited. Its reversal (the same line negated, dated as the original) is posted,
    and with `amount` the right line beside it. A line corrected already is 409."""
    entry = ledger.access_entry_by_id(request.auth, funding_entry_id, need=Action.EDIT)
    reversal, replacement = ledger.entry_correct(actor=request.auth, entry=entry, reason=payload.reason,
                                                 amount=payload.amount, on_date=payload.on_date)
    shown = [ledger.access_entry_by_id(request.auth, e.pk) if e is not None else None
             for e in (reversal, replacement)]
    return Status(201, {"reversal": entry_out(shown[0]),
                        "replacement": entry_out(shown[1]) if shown[1] is not None else None})


# --- money passed down, waiting to be confirmed -----------------------------------------------------------------

@router.get("/funding/units/{unit_id}/to-confirm", response={200: list[FundingEntryOut], 404: ErrorOut})
@paginate(CappedPagination)
def funding_to_confirm(request, unit_id: int):
    """待确认到账: disbursements to the unit it has not confirmed yet."""
    unit = access_unit_by_id(request.auth, unit_id)
    return paged(request, ledger.receipts_to_confirm(unit).select_related("other_unit").order_by("on_date", "pk"),
                 entry_out)


@router.post("/funding/disbursements/{funding_disbursement_id}/confirm",
             response={201: FundingEntryOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def funding_disbursement_confirm(request, funding_disbursement_id: int, payload: FundingConfirmIn):
    """确认到账: the receiving unit says the money passed on to it arrived; the receipt takes the disbursement's
    amount. Twice is 409."""
    disbursement = ledger.access_disbursement_by_id(request.auth, funding_disbursement_id, need=Action.EDIT)
    receipt = ledger.receipt_confirm(actor=request.auth, disbursement=disbursement, on_date=payload.on_date,
                                     note=payload.note)
    return Status(201, entry_out(ledger.access_entry_by_id(request.auth, receipt.pk)))



# --- population for the per-head rule ---------------------------------------------------------------------------

@router.put("/funding/units/{unit_id}/population", response={200: FundingPopulationOut, 400: ErrorOut,
                                                             404: ErrorOut, 409: ErrorOut})
def funding_population_set(request, unit_id: int, payload: FundingPopulationIn):
    """常住人口 of a unit (hers or below) for a year, which the per-head rule by population weighs; entered again to
    change it, every change audited."""
    unit = access_unit_by_id(request.auth, unit_id, need=Action.EDIT)
    row = population_set(actor=request.auth, unit=unit, year=payload.year, population=payload.population)
    return {"unit_id": unit.pk, "year": row.year, "population": row.population}
