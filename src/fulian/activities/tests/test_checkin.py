"""Check-in: the rotating code lets her in only this minute or the last, only while the session is open; every
way in (QR, tick, walk-in) gives one attendance per phone and session, links a walk-in to the registry only on one
exact phone match, and moves the figures at once, as the recount counts them."""

import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from fulian.activities import checkin
from fulian.activities.models import Attendance, AttendanceMethod, SignUp, SignUpChannel, SignUpState
from fulian.core.figures import figure_values, figures_add, period_of
from fulian.core.models import AuditEvent
from fulian.core.policy import OutOfScope
from fulian.people.models import Family, Woman

pytestmark = pytest.mark.django_db

FIGURES = ["activity_attendances", "women_reached", "families_reached"]


def sign_up(activity, name, phone, *, state=SignUpState.CONFIRMED, family=None, woman=None):
    """A sign-up as the sign-up service leaves it (the row and its counted fact)."""
    now = timezone.now()
    row = SignUp.objects.create(activity=activity, unit_path=activity.unit_path, name=name, phone=phone,
                                channel=SignUpChannel.CADRE, state=state, created_at=now, family=family,
                                woman=woman, waiting_since=now if state == SignUpState.WAITING else None)
    figures_add([(activity.unit_path, period_of(now), "activity_signups", 1)])
    return row


def figures(unit, moment):
    return figure_values([unit.pk], FIGURES, start=period_of(moment), end=period_of(moment))[unit.pk]


def recount_agrees():
    call_command("indicators_recount", stdout=StringIO())  # exits non-zero on any difference


@pytest.fixture
def first(activity):
    return activity.sessions.get(number=1)


def during(session, minutes=10):
    return session.starts_at + dt.timedelta(minutes=minutes)


# ---- the code ----

def test_this_minutes_code_and_the_last_minutes_are_accepted(first):
    now = during(first)
    assert checkin.checkin_code_valid(first, checkin.checkin_code(first, now=now), now=now)
    turn = now + dt.timedelta(seconds=60)
    assert checkin.checkin_code_valid(first, checkin.checkin_code(first, now=now), now=turn)
    assert len(checkin.checkin_code(first, now=now)) == checkin.CODE_LENGTH
    assert checkin.checkin_code(first, now=now) != checkin.checkin_code(first, now=now + dt.timedelta(minutes=1))


@pytest.mark.parametrize("case,code", [
    ("expired", "checkin_expired"), ("forged", "checkin_wrong_code"), ("other session", "checkin_wrong_code"),
    ("before the window", "checkin_not_yet"), ("after the end", "checkin_ended"),
])
def test_a_bad_code_is_refused_and_nothing_is_saved(activity, first, unit, case, code):
    now = during(first)
    second = activity.sessions.get(number=2)
    shown, at = {
        "expired": (checkin.checkin_code(first, now=now - dt.timedelta(minutes=3)), now),
        "forged": ("AAAAAAAAAA", now),
        "other session": (checkin.checkin_code(second, now=now), now),
        "before the window": (checkin.checkin_code(first, now=first.starts_at - dt.timedelta(minutes=31)),
                              first.starts_at - dt.timedelta(minutes=31)),
        "after the end": (checkin.checkin_code(first, now=first.ends_at + dt.timedelta(minutes=1)),
                          first.ends_at + dt.timedelta(minutes=1)),
    }[case]
    with pytest.raises(ValidationError) as refused:
        checkin.checkin_by_code(session=first, code=shown, phone="13800138000", name="李红", now=at)
    assert refused.value.code == code and refused.value.messages[0]
    assert not Attendance.objects.exists()
    assert figures(unit("正定县"), at)["activity_attendances"] == 0


def test_the_window_opens_half_an_hour_before_and_closes_at_the_end(first):
    opens = first.starts_at - checkin.CHECKIN_OPENS_BEFORE
    assert dt.timedelta(minutes=30) == checkin.CHECKIN_OPENS_BEFORE
    assert checkin.checkin_code_valid(first, checkin.checkin_code(first, now=opens), now=opens)
    assert checkin.checkin_code_valid(first, checkin.checkin_code(first, now=first.ends_at), now=first.ends_at)
    early = opens - dt.timedelta(seconds=1)
    assert not checkin.checkin_code_valid(first, checkin.checkin_code(first, now=early), now=early)


def test_a_cancelled_activitys_session_takes_no_check_in(activity, first, county_chair):
    from fulian.activities.services import activity_cancel

    activity_cancel(actor=county_chair, activity=activity, reason="天气原因")
    first.refresh_from_db()
    now = during(first)
    assert not checkin.checkin_code_valid(first, checkin.checkin_code(first, now=now), now=now)
    assert checkin.session_for_checkin(first.pk) is None


def test_the_form_pass_gives_her_time_to_type_but_not_forever(first):
    scanned = during(first)
    form_pass = checkin.checkin_pass(first, now=scanned)
    checkin.checkin_by_code(session=first, form_pass=form_pass, phone="13800138000", name="李红",
                            now=scanned + dt.timedelta(minutes=4))
    with pytest.raises(ValidationError, match="重新扫描"):
        checkin.checkin_by_code(session=first, form_pass=form_pass, phone="13900139000", name="赵敏",
                                now=scanned + dt.timedelta(seconds=checkin.PASS_SECONDS + 1))
    with pytest.raises(ValidationError, match="重新扫描"):
        checkin.checkin_by_code(session=first, form_pass=form_pass + "x", phone="13900139000", name="赵敏",
                                now=scanned)
    assert Attendance.objects.count() == 1


# ---- who she is ----

def test_a_signed_up_woman_is_linked_to_her_sign_up(activity, first, unit):
    mine = sign_up(activity, "王秀兰", "13800138000")
    now = during(first)
    done = checkin.checkin_by_code(session=first, code=checkin.checkin_code(first, now=now), phone="138 0013 8000",
                                   now=now)
    assert (done.signup_id, done.name, done.method) == (mine.pk, "王秀兰", AttendanceMethod.QR)
    assert AuditEvent.objects.filter(action="attendance.record", object_id=str(done.pk)).exists()


def test_a_woman_not_signed_up_must_give_her_name_and_is_a_walk_in(activity, first):
    now = during(first)
    code = checkin.checkin_code(first, now=now)
    with pytest.raises(ValidationError, match="请填写姓名"):
        checkin.checkin_by_code(session=first, code=code, phone="13800138000", now=now)
    done = checkin.checkin_by_code(session=first, code=code, phone="13800138000", name=" 李红 ", now=now)
    assert (done.signup_id, done.name, done.woman_id) == (None, "李红", None)


def test_a_waiting_list_woman_who_comes_is_recorded_and_stays_waiting(activity, first):
    waiting = sign_up(activity, "赵敏", "13900139000", state=SignUpState.WAITING)
    now = during(first)
    done = checkin.checkin_by_code(session=first, code=checkin.checkin_code(first, now=now), phone="13900139000",
                                   now=now)
    waiting.refresh_from_db()
    assert done.signup_id == waiting.pk and waiting.state == SignUpState.WAITING


def woman(actor, place, name, phone):
    from fulian.people.services import WomanData, woman_create

    return woman_create(actor=actor, data=WomanData(name=name, home_unit=place, phone=phone))


def test_a_walk_in_is_linked_to_the_registry_only_on_one_exact_phone_match(activity, first, unit, county_chair,
                                                                             province_chair):
    one = woman(province_chair, unit("恒东社区"), "王秀兰", "13800138000")
    woman(province_chair, unit("恒东社区"), "李红", "13900139000")
    woman(province_chair, unit("张家庄村"), "李红", "13900139000")  # two records with one phone: no link
    woman(province_chair, unit("南关村"), "孙丽", "13700137000")  # the next county's: not under the activity's unit
    now = during(first)
    rows = {phone: checkin.attendance_record(session=first, name="某某", phone=phone, method=AttendanceMethod.WALK_IN,
                                             actor=county_chair, now=now)
            for phone in ("13800138000", "13900139000", "13700137000", "13600136000")}
    assert {phone: a.woman_id for phone, a in rows.items()} == {
        "13800138000": one.pk, "13900139000": None, "13700137000": None, "13600136000": None}
    assert Woman.objects.count() == 4  # no registry record made
    recount_agrees()


# ---- once ----

def test_a_double_submit_and_a_second_scan_give_one_attendance(activity, first, unit):
    now = during(first)
    code = checkin.checkin_code(first, now=now)
    a = checkin.checkin_by_code(session=first, code=code, phone="13800138000", name="李红", client_token="t1",
                                now=now)
    b = checkin.checkin_by_code(session=first, code=code, phone="13800138000", name="李红", client_token="t1",
                                now=now)
    c = checkin.checkin_by_code(session=first, code=code, phone="13800138000", name="李红", client_token="t2",
                                now=now + dt.timedelta(seconds=20))
    assert a.pk == b.pk == c.pk and Attendance.objects.count() == 1
    assert figures(unit("正定县"), now) == {"activity_attendances": 1, "women_reached": 1, "families_reached": 0}
    recount_agrees()


def test_a_tick_after_her_scan_is_the_same_attendance(activity, first, county_chair):
    mine = sign_up(activity, "王秀兰", "13800138000")
    now = during(first)
    scanned = checkin.checkin_by_code(session=first, code=checkin.checkin_code(first, now=now), phone="13800138000",
                                      now=now)
    ticked = checkin.attendance_record(session=first, method=AttendanceMethod.TICK, signup=mine, actor=county_chair,
                                       client_token="tick-1", now=now)
    assert ticked.pk == scanned.pk and ticked.method == AttendanceMethod.QR


def test_a_token_reused_for_another_phone_is_a_conflict(first, county_chair):
    now = during(first)
    checkin.attendance_record(session=first, name="李红", phone="13800138000", method=AttendanceMethod.WALK_IN,
                              actor=county_chair, client_token="same", now=now)
    with pytest.raises(ValidationError, match="另一条签到"):
        checkin.attendance_record(session=first, name="赵敏", phone="13900139000", method=AttendanceMethod.WALK_IN,
                                  actor=county_chair, client_token="same", now=now)


# ---- who may ----

def test_only_a_cadre_of_the_unit_ticks_and_nobody_before_the_window(activity, first, sibling_county_cadre,
                                                                      county_chair):
    mine = sign_up(activity, "王秀兰", "13800138000")
    with pytest.raises(OutOfScope):
        checkin.attendance_record(session=first, method=AttendanceMethod.TICK, signup=mine,
                                  actor=sibling_county_cadre, now=during(first))
    with pytest.raises(OutOfScope):
        checkin.attendance_record(session=first, method=AttendanceMethod.TICK, signup=mine, now=during(first))
    with pytest.raises(ValidationError, match="还没开始"):
        checkin.attendance_record(session=first, method=AttendanceMethod.TICK, signup=mine, actor=county_chair,
                                  now=first.starts_at - dt.timedelta(hours=1))
    late = checkin.attendance_record(session=first, method=AttendanceMethod.TICK, signup=mine, actor=county_chair,
                                     now=first.ends_at + dt.timedelta(hours=3))
    assert late.checked_by == county_chair and not Attendance.objects.exclude(pk=late.pk).exists()


def test_a_cancelled_sign_up_or_another_activitys_is_not_ticked(activity, first, county_chair, unit, home):
    from fulian.activities import services

    gone = sign_up(activity, "王秀兰", "13800138000", state=SignUpState.CANCELLED)
    with pytest.raises(ValidationError, match="已经取消"):
        checkin.attendance_record(session=first, method=AttendanceMethod.TICK, signup=gone, actor=county_chair,
                                  now=during(first))
    other = services.activity_publish(actor=county_chair, activity=services.activity_save(
        actor=county_chair, unit=unit("正定县"), values={"title": "家风讲坛", "kind": "lecture", "home": home},
        sessions=[(first.starts_at, first.ends_at)]))
    theirs = sign_up(other, "赵敏", "13900139000")
    with pytest.raises(ValidationError, match="不是本活动"):
        checkin.attendance_record(session=first, method=AttendanceMethod.TICK, signup=theirs, actor=county_chair,
                                  now=during(first))


# ---- figures ----

def test_figures_move_at_once_count_her_once_a_month_and_agree_with_the_recount(activity, first, unit,
                                                                                county_chair):
    second = activity.sessions.get(number=2)
    family = Family.objects.create(unit=unit("恒东社区"), unit_path=unit("恒东社区").path, name="王秀兰家",
                                   created_at=timezone.now(), updated_at=timezone.now())
    mine = sign_up(activity, "王秀兰", "13800138000", family=family)
    sign_up(activity, "赵敏", "13900139000")
    now = during(first)
    checkin.checkin_by_code(session=first, code=checkin.checkin_code(first, now=now), phone="13800138000", now=now)
    checkin.attendance_record(session=first, name="李红", phone="13700137000", method=AttendanceMethod.WALK_IN,
                              actor=county_chair, now=now)
    later = during(second)
    again = checkin.attendance_record(session=second, method=AttendanceMethod.TICK, signup=mine, actor=county_chair,
                                      now=later)
    assert again.family_id == family.pk
    expected = {"activity_attendances": 3, "women_reached": 2, "families_reached": 1}
    if period_of(now) == period_of(later):
        assert figures(unit("石家庄市"), now) == expected
    recount_agrees()
    checkin.attendance_remove(actor=county_chair, attendance=again, now=later)
    recount_agrees()
    assert AuditEvent.objects.filter(action="attendance.remove").count() == 1


def test_undoing_her_only_check_in_takes_her_out_of_reached(first, unit, county_chair):
    now = during(first)
    wrong = checkin.attendance_record(session=first, name="李红", phone="13700137000",
                                      method=AttendanceMethod.WALK_IN, actor=county_chair, now=now)
    checkin.attendance_remove(actor=county_chair, attendance=wrong, now=now)
    assert figures(unit("正定县"), now) == {"activity_attendances": 0, "women_reached": 0, "families_reached": 0}
    with pytest.raises(ValidationError, match="已经撤销"):
        checkin.attendance_remove(actor=county_chair, attendance=wrong, now=now)
    recount_agrees()


def test_a_tick_is_undone_only_until_two_hours_after_the_end_and_only_by_the_unit(first, county_chair,
                                                                                   sibling_county_cadre):
    done = checkin.attendance_record(session=first, name="李红", phone="13700137000",
                                     method=AttendanceMethod.WALK_IN, actor=county_chair, now=during(first))
    with pytest.raises(OutOfScope):
        checkin.attendance_remove(actor=sibling_county_cadre, attendance=done, now=during(first))
    with pytest.raises(ValidationError, match="不能再撤销"):
        checkin.attendance_remove(actor=county_chair, attendance=done,
                                  now=first.ends_at + checkin.UNDO_AFTER_END + dt.timedelta(minutes=1))
    assert Attendance.objects.filter(pk=done.pk).exists()


def test_an_older_check_in_entered_after_a_newer_one_does_not_count_her_twice(activity, first, unit,
                                                                              county_chair):
    """Reached asks "any other check-in of hers there that month", not "an earlier one": a sheet of the first
    session entered after her tick at the second must not count her twice."""
    second = activity.sessions.get(number=2)
    checkin.attendance_record(session=second, name="李红", phone="13700137000", method=AttendanceMethod.WALK_IN,
                              actor=county_chair, now=during(second))
    checkin.attendance_record(session=first, name="李红", phone="13700137000", method=AttendanceMethod.SHEET,
                              actor=county_chair, now=during(first))
    if period_of(during(first)) == period_of(during(second)):
        assert figures(unit("正定县"), during(first))["women_reached"] == 1
    recount_agrees()


def test_name_masked():
    assert [checkin.name_masked(n) for n in ("王秀兰", "王兰", "欧阳娜娜", "王")] == ["王*兰", "王*", "欧**娜", "王"]
