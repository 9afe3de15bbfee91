"""Main journey on a 390-px phone, with the second factor required: a county chair signs in, is sent to enrolment,
adds an authenticator app by typing the secret shown as text (her app computes the code: here django-otp does), sees
her recovery codes once, reaches 工作台; signs in again and passes the code page; then on 我的登录设备 ends the first
sign-in."""

import base64

import pytest
from django_otp.oath import totp

from fulian.core.tests.browser import MARKS, account_create, phone_page, served, sign_in, site_prepare

pytestmark = MARKS


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    manage, env = site_prepare(tmp_path_factory.mktemp("twofactor"), env_extra={"SECOND_FACTOR_REQUIRED": "true"})
    account_create(manage, env, "county", "130123000000", "chair", "刘桂英")
    with served(manage, env) as url:
        yield url


def app_code(secret_text: str, ahead: int = 0) -> str:
    key = base64.b32decode(secret_text.replace(" ", "") + "=" * (-len(secret_text.replace(" ", "")) % 8))
    return f"{totp(key, drift=ahead):06d}"


def test_a_county_chair_enrols_an_app_then_verifies_at_her_next_sign_in(server):
    with phone_page() as phone:
        sign_in(phone, server, "county")
        phone.wait_for_url(lambda url: "/account/2fa/enrol/" in url)
        phone.get_by_role("link", name="验证器应用（推荐）").click()
        assert phone.locator(".qr svg").count() == 1
        secret = phone.locator("code.secret").inner_text()
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390
        phone.get_by_label("验证码").fill(app_code(secret))
        phone.get_by_role("button", name="确认启用").click()
        assert phone.locator("ol.codes li").count() == 10
        phone.get_by_role("link", name="我已保存").click()
        phone.goto(f"{server}/work/")
        phone.wait_for_selector("text=正定县妇联")

        phone.context.clear_cookies()
        sign_in(phone, server, "county")
        phone.wait_for_url(lambda url: "/accounts/verify/" in url)
        phone.get_by_label("验证码").fill(app_code(secret, ahead=1))  # the enrolment used this step's code
        phone.get_by_role("button", name="验证", exact=True).click()
        phone.wait_for_selector("text=正定县妇联")

        phone.goto(f"{server}/account/sessions/")
        assert phone.locator("ul.sessions li").count() == 2  # the first sign-in's browser lost its cookie only
        assert "本设备" in phone.locator("ul.sessions").inner_text()
        phone.get_by_role("button", name="结束", exact=True).click()
        phone.wait_for_selector("text=已结束该设备上的登录")
        assert phone.locator("ul.sessions li").count() == 1
