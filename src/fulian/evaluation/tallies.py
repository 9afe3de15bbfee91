"""Live figures rolled up the five levels.

Design: a counted record (a survey answer, a registered woman, a contact, a need) adds its delta to
Tally rows keyed (unit, period, metric) for its own unit and every ancestor, in the writer's transaction.
Each delta goes to the month (YYYYMM) and to the year (YYYY00), so a dashboard reads a dozen rows for a
year at any level, and a ranking reads one row per unit and metric. Rows are upserted with
INSERT … ON CONFLICT DO UPDATE SET value = value + excluded.value (SQLite ≥ 3.24 and PostgreSQL alike),
in key order so concurrent writers lock ancestors in the same order. `recount()` rebuilds every figure
from the records and reports any difference; deletes subtract, so figures never drift by design, and the
recount proves it.
"""

import random
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db import connection
from django.db.models import Sum

from fulian.core.figures import period_of  # noqa: F401  (re-exported for evaluation's own writers)
from fulian.core.tree import SEGMENT, ancestor_paths
from fulian.core.writes import execute_statements
from fulian.orgs.models import Unit

from .models import Rate, Tally

RATES = [r.value for r in Rate]
METRICS = ["responses", "responses_unverified", "women_registered", "contacts", "needs_raised", "needs_met",
           "cases_opened", "cases_closed", "cases_acted", "cases_acted_on_time", "cases_rated", "cases_satisfied"] + [
    f"{r}_{part}" for r in RATES for part in ("answered", "positive")
]
BATCH = 500
SLOTTED_DEPTH = 2  # province and city rows are spread over FIGURE_SLOTS slots; county and below have one


def year_of(period: int) -> int:
    return (period // 100) * 100


def periods_of(period: int) -> tuple[int, ...]:
    """Where a delta of this period is kept: the month and its year; a standing count (period 0) once."""
    year = year_of(period)
    return (period,) if year == period else (period, year)


def tally_add(deltas: Iterable[tuple[str, int, str, int]]) -> None:
    """Add (unit_path, month period, metric, delta) to that unit, every ancestor, the month and the year."""
    execute_statements(tally_statements(deltas))


def tally_statements(deltas: Iterable[tuple[str, int, str, int]]) -> list[tuple[str, list]]:
    """The upserts for `tally_add`: they find the units by path themselves (no lookup round trip) and take the
    rows in key order, so concurrent writers lock the shared ancestors in the same order."""
    slots = max(1, settings.FIGURE_SLOTS)
    slot = random.randrange(slots)  # noqa: S311  (spreading writers over counter rows, not a secret)
    rows: dict[tuple[str, int, str, int], int] = defaultdict(int)
    for path, period, metric, delta in deltas:
        if delta:
            for ap in ancestor_paths(path):
                at = slot if len(ap) <= SLOTTED_DEPTH * SEGMENT else 0
                for target in periods_of(period):
                    rows[(ap, target, metric, at)] += delta
    items = sorted((k, v) for k, v in rows.items() if v)
    table, units = Tally._meta.db_table, Unit._meta.db_table
    statements = []
    for start in range(0, len(items), BATCH):
        chunk = items[start : start + BATCH]
        if connection.vendor == "postgresql":  # no WITH of its own: it may itself be a CTE of a larger statement
            # five arrays, not five parameters a row: a help request's statement stays short for the driver to read
            source = ("unnest(%s::text[], %s::integer[], %s::text[], %s::integer[], %s::bigint[]) "
                      "AS d (path, period, metric, slot, value)")
            params = [list(column) for column in zip(*((p, period, m, at, v) for (p, period, m, at), v in chunk),
                                                     strict=True)]
            prefix = ""
        else:  # SQLite names a VALUES list's columns only in a CTE
            values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk))
            params = [x for (path, period, metric, at), v in chunk for x in (path, period, metric, at, v)]
            source, prefix = "d", f"WITH d (path, period, metric, slot, value) AS (VALUES {values}) "
        statements.append((
            f"{prefix}INSERT INTO {table} (unit_id, period, metric, slot, value) "  # noqa: S608
            f"SELECT u.id, d.period, d.metric, d.slot, d.value FROM {source} JOIN {units} u ON u.path = d.path "
            f"WHERE true ORDER BY u.id, d.period, d.metric, d.slot "  # WHERE: SQLite's upsert-after-join rule
            f"ON CONFLICT (unit_id, period, metric, slot) DO UPDATE SET value = {table}.value + excluded.value",
            params,
        ))
    return statements


def figures_for(unit_ids: list[int], periods: list[int]) -> dict[int, dict[int, dict[str, int]]]:
    """{unit_id: {period: {metric: value}}} for the given units and periods."""
    result: dict[int, dict[int, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    rows = (Tally.objects.filter(unit_id__in=unit_ids, period__in=periods).values("unit_id", "period", "metric")
            .annotate(total=Sum("value")).order_by().values_list("unit_id", "period", "metric", "total"))
    for unit_id, period, metric, value in rows:  # a figure is the sum of its slots
        result[unit_id][period][metric] = value
    return result


def rates_of(values: dict[str, int]) -> dict[str, float | None]:
    """The four rates from answered/positive counts; None (no data) where nobody answered, never 0%."""
    out = {}
    for rate in RATES:
        answered = values.get(f"{rate}_answered", 0)
        out[rate] = values.get(f"{rate}_positive", 0) / answered if answered else None
    return out
