"""Funding's counted facts (core.figures), in fen (exact integers), live from the ledger and rolled up the tree:

funds_in — money received, and funds_in_<source> by source; funds_in_l<level> — received by the units of a level
(funds_in_l5: by village and community federations); funds_out — passed on to units below; funds_spent, and
funds_spent_<purpose> by purpose; funds_down_r<d> — received by village federations from above, of money whose
cascade started at a unit of level d (so a unit's "share that reached villages" counts the money that came down
through it); funds_villages_reached — village federations that have received money from above in a year (in the
year's January). Each by the month of the line's date; a reversal counts negative in the month of the line it
reverses. The registry's figures show yuan (scale 100). funds_allocated (what a unit split down in the period's
years) and funds_village_share (村级到达率) are computed from the allocations and the live figures.
"""

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from django.db.models import F, Sum
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from fulian.core.figures import FLOW, RATE, figure_define, figures_counter, figures_read, months_between
from fulian.orgs.models import Level, Unit

from .models import Allocation, Entry, EntryKind, Purpose, Share, Source
from .split import to_fen

VILLAGE = int(Level.VILLAGE)


def _period(day: dt.date) -> int:
    return day.year * 100 + day.month


def entry_deltas(entry: Entry) -> list:
    """The figures one ledger line adds (a reversal's amount is negative, so it takes them back)."""
    fen, period, path = to_fen(abs(entry.amount)) * (1 if entry.amount > 0 else -1), _period(entry.on_date), \
        entry.unit_path
    if entry.kind == EntryKind.RECEIPT:
        rows = [(path, period, "funds_in", fen), (path, period, f"funds_in_{entry.source}", fen)]
        if entry.level:
            rows.append((path, period, f"funds_in_l{entry.level}", fen))
        if entry.level == VILLAGE and entry.source == Source.PARENT and entry.root_level:
            rows.append((path, period, f"funds_down_r{entry.root_level}", fen))
        return rows
    if entry.kind == EntryKind.DISBURSEMENT:
        return [(path, period, "funds_out", fen)]
    return [(path, period, "funds_spent", fen), (path, period, f"funds_spent_{entry.purpose}", fen)]


def _received_from_above(unit_id: int, year: int) -> Decimal:
    return Entry.objects.filter(unit_id=unit_id, kind=EntryKind.RECEIPT, source=Source.PARENT,
                                on_date__year=year).aggregate(t=Sum("amount"))["t"] or Decimal(0)


def reached_delta(entry: Entry) -> list:
    """A village federation's first money from above in a year counts it reached (−1 when a correction takes it
    all back). Called after the line is saved, inside its transaction; the unit's row is locked first, so two
    receipts at once count it once."""
    if entry.level != VILLAGE or entry.source != Source.PARENT:
        return []
    Unit.objects.select_for_update().filter(pk=entry.unit_id).exists()
    after = _received_from_above(entry.unit_id, entry.on_date.year)
    before = after - entry.amount
    delta = int(after > 0) - int(before > 0)
    return [(entry.unit_path, entry.on_date.year * 100 + 1, "funds_villages_reached", delta)] if delta else []


@figures_counter
def funding_figures():
    totals: dict = {}
    rows = Entry.objects.values_list("unit_path", "on_date", "kind", "source", "purpose", "level", "root_level",
                                     "amount")
    for path, on_date, kind, source, purpose, level, root_level, amount in rows.iterator(chunk_size=5000):
        line = Entry(unit_path=path, on_date=on_date, kind=kind, source=source, purpose=purpose, level=level,
                     root_level=root_level, amount=amount)
        for key_path, period, metric, fen in entry_deltas(line):
            key = (key_path, period, metric)
            totals[key] = totals.get(key, 0) + fen
    for (path, period, metric), fen in totals.items():
        if fen:
            yield path, period, metric, fen
    reached = (Entry.objects.filter(level=VILLAGE, kind=EntryKind.RECEIPT, source=Source.PARENT)
               .values("unit_path", "on_date__year").annotate(t=Sum("amount")).order_by())
    for row in reached.iterator(chunk_size=5000):
        if row["t"] and row["t"] > 0:
            yield row["unit_path"], row["on_date__year"] * 100 + 1, "funds_villages_reached", 1


def _years(start: int, end: int) -> list[int]:
    return list(range(start // 100, end // 100 + 1))


def allocated(unit_ids, start, end) -> dict:
    """What each unit split down in the period's years: its allocations, and the money it passed on as a unit in
    between of a cascade (its shares less what it kept, where it has units below in the cascade)."""
    years = _years(start, end)
    out = {u: Decimal(0) for u in unit_ids}
    for row in (Allocation.objects.filter(unit_id__in=unit_ids, year__in=years).values("unit_id")
                .annotate(t=Sum("amount")).order_by()):
        out[row["unit_id"]] += row["t"] or 0
    through = (Share.objects.filter(unit_id__in=unit_ids, allocation__year__in=years, level__lt=F(
        "allocation__target_level")).values("unit_id").annotate(t=Sum(F("amount") - F("kept"))).order_by())
    for row in through:
        out[row["unit_id"]] += row["t"] or 0
    return {u: v.quantize(Decimal("0.01")) for u, v in out.items()}


def village_share(unit_ids, start, end) -> dict:
    """村级到达率: money received by the village federations under each unit, of cascades that came down through it
    (started at its level or above), ÷ what it split down in the period's years."""
    denominators = allocated(unit_ids, start, end)
    levels = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "level"))
    months = months_between(_years(start, end)[0] * 100 + 1, _years(start, end)[-1] * 100 + 12)
    data = figures_read(list(unit_ids), months)
    out = {}
    for unit_id in unit_ids:
        per = denominators.get(unit_id) or 0
        if not per:
            out[unit_id] = None
            continue
        rows = data.get(unit_id, {})
        fen = sum(rows.get(p, {}).get(f"funds_down_r{d}", 0) or 0 for p in months
                  for d in range(1, (levels.get(unit_id) or 0) + 1))
        out[unit_id] = float(Fraction(fen, to_fen(per)))
    return out


def _money(key, label, source, metric=""):
    figure_define(key, label, kind=FLOW, metric=metric, source=source, scale=100)


_money("funds_in", _("收到经费(元)"), _("经费台账：收入"))
for _source in Source:
    _money(f"funds_in_{_source.value}", format_lazy(_("收到经费：{}(元)"), _source.label), _("经费台账：收入"))
_money("funds_in_village", _("村(社区)妇联收到经费(元)"), _("经费台账：村(社区)妇联的收入"),
       metric=f"funds_in_l{VILLAGE}")
_money("funds_out", _("拨付下级(元)"), _("经费台账：拨付"))
_money("funds_spent", _("经费支出(元)"), _("经费台账：支出"))
for _purpose in Purpose:
    _money(f"funds_spent_{_purpose.value}", format_lazy(_("经费支出：{}(元)"), _purpose.label), _("经费台账：支出"))
figure_define("funds_villages_reached", _("收到上级经费的村(社区)妇联(个)"), kind=FLOW,
              source=_("经费台账：村(社区)妇联收到上级拨付的记录"))
figure_define("funds_allocated", _("本级分配下达经费(元)"), kind=FLOW, compute=allocated,
              source=_("经费分配：本级下达和逐级转拨的金额"))
figure_define("funds_village_share", _("经费到村比例"), kind=RATE, per="funds_allocated", compute=village_share,
              source=_("村(社区)妇联到账金额 ÷ 本级分配下达金额"))
