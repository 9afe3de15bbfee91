"""Review of issue 21 (level 3): once she has a second factor, replacing it, removing it or making new recovery codes
needs that factor — a session verified by it, or one of its codes in the request. A program's API token alone makes
at most a first enrolment, so a stolen token and a guessed password cannot get round her factor."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from fulian.accounts import twofactor
from fulian.accounts.models import SecondFactor, SmsDevice
from fulian.accounts.services import token_create
from fulian.accounts.tests.factories import UserFactory
from fulian.accounts.tests.security_helpers import app_code, last_sms_code, totp_enrolled, verified_client
from fulian.core.models import AuditEvent
from fulian.core.policy import Role

START = dt.datetime(2026, 11, 25, 2, 0, tzinfo=dt.UTC)
JSON = "application/json"


@pytest.fixture(autouse=True)
def _duty_on(settings):
    settings.SECOND_FACTOR_REQUIRED = True


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def api(user) -> Client:
    _token, key = token_create(user=user, name="程序")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def enrolments(user) -> int:
    return AuditEvent.objects.filter(object_id=str(user.pk), action="2fa.enrol").count()


def attacker_totp(client) -> TOTPDevice:
    """The attacker starts a TOTP enrolment of his own app with her token; returns the pending device."""
    assert client.post("/api/v1/me/second-factor/totp").status_code == 200
    return TOTPDevice.objects.filter(confirmed=False).latest("id")


@pytest.mark.django_db
def test_a_token_alone_cannot_replace_her_totp_factor(province_admin, clock):
    device, _codes = totp_enrolled(province_admin)
    client = api(province_admin)
    pending = attacker_totp(client)
    answer = client.post("/api/v1/me/second-factor/totp/confirm", {"code": app_code(pending)}, content_type=JSON)
    assert answer.status_code == 400, answer.content
    assert TOTPDevice.objects.get(user=province_admin, confirmed=True).pk == device.pk
    assert enrolments(province_admin) == 1


@pytest.mark.django_db
def test_a_token_alone_cannot_replace_her_factor_by_sms(unit, clock):
    chair = UserFactory(username="city-chair", unit=unit("石家庄市"), roles=[Role.CHAIR], phone="13800000001")
    device, _codes = totp_enrolled(chair)
    client = api(chair)
    assert client.post("/api/v1/me/second-factor/sms").status_code == 204
    answer = client.post("/api/v1/me/second-factor/sms/confirm", {"code": last_sms_code(chair.phone)},
                         content_type=JSON)
    assert answer.status_code == 400, answer.content
    assert SecondFactor.objects.get(user=chair).kind == "totp" and not SmsDevice.objects.filter(user=chair).exists()


@pytest.mark.django_db
def test_a_token_alone_cannot_make_new_recovery_codes(province_admin, clock):
    _device, codes = totp_enrolled(province_admin)
    client = api(province_admin)
    assert client.post("/api/v1/me/second-factor/recovery-codes", "", content_type=JSON).status_code == 400
    assert client.post("/api/v1/me/second-factor/recovery-codes", {}, content_type=JSON).status_code == 400
    assert twofactor.recovery_codes_left(province_admin) == 10
    assert twofactor.second_factor_verify(user=province_admin, code=codes[0]).name == twofactor.RECOVERY_DEVICE


@pytest.mark.django_db
def test_with_her_current_code_a_token_replaces_the_factor(province_admin, clock):
    device, _codes = totp_enrolled(province_admin)
    client = api(province_admin)
    pending = attacker_totp(client)
    clock.shift(dt.timedelta(seconds=30))  # her app's next code (the enrolment used this step)
    answer = client.post("/api/v1/me/second-factor/totp/confirm",
                         {"code": app_code(pending), "current_code": app_code(device)}, content_type=JSON)
    assert answer.status_code == 200, answer.content
    assert TOTPDevice.objects.get(user=province_admin, confirmed=True).pk == pending.pk


@pytest.mark.django_db
def test_with_her_current_code_a_token_makes_new_recovery_codes(province_admin, clock):
    device, old = totp_enrolled(province_admin)
    clock.shift(dt.timedelta(seconds=30))
    answer = api(province_admin).post("/api/v1/me/second-factor/recovery-codes",
                                      {"current_code": app_code(device)}, content_type=JSON)
    assert answer.status_code == 200, answer.content
    assert not set(answer.json()["recovery_codes"]) & set(old)


@pytest.mark.django_db
def test_a_wrong_current_code_counts_toward_the_lock(province_admin, clock):
    totp_enrolled(province_admin)
    client = api(province_admin)
    for _ in range(5):
        answer = client.post("/api/v1/me/second-factor/recovery-codes", {"current_code": "000000"},
                             content_type=JSON)
        assert answer.status_code == 400
    assert SecondFactor.objects.get(user=province_admin).is_locked


@pytest.mark.django_db
def test_a_first_enrolment_through_a_token_still_works(province_admin, clock):
    client = api(province_admin)
    pending = attacker_totp(client)
    answer = client.post("/api/v1/me/second-factor/totp/confirm", {"code": app_code(pending)}, content_type=JSON)
    assert answer.status_code == 200


@pytest.mark.django_db
def test_a_verified_session_replaces_her_factor_through_the_api(province_admin, clock):
    browser = verified_client(province_admin)
    old = TOTPDevice.objects.get(user=province_admin, confirmed=True)
    assert browser.post("/api/v1/me/second-factor/totp").status_code == 200
    pending = TOTPDevice.objects.get(user=province_admin, confirmed=False)
    answer = browser.post("/api/v1/me/second-factor/totp/confirm", {"code": app_code(pending)}, content_type=JSON)
    assert answer.status_code == 200, answer.content
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()


@pytest.mark.django_db
def test_the_services_refuse_a_change_without_proof(village_cadre, clock):
    totp_enrolled(village_cadre)
    for change in (lambda: twofactor.recovery_codes_regenerate(user=village_cadre),
                   lambda: twofactor.second_factor_remove(user=village_cadre)):
        with pytest.raises(ValidationError) as caught:
            change()
        assert caught.value.code == "verify_first"
    assert twofactor.has_second_factor(village_cadre) and StaticToken.objects.count() == 10
