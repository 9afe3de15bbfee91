"""账号安全 over the API (/api/v1/me/second-factor…, /me/sessions…, /accounts/{id}/second-factor/reset and
/sessions/end): each route's happy path and its 404 outside scope."""

import datetime as dt
import json

import pytest
import time_machine
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from fulian.accounts import twofactor
from fulian.accounts.models import CadreSession, SecondFactor
from fulian.accounts.services import token_create
from fulian.accounts.tests.factories import UserFactory
from fulian.accounts.tests.security_helpers import last_sms_code, signed_in, totp_enrolled, wrong_code
from fulian.core.models import AuditEvent
from fulian.core.policy import Role

START = dt.datetime(2026, 11, 25, 2, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _duty_on(settings):
    settings.SECOND_FACTOR_REQUIRED = True


def api(user) -> Client:
    _token, key = token_create(user=user, name="程序")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def body(answer):
    return json.loads(answer.content)


@pytest.mark.django_db
def test_her_factor_state_before_and_after_totp_enrolment(province_admin):
    client = api(province_admin)
    state = body(client.get("/api/v1/me/second-factor"))
    assert state == {"enrolled": False, "kind": None, "locked": False, "required": True, "recovery_codes_left": 0,
                     "verified": False}
    with time_machine.travel(START, tick=False):
        begun = body(client.post("/api/v1/me/second-factor/totp"))
        assert begun["otpauth_uri"].startswith("otpauth://totp/")
        device = TOTPDevice.objects.get(user=province_admin, confirmed=False)
        assert client.post("/api/v1/me/second-factor/totp/confirm", {"code": wrong_code(device)},
                           content_type="application/json").status_code == 400
        code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
        answer = client.post("/api/v1/me/second-factor/totp/confirm", {"code": code},
                             content_type="application/json")
    assert answer.status_code == 200 and len(body(answer)["recovery_codes"]) == 10
    state = body(client.get("/api/v1/me/second-factor"))
    assert state["enrolled"] and state["kind"] == "totp" and state["recovery_codes_left"] == 10


@pytest.mark.django_db
def test_sms_enrolment_over_the_api(unit):
    chair = UserFactory(username="city-chair", unit=unit("石家庄市"), roles=[Role.CHAIR], phone="13800000001")
    client = api(chair)
    assert client.post("/api/v1/me/second-factor/sms").status_code == 204
    answer = client.post("/api/v1/me/second-factor/sms/confirm", {"code": last_sms_code(chair.phone)},
                         content_type="application/json")
    assert answer.status_code == 200
    assert SecondFactor.objects.get(user=chair).kind == "sms"


@pytest.mark.django_db
def test_sms_enrolment_without_a_phone_is_400(province_admin):
    assert api(province_admin).post("/api/v1/me/second-factor/sms").status_code == 400


@pytest.mark.django_db
def test_new_recovery_codes_over_the_api(province_admin):
    client = api(province_admin)
    assert client.post("/api/v1/me/second-factor/recovery-codes", "",
                       content_type="application/json").status_code == 400  # no factor yet
    with time_machine.travel(START, tick=False):
        _device, old = totp_enrolled(province_admin)
    # a token alone does not make new codes once she has a factor: one of her codes comes with it
    answer = client.post("/api/v1/me/second-factor/recovery-codes", {"current_code": old[0]},
                         content_type="application/json")
    assert answer.status_code == 200 and not set(body(answer)["recovery_codes"]) & set(old)


@pytest.mark.django_db
def test_her_sessions_listed_and_ended_over_the_api(village_cadre):
    browser = signed_in("village-cadre")
    client = api(village_cadre)
    rows = body(client.get("/api/v1/me/sessions"))
    assert len(rows) == 1 and rows[0]["device"] == "Windows · Chrome" and rows[0]["current"] is False
    assert browser.get("/api/v1/me/sessions").json()[0]["current"] is True
    assert client.delete(f"/api/v1/me/sessions/{rows[0]['id']}").status_code == 204
    assert browser.get("/account/").status_code == 302
    signed_in("village-cadre")
    signed_in("village-cadre")
    answer = client.post("/api/v1/me/sessions/end-others")
    assert answer.status_code == 200, (answer.status_code, answer.content[:300])
    assert body(answer) == {"ended": 2}
    assert not CadreSession.objects.filter(user=village_cadre).exists()


@pytest.mark.django_db
def test_another_cadres_session_is_404_over_the_api(village_cadre, county_chair):
    signed_in("village-cadre")
    row = CadreSession.objects.get(user=village_cadre)
    assert api(county_chair).delete(f"/api/v1/me/sessions/{row.pk}").status_code == 404
    assert CadreSession.objects.filter(pk=row.pk).exists()


@pytest.mark.django_db
def test_a_chair_above_resets_a_factor_over_the_api_and_others_get_404(unit, province_chair, county_chair):
    with time_machine.travel(START, tick=False):
        totp_enrolled(county_chair)
        totp_enrolled(province_chair)
    sibling = UserFactory(username="xingtang-chair", unit=unit("行唐县"), roles=[Role.CHAIR])
    body = {"password": "Xinmima2026fl"}
    assert api(sibling).post(f"/api/v1/accounts/{county_chair.pk}/second-factor/reset", body,
                             content_type="application/json").status_code == 404
    assert api(county_chair).post(f"/api/v1/accounts/{province_chair.pk}/second-factor/reset", body,
                                  content_type="application/json").status_code == 404
    weak = api(province_chair).post(f"/api/v1/accounts/{county_chair.pk}/second-factor/reset",
                                    {"password": "123456"}, content_type="application/json")
    assert weak.status_code == 400 and twofactor.has_second_factor(county_chair)  # nothing done
    assert api(province_chair).post(f"/api/v1/accounts/{county_chair.pk}/second-factor/reset", body,
                                    content_type="application/json").status_code == 204
    assert not twofactor.has_second_factor(county_chair) and twofactor.has_second_factor(province_chair)
    assert AuditEvent.objects.filter(action="2fa.reset", actor=province_chair).count() == 1


@pytest.mark.django_db
def test_a_manager_ends_a_cadres_sessions_over_the_api_and_a_sibling_gets_404(unit, county_chair, village_cadre):
    browser = signed_in("village-cadre")
    sibling = UserFactory(username="xingtang-chair", unit=unit("行唐县"), roles=[Role.CHAIR])
    assert api(sibling).post(f"/api/v1/accounts/{village_cadre.pk}/sessions/end").status_code == 404
    assert browser.get("/account/").status_code == 200
    answer = api(county_chair).post(f"/api/v1/accounts/{village_cadre.pk}/sessions/end")
    assert body(answer) == {"ended": 1}
    assert browser.get("/account/").status_code == 302


@pytest.mark.django_db
def test_an_unverified_session_gets_403_json_not_a_redirect(province_admin):
    with time_machine.travel(START, tick=False):
        totp_enrolled(province_admin)
    browser = signed_in("province-admin")
    answer = browser.get("/api/v1/me/sessions")
    assert answer.status_code == 403 and body(answer)["code"] == "second_factor_verify"
