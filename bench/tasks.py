"""Issue 14 figures: (a) a task with a report form sent from 河北省 to every one of its villages (≈54,000 units) by
work.services.task_issue, timed until every village sees it (its Recipient rows are all there and a village
cadre's to-do list shows it), against a bare INSERT … SELECT of the same villages' rows into a scratch table of
the same columns with only a primary key (the goal, ≤ 5×), and (PostgreSQL) into a copy of the recipient table
with its indexes plus the four foreign-key constraints Django would have given it (what the recipient table left
out: their per-row checks at COMMIT; see dispatch/models.py), in the same run, the
median of 3 interleaved rounds; (b) the completion page's reading (work.selectors.completion) at the province
root vs at a county, after some villages reported."""

import datetime as dt
import random
import statistics
import time

from django.db import connection
from django.test import Client
from django.utils import timezone

from fulian.accounts.tests.factories import UserFactory
from fulian.core.tree import subtree_q
from fulian.dispatch.models import Recipient
from fulian.orgs.models import Kind, Level, Unit
from fulian.work import selectors, services

from .run import ROUNDS, compare

REPORTED = 300  # villages that have reported when the completion page is read
SCRATCH = "bench_bare_recipient"
LIKE = "bench_like_recipient"
FIELDS = [
    {"key": "women", "label": "登记妇女", "kind": "computed", "figure": "women_registered"},
    {"key": "contacts", "label": "联系妇女人次", "kind": "computed", "figure": "contacts"},
    {"key": "cases", "label": "受理求助", "kind": "computed", "figure": "cases_opened"},
    {"key": "homes", "label": "妇女之家", "kind": "computed", "figure": "womens_homes"},
    {"key": "trainings", "label": "培训场次", "kind": "number", "aggregate": "sum"},
]


def _scratch_create() -> None:
    pk = "bigserial PRIMARY KEY" if connection.vendor == "postgresql" else "integer PRIMARY KEY AUTOINCREMENT"
    stamp = "timestamp with time zone" if connection.vendor == "postgresql" else "datetime"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {SCRATCH}")
        cursor.execute(
            f"CREATE TABLE {SCRATCH} (id {pk}, dispatch_id bigint NOT NULL, unit_id bigint NOT NULL, "
            f"unit_path varchar(64) NOT NULL, parent_id bigint NULL, state varchar(14) NOT NULL, "
            f"deadline {stamp} NOT NULL, reminders integer NOT NULL, overdue_counted boolean NOT NULL, "
            f"version integer NOT NULL)")


def _like_create() -> None:
    """A copy of the recipient table: its columns, indexes, unique and check constraints and foreign keys."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {LIKE}")
        cursor.execute(f"CREATE TABLE {LIKE} (LIKE {Recipient._meta.db_table} INCLUDING ALL)")
        for column, target in (("dispatch_id", "dispatch_dispatch"), ("unit_id", "orgs_unit"),
                               ("done_by_id", "accounts_user"), ("parent_id", LIKE)):
            cursor.execute(f"ALTER TABLE {LIKE} ADD FOREIGN KEY ({column}) REFERENCES {target} (id) "
                           f"DEFERRABLE INITIALLY DEFERRED")


def _bare_insert(villages, batch: int, deadline, *, table: str = SCRATCH) -> int:
    """The reference: the same rows, one INSERT … SELECT, into a table with no other index or constraint."""
    sql, params = villages.values("id", "path").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (dispatch_id, unit_id, unit_path, parent_id, state, deadline, reminders, "  # noqa: S608
            f"overdue_counted, version) SELECT %s, s.id, s.path, NULL, %s, %s, 0, %s, 1 FROM ({sql}) s",
            [batch, "received", connection.ops.adapt_datetimefield_value(deadline), False, *params])
        return cursor.rowcount


def _analyze() -> None:
    with connection.cursor() as cursor:  # what autovacuum does after a bulk write in production
        cursor.execute("ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def run(report, *, repeat: int) -> None:
    if not Unit.objects.filter(code="130000000000").exists():
        from fulian.orgs.divisions import divisions_load, divisions_read

        divisions_load(divisions=divisions_read(provinces=["13"]))
    hebei = Unit.objects.get(code="130000000000")
    villages = Unit.objects.filter(subtree_q(hebei.path, include_self=False), level=Level.VILLAGE,
                                   kind=Kind.GEOGRAPHIC)
    village_count = villages.count()
    sample = villages.order_by("code")[village_count // 2]
    chair = UserFactory(username="bench-tasks-province", unit=hebei, roles=["chair"])
    cadre = UserFactory(username="bench-tasks-village", unit=sample, roles=["staff"])
    template = services.report_template_create(actor=chair, unit=hebei, name="上半年工作情况", fields=FIELDS)
    _scratch_create()
    like = connection.vendor == "postgresql"
    if like:
        _like_create()
    _analyze()

    def dispatch(n: int):
        now = timezone.now()
        task = services.task_issue(actor=chair, unit=hebei, title=f"上半年工作报表 {n}", body="请按时填报",
                                   deadline=now + dt.timedelta(days=14), period_start=202601, period_end=202606,
                                   template=template, level=Level.VILLAGE, now=now)
        seen = selectors.tasks_to_do(cadre).filter(dispatch_id=task.pk).exists()
        reached = Recipient.objects.filter(dispatch_id=task.pk).count()
        assert seen and reached == village_count, (seen, reached, village_count)
        return task

    def bare(n: int, table: str = SCRATCH):
        assert _bare_insert(villages, n, timezone.now() + dt.timedelta(days=14), table=table) == village_count

    def timed_s(fn, *args) -> float:
        t = time.perf_counter()
        fn(*args)
        return time.perf_counter() - t

    task = dispatch(0)  # warm up every path once, as the other parts do
    bare(0)
    if like:
        bare(task.pk, LIKE)
    rounds = []
    for n in range(1, ROUNDS + 1):
        t = time.perf_counter()
        task = dispatch(n)
        sent = time.perf_counter() - t
        rounds.append((sent, timed_s(bare, n), timed_s(bare, task.pk, LIKE) if like else None))
    label = f"task to every Hebei village ({village_count:,} units) (s)"
    sent_s = statistics.median(r[0] for r in rounds)
    report.add(label, f"{sent_s:.2f}s", "bare INSERT…SELECT, same rows, PK only",
               f"{statistics.median(r[1] for r in rounds):.2f}s", statistics.median(r[0] / r[1] for r in rounds))
    if like:
        report.add(label, f"{sent_s:.2f}s", "same into a copy with per-row FK checks",
                   f"{statistics.median(r[2] for r in rounds):.2f}s", statistics.median(r[0] / r[2] for r in rounds))

    # (b) some villages have reported (spread over the province, and a few in the county read below)
    rng = random.Random(9)
    county = Unit.objects.get(code="130123000000")
    ids = list(villages.values_list("id", flat=True))
    done = rng.sample(ids, REPORTED - 20) + list(
        Unit.objects.filter(subtree_q(county.path, include_self=False), level=Level.VILLAGE).order_by("code")
        .values_list("id", flat=True)[:20])
    t = time.perf_counter()
    for recipient in Recipient.objects.filter(dispatch_id=task.pk, unit_id__in=done).select_related("dispatch",
                                                                                                    "unit"):
        services.report_submit(actor=chair, recipient=recipient, entered={"trainings": str(rng.randint(0, 9))})
    report_ms = (time.perf_counter() - t) * 1000 / len(done)
    report.add("report of one village (submit, roll-up) (ms)", f"{report_ms:.1f} ms", "villages reported",
               f"{len(done):,}", None)
    _analyze()
    top = selectors.completion(task, at=hebei)["totals"]
    assert top["done"] == len(set(done)) and top["total"] == village_count, top
    compare(report, "task completion (selectors.completion)", lambda: selectors.completion(task, at=hebei),
            lambda: selectors.completion(task, at=county), repeat=repeat,
            root_name=f"province, {village_count:,} villages", leaf_name="a county")
    # the page itself, signed in as the province chair: the task page at the root, its drill-down at a county
    page = Client()
    page.force_login(chair)
    root_url, county_url = f"/tasks/{task.pk}/", f"/tasks/{task.pk}/units/{county.pk}/"

    def get(url):
        response = page.get(url)
        assert response.status_code == 200, response.status_code

    compare(report, "task completion page", lambda: get(root_url), lambda: get(county_url), repeat=repeat,
            root_name=f"province, {village_count:,} villages", leaf_name="a county")
