"""Reminders the day before: each confirmed sign-up of a session starting 24–48 hours ahead gets one SMS, however
often the hourly job runs; the waiting and the cancelled get none; a later session day reminds again."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from fulian.activities import services, signups
from fulian.activities.models import SignUp, SignUpChannel
from fulian.core.models import Outbox

from .conftest import at

pytestmark = pytest.mark.django_db


def cadre_signs_up(activity, actor, phone):
    return signups.signup_create(activity=activity, name="李秀梅", phone=phone, channel=SignUpChannel.CADRE,
                                 actor=actor)


def reminders(phone=None):
    rows = Outbox.objects.filter(channel="sms", subject__startswith="提醒")
    return list(rows.filter(address=phone) if phone else rows)


def test_the_hourly_job_reminds_each_confirmed_sign_up_once(activity, county_chair):
    made = [cadre_signs_up(activity, county_chair, f"1380000000{i}") for i in range(5)]  # 3 places: 2 waiting
    signups.signup_cancel(signup=made[0], actor=county_chair)  # the first waiting takes her place
    first = activity.sessions.get(number=1)
    too_early = first.starts_at - dt.timedelta(hours=49)
    assert signups.signups_remind(now=too_early)["reminded"] == 0
    now = first.starts_at - dt.timedelta(hours=30)
    for minutes in (0, 60, 120):  # the job runs hourly
        call_command("activities_remind", now=(now + dt.timedelta(minutes=minutes)).isoformat(), stdout=StringIO())
    assert sorted(m.address for m in reminders()) == ["13800000001", "13800000002", "13800000003"]
    message = reminders("13800000001")[0]
    assert activity.title in message.subject and message.link == signups.signup_link(made[1])
    assert SignUp.objects.filter(reminded_at__isnull=False).count() == 3


def test_a_later_session_day_reminds_again(activity, county_chair):
    cadre_signs_up(activity, county_chair, "13800000001")
    first, second = activity.sessions.order_by("number")
    signups.signups_remind(now=first.starts_at - dt.timedelta(hours=30))
    signups.signups_remind(now=first.starts_at - dt.timedelta(hours=25))
    assert len(reminders("13800000001")) == 1
    signups.signups_remind(now=second.starts_at - dt.timedelta(hours=30))
    assert len(reminders("13800000001")) == 2


def test_two_sessions_of_one_day_remind_once(unit, county_chair, home):
    made = services.activity_save(actor=county_chair, unit=unit("正定县"), values={
        "title": "亲子阅读", "kind": "reading", "home": home}, sessions=[(at(3, 9), at(3, 10)), (at(3, 14), at(3, 15))])
    made = services.activity_publish(actor=county_chair, activity=made)
    cadre_signs_up(made, county_chair, "13800000001")
    signups.signups_remind(now=at(3, 14) - dt.timedelta(hours=30))
    signups.signups_remind(now=at(3, 14) - dt.timedelta(hours=29))
    assert len(reminders("13800000001")) == 1


def test_a_bad_now_is_refused(activity):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("activities_remind", now="tomorrow", stdout=StringIO())


def test_without_now_it_reminds_as_of_the_clock(activity, county_chair):
    cadre_signs_up(activity, county_chair, "13800000001")
    out = StringIO()
    call_command("activities_remind", stdout=out)
    start = activity.sessions.get(number=1).starts_at
    due = timezone.now() + signups.REMIND_FROM < start <= timezone.now() + signups.REMIND_TO
    assert len(reminders()) == (1 if due else 0) and "reminded" in out.getvalue()
