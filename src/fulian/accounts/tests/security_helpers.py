"""Helpers of the second-factor and session tests: a real sign-in, codes as her app or phone would show them."""

from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from fulian.accounts import twofactor
from fulian.accounts.tests.factories import PASSWORD

PHONE_UA = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            "Version/17.0 Mobile/15E148 Safari/604.1")
DESKTOP_UA = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 "
              "Safari/537.36")


def signed_in(username: str, *, user_agent: str = DESKTOP_UA) -> Client:
    """A browser that signed in with her password on the sign-in page (as a cadre does)."""
    client = Client(HTTP_USER_AGENT=user_agent)
    answer = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert answer.status_code == 302, answer.content[:300]
    return client


def app_code(device: TOTPDevice, *, ahead: int = 0) -> str:
    """The code her authenticator app shows now, or `ahead` 30-second steps later (a step already used is refused,
    and the device accepts the next step too)."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + ahead):06d}"


def wrong_code(device: TOTPDevice) -> str:
    """A six-digit code that is none of the codes the device accepts now."""
    accepted = {totp(device.bin_key, device.step, device.t0, device.digits, device.drift + d)
                for d in range(-device.tolerance - 2, device.tolerance + 3)}
    return next(f"{n:06d}" for n in range(123456, 999999) if n not in accepted)


def totp_enrolled(user) -> tuple[TOTPDevice, list[str]]:
    """Her TOTP factor, enrolled through the service as the page does; returns the device and recovery codes."""
    device = twofactor.totp_begin(user=user)
    codes = twofactor.totp_confirm(user=user, code=app_code(device))
    device.refresh_from_db()
    return device, codes




def last_sms_code(phone: str) -> str:
    """The code as the SMS sender would send it (the outbox row itself holds no code)."""
    import re

    from fulian.core.models import Outbox
    from fulian.core.otp import otp_render

    message = Outbox.objects.filter(address=phone).latest("id")
    return re.search(r"(\d{6})", otp_render(message.subject, message.link)).group(1)


def verified_client(user) -> Client:
    """A browser of hers past the second factor (enrolled for her if she has none): for a leader who acts."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_static.models import StaticDevice

    if not twofactor.has_second_factor(user):
        totp_enrolled(user)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = StaticDevice.objects.get(user=user).persistent_id
    session.save()
    return client
