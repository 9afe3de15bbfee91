"""我的登录设备: each sign-in recorded (hash of the key, device, address, last use at most once a minute), ended by
her or by an account manager above her, and held to SESSIONS_PER_ACCOUNT. An ended session is signed out."""

import datetime as dt

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from fulian.accounts import sessions
from fulian.accounts.models import CadreSession
from fulian.accounts.tests.factories import UserFactory
from fulian.accounts.tests.security_helpers import DESKTOP_UA, PHONE_UA, signed_in
from fulian.core.models import AuditEvent
from fulian.core.policy import Role

START = dt.datetime(2026, 11, 25, 2, 0, tzinfo=dt.UTC)


def is_signed_in(client) -> bool:
    answer = client.get("/account/")
    return answer.status_code == 200


@pytest.mark.django_db
def test_each_sign_in_is_recorded_with_its_device_and_only_a_hash_of_the_key(village_cadre):
    phone = signed_in("village-cadre", user_agent=PHONE_UA)
    desktop = signed_in("village-cadre", user_agent=DESKTOP_UA)
    rows = {r.device: r for r in CadreSession.objects.filter(user=village_cadre)}
    assert set(rows) == {"iPhone · Safari", "Windows · Chrome"}
    key = phone.session.session_key
    assert rows["iPhone · Safari"].key_hash == sessions.key_hash(key)
    assert not CadreSession.objects.filter(key_hash=key).exists()
    assert rows["iPhone · Safari"].ip == "127.0.0.1"
    page = desktop.get(reverse("my_sessions")).content.decode()
    assert "iPhone · Safari" in page and "Windows · Chrome" in page and "本设备" in page


@pytest.mark.django_db
def test_she_ends_one_session_and_that_browser_is_signed_out(village_cadre):
    phone = signed_in("village-cadre", user_agent=PHONE_UA)
    desktop = signed_in("village-cadre", user_agent=DESKTOP_UA)
    row = CadreSession.objects.get(user=village_cadre, device="iPhone · Safari")
    phone_key = phone.session.session_key
    assert desktop.post(reverse("my_session_end", args=[row.pk])).status_code == 302
    assert not Session.objects.filter(session_key=phone_key).exists()
    assert not is_signed_in(phone)
    assert is_signed_in(desktop)
    assert AuditEvent.objects.filter(action="session.end", actor=village_cadre).exists()


@pytest.mark.django_db
def test_she_ends_all_other_sessions_and_keeps_her_own(village_cadre):
    others = [signed_in("village-cadre") for _ in range(2)]
    mine = signed_in("village-cadre", user_agent=PHONE_UA)
    mine.post(reverse("my_sessions_end_others"))
    assert [is_signed_in(c) for c in others] == [False, False]
    assert is_signed_in(mine)
    assert CadreSession.objects.filter(user=village_cadre).count() == 1
    assert AuditEvent.objects.get(action="session.end_all").changes == {"ended": 2, "kept_own": True}


@pytest.mark.django_db
def test_another_cadres_session_answers_404(village_cadre, unit):
    other = UserFactory(username="village-cadre-2", unit=unit("恒东社区"), roles=[Role.STAFF])
    signed_in("village-cadre-2")
    row = CadreSession.objects.get(user=other)
    client = signed_in("village-cadre")
    assert client.post(reverse("my_session_end", args=[row.pk])).status_code == 404
    assert CadreSession.objects.filter(pk=row.pk).exists()


@pytest.mark.django_db
def test_signing_in_beyond_the_limit_ends_her_oldest_session(settings, village_cadre):
    settings.SESSIONS_PER_ACCOUNT = 2
    with time_machine.travel(START, tick=False) as clock:
        first = signed_in("village-cadre")
        clock.shift(60)
        second = signed_in("village-cadre")
        clock.shift(60)
        third = signed_in("village-cadre")
        assert not is_signed_in(first)
        assert is_signed_in(second) and is_signed_in(third)
    assert CadreSession.objects.filter(user=village_cadre).count() == 2
    assert AuditEvent.objects.get(action="session.limit").changes == {"ended": 1, "limit": 2}


@pytest.mark.django_db
def test_last_use_is_written_at_most_once_a_minute(village_cadre):
    with time_machine.travel(START, tick=False) as clock:
        client = signed_in("village-cadre")
        row = CadreSession.objects.get(user=village_cadre)
        assert row.last_used_at == START
        clock.shift(30)
        client.get("/account/")
        row.refresh_from_db()
        assert row.last_used_at == START
        clock.shift(31)
        client.get("/account/")
        row.refresh_from_db()
        assert row.last_used_at == START + dt.timedelta(seconds=61)


@pytest.mark.django_db
def test_signing_out_forgets_the_session(village_cadre):
    client = signed_in("village-cadre")
    assert CadreSession.objects.filter(user=village_cadre).exists()
    client.post(reverse("logout"))
    assert not CadreSession.objects.filter(user=village_cadre).exists()


@pytest.mark.django_db
def test_a_session_whose_record_was_ended_is_signed_out_at_its_next_touch(village_cadre):
    with time_machine.travel(START, tick=False) as clock:
        client = signed_in("village-cadre")
        CadreSession.objects.filter(user=village_cadre).delete()  # ended where the store could not be searched
        clock.shift(61)
        assert client.get("/account/")["Location"].startswith(reverse("login"))
        assert not is_signed_in(client)


@pytest.mark.django_db
def test_a_chair_ends_a_cadres_sessions_from_her_edit_page(county_chair, village_cadre):
    cadre = signed_in("village-cadre")
    chair = Client()
    chair.force_login(county_chair)
    page = chair.get(reverse("account_edit", args=[village_cadre.pk])).content.decode()
    assert "结束她的全部登录" in page
    assert chair.post(reverse("account_sessions_end", args=[village_cadre.pk])).status_code == 302
    assert not is_signed_in(cadre)
    event = AuditEvent.objects.get(action="session.end_all")
    assert event.actor_id == county_chair.pk and event.object_id == str(village_cadre.pk)


@pytest.mark.django_db
def test_a_sibling_chair_cannot_end_her_sessions(unit, village_cadre):
    cadre = signed_in("village-cadre")
    sibling = UserFactory(username="xingtang-chair", unit=unit("行唐县"), roles=[Role.CHAIR])
    client = Client()
    client.force_login(sibling)
    assert client.post(reverse("account_sessions_end", args=[village_cadre.pk])).status_code == 404
    assert is_signed_in(cadre)


@pytest.mark.parametrize(("agent", "label"), [
    (PHONE_UA, "iPhone · Safari"),
    (DESKTOP_UA, "Windows · Chrome"),
    ("Mozilla/5.0 (Linux; Android 13; V2203A) AppleWebKit/537.36 Chrome/107.0 Mobile Safari/537.36 "
     "MicroMessenger/8.0.40", "Android · 微信"),
    ("", "?"),
])
def test_the_device_is_named_from_the_user_agent(agent, label):
    assert sessions.device_label(agent) == label


@pytest.mark.django_db
def test_sign_ins_that_stop_at_the_second_factor_do_not_push_her_verified_session_out(settings, county_chair):
    """Whoever knows only her password signs in again and again: her own verified session stays."""
    from fulian.accounts.tests.security_helpers import app_code, totp_enrolled

    settings.SECOND_FACTOR_REQUIRED = True
    settings.SESSIONS_PER_ACCOUNT = 2
    with time_machine.travel(START, tick=False) as clock:
        device, _codes = totp_enrolled(county_chair)
        hers = signed_in("county-chair")
        assert hers.post(reverse("twofactor_verify"), {"code": app_code(device, ahead=1)}).status_code == 302
        assert is_signed_in(hers)
        for _ in range(3):
            clock.shift(60)
            stranger = signed_in("county-chair")
            assert stranger.get("/account/").status_code == 302  # at the verify page
        assert is_signed_in(hers)
        assert CadreSession.objects.filter(user=county_chair).count() == 1  # only hers is listed and counted
        assert not AuditEvent.objects.filter(action="session.limit").exists()
