"""A check-in's figures are live the moment it commits, before any fold moves them into Tally; on PostgreSQL the
check-in is one statement (the facts read, then the write), with no BEGIN or COMMIT of its own."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fulian.activities import checkin
from fulian.activities.models import AttendanceMethod
from fulian.evaluation.models import Tally, TallyDelta
from fulian.evaluation.recount import recount
from fulian.evaluation.tallies import figures_fold

from .test_checkin import during, figures, sign_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def first(activity):
    return activity.sessions.get(number=1)


def test_a_check_in_counts_at_every_level_before_any_fold(first, unit):
    sign_up(first.activity, "王秀兰", "13800000001")
    figures_fold()
    now = during(first)
    before = {name: figures(unit(name), now) for name in ("河北省", "正定县")}
    checkin.attendance_record(session=first, phone="13800000001", method=AttendanceMethod.QR, now=now)
    assert TallyDelta.objects.filter(metric="activity_attendances").exists()  # in the journal, not folded
    assert not Tally.objects.filter(metric="activity_attendances").exists()
    for name in ("河北省", "正定县"):
        after = figures(unit(name), now)
        assert after["activity_attendances"] == (before[name]["activity_attendances"] or 0) + 1, name
        assert after["women_reached"] == (before[name]["women_reached"] or 0) + 1, name
    assert not recount().differences  # the recount counts the journal rows not folded yet
    moved = figures_fold()
    assert moved and not TallyDelta.objects.exists()
    assert figures(unit("河北省"), now)["activity_attendances"] == (before["河北省"]["activity_attendances"] or 0) + 1
    assert not recount().differences


@pytest.mark.skipif(connection.vendor != "postgresql", reason="round trips: PostgreSQL")
def test_a_qr_check_in_is_the_facts_read_and_one_write_statement(first):
    sign_up(first.activity, "王秀兰", "13800000002")
    with CaptureQueriesContext(connection) as queries:
        checkin.attendance_record(session=first, phone="13800000002", method=AttendanceMethod.QR,
                                  now=during(first))
    statements = [q["sql"] for q in queries.captured_queries]
    # the test's own transaction makes the write path's block a savepoint here; in a request it is autocommit
    assert [s.split()[0] for s in statements if not s.startswith(("SAVEPOINT", "RELEASE"))] == ["SELECT", "WITH"]
