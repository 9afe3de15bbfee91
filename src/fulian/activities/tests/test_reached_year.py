"""women_reached_year counts a woman once a year at each organising unit — in the month of her first check-in
there that year — so a year's months summed say how many women took part that year (women_reached counts her once a
month). It moves when an earlier check-in is entered later or her first one is undone, and agrees with the
recount."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from fulian.activities import checkin, services
from fulian.activities.models import AttendanceMethod
from fulian.core.figures import figure_values

pytestmark = pytest.mark.django_db
KEYS = ["women_reached", "women_reached_year"]


def moment(month: int, day: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2025, month, day, 9, 0))


@pytest.fixture
def year_course(unit, county_chair):
    """正定县's monthly class of 2025: sessions in February, April and June."""
    made = services.activity_save(
        actor=county_chair, unit=unit("正定县"), values={"title": "电商技能月课", "kind": "course",
                                                          "address": "正定县妇女儿童活动中心"},
        sessions=[(moment(m), moment(m) + dt.timedelta(hours=2)) for m in (2, 4, 6)])
    return services.activity_publish(actor=county_chair, activity=made)


def tick(course, number, chair, phone="13800138000"):
    session = course.sessions.get(number=number)
    return checkin.attendance_record(session=session, name="王秀兰", phone=phone, method=AttendanceMethod.WALK_IN,
                                     actor=chair, now=session.starts_at + dt.timedelta(minutes=5))


def year(unit):
    return figure_values([unit.pk], KEYS, start=202501, end=202512)[unit.pk]


def month(unit, m):
    return figure_values([unit.pk], KEYS, start=202500 + m, end=202500 + m)[unit.pk]


def recount_agrees():
    call_command("indicators_recount", stdout=StringIO())  # exits non-zero on any difference


def test_a_woman_at_three_monthly_classes_is_one_woman_of_the_year(year_course, unit, county_chair):
    for number in (1, 2, 3):
        tick(year_course, number, county_chair)
    tick(year_course, 2, county_chair, phone="13900139000")
    assert year(unit("石家庄市")) == {"women_reached": 4, "women_reached_year": 2}
    assert month(unit("正定县"), 2) == {"women_reached": 1, "women_reached_year": 1}
    recount_agrees()


def test_an_earlier_check_in_entered_later_moves_her_to_its_month_and_an_undo_moves_her_back(
        year_course, unit, county_chair):
    tick(year_course, 3, county_chair)
    assert month(unit("正定县"), 6)["women_reached_year"] == 1
    february = tick(year_course, 1, county_chair)  # the February sheet typed in afterwards
    assert (month(unit("正定县"), 2)["women_reached_year"], month(unit("正定县"), 6)["women_reached_year"]) == (1, 0)
    recount_agrees()
    checkin.attendance_remove(actor=county_chair, attendance=february, now=february.checked_at)
    assert (month(unit("正定县"), 2)["women_reached_year"], month(unit("正定县"), 6)["women_reached_year"]) == (0, 1)
    assert year(unit("正定县")) == {"women_reached": 1, "women_reached_year": 1}
    recount_agrees()
