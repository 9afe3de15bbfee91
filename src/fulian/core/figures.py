"""Counted facts, announced by the apps that write them and kept by the one that keeps figures.

A writer (people, contacts, cases, and the modules to come) calls `figures_add([(unit_path, YYYYMM, metric,
delta), …])` inside its own transaction; the keeper registered with `figures_listen` (evaluation's tallies) turns
them into the statements that add them to the live figures, run at once or, inside a write path (`core.writes`),
as the last part of its one statement — in that same transaction either way. For the recount, each writer
registers with `figures_counter` a function that yields the same tuples counted from its records. So writers
import nothing of evaluation and evaluation imports no writer's models: a new module adds a metric name, a
`figures_add` call and a counter. Standing counts (units under a unit) are figures of period `STANDING`, and
modules below the keeper read figures through `figures_read`.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Iterator

from django.utils import timezone

from .writes import Statement, execute_statements, pending

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
        execute_statements(figures_statements(deltas))


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
