"""The second factor: who must enrol, what she reaches before, verification after the password, the lock after
SECOND_FACTOR_ATTEMPTS wrong codes, recovery codes, and the reset by a chair above."""

import datetime as dt
import json

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fulian.accounts import twofactor
from fulian.accounts.models import SecondFactor
from fulian.accounts.services import token_create
from fulian.accounts.tests.factories import PASSWORD, UserFactory
from fulian.accounts.tests.security_helpers import (
    app_code,
    last_sms_code,
    signed_in,
    totp_enrolled,
    verified_client,
    wrong_code,
)
from fulian.core.models import AuditEvent
from fulian.core.policy import Role

START = dt.datetime(2026, 11, 25, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai


@pytest.fixture(autouse=True)
def _duty_on(settings):
    settings.SECOND_FACTOR_REQUIRED = True


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def actions(user) -> list[str]:
    return list(AuditEvent.objects.filter(object_id=str(user.pk), action__startswith="2fa.").order_by("id")
                .values_list("action", flat=True))


@pytest.mark.django_db
def test_sysadmin_without_a_second_factor_reaches_nothing_but_enrolment(province_admin, county_chair):
    client = signed_in("province-admin")
    enrol = reverse("twofactor_enrol")
    for url in ("/work/", "/women/", "/units/", "/cadres/", f"/cadres/{county_chair.pk}/", "/account/",
                "/account/sessions/", "/account/security/", "/admin/", "/accounts/password/",
                reverse("twofactor_verify")):
        answer = client.get(url)
        assert answer.status_code == 302, url
        assert answer["Location"].startswith(enrol), (url, answer["Location"])
    assert client.post("/women/new/", {"name": "x"}).status_code == 302
    htmx = client.get("/women/", HTTP_HX_REQUEST="true")
    assert htmx.status_code == 204 and htmx["HX-Redirect"].startswith(enrol)
    api = client.get("/api/v1/me")
    assert api.status_code == 403 and api["Content-Type"].startswith("application/json")
    assert json.loads(api.content)["code"] == "second_factor_enrol"
    for page in ("twofactor_enrol", "twofactor_totp", "twofactor_sms"):
        assert client.get(reverse(page)).status_code == 200, page
    assert client.post(reverse("logout")).status_code == 302
    assert client.get("/work/")["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_a_village_cadre_need_not_enrol(village_cadre):
    client = signed_in("village-cadre")
    assert client.get("/account/").status_code == 200


@pytest.mark.django_db
def test_enrolment_by_app_shows_a_qr_code_and_the_secret_then_recovery_codes_once(province_admin, clock):
    client = signed_in("province-admin")
    page = client.get(reverse("twofactor_totp"))
    assert b"<svg" in page.content
    device = twofactor.pending_totp(province_admin)
    assert twofactor.totp_secret_text(device).encode() in page.content
    assert client.post(reverse("twofactor_totp"), {"code": wrong_code(device)}).status_code == 200
    assert not SecondFactor.objects.filter(user=province_admin).exists()
    answer = client.post(reverse("twofactor_totp"), {"code": app_code(device)})
    assert answer["Location"] == reverse("twofactor_codes")
    codes_page = client.get(reverse("twofactor_codes")).content.decode()
    assert codes_page.count("<code>") == 10
    assert client.get(reverse("twofactor_codes")).status_code == 302  # shown once
    assert client.get("/work/").status_code == 200  # this session is verified by the enrolment itself
    assert actions(province_admin) == ["2fa.enrol"]
    assert SecondFactor.objects.get(user=province_admin).kind == "totp"


@pytest.mark.django_db
def test_after_the_password_she_gives_her_app_code_and_goes_where_she_was_going(province_admin, clock):
    device, _codes = totp_enrolled(province_admin)
    client = signed_in("province-admin")
    answer = client.get("/women/")
    assert answer["Location"] == reverse("twofactor_verify") + "?next=%2Fwomen%2F"
    assert client.get("/api/v1/me").status_code == 403
    page = client.get(answer["Location"])
    assert page.status_code == 200
    done = client.post(reverse("twofactor_verify"), {"code": app_code(device, ahead=1), "next": "/women/"})
    assert done["Location"] == "/women/"
    assert client.get("/women/").status_code == 200
    assert client.get("/api/v1/me").status_code == 200


@pytest.mark.django_db
def test_a_code_already_used_is_refused(province_admin, clock):
    device, _codes = totp_enrolled(province_admin)
    with pytest.raises(Exception, match="验证码不对"):
        twofactor.second_factor_verify(user=province_admin, code=app_code(device))  # the enrolment's own step


@pytest.mark.django_db
def test_five_wrong_app_codes_lock_the_factor_even_against_the_right_code(province_admin, clock, settings):
    assert settings.SECOND_FACTOR_ATTEMPTS == 5
    device, _codes = totp_enrolled(province_admin)
    client = signed_in("province-admin")
    for attempt in range(1, 5):
        page = client.post(reverse("twofactor_verify"), {"code": wrong_code(device)})
        assert page.status_code == 200
        assert f"还可以再试 {5 - attempt} 次" in page.content.decode()
    page = client.post(reverse("twofactor_verify"), {"code": wrong_code(device)})
    assert "已锁定" in page.content.decode()
    factor = SecondFactor.objects.get(user=province_admin)
    assert factor.failures == 5 and factor.is_locked
    page = client.post(reverse("twofactor_verify"), {"code": app_code(device, ahead=1)})
    assert page.status_code == 200 and "已锁定" in page.content.decode()
    assert client.get("/work/").status_code == 302
    assert actions(province_admin) == ["2fa.enrol"] + ["2fa.fail"] * 5 + ["2fa.lock"]


@pytest.mark.django_db
def test_one_good_code_resets_the_count_of_wrong_ones(province_admin, clock):
    device, _codes = totp_enrolled(province_admin)
    for _ in range(4):
        with pytest.raises(Exception, match="还可以再试"):
            twofactor.second_factor_verify(user=province_admin, code=wrong_code(device))
    twofactor.second_factor_verify(user=province_admin, code=app_code(device, ahead=1))
    assert SecondFactor.objects.get(user=province_admin).failures == 0


@pytest.mark.django_db
def test_the_wrong_code_is_counted_before_the_refusal_and_no_request_transaction_undoes_it(province_admin, clock):
    from django.db import connection

    assert not connection.settings_dict["ATOMIC_REQUESTS"]  # a refused request rolls nothing back
    device, _codes = totp_enrolled(province_admin)
    with pytest.raises(Exception, match="验证码不对"):
        twofactor.second_factor_verify(user=province_admin, code=wrong_code(device))
    assert SecondFactor.objects.get(user=province_admin).failures == 1


@pytest.mark.django_db
def test_five_wrong_sms_codes_lock_the_sms_factor(unit, clock):
    chair = UserFactory(username="city-chair", unit=unit("石家庄市"), roles=[Role.CHAIR], phone="13800000001")
    client = signed_in("city-chair")
    client.post(reverse("twofactor_sms"), {"send": "1"})
    answer = client.post(reverse("twofactor_sms"), {"code": last_sms_code(chair.phone)})
    assert answer["Location"] == reverse("twofactor_codes")
    assert SecondFactor.objects.get(user=chair).kind == "sms"

    other = signed_in("city-chair")
    assert other.get("/work/")["Location"].startswith(reverse("twofactor_verify"))
    other.post(reverse("twofactor_verify"), {"send": "1"})
    good = last_sms_code(chair.phone)
    bad = "000000" if good != "000000" else "111111"
    for _ in range(5):
        other.post(reverse("twofactor_verify"), {"code": bad})
    factor = SecondFactor.objects.get(user=chair)
    assert factor.failures == 5 and factor.is_locked
    assert "已锁定" in other.post(reverse("twofactor_verify"), {"code": good}).content.decode()
    assert other.get("/work/").status_code == 302
    assert "2fa.lock" in actions(chair)


@pytest.mark.django_db
def test_sms_verification_after_the_password(unit, clock):
    chair = UserFactory(username="city-chair", unit=unit("石家庄市"), roles=[Role.CHAIR], phone="13800000001")
    twofactor.sms_begin(user=chair)
    twofactor.sms_confirm(user=chair, code=last_sms_code(chair.phone))
    client = signed_in("city-chair")
    client.post(reverse("twofactor_verify"), {"send": "1"})
    answer = client.post(reverse("twofactor_verify"), {"code": last_sms_code(chair.phone)})
    assert answer.status_code == 302
    assert client.get("/work/").status_code == 200


@pytest.mark.django_db
def test_sms_enrolment_needs_a_phone_on_her_account(province_admin):
    client = signed_in("province-admin")
    page = client.post(reverse("twofactor_sms"), {"send": "1"})
    assert "没有登记手机号" in page.content.decode()


@pytest.mark.django_db
def test_recovery_codes_work_once_each_and_unlock_a_locked_factor(province_admin, clock):
    device, codes = totp_enrolled(province_admin)
    assert len(codes) == 10 and len(set(codes)) == 10
    for _ in range(5):
        with pytest.raises(Exception):  # noqa: B017  (wrong, then locked)
            twofactor.second_factor_verify(user=province_admin, code=wrong_code(device))
    assert SecondFactor.objects.get(user=province_admin).is_locked

    first = signed_in("province-admin")
    answer = first.post(reverse("twofactor_verify"), {"code": codes[0].upper()})  # typed from paper
    assert answer.status_code == 302
    assert first.get("/work/").status_code == 200
    assert not SecondFactor.objects.get(user=province_admin).is_locked
    assert twofactor.recovery_codes_left(province_admin) == 9

    second = signed_in("province-admin")
    page = second.post(reverse("twofactor_verify"), {"code": codes[0]})
    assert "已经用过" in page.content.decode()
    assert second.get("/work/").status_code == 302
    assert second.post(reverse("twofactor_verify"), {"code": codes[1].replace("-", "")}).status_code == 302
    assert second.get("/work/").status_code == 200
    assert actions(province_admin).count("2fa.recovery_used") == 2


@pytest.mark.django_db
def test_recovery_codes_are_stored_as_keyed_hashes(province_admin):
    from django_otp.plugins.otp_static.models import StaticToken

    _device, codes = totp_enrolled(province_admin)
    stored = set(StaticToken.objects.filter(device__user=province_admin).values_list("token", flat=True))
    assert len(stored) == 10 and not stored & {c.replace("-", "") for c in codes} and not stored & set(codes)


@pytest.mark.django_db
def test_new_recovery_codes_replace_the_old(province_admin, clock):
    _device, old = totp_enrolled(province_admin)
    client = signed_in("province-admin")
    client.post(reverse("twofactor_verify"), {"code": old[0]})
    assert client.post(reverse("twofactor_recovery_new"))["Location"] == reverse("twofactor_codes")
    assert client.get(reverse("twofactor_codes")).content.decode().count("<code>") == 10
    with pytest.raises(Exception, match="已经用过"):
        twofactor.second_factor_verify(user=province_admin, code=old[1])
    assert "2fa.recovery_new" in actions(province_admin)


@pytest.mark.django_db
def test_a_chair_above_resets_a_locked_factor_and_she_enrols_again(province_chair, county_chair, clock):
    device, _codes = totp_enrolled(county_chair)
    for _ in range(5):
        with pytest.raises(Exception):  # noqa: B017
            twofactor.second_factor_verify(user=county_chair, code=wrong_code(device))
    chair = verified_client(province_chair)
    page = chair.get(reverse("account_edit", args=[county_chair.pk]))
    assert "已锁定" in page.content.decode() and "重置双因素认证" in page.content.decode()
    weak = chair.post(reverse("account_twofactor_reset", args=[county_chair.pk]), {"password": "123456"})
    assert weak.status_code == 302 and SecondFactor.objects.filter(user=county_chair).exists()  # nothing done
    answer = chair.post(reverse("account_twofactor_reset", args=[county_chair.pk]), {"password": "Xinmima2026fl"})
    assert answer.status_code == 302
    assert not SecondFactor.objects.filter(user=county_chair).exists()
    event = AuditEvent.objects.get(action="2fa.reset")
    assert event.actor_id == province_chair.pk and event.object_id == str(county_chair.pk)
    assert event.changes["was_locked"] is True
    county_chair.refresh_from_db()
    assert county_chair.must_change_password  # she changes the chair's password first, then enrols
    county_chair.refresh_from_db()
    assert not county_chair.check_password(PASSWORD)  # whoever knew the old one cannot be the first to enrol
    assert county_chair.check_password("Xinmima2026fl")


@pytest.mark.django_db
def test_a_sibling_or_a_cadre_below_cannot_reset_a_factor(unit, province_chair, county_chair, clock):
    totp_enrolled(province_chair)
    totp_enrolled(county_chair)
    sibling = UserFactory(username="xingtang-chair", unit=unit("行唐县"), roles=[Role.CHAIR])
    peer = UserFactory(username="zhengding-chair-2", unit=unit("正定县"), roles=[Role.CHAIR])
    for actor, account in ((sibling, county_chair), (county_chair, province_chair), (peer, county_chair)):
        client = verified_client(actor)
        assert client.post(reverse("account_twofactor_reset", args=[account.pk]),
                           {"password": "Xinmima2026fl"}).status_code == 404
    assert SecondFactor.objects.count() == 4
    assert not AuditEvent.objects.filter(action="2fa.reset").exists()


@pytest.mark.django_db
def test_an_optional_factor_for_a_village_cadre_can_be_turned_off_a_required_one_cannot(
        village_cadre, province_admin, clock):
    totp_enrolled(village_cadre)
    client = signed_in("village-cadre")
    assert client.get("/account/")["Location"].startswith(reverse("twofactor_verify"))  # once on, it is asked
    _device, codes = totp_enrolled(province_admin)
    twofactor.second_factor_remove(user=village_cadre, verified=True)
    assert not SecondFactor.objects.filter(user=village_cadre).exists()
    assert "2fa.remove" in actions(village_cadre)
    with pytest.raises(Exception, match="不能关闭"):
        twofactor.second_factor_remove(user=province_admin)


@pytest.mark.django_db
def test_her_api_token_keeps_working_without_a_factor(province_admin):
    _token, key = token_create(user=province_admin, name="程序")
    answer = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert answer.status_code == 200


@pytest.mark.django_db
def test_a_bad_token_beside_an_unverified_session_is_not_let_in_by_the_session(province_admin):
    client = signed_in("province-admin")
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer fl_made-up").status_code == 401


@pytest.mark.django_db
def test_the_duty_is_off_when_the_setting_is(settings, province_admin):
    settings.SECOND_FACTOR_REQUIRED = False
    assert signed_in("province-admin").get("/work/").status_code == 200


@pytest.mark.django_db
def test_the_lock_time_is_recorded(province_admin, clock):
    device, _codes = totp_enrolled(province_admin)
    for _ in range(5):
        with pytest.raises(Exception):  # noqa: B017
            twofactor.second_factor_verify(user=province_admin, code=wrong_code(device))
    assert SecondFactor.objects.get(user=province_admin).locked_at == timezone.now()
