"""One-time codes under attack: guesses are counted for real, codes die, limits are per phone and per address."""

import datetime as dt
import secrets

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from fulian.core.models import OneTimeCode, Outbox
from fulian.portal.models import WomanAccount
from fulian.portal.tests.otp import last_code_sent

PHONE = "13800005555"


def _random_bearer() -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secrets.token_urlsafe(24)}"}


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


@pytest.mark.django_db
def test_thirty_wrong_codes_with_random_bearers_kill_the_code(tree, settings):
    settings.API_RATE_ANONYMOUS = "1000/m"  # the code itself must die, whatever the general API budget
    app = Client()
    assert app.post("/api/v1/public/me/code", {"phone": PHONE}, content_type="application/json").status_code == 204
    code = last_code_sent(PHONE)
    for _ in range(30):
        answer = Client(**_random_bearer()).post(
            "/api/v1/public/me/token", {"phone": PHONE, "code": _wrong(code)}, content_type="application/json"
        )
        assert answer.status_code in (400, 429)
    assert OneTimeCode.objects.get().attempts == 5  # each wrong guess was counted and kept
    right = app.post("/api/v1/public/me/token", {"phone": PHONE, "code": code}, content_type="application/json")
    assert right.status_code in (400, 429) and "token" not in right.json()
    assert not WomanAccount.objects.exists()


@pytest.mark.django_db
def test_a_code_dies_after_five_wrong_guesses_on_the_page(client, tree):
    client.post(reverse("portal_me"), {"phone": PHONE})
    code = last_code_sent(PHONE)
    for _ in range(5):
        wrong = client.post(reverse("portal_me"), {"phone": PHONE, "code": _wrong(code)})
        assert "验证码不对" in wrong.content.decode()
    refused = client.post(reverse("portal_me"), {"phone": PHONE, "code": code})
    assert "验证码已失效" in refused.content.decode()
    assert "woman_account" not in client.session


@pytest.mark.django_db
def test_new_codes_do_not_buy_more_guesses_for_a_phone(client, tree, settings):
    settings.OTP_FAILURES_PER_PHONE = 7
    for _ in range(2):
        client.post(reverse("portal_me"), {"phone": PHONE})
        code = last_code_sent(PHONE)
        for _ in range(5):
            client.post(reverse("portal_me"), {"phone": PHONE, "code": _wrong(code)})
    client.post(reverse("portal_me"), {"phone": PHONE})
    page = client.post(reverse("portal_me"), {"phone": PHONE, "code": last_code_sent(PHONE)}).content.decode()
    assert "错误次数太多" in page


@pytest.mark.django_db
def test_code_requests_are_limited_per_address_across_phones(tree, settings):
    settings.OTP_REQUESTS_PER_ADDRESS = 3
    app = Client(HTTP_X_FORWARDED_FOR="10.9.9.9")
    answers = [
        app.post("/api/v1/public/me/code", {"phone": f"1380000{n:04d}"}, content_type="application/json").status_code
        for n in range(4)
    ]
    assert answers == [204, 204, 204, 400]
    # a made-up forwarding header is not a new address
    spoofed = Client(HTTP_X_FORWARDED_FOR="10.1.2.3")
    assert spoofed.post("/api/v1/public/me/code", {"phone": "13800009999"},
                        content_type="application/json").status_code == 400


@pytest.mark.django_db
def test_guesses_are_limited_per_address(tree, settings):
    settings.OTP_VERIFY_PER_ADDRESS = 4
    answers = [
        Client().post("/api/v1/public/me/token", {"phone": f"1390000{n:04d}", "code": "123456"},
                      content_type="application/json").json()["detail"]
        for n in range(5)
    ]
    assert "频繁" not in answers[3] and "频繁" in answers[4]


@pytest.mark.django_db
def test_random_bearer_tokens_count_as_anonymous(tree, settings):
    settings.API_RATE_ANONYMOUS = "3/m"
    codes = [Client(**_random_bearer()).get("/api/v1/public/articles").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


@pytest.mark.django_db
def test_made_up_tokens_on_protected_routes_are_throttled(tree, settings):
    settings.API_BAD_TOKENS_PER_MINUTE = 3
    codes = [Client(HTTP_AUTHORIZATION=f"Bearer fl_{n}x").get("/api/v1/me").status_code for n in range(4)]
    assert codes == [401, 401, 401, 429]


@pytest.mark.django_db
def test_no_code_is_stored_only_its_hash(client, tree):
    client.post(reverse("portal_me"), {"phone": PHONE})
    code = last_code_sent(PHONE)
    message = Outbox.objects.get(address=PHONE)
    assert code not in message.subject and code not in message.body and code not in message.link
    assert code not in OneTimeCode.objects.get().code_hash


@pytest.mark.django_db
def test_the_sms_sender_is_handed_the_code(tree, settings):
    from fulian.core.outbox import outbox_send
    from fulian.portal import services

    sent = []
    settings.OUTBOX_SENDERS = {"sms": "fulian.portal.tests.test_otp_security.capture"}
    capture.sent = sent
    services.code_request(phone=PHONE)
    outbox_send()
    assert sent == [last_code_sent(PHONE)]
    assert "{code}" in Outbox.objects.get(address=PHONE).subject  # the row still holds no code


def capture(message):
    capture.sent.append(message.subject.split("：")[1][:6])


@pytest.mark.django_db
def test_her_pages_are_private_and_sign_out_ends_the_session(client, tree):
    client.post(reverse("portal_me"), {"phone": PHONE})
    client.post(reverse("portal_me"), {"phone": PHONE, "code": last_code_sent(PHONE)})
    page = client.get(reverse("portal_me"))
    assert "no-store" in page["Cache-Control"] and "noindex" in page["X-Robots-Tag"]
    old_key = client.session.session_key
    client.post(reverse("portal_signout"))
    assert client.session.session_key != old_key and "woman_account" not in client.session


@pytest.mark.django_db
def test_her_session_ends_when_idle(client, tree, settings):
    client.post(reverse("portal_me"), {"phone": PHONE})
    client.post(reverse("portal_me"), {"phone": PHONE, "code": last_code_sent(PHONE)})
    assert client.get(reverse("portal_me")).context["account"] is not None
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=settings.SESSION_IDLE_MINUTES + 2)
    with time_machine.travel(later, tick=False):
        assert client.get(reverse("portal_me")).context["account"] is None


@pytest.mark.django_db
def test_signing_out_everywhere_kills_her_app_tokens(tree):
    app = Client()
    app.post("/api/v1/public/me/code", {"phone": PHONE}, content_type="application/json")
    token = app.post("/api/v1/public/me/token", {"phone": PHONE, "code": last_code_sent(PHONE)},
                     content_type="application/json").json()["token"]
    me = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.get("/api/v1/public/me/cases").status_code == 200
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5), tick=False):
        assert me.post("/api/v1/public/me/signout").status_code == 204
        assert me.get("/api/v1/public/me/cases").status_code == 401


@pytest.mark.django_db
def test_a_code_not_sent_in_time_is_never_sent(tree):
    from fulian.core.outbox import outbox_send
    from fulian.portal import services

    start = dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC)
    services.code_request(phone=PHONE, now=start)
    counts = outbox_send(now=start + dt.timedelta(minutes=10))  # the SMS gateway was down for ten minutes
    assert counts.get("expired") == 1 and Outbox.objects.get().status == "expired"


@pytest.mark.django_db
def test_failed_messages_are_listed_and_requeued(county_chair):
    from django.core.management import call_command

    from fulian.core.outbox import outbox_put

    message = outbox_put(channel="sms", address=PHONE, subject="提醒")
    Outbox.objects.filter(pk=message.pk).update(status="failed", attempts=8, last_error="gateway down")
    call_command("outbox_failed", requeue=[])
    message.refresh_from_db()
    assert message.status == "pending" and message.attempts == 0
    assert message.idempotency_key == f"fulian-outbox-{message.pk}"
