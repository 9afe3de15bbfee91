"""Rebuild every live figure from the records and report where the stored figures differ."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth, ExtractYear

from fulian.contacts.models import ContactLog, Need, NeedStatus
from fulian.core.tree import ancestor_paths
from fulian.orgs.models import Unit
from fulian.people.models import Woman

from .models import Answer, Response, Tally
from .tallies import year_of


@dataclass
class RecountReport:
    rows: int = 0
    # (unit id, period, metric, stored, counted from the records)
    differences: list[tuple[int, int, str, int, int]] = field(default_factory=list)
    fixed: bool = False


def _period_rows(queryset, path_field: str, date_field: str, metric: str, value=None):
    """(unit_path, YYYYMM, metric, n) grouped in the database."""
    rows = (
        queryset.annotate(y=ExtractYear(date_field), m=ExtractMonth(date_field))
        .values(path_field, "y", "m").annotate(n=value or Count("id")).order_by()
    )
    for r in rows.iterator(chunk_size=5000):
        if r["n"]:
            yield r[path_field], r["y"] * 100 + r["m"], metric, r["n"]


def counted_leaves():
    """Every metric from the records, at the unit where each record sits."""
    yield from _period_rows(Woman.objects.filter(merged_into__isnull=True), "unit_path", "created_at",
                            "women_registered")
    yield from _period_rows(ContactLog.objects.all(), "unit_path", "contacted_on", "contacts")
    yield from _period_rows(Need.objects.all(), "unit_path", "contact_log__contacted_on", "needs_raised")
    yield from _period_rows(Need.objects.filter(status=NeedStatus.MET, resolved_on__isnull=False), "unit_path",
                            "resolved_on", "needs_met")
    yield from _case_leaves()
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
                expected[(unit_id, period, metric)] += n
                expected[(unit_id, year_of(period), metric)] += n
    stored = {(u, p, m): v for u, p, m, v in
              Tally.objects.values_list("unit_id", "period", "metric", "value").iterator(chunk_size=20000)}
    report = RecountReport(rows=len(expected))
    for key in expected.keys() | stored.keys():
        have, want = stored.get(key, 0), expected.get(key, 0)
        if have != want:
            report.differences.append((*key, have, want))
    if fix and report.differences:
        with transaction.atomic():
            Tally.objects.all().delete()
            Tally.objects.bulk_create(
                (Tally(unit_id=u, period=p, metric=m, value=v) for (u, p, m), v in expected.items() if v),
                batch_size=5000)
        report.fixed = True
    return report




def _case_leaves():
    from django.db.models import F

    from fulian.cases.models import Case, CaseStatus

    cases = Case.objects.all()
    yield from _period_rows(cases, "home_unit__path", "created_at", "cases_opened")
    yield from _period_rows(cases.filter(status=CaseStatus.CLOSED), "home_unit__path", "closed_at", "cases_closed")
    acted = cases.filter(first_action_at__isnull=False)
    yield from _period_rows(acted, "home_unit__path", "created_at", "cases_acted")
    on_time = acted.filter(first_action_at__lte=F("first_action_due"), escalations=0)
    yield from _period_rows(on_time, "home_unit__path", "created_at", "cases_acted_on_time")
    rated = cases.filter(satisfaction__isnull=False, closed_at__isnull=False)
    yield from _period_rows(rated, "home_unit__path", "closed_at", "cases_rated")
    yield from _period_rows(rated.filter(satisfaction__gte=4), "home_unit__path", "closed_at", "cases_satisfied")
