"""Counted facts, announced by the apps that write them and kept by the one that keeps figures.

A writer (people, contacts, cases, and the modules to come) calls `figures_add([(unit_path, YYYYMM, metric,
delta), …])` inside its own transaction; the keeper registered with `figures_listen` (evaluation's tallies) turns
them into the statements that add them to the live figures (rows of its journal, folded later), run at once or,
inside a write path (`core.writes`), as the last part of its one statement — in that same transaction either way.
For the recount, each writer registers with `figures_counter` a function that yields the same tuples counted from
its records. So writers
import nothing of evaluation and evaluation imports no writer's models: a new module adds a metric name, a
`figures_add` call and a counter. Standing counts (units under a unit) are figures of period `STANDING`, and
modules below the keeper read figures through `figures_read`.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from .writes import Statement, pending, write_path

Delta = tuple[str, int, str, int]
STANDING = 0  # the period of figures that are not of a month: standing counts (units under a unit)
_listeners: list[Callable[[list[Delta]], list[Statement]]] = []
_counters: list[Callable[[], Iterator[Delta]]] = []


def period_of(value) -> int:
    """YYYYMM of a date, or of a datetime in the local time zone."""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return value.year * 100 + value.month


def figures_listen(listener: Callable[[list[Delta]], list[Statement]]) -> None:
    """Register the keeper: given deltas, it returns the SQL statements (sql, params) that add them."""
    if listener not in _listeners:
        _listeners.append(listener)


def figures_add(deltas: Iterable[Delta]) -> None:
    """Announce deltas: kept at once, or inside a write path (`core.writes`) together with its other deltas as
    the last statement before its COMMIT."""
    deltas = list(deltas)
    rows = pending()
    if rows is not None:
        rows.figures += deltas
    else:
        with write_path(collect_only=True):
            pending().figures += deltas


def figures_statements(deltas: list[Delta]) -> list[Statement]:
    return [statement for listener in _listeners for statement in listener(deltas)] if deltas else []


_readers: list = []


def figures_reader(reader: Callable[[list[int], list[int]], dict]) -> None:
    """Register the keeper's reader: (unit ids, periods) -> {unit_id: {period: {metric: value}}}."""
    if reader not in _readers:
        _readers.append(reader)


def figures_read(unit_ids: list[int], periods: list[int]) -> dict:
    """The live figures of these units and periods, for modules below the keeper (the tree page)."""
    return _readers[0](unit_ids, periods) if _readers else {}


def figures_counter(counter: Callable[[], Iterator[Delta]]) -> Callable[[], Iterator[Delta]]:
    """Register (as a decorator) how to count metrics from the records, for the recount."""
    if counter not in _counters:
        _counters.append(counter)
    return counter


def figures_counted() -> Iterator[Delta]:
    for counter in _counters:
        yield from counter()


def period_rows(queryset, path_field: str, date_field: str, metric: str, value=None) -> Iterator[Delta]:
    """(unit_path, YYYYMM, metric, n) grouped in the database: the building block of a counter."""
    from django.db.models import Count
    from django.db.models.functions import ExtractMonth, ExtractYear

    rows = (
        queryset.annotate(y=ExtractYear(date_field), m=ExtractMonth(date_field))
        .values(path_field, "y", "m").annotate(n=value or Count("id")).order_by()
    )
    for r in rows.iterator(chunk_size=5000):
        if r["n"]:
            yield r[path_field], r["y"] * 100 + r["m"], metric, r["n"]


# The figure registry: what a report field, a dashboard tile or a later module may ask for by name. Each app
# defines its own figures (in its figures.py) from the metrics it announces; `figure_values` computes them for
# any units and any month-aligned period, from the live figures (or from the records, for a figure with its own
# `compute`), so a report is filled from the records and never typed.
FLOW, STOCK, CURRENT, RATE = "flow", "stock", "current", "rate"
FIRST_YEAR = 2000  # stocks sum every year of records before the period's last year


@dataclass(frozen=True)
class Figure:
    """`kind`: FLOW (what happened within the period: its months summed), STOCK (as of the period's end: every
    month up to its end summed), CURRENT (a standing count as it is now), RATE (`metric` / `per`, both flows of
    the period, as a share). `source` says where the number comes from, for the page that shows it. `scale`: the
    metric is counted in units of 1/scale (money in fen, scale 100); the figure is then an exact Decimal."""

    key: str
    label: str
    kind: str
    metric: str = ""
    per: str = ""
    source: str = ""
    compute: Callable | None = field(default=None, compare=False)
    scale: int = 1


_figures: dict[str, Figure] = {}


def figure_define(key: str, label, *, kind: str, metric: str = "", per: str = "", source="", compute=None,
                  scale: int = 1) -> Figure:
    """Add a figure to the registry (from an app's figures.py). `compute(unit_ids, start, end)` returning
    {unit_id: value} replaces the tally metric for a figure counted straight from the records."""
    if kind not in (FLOW, STOCK, CURRENT, RATE):
        raise ValueError(f"unknown figure kind {kind}")
    if kind == RATE and not per:
        raise ValueError("a rate needs `per`")
    figure = Figure(key, label, kind, metric or key, per, source, compute, scale)
    _figures[key] = figure
    return figure


def figures_defined() -> list[Figure]:
    return sorted(_figures.values(), key=lambda f: f.key)


def figure_get(key: str) -> Figure | None:
    return _figures.get(key)


def months_between(start: int, end: int) -> list[int]:
    """The YYYYMM periods from `start` to `end` inclusive."""
    if start > end:
        return []
    months, year, month = [], start // 100, start % 100
    while year * 100 + month <= end:
        months.append(year * 100 + month)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def figure_values(unit_ids: list[int], keys: list[str], *, start: int, end: int) -> dict[int, dict[str, object]]:
    """{unit_id: {figure key: value}} for each unit's subtree over the months `start`..`end` (YYYYMM). A rate is a
    fraction (None where nothing was counted); unknown keys are left out."""
    figures = [_figures[k] for k in keys if k in _figures]
    months = months_between(start, end)
    end_year = end // 100
    stock_periods = [y * 100 for y in range(FIRST_YEAR, end_year)] + months_between(end_year * 100 + 1, end)
    wanted = set()
    if any(f.kind in (FLOW, RATE) for f in figures if f.compute is None):
        wanted |= set(months)
    if any(f.kind == STOCK for f in figures if f.compute is None):
        wanted |= set(stock_periods)
    if any(f.kind == CURRENT for f in figures if f.compute is None):
        wanted.add(STANDING)
    data = figures_read(unit_ids, sorted(wanted)) if wanted else {}
    out: dict[int, dict[str, object]] = {u: {} for u in unit_ids}
    for figure in figures:
        if figure.compute is not None:
            for unit_id, value in figure.compute(unit_ids, start, end).items():
                out.setdefault(unit_id, {})[figure.key] = value
            continue
        for unit_id in unit_ids:
            rows = data.get(unit_id, {})

            def total(metric, periods, rows=rows):
                return sum(rows.get(p, {}).get(metric, 0) or 0 for p in periods)

            if figure.kind == FLOW:
                value = total(figure.metric, months)
            elif figure.kind == STOCK:
                value = total(figure.metric, stock_periods)
            elif figure.kind == CURRENT:
                value = total(figure.metric, [STANDING])
            else:
                per = total(figure.per, months)
                value = total(figure.metric, months) / per if per else None
            if figure.scale != 1 and figure.kind != RATE:
                value = (Decimal(value) / figure.scale).quantize(Decimal(1) / figure.scale)
            out[unit_id][figure.key] = value
    return out
