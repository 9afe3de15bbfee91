"""Real SMS senders against local stand-ins of Alibaba Cloud and Tencent Cloud that check each request's signature:
codes and notices reach the provider with the right template, a refusal is retried with a safe error, an expired
code is never sent, the outbox's idempotency key travels with the request, and "log" sends nothing anywhere."""

import datetime as dt
import logging
import re
import socket

import pytest

from fulian.core.models import Outbox
from fulian.core.otp import otp_render, otp_send
from fulian.core.outbox import outbox_put, outbox_send
from fulian.core.tests.sms_standin import AliyunStandIn, TencentStandIn

KEY_ID = "LTAI5tStandInKeyId"
SECRET = "stand-in-secret-0123456789abcdef"
PHONE = "13800005555"
START = dt.datetime(2026, 11, 27, 2, 0, tzinfo=dt.UTC)  # 10 a.m. in Beijing
TEMPLATES = {"aliyun": ("SMS_465900001", "SMS_465900002"), "tencent": ("2100001", "2100002")}
NOTICE = "您报名的“巾帼心向党”读书会明天上午九点在恒东社区妇女之家开始，请准时到场。"


@pytest.fixture(params=["aliyun", "tencent"])
def provider(request, settings):
    """A stand-in of each provider, with the settings an operator would write for it."""
    standin_class = AliyunStandIn if request.param == "aliyun" else TencentStandIn
    with standin_class(key_id=KEY_ID, secret=SECRET) as standin:
        standin.name = request.param
        settings.DEBUG = settings.OTP_ECHO = False  # as in production
        settings.OUTBOX_SENDERS = {**settings.OUTBOX_SENDERS, "sms": "fulian.core.sms.send_sms"}
        settings.SMS_PROVIDER = request.param
        settings.SMS_ENDPOINT = standin.endpoint
        settings.SMS_ACCESS_KEY_ID, settings.SMS_ACCESS_KEY_SECRET = KEY_ID, SECRET
        settings.SMS_SIGN_NAME = "全国妇联"
        settings.SMS_SDK_APP_ID = "1400000001"
        settings.SMS_TEMPLATE_CODE, settings.SMS_TEMPLATE_NOTICE = TEMPLATES[request.param]
        yield standin


def arrived(standin) -> list[dict]:
    """What reached the stand-in, in one shape for both providers."""
    if standin.name == "aliyun":
        return [{"phone": p["PhoneNumbers"], "sign": p["SignName"], "template": p["TemplateCode"],
                 "values": list(p["TemplateParam"].values()), "names": list(p["TemplateParam"]),
                 "key": p.get("OutId")} for p in standin.received]
    return [{"phone": ",".join(p["PhoneNumberSet"]), "sign": p["SignName"], "template": p["TemplateId"],
             "values": p["TemplateParamSet"], "names": None, "key": p.get("SessionContext"),
             "app": p["SmsSdkAppId"]} for p in standin.received]


def the_code(message: Outbox) -> str:
    return re.search(r"\d{6}", otp_render(message.subject, message.link)).group(0)


def expected_phone(standin) -> str:
    return PHONE if standin.name == "aliyun" else f"+86{PHONE}"  # Alibaba: the 11 digits; Tencent: E.164


@pytest.mark.django_db
def test_a_code_reaches_the_provider_with_the_code_template(provider):
    otp_send(phone=PHONE, now=START)
    message = Outbox.objects.get()
    assert outbox_send(now=START + dt.timedelta(seconds=5)) == {"sent": 1, "failed": 0}
    [request] = arrived(provider)
    assert request["template"] == TEMPLATES[provider.name][0]
    assert request["sign"] == "全国妇联" and request["phone"] == expected_phone(provider)
    assert request["values"] == [the_code(message)]
    if provider.name == "aliyun":
        assert request["names"] == ["code"]  # the template's ${code}
    else:
        assert request["app"] == "1400000001"
    message.refresh_from_db()
    assert message.status == "sent" and "{code}" in message.subject  # the row still holds no code


@pytest.mark.django_db
def test_a_notice_goes_with_the_notice_template_cut_to_the_provider_limit(provider):
    outbox_put(channel="sms", address=PHONE, subject=NOTICE, link="/activities/7/", now=START)
    assert outbox_send(now=START)["sent"] == 1
    [request] = arrived(provider)
    assert request["template"] == TEMPLATES[provider.name][1] and request["phone"] == expected_phone(provider)
    # Alibaba's "其他" variable takes at most 35 characters; Tencent's (an organisation's account) the whole text
    assert request["values"] == [NOTICE[:35] if provider.name == "aliyun" else NOTICE]
    assert Outbox.objects.get().expires_at is None  # a notice does not go stale in the outbox


@pytest.mark.django_db
def test_a_wrong_secret_is_refused_and_the_attempt_recorded_without_secrets(provider, settings):
    settings.SMS_ACCESS_KEY_SECRET = "not-the-stand-in-secret"
    otp_send(phone=PHONE, now=START)
    message = Outbox.objects.get()
    assert outbox_send(now=START) == {"sent": 0, "failed": 1}
    assert provider.received == []
    refusal = "SignatureDoesNotMatch" if provider.name == "aliyun" else "AuthFailure.SignatureFailure"
    assert provider.refused == [refusal]
    message.refresh_from_db()
    assert message.status == "pending" and message.attempts == 1  # retried later
    assert message.last_error.startswith(f"SmsError: {provider.name}: {refusal}")
    for secret in (the_code(message), "not-the-stand-in-secret", SECRET):
        assert secret not in message.last_error


@pytest.mark.django_db
def test_a_provider_business_error_is_retried(provider):
    provider.fail_with = "isv.BUSINESS_LIMIT_CONTROL" if provider.name == "aliyun" else \
        "LimitExceeded.PhoneNumberDailyLimit"
    outbox_put(channel="sms", address=PHONE, subject=NOTICE, now=START)
    assert outbox_send(now=START) == {"sent": 0, "failed": 1}
    message = Outbox.objects.get()
    assert message.status == "pending" and provider.fail_with in message.last_error


@pytest.mark.django_db
def test_an_unreachable_provider_is_retried_and_its_error_holds_no_code(provider, settings):
    with socket.socket() as probe:  # a port nobody listens on: the connection is refused at once
        probe.bind(("127.0.0.1", 0))
        settings.SMS_ENDPOINT = f"http://127.0.0.1:{probe.getsockname()[1]}"
    otp_send(phone=PHONE, now=START)
    assert outbox_send(now=START) == {"sent": 0, "failed": 1}
    message = Outbox.objects.get()
    assert message.status == "pending" and message.last_error.startswith(f"SmsError: {provider.name}")
    assert the_code(message) not in message.last_error and PHONE not in message.last_error


@pytest.mark.django_db
def test_a_provider_outage_is_retried(provider):
    provider.down = True
    otp_send(phone=PHONE, now=START)
    assert outbox_send(now=START) == {"sent": 0, "failed": 1}
    message = Outbox.objects.get()
    assert message.status == "pending" and message.next_attempt_at == START + dt.timedelta(minutes=2)
    assert message.last_error.startswith(f"SmsError: {provider.name}") and the_code(message) not in message.last_error


@pytest.mark.django_db
def test_an_expired_code_is_never_sent(provider):
    otp_send(phone=PHONE, now=START)
    assert outbox_send(now=START + dt.timedelta(minutes=10)) == {"sent": 0, "failed": 0, "expired": 1}
    assert provider.received == [] and provider.refused == []
    assert Outbox.objects.get().status == "expired"


@pytest.mark.django_db
def test_the_idempotency_key_reaches_the_provider_on_every_attempt(provider):
    provider.fail_with = "isv.BUSINESS_LIMIT_CONTROL" if provider.name == "aliyun" else "InternalError.Timeout"
    outbox_put(channel="sms", address=PHONE, subject=NOTICE, now=START)
    outbox_send(now=START)
    provider.fail_with = ""
    assert outbox_send(now=START + dt.timedelta(minutes=3))["sent"] == 1  # the retry after the back-off
    message = Outbox.objects.get()
    assert [request["key"] for request in arrived(provider)] == [message.idempotency_key] * 2
    assert message.idempotency_key == f"fulian-outbox-{message.pk}"


@pytest.mark.django_db
def test_a_code_is_not_logged_outside_debug_even_by_the_sdks(provider, caplog):
    caplog.set_level(logging.DEBUG)  # an operator's LOG_LEVEL=DEBUG: the SDKs would write the request
    otp_send(phone=PHONE, now=START)
    message = Outbox.objects.get()
    outbox_send(now=START)
    assert provider.received and the_code(message) not in caplog.text
    assert SECRET not in caplog.text


@pytest.mark.django_db
def test_a_number_that_is_not_a_mainland_mobile_is_not_sent(provider):
    outbox_put(channel="sms", address="031186001234", subject=NOTICE, now=START)  # a fixed line
    assert outbox_send(now=START)["failed"] == 1
    assert provider.received == [] and "mainland mobile" in Outbox.objects.get().last_error


@pytest.mark.django_db
def test_a_missing_template_is_an_error_not_free_text(provider, settings):
    settings.SMS_TEMPLATE_NOTICE = ""
    outbox_put(channel="sms", address=PHONE, subject=NOTICE, now=START)
    assert outbox_send(now=START)["failed"] == 1
    assert provider.received == [] and "SMS_TEMPLATE_NOTICE" in Outbox.objects.get().last_error


@pytest.mark.django_db
def test_the_log_provider_sends_nothing_over_the_network(provider, settings, monkeypatch, caplog):
    settings.SMS_PROVIDER = "log"  # the development default, with a provider's settings left in place

    def no_network(*args, **kwargs):
        raise AssertionError("the logging stand-in opened a connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    caplog.set_level(logging.INFO, logger="fulian.outbox")
    otp_send(phone=PHONE, now=START)
    message = Outbox.objects.get()
    assert outbox_send(now=START)["sent"] == 1
    assert provider.received == [] and provider.refused == []
    assert "one-time code withheld" in caplog.text and the_code(message) not in caplog.text


@pytest.mark.django_db
def test_a_code_message_always_carries_its_lifetime():
    code = outbox_put(channel="sms", address=PHONE, subject="验证码：{code}", link="otp:nonce", now=START)
    notice = outbox_put(channel="sms", address=PHONE, subject=NOTICE, now=START)
    assert code.expires_at == START + dt.timedelta(minutes=5)  # otp.CODE_MINUTES, even when the caller forgot
    assert notice.expires_at is None


def leaky_sender(message):
    raise RuntimeError(f"gateway refused: {message.subject}")


@pytest.mark.django_db
def test_a_sender_error_quoting_the_code_is_kept_without_it(settings):
    settings.OUTBOX_SENDERS = {**settings.OUTBOX_SENDERS, "sms": "fulian.core.tests.test_sms.leaky_sender"}
    otp_send(phone=PHONE, now=START)
    message = Outbox.objects.get()
    outbox_send(now=START)
    message.refresh_from_db()
    assert "******" in message.last_error and the_code(message) not in message.last_error


def test_the_deploy_check_names_what_a_provider_still_needs(settings):
    from fulian.core.sms import sms_settings_missing

    settings.SMS_PROVIDER = "log"
    assert sms_settings_missing() == []
    settings.SMS_PROVIDER, settings.SMS_SIGN_NAME, settings.SMS_ACCESS_KEY_ID = "tencent", "全国妇联", KEY_ID
    settings.SMS_ACCESS_KEY_SECRET, settings.SMS_TEMPLATE_CODE, settings.SMS_TEMPLATE_NOTICE = SECRET, "1", "2"
    settings.SMS_SDK_APP_ID = ""
    assert sms_settings_missing() == ["SMS_SDK_APP_ID"]  # Tencent's application id; Alibaba has none
    settings.SMS_PROVIDER = "aliyun"
    assert sms_settings_missing() == []
