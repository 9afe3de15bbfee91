"""Rebuild every live figure from the records and report where the stored figures (Tally and the journal rows not
folded yet) differ."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count, Q, Sum

from fulian.core.figures import figures_counted
from fulian.core.tree import ancestor_paths
from fulian.orgs.models import Unit

from .models import Answer, Response, Tally, TallyDelta
from .tallies import periods_of


@dataclass
class RecountReport:
    rows: int = 0
    # (unit id, period, metric, stored, counted from the records)
    differences: list[tuple[int, int, str, int, int]] = field(default_factory=list)
    fixed: bool = False


def counted_leaves():
    """Every metric from the records, at the unit where each record sits: the writers' counters (registered with
    core.figures) and evaluation's own answer sheets."""
    yield from figures_counted()
    sheets = Response.objects.values("unit_path", "period", "is_verified").annotate(n=Count("id")).order_by()
    for r in sheets.iterator(5000):
        yield r["unit_path"], r["period"], "responses" if r["is_verified"] else "responses_unverified", r["n"]
    answers = (
        Answer.objects.filter(is_positive__isnull=False, response__is_verified=True)
        .values("response__unit_path", "response__period", "question__rate")
        .annotate(answered=Count("id"), positive=Count("id", filter=Q(is_positive=True))).order_by()
    )
    for r in answers.iterator(5000):
        rate = r["question__rate"]
        yield r["response__unit_path"], r["response__period"], f"{rate}_answered", r["answered"]
        if r["positive"]:
            yield r["response__unit_path"], r["response__period"], f"{rate}_positive", r["positive"]


def recount(*, fix: bool = False) -> RecountReport:
    ids = dict(Unit.objects.values_list("path", "id").iterator(chunk_size=20000))
    expected: dict[tuple[int, int, str], int] = defaultdict(int)
    for path, period, metric, n in counted_leaves():
        for ap in ancestor_paths(path):
            unit_id = ids.get(ap)
            if unit_id is not None:
                for target in periods_of(period):
                    expected[(unit_id, target, metric)] += n
    stored: dict[tuple[int, int, str], int] = defaultdict(int)  # a figure is the sum of its slots
    alone = not connection.in_atomic_block
    with transaction.atomic():  # Tally and the journal as of one moment (a fold moves rows from one to the other)
        if connection.vendor == "postgresql" and alone:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        for u, p, m, v in Tally.objects.values_list("unit_id", "period", "metric", "value").iterator(chunk_size=20000):
            stored[(u, p, m)] += v
        journal = TallyDelta.objects.values_list("unit_path", "period", "metric").annotate(v=Sum("value")).order_by()
        for path, period, metric, v in journal.iterator(chunk_size=20000):  # the rows not folded yet count as well
            for ap in ancestor_paths(path):
                unit_id = ids.get(ap)
                if unit_id is not None:
                    for target in periods_of(period):
                        stored[(unit_id, target, metric)] += v
    report = RecountReport(rows=len(expected))
    for key in expected.keys() | stored.keys():
        have, want = stored.get(key, 0), expected.get(key, 0)
        if have != want:
            report.differences.append((*key, have, want))
    if fix and report.differences:
        with transaction.atomic():
            TallyDelta.objects.all().delete()
            Tally.objects.all().delete()
            Tally.objects.bulk_create(
                (Tally(unit_id=u, period=p, metric=m, value=v) for (u, p, m), v in expected.items() if v),
                batch_size=5000)
        report.fixed = True
    return report

