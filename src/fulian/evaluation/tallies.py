"""Live figures rolled up the five levels.

Design: a counted record (a survey answer, a registered woman, a contact, a need, a check-in) appends its delta
at its own unit to the figure journal (TallyDelta), in the writer's transaction: one multi-row INSERT of a few
rows that no other writer touches. `figures_fold` moves journal rows into Tally rows keyed (unit, period, metric)
for the unit and every ancestor, each delta to the month (YYYYMM) and to the year (YYYY00), so a dashboard reads
a dozen rows for a year at any level, and a ranking reads one row per unit and metric. The fold deletes the rows
it takes (SKIP LOCKED: two folds never take the same row) and upserts their sums with INSERT … ON CONFLICT DO
UPDATE SET value = value + excluded.value (SQLite ≥ 3.24 and PostgreSQL alike) in key order, in one transaction,
so a figure is always Tally + the journal's rows under it, and `figures_for` reads both in one statement (one
snapshot): live to the last commit. A process folds after every FOLD_AFTER rows it appended (after its commit),
and `manage.py figures_fold` (the scheduler, every minute) folds what is left. `recount()` rebuilds every figure
from the records, counts the journal too, and reports any difference; deletes subtract, so figures never drift by
design, and the recount proves it.

Before the journal, every check-in upserted 24 Tally rows (4 levels × month and year × 3 metrics) in its own
statement; the rows at the top are shared by every writer of the province.
"""

import logging
import random
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction

from fulian.core.figures import figures_add, period_of  # noqa: F401  (period_of: re-exported for evaluation's writers)
from fulian.core.tree import SEGMENT, ancestor_paths
from fulian.core.writes import after_write, prepared_cursor
from fulian.orgs.models import Unit

from .models import Rate, Tally, TallyDelta

logger = logging.getLogger(__name__)

RATES = [r.value for r in Rate]
METRICS = ["responses", "responses_unverified", "women_registered", "contacts", "needs_raised", "needs_met",
           "cases_opened", "cases_closed", "cases_acted", "cases_acted_on_time", "cases_rated", "cases_satisfied"] + [
    f"{r}_{part}" for r in RATES for part in ("answered", "positive")
]
BATCH = 500
SLOTTED_DEPTH = 2  # province and city rows are spread over FIGURE_SLOTS slots; county and below have one
FOLD_AFTER = 500  # journal rows a process appends before it folds the journal (after its commit)
FOLD_ROWS = 10_000  # journal rows one fold transaction takes at most
PLAIN_ROWS = 16  # up to this many journal rows are sent as VALUES (cheaper for the driver), more as four arrays


def year_of(period: int) -> int:
    return (period // 100) * 100


def periods_of(period: int) -> tuple[int, ...]:
    """Where a delta of this period is kept: the month and its year; a standing count (period 0) once."""
    year = year_of(period)
    return (period,) if year == period else (period, year)


def tally_add(deltas: Iterable[tuple[str, int, str, int]]) -> None:
    """Add (unit_path, month period, metric, delta) to that unit, every ancestor, the month and the year: through
    the journal, as every writer's figures."""
    figures_add(deltas)


class _Appended:
    rows = 0  # journal rows this process appended since its last fold


def tally_statements(deltas: Iterable[tuple[str, int, str, int]]) -> list[tuple[str, list]]:
    """The figure keeper's answer to `figures_add`: one INSERT of the leaf deltas into the journal (plain VALUES for
    a few, as a check-in's three or four: arrays cost the driver more to send). Every FOLD_AFTER rows, a fold after
    the commit."""
    rows: dict[tuple[str, int, str], int] = defaultdict(int)
    for path, period, metric, delta in deltas:
        if delta:
            rows[(path, period, metric)] += delta
    items = [(k, v) for k, v in rows.items() if v]
    if not items:
        return []
    _Appended.rows += len(items)
    if _Appended.rows >= FOLD_AFTER:
        _Appended.rows = 0
        after_write(_fold_quietly)
    head = f"INSERT INTO {TallyDelta._meta.db_table} (unit_path, period, metric, value)"
    if connection.vendor == "postgresql" and len(items) > PLAIN_ROWS:  # any number of rows in four parameters
        params = [list(column) for column in zip(*((p, period, m, v) for (p, period, m), v in items), strict=True)]
        return [(f"{head} SELECT * FROM unnest(%s::text[], %s::integer[], %s::text[], %s::bigint[])", params)]  # noqa: S608
    statements = []
    for start in range(0, len(items), BATCH):
        chunk = items[start : start + BATCH]
        statements.append((f"{head} VALUES {', '.join(['(%s, %s, %s, %s)'] * len(chunk))}",
                           [x for (p, period, m), v in chunk for x in (p, period, m, v)]))
    return statements


def _fold_quietly() -> None:
    try:
        figures_fold()
    except Exception:  # a fold that fails leaves the journal as it was: the next one takes its rows
        logger.exception("figures_fold failed")


def figures_fold(*, rows: int = FOLD_ROWS) -> int:
    """Move journal rows into Tally until the journal is empty (or what is left is another fold's): each batch of
    up to `rows` deleted and added in one transaction, so a figure is never counted twice or not at all. The rows
    moved."""
    moved = 0
    while True:
        n = _fold_batch(rows)
        moved += n
        if n < rows:
            return moved


def _fold_batch(rows: int) -> int:
    table = TallyDelta._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"WITH gone AS (DELETE FROM {table} WHERE id IN (SELECT id FROM {table} ORDER BY id LIMIT %s "  # noqa: S608
                f"FOR UPDATE SKIP LOCKED) RETURNING unit_path, period, metric, value) "
                f"SELECT unit_path, period, metric, SUM(value), COUNT(*) FROM gone GROUP BY unit_path, period, metric",
                [rows])
            sums = cursor.fetchall()
        else:  # one writer at a time (the transaction holds SQLite's write lock from its start)
            cursor.execute(f"SELECT MAX(id) FROM (SELECT id FROM {table} ORDER BY id LIMIT %s)", [rows])  # noqa: S608
            last = cursor.fetchone()[0]
            if last is None:
                return 0
            cursor.execute(f"SELECT unit_path, period, metric, SUM(value), COUNT(*) FROM {table} "  # noqa: S608
                           f"WHERE id <= %s GROUP BY unit_path, period, metric", [last])
            sums = cursor.fetchall()
            cursor.execute(f"DELETE FROM {table} WHERE id <= %s", [last])  # noqa: S608
        # one statement at a time, in key order: two folds then take the rows they share in the same order (as CTEs of
        # one statement they would run in no set order, and deadlock)
        for sql, params in upsert_statements((path, period, metric, value) for path, period, metric, value, _n in sums):
            cursor.execute(sql, params)
    return sum(n for *_rest, n in sums)


def upsert_statements(deltas: Iterable[tuple[str, int, str, int]]) -> list[tuple[str, list]]:
    """The upserts a fold makes of journal rows: they find the units by path themselves (no lookup round trip) and
    take the rows in key order, so concurrent folds lock the shared ancestors in the same order."""
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
    """{unit_id: {period: {metric: value}}} for the given units and periods: Tally (a figure is the sum of its
    slots) and the journal rows not yet folded under each unit, read by one statement, so a fold committing
    meanwhile is seen whole or not at all."""
    result: dict[int, dict[int, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    unit_ids, periods = list(dict.fromkeys(unit_ids)), sorted(set(periods))
    if not unit_ids or not periods:
        return result
    years = sorted({year_of(p) for p in periods if p and year_of(p) == p})
    tally, journal, units = Tally._meta.db_table, TallyDelta._meta.db_table, Unit._meta.db_table
    ids, asked = ", ".join(["%s"] * len(unit_ids)), ", ".join(["%s"] * len(periods))
    in_years = f" OR (period / 100) * 100 IN ({', '.join(['%s'] * len(years))})" if years else ""
    sql = (f"SELECT 0, unit_id, '', period, metric, SUM(value) FROM {tally} "  # noqa: S608  (names, no data)
           f"WHERE unit_id IN ({ids}) AND period IN ({asked}) GROUP BY unit_id, period, metric "
           f"UNION ALL SELECT 1, 0, unit_path, period, metric, SUM(value) FROM {journal} "
           f"WHERE period IN ({asked}){in_years} GROUP BY unit_path, period, metric "
           f"UNION ALL SELECT 2, id, path, 0, '', 0 FROM {units} WHERE id IN ({ids})")
    params = [*unit_ids, *periods, *periods, *years, *unit_ids]
    with prepared_cursor(len(params)) as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    asked_periods = set(periods)
    id_of = {path: unit_id for part, unit_id, path, *_rest in rows if part == 2}
    for part, unit_id, _path, period, metric, value in rows:
        if part == 0:
            result[unit_id][period][metric] = result[unit_id][period].get(metric, 0) + int(value)
    for part, _unit_id, path, period, metric, value in rows:
        if part != 1:  # a sum of 0 too: the figure was counted, as a Tally row of 0 says
            continue
        value, targets = int(value), [p for p in periods_of(period) if p in asked_periods]
        for ap in ancestor_paths(path):
            unit_id = id_of.get(ap)
            if unit_id is not None:
                for target in targets:
                    result[unit_id][target][metric] = result[unit_id][target].get(metric, 0) + value
    return result


def rates_of(values: dict[str, int]) -> dict[str, float | None]:
    """The four rates from answered/positive counts; None (no data) where nobody answered, never 0%."""
    out = {}
    for rate in RATES:
        answered = values.get(f"{rate}_answered", 0)
        out[rate] = values.get(f"{rate}_positive", 0) / answered if answered else None
    return out
