"""A signed-in session ends SESSION_COOKIE_AGE (12 h) after sign-in however active she has been (issue 22: a
phone's cached pages are cleared then); the idle limit alone let a session that is used every few minutes live
for ever. The clock is controlled, no sleeps."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from fulian.contacts.models import ContactLog
from fulian.core.middleware import SIGNED_IN_KEY

START = dt.datetime(2026, 12, 2, 7, 30, tzinfo=dt.UTC)


def signed_in(user):
    """Her browser, signed in at START (the first page after sign-in starts the clock)."""
    client = Client()
    with time_machine.travel(START, tick=False):
        client.force_login(user)
        assert client.get(reverse("today")).status_code == 200
    return client


def signed_out(answer) -> bool:
    return answer.status_code == 302 and answer["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_a_session_used_every_twenty_minutes_still_ends_twelve_hours_after_sign_in(village_cadre, settings):
    limit = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert settings.SESSION_IDLE_MINUTES > 20
    client = signed_in(village_cadre)
    moment = START
    while moment + dt.timedelta(minutes=20) < START + limit:
        moment += dt.timedelta(minutes=20)
        with time_machine.travel(moment, tick=False):
            assert client.get(reverse("today")).status_code == 200, moment - START
    with time_machine.travel(START + limit - dt.timedelta(seconds=30), tick=False):
        assert client.get(reverse("today")).status_code == 200  # active a minute before the limit
    with time_machine.travel(START + limit + dt.timedelta(seconds=30), tick=False):
        answer = client.get(reverse("today"))
        assert signed_out(answer)
        page = client.get(answer["Location"])
        assert f"登录已超过{settings.SESSION_COOKIE_AGE // 3600}小时" in page.content.decode()
        assert signed_out(client.get(reverse("today")))  # ended, not just turned away once


def signed_in_long_ago(client, settings):
    """Her session began a little over its limit ago (she has been active all along: last seen at START)."""
    session = client.session
    session[SIGNED_IN_KEY] = START.timestamp() - settings.SESSION_COOKIE_AGE
    session.save()


@pytest.mark.django_db
def test_a_session_signed_in_before_its_limit_is_signed_out_though_active_a_minute_ago(village_cadre, settings):
    client = signed_in(village_cadre)
    api = signed_in(village_cadre)
    with time_machine.travel(START + dt.timedelta(minutes=1), tick=False):
        signed_in_long_ago(client, settings)
        assert signed_out(client.get(reverse("today")))
        signed_in_long_ago(api, settings)
        assert api.get("/api/v1/me").status_code == 401


@pytest.mark.django_db
def test_a_session_just_inside_its_limit_stays_signed_in(village_cadre, settings):
    client = signed_in(village_cadre)
    with time_machine.travel(START + dt.timedelta(minutes=1), tick=False):
        session = client.session
        session[SIGNED_IN_KEY] = (START - dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 120)).timestamp()
        session.save()
        assert client.get(reverse("today")).status_code == 200


@pytest.mark.django_db
def test_the_api_answers_a_session_past_its_limit_401_and_writes_nothing(village_cadre, settings):
    from fulian.people.services import WomanData, woman_create

    woman = woman_create(actor=None, data=WomanData(name="甲", home_unit=village_cadre.unit))
    client = Client(enforce_csrf_checks=True)
    with time_machine.travel(START, tick=False):
        client.force_login(village_cadre)
        assert client.get(reverse("today")).status_code == 200
        assert client.get("/api/v1/me").status_code == 200
    csrf = client.cookies["csrftoken"].value
    limit = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    moment = START
    while moment < START + limit - dt.timedelta(minutes=1):  # the page polls the API all day
        moment = min(moment + dt.timedelta(minutes=20), START + limit - dt.timedelta(minutes=1))
        with time_machine.travel(moment, tick=False):
            assert client.get("/api/v1/me").status_code == 200, moment - START
    with time_machine.travel(START + limit + dt.timedelta(minutes=1), tick=False):
        item = {"token": "tok-after-limit", "kind": "contact", "on": str(START.date()), "woman": woman.pk,
                "channel": "phone"}
        answer = client.post("/api/v1/contacts/sync", {"items": [item]}, content_type="application/json",
                             HTTP_X_CSRFTOKEN=csrf)
        assert answer.status_code == 401
        assert client.get("/api/v1/me").status_code == 401
    assert not ContactLog.objects.exists()
