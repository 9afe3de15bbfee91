"""The shared write path: rows collected, written together at the end, dropped with a failed nested block; a record
written first with the rows that point at it; the help request's round trips counted; a rate-limit hit on Redis is
one atomic round trip."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fulian.accounts.tests.factories import UserFactory
from fulian.cases.models import Case, TimelineEntry
from fulian.cases.services import _deadline_rules, case_intake
from fulian.core.audit import audit_record
from fulian.core.figures import figures_add
from fulian.core.models import AuditEvent, Outbox
from fulian.core.outbox import outbox_put
from fulian.core.writes import key_text, write_first, write_later, write_path
from fulian.evaluation.models import Tally, TallyDelta
from fulian.evaluation.recount import recount
from fulian.evaluation.tallies import figures_for


def _figure(unit, period, metric):
    """The live figure, as every reader sees it (Tally and the journal rows not folded yet)."""
    return figures_for([unit.pk], [period]).get(unit.pk, {}).get(period, {}).get(metric, 0)


def _tally(unit, metric):
    return _figure(unit, timezone.localtime().year * 100 + timezone.localtime().month, metric)


@pytest.mark.django_db
def test_rows_are_written_when_the_path_ends_with_the_figures_last(unit, county_chair):
    village = unit("恒东社区")
    monthly = [Tally.objects.exclude(period=0), TallyDelta.objects.exclude(period=0)]  # standing counts are figures
    with write_path():
        audit_record(actor=county_chair, action="x.test", obj=village)
        outbox_put(channel="in_app", user=county_chair, subject="hello")
        figures_add([(village.path, 202611, "contacts", 2)])
        assert not AuditEvent.objects.filter(action="x.test").exists()  # collected, not yet written
        assert not any(rows.exists() for rows in monthly)
    assert AuditEvent.objects.filter(action="x.test", object_id=str(village.pk)).count() == 1
    assert Outbox.objects.filter(subject="hello", user=county_chair).count() == 1
    for level in (village, unit("正定县"), unit("河北省")):
        assert _figure(level, 202611, "contacts") == 2
        assert _figure(level, 202600, "contacts") == 2


@pytest.mark.django_db
def test_a_failed_nested_block_drops_what_it_collected_and_a_failed_path_writes_nothing(unit, county_chair):
    village = unit("恒东社区")
    with write_path():
        audit_record(actor=county_chair, action="kept", obj=village)
        try:
            with write_path():
                audit_record(actor=county_chair, action="dropped", obj=village)
                figures_add([(village.path, 202611, "contacts", 5)])
                raise ValueError("inner fails")
        except ValueError:
            pass
        figures_add([(village.path, 202611, "contacts", 1)])
    assert list(AuditEvent.objects.filter(action__in=["kept", "dropped"]).values_list("action", flat=True)) == ["kept"]
    assert _figure(village, 202611, "contacts") == 1

    with pytest.raises(RuntimeError), write_path():
        audit_record(actor=county_chair, action="never", obj=village)
        figures_add([(village.path, 202611, "contacts", 9)])
        raise RuntimeError("the whole write fails")
    assert not AuditEvent.objects.filter(action="never").exists()
    assert _figure(village, 202611, "contacts") == 1


def _case(unit, token):
    now = timezone.now()
    return Case(tracking_code=token.upper()[:12], client_token=token, kind="dv", urgency="urgent", source="portal",
                unit=unit, unit_path=unit.path, home_unit=unit, created_at=now, first_action_due=now,
                resolve_due=now + dt.timedelta(days=30), sealed="x")


@pytest.mark.django_db
def test_a_record_written_first_gives_its_key_to_the_rows_that_point_at_it(unit, county_chair):
    village = unit("恒东社区")
    with CaptureQueriesContext(connection) as queries, write_path():
        case = _case(village, "first-1")
        write_first(case)
        assert case.pk is None and str(key_text(case, "/cases/{}/")) == "/cases/None/"  # its key comes at the end
        write_later(TimelineEntry(case=case, at=case.created_at, action="created", text="", is_public=True))
        audit_record(actor=county_chair, action="x.first", obj=case)
        outbox_put(channel="in_app", user=county_chair, subject="first", link=key_text(case, "/cases/{}/"))
        figures_add([(village.path, 202611, "cases_opened", 1)])
    assert case.pk is not None and not case._state.adding
    assert Case.objects.get(client_token="first-1").pk == case.pk
    assert TimelineEntry.objects.get(action="created").case_id == case.pk
    assert AuditEvent.objects.get(action="x.first").object_id == str(case.pk)
    assert Outbox.objects.get(subject="first").link == f"/cases/{case.pk}/"
    assert _figure(unit("河北省"), 202611, "cases_opened") == 1
    if connection.vendor == "postgresql":  # the savepoint, the one statement, its release
        assert len(queries.captured_queries) == 3, [q["sql"] for q in queries.captured_queries]
    assert key_text(case, "/cases/{}/") == f"/cases/{case.pk}/"  # a saved record's text is plain text


@pytest.mark.django_db
def test_a_record_written_first_that_fails_its_constraint_writes_nothing(unit, county_chair):
    village = unit("恒东社区")
    with write_path():
        write_first(_case(village, "dup-1"))
    with pytest.raises(IntegrityError), write_path():
        case = _case(village, "dup-1")
        case.tracking_code = "OTHERCODE"
        write_first(case)
        audit_record(actor=county_chair, action="x.dup", obj=case)
    assert Case.objects.filter(client_token="dup-1").count() == 1
    assert not AuditEvent.objects.filter(action="x.dup").exists()
    with write_path():
        try:
            with write_path():
                write_first(dropped := _case(village, "nested-1"))
                audit_record(actor=county_chair, action="x.nested", obj=dropped)
                raise ValueError("inner fails")
        except ValueError:
            pass
        write_first(_case(village, "outer-1"))
    assert list(Case.objects.filter(client_token__in=["nested-1", "outer-1"]).values_list("client_token", flat=True)) \
        == ["outer-1"]
    assert dropped.pk is None and not AuditEvent.objects.filter(action="x.nested").exists()


@pytest.mark.django_db
def test_a_row_pointing_at_an_unsaved_record_outside_the_path_is_refused(unit):
    with pytest.raises(ValueError, match="unsaved related object"), write_path():
        write_later(TimelineEntry(case=_case(unit("恒东社区"), "never-1"), at=timezone.now(), action="created"))


@pytest.mark.django_db
def test_a_help_request_takes_few_round_trips_and_leaves_every_trace(unit):
    village = unit("恒东社区")
    UserFactory(username="village-chair", unit=village, roles=["chair"], email="")
    _deadline_rules()  # read once a minute per process, not per request
    with CaptureQueriesContext(connection) as queries:
        case = case_intake(kind="dv", home_unit=village, description="需要帮助", source="portal", anonymous=True,
                           client_token="t-1")
    statements = [q["sql"] for q in queries.captured_queries]
    # BEGIN (a savepoint here), her village's leaders, then the case, timeline, audit, outbox and every level's
    # figures, COMMIT: on PostgreSQL those five are one statement; SQLite (no round trips) one per table
    assert len(statements) <= (4 if connection.vendor == "postgresql" else 8), statements
    assert TimelineEntry.objects.filter(case=case).count() == 1
    assert AuditEvent.objects.filter(action="case.create", object_id=str(case.pk)).count() == 1
    assert Outbox.objects.filter(link=f"/cases/{case.pk}/").count() == 1
    assert _tally(unit("河北省"), "cases_opened") == 1
    assert not recount().differences
    again = case_intake(kind="dv", home_unit=village, description="需要帮助", source="portal", anonymous=True,
                        client_token="t-1")  # a double click: the same case, no second set of traces
    assert again.pk == case.pk and Case.objects.count() == 1
    assert AuditEvent.objects.filter(action="case.create").count() == 1


def test_a_rate_limit_hit_on_redis_is_one_atomic_round_trip(settings):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    from django.core.cache import caches

    from fulian.core import ratelimit

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:6379/9", "KEY_PREFIX": "fulian-test"}}
    backend = caches["default"]
    try:
        ident = f"test-{id(backend)}"
        assert [ratelimit.rate_hit("t", ident, limit=3, seconds=60, now=1e9) for _ in range(5)] == [
            True, True, True, False, False]
        assert ratelimit.rate_count("t", ident, seconds=60, now=1e9) == 5
        key = backend.make_and_validate_key(ratelimit._key("t", ident, 60, 1e9))
        client = backend._cache.get_client(key)
        assert 0 < client.ttl(key) <= 61  # the counter expires with its window
        client.script_flush()  # a restarted Redis has forgotten the script: it is loaded again
        assert not ratelimit.rate_hit("t", ident, limit=3, seconds=60, now=1e9)
        assert ratelimit.rate_count("t", ident, seconds=60, now=1e9) == 6
    finally:
        backend.clear()
