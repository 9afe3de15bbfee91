"""Review of issue 21 (level 3): the verification step as an attacker sees it — an SMS factor moved to another phone
by changing the account's phone, a code used twice by racing requests, guesses racing the lock, a session key learnt
before the second factor, and pages opened by a prefix of an open path."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from fulian.accounts import sessions, twofactor
from fulian.accounts.models import CadreSession, SecondFactor
from fulian.accounts.services import token_create
from fulian.accounts.tests.factories import UserFactory
from fulian.accounts.tests.security_helpers import app_code, last_sms_code, signed_in, totp_enrolled, wrong_code
from fulian.core.models import AuditEvent, Outbox
from fulian.core.policy import Role

START = dt.datetime(2026, 11, 25, 2, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _duty_on(settings):
    settings.SECOND_FACTOR_REQUIRED = True


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.mark.django_db
def test_changing_her_phone_with_her_token_does_not_move_her_sms_codes(unit, clock):
    city = unit("石家庄市")
    chair = UserFactory(username="city-chair", unit=city, roles=[Role.CHAIR], phone="13800000001")
    twofactor.sms_begin(user=chair)
    twofactor.sms_confirm(user=chair, code=last_sms_code(chair.phone))
    _token, key = token_create(user=chair, name="程序")
    answer = Client(HTTP_AUTHORIZATION=f"Bearer {key}").put(
        f"/api/v1/accounts/{chair.pk}", {"full_name": chair.full_name, "phone": "13900000002",
                                         "unit_code": city.code, "roles": [Role.CHAIR], "is_active": True},
        content_type="application/json")
    assert answer.status_code == 200, answer.content  # her own phone: the account page allows it
    browser = signed_in("city-chair")
    browser.post(reverse("twofactor_verify"), {"send": "1"})
    assert not Outbox.objects.filter(address="13900000002").exists()
    assert browser.post(reverse("twofactor_verify"), {"code": last_sms_code("13800000001")}).status_code == 302
    assert browser.get("/work/").status_code == 200


@pytest.mark.django_db
def test_one_code_in_two_racing_requests_passes_once(province_admin, clock):
    device, _codes = totp_enrolled(province_admin)
    clock.shift(dt.timedelta(seconds=30))
    code = app_code(device)
    first, second = TOTPDevice.objects.get(pk=device.pk), TOTPDevice.objects.get(pk=device.pk)  # both read before
    assert twofactor._totp_matches(first, code)
    assert not twofactor._totp_matches(second, code)


@pytest.mark.django_db
def test_a_guess_that_read_the_factor_before_the_lock_is_still_refused(province_admin, clock, monkeypatch):
    device, _codes = totp_enrolled(province_admin)
    before = twofactor.second_factor_of(province_admin)  # a request that read her factor while it was open
    for _ in range(5):
        with pytest.raises(ValidationError):
            twofactor.second_factor_verify(user=province_admin, code=wrong_code(device))
    assert SecondFactor.objects.get(user=province_admin).is_locked
    monkeypatch.setattr(twofactor, "second_factor_of", lambda user: before)
    clock.shift(dt.timedelta(seconds=30))
    with pytest.raises(ValidationError) as caught:
        twofactor.second_factor_verify(user=province_admin, code=app_code(device))
    assert caught.value.code == "locked"


@pytest.mark.django_db
def test_the_session_key_changes_when_the_second_factor_passes(province_admin, clock):
    device, _codes = totp_enrolled(province_admin)
    browser = signed_in("province-admin")
    half = browser.session.session_key
    clock.shift(dt.timedelta(seconds=30))
    assert browser.post(reverse("twofactor_verify"), {"code": app_code(device)}).status_code == 302
    full = browser.session.session_key
    assert full != half
    assert browser.get("/work/").status_code == 200
    row = CadreSession.objects.get(user=province_admin)
    assert row.key_hash == sessions.key_hash(full)


@pytest.mark.django_db
def test_a_page_below_an_open_page_stays_closed_during_enrolment(province_admin):
    browser = signed_in("province-admin")
    answer = browser.post(reverse("twofactor_recovery_new"))
    assert answer.status_code == 302 and answer["Location"].startswith(reverse("twofactor_enrol"))


@pytest.mark.django_db
def test_a_passed_second_factor_is_in_the_audit(province_admin, clock):
    device, _codes = totp_enrolled(province_admin)
    browser = signed_in("province-admin")
    clock.shift(dt.timedelta(seconds=30))
    assert browser.post(reverse("twofactor_verify"), {"code": app_code(device)}).status_code == 302
    row = AuditEvent.objects.get(action="2fa.verify")
    assert row.actor_id == province_admin.pk and row.changes == {"kind": "totp"}
