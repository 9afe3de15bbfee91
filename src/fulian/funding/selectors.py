"""What the funds pages and the API read: a unit's year — its own ledger, its subtree from the live figures (so the
province's page reads as few rows as a village's), its children side by side — and its allocations, shares and
the money waiting for it to confirm.

`funds_summary` never scans a subtree's records: the subtree's numbers are the live figures (one row per metric
and month for the unit and for each child); the unit's own numbers are its own ledger lines of the year (one
index range); allocations are the unit's own. Villages that received nothing are counted from the figures
(villages under it − villages reached) and listed, page by page, by `villages_without_funds`.
"""

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from fulian.core.figures import STANDING, figure_values, figures_read
from fulian.core.policy import Action, OutOfScope, allows
from fulian.core.tree import subtree_q
from fulian.orgs.models import Kind, Level, SourceStatus, Unit

from .models import Allocation, Entry, EntryKind, Purpose, Share, Source

SUBTREE_FIGURES = ["funds_in", "funds_in_parent", "funds_in_government", "funds_in_party", "funds_in_donation",
                   "funds_in_other", "funds_in_village", "funds_out", "funds_spent",
                   *[f"funds_spent_{p}" for p in Purpose.values], "funds_villages_reached", "funds_allocated",
                   "funds_village_share"]
CHILD_FIGURES = ["funds_in_village", "funds_spent", "funds_villages_reached", "funds_allocated",
                 "funds_village_share"]
ZERO = Decimal("0.00")


def _year_range(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def own_totals(unit: Unit, year: int) -> dict:
    """The unit's own ledger for the year: received (and by source), passed on, spent, and the balance of its
    whole ledger to the year's end."""
    first, last = _year_range(year)
    rows = Entry.objects.filter(unit=unit, on_date__gte=first, on_date__lte=last)
    out = {"received": ZERO, "passed": ZERO, "spent": ZERO, "by_source": {s: ZERO for s in Source.values}}
    for row in rows.values("kind", "source").annotate(t=Sum("amount")).order_by():
        total = row["t"] or ZERO
        if row["kind"] == EntryKind.RECEIPT:
            out["received"] += total
            out["by_source"][row["source"]] += total
        elif row["kind"] == EntryKind.DISBURSEMENT:
            out["passed"] += total
        else:
            out["spent"] += total
    to_date = dict(Entry.objects.filter(unit=unit, on_date__lte=last).values("kind").annotate(t=Sum("amount"))
                   .order_by().values_list("kind", "t"))
    out["balance"] = (to_date.get(EntryKind.RECEIPT) or ZERO) - (to_date.get(EntryKind.DISBURSEMENT) or ZERO) - (
        to_date.get(EntryKind.EXPENSE) or ZERO)
    for key in ("received", "passed", "spent", "balance"):
        out[key] = out[key].quantize(ZERO)
    out["by_source"] = {k: v.quantize(ZERO) for k, v in out["by_source"].items()}
    return out


def _villages_under(unit_ids: list[int]) -> dict[int, int]:
    standing = figures_read(unit_ids, [STANDING])
    return {u: standing.get(u, {}).get(STANDING, {}).get(f"units_geo_{Level.VILLAGE}", 0) for u in unit_ids}


def funds_summary(user, unit: Unit, year: int) -> dict:
    """A unit's funding year: `own` (own_totals), `allocated` (what it split down), `subtree` (the live figures of
    its whole subtree: received by source, received by villages, passed on, spent by purpose, the village share,
    villages reached and without money), and `children` (each child's share from this unit, received by its
    villages, spent, village share, villages reached of its villages)."""
    if not allows(user, Action.VIEW, unit.path):
        raise OutOfScope("not in her scope")
    start, end = year * 100 + 1, year * 100 + 12
    children = list(Unit.objects.filter(parent=unit, kind=Kind.GEOGRAPHIC).exclude(
        source_status=SourceStatus.REMOVED).order_by("code").only("id", "name", "path", "level", "code"))
    values = figure_values([unit.pk], SUBTREE_FIGURES, start=start, end=end)[unit.pk]
    child_values = figure_values([c.pk for c in children], CHILD_FIGURES, start=start, end=end) if children else {}
    villages = _villages_under([unit.pk] + [c.pk for c in children])
    if unit.level == Level.VILLAGE:
        villages[unit.pk] = 1
    given = dict(Share.objects.filter(allocation__unit=unit, allocation__year=year, parent__isnull=True,
                                      unit__in=children).values("unit_id").annotate(t=Sum("amount"))
                 .order_by().values_list("unit_id", "t"))
    rows = []
    for child in children:
        v = child_values.get(child.pk, {})
        total = villages.get(child.pk, 0) if child.level < Level.VILLAGE else 1
        reached = v.get("funds_villages_reached") or 0
        rows.append({"unit": child, "allocated": (given.get(child.pk) or ZERO).quantize(ZERO),
                     "villages_received": v.get("funds_in_village") or ZERO, "spent": v.get("funds_spent") or ZERO,
                     "split_down": v.get("funds_allocated") or ZERO, "village_share": v.get("funds_village_share"),
                     "villages": total, "villages_reached": reached, "villages_without": max(0, total - reached)})
    reached = values.get("funds_villages_reached") or 0
    total = villages.get(unit.pk, 0)
    return {
        "unit": unit, "year": year, "own": own_totals(unit, year),
        "allocated": values.get("funds_allocated") or ZERO,
        "subtree": {**{k: v for k, v in values.items() if k not in ("funds_village_share", "funds_villages_reached")},
                    "village_share": values.get("funds_village_share"), "villages": total,
                    "villages_reached": reached, "villages_without": max(0, total - reached),
                    "by_purpose": [(p, values.get(f"funds_spent_{p.value}") or ZERO) for p in Purpose],
                    "by_source": [(s, values.get(f"funds_in_{s.value}") or ZERO) for s in Source]},
        "children": rows,
    }


def villages_without_funds(user, unit: Unit, year: int):
    """The village federations under `unit` that have received no money from above in `year` (a queryset, to page)."""
    if not allows(user, Action.VIEW, unit.path):
        raise OutOfScope("not in her scope")
    first, last = _year_range(year)
    received = Entry.objects.filter(subtree_q(unit.path, "unit_path"), level=Level.VILLAGE, kind=EntryKind.RECEIPT,
                                    source=Source.PARENT, on_date__gte=first, on_date__lte=last).values("unit_id")
    return (Unit.objects.filter(subtree_q(unit.path), level=Level.VILLAGE, kind=Kind.GEOGRAPHIC)
            .exclude(source_status=SourceStatus.REMOVED).exclude(pk__in=received).order_by("path"))


def allocations_made(user, unit: Unit, *, year: int | None = None):
    """Allocations the unit made (newest first)."""
    if not allows(user, Action.VIEW, unit.path):
        raise OutOfScope("not in her scope")
    rows = Allocation.objects.filter(unit=unit)
    if year:
        rows = rows.filter(year=year)
    return rows.select_related("dispatch", "root", "root__unit").order_by("-created_at")


def shares_received(user, unit: Unit, *, year: int | None = None):
    """The shares allocated to the unit by the units above it (newest first), each with its allocation, whether it
    was split on (`split`), and what was paid and received of it."""
    if not allows(user, Action.VIEW, unit.path):
        raise OutOfScope("not in her scope")
    rows = Share.objects.filter(unit=unit)
    if year:
        rows = rows.filter(allocation__year=year)
    return rows.select_related("allocation", "allocation__unit", "parent").order_by("-allocation__created_at")


def share_children(share: Share):
    """The shares below a unit in between of a cascade (what it passes on, to whom)."""
    return share.children.select_related("unit").order_by("unit_path")


def allocation_shares(allocation: Allocation, *, under: Share | None = None):
    """An allocation's shares one level at a time: its top shares, or those below `under`."""
    rows = allocation.shares.select_related("unit")
    return rows.filter(parent=under) if under is not None else rows.filter(parent__isnull=True)


def allocation_progress(allocation: Allocation) -> dict:
    """How far an allocation has come: paid and received of its top shares, and of its target-level shares."""
    top = allocation.shares.filter(parent__isnull=True).aggregate(amount=Sum("amount"), paid=Sum("paid"),
                                                                  received=Sum("received"))
    leaves = allocation.shares.filter(level=allocation.target_level).aggregate(
        amount=Sum("amount"), got=Sum("received"), units=Count("id"), nothing=Count("id", filter=Q(received=0)))
    return {"top": {k: (v or ZERO).quantize(ZERO) for k, v in top.items()},
            "leaves": {"amount": (leaves["amount"] or ZERO).quantize(ZERO),
                       "received": (leaves["got"] or ZERO).quantize(ZERO),
                       "units": leaves["units"] or 0, "nothing": leaves["nothing"] or 0}}


def allocation_rollup(allocation: Allocation) -> dict:
    """How many of the allocation's receiving units (its dispatch's first recipients) have received their share in
    full: the dispatch roll-up at the allocating unit."""
    from fulian.dispatch.models import Rollup

    row = Rollup.objects.filter(dispatch_id=allocation.dispatch_id, unit_id=allocation.unit_id).first()
    return {"total": row.total if row else allocation.dispatch.recipient_count, "done": row.done if row else 0}


def label_of_year(year: int) -> str:
    return _("%(year)d年度") % {"year": year}
