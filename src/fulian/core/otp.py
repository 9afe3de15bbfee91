"""One-time codes by SMS, for every module that needs a phone proved (a woman's sign-in, a survey answer).

The code is never stored: it is an HMAC of a random nonce under SECRET_KEY. The code row keeps only a keyed hash of
the code and its wrong guesses; the outbox row keeps the nonce (as its link `otp:<nonce>`) and a subject with a
`{code}` placeholder, and the sender is handed the text with the code filled in at send time. A copy of the
database alone therefore reveals no code.

Limits (per hour, in the shared cache): code requests per phone and per address; guesses per address; failures
per phone across codes (a new code buys no new guesses); and a code dies after CODE_ATTEMPTS wrong guesses, each
counted in its own committed write before the refusal is raised, so no rollback can undo it.
"""

import datetime as dt
import hmac
import logging
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from .context import current_origin
from .ratelimit import rate_count, rate_hit

LINK_PREFIX = "otp:"
PLACEHOLDER = "{code}"
CODE_MINUTES = 5
CODE_ATTEMPTS = 5
logger = logging.getLogger("fulian.otp")


def otp_code(nonce: str) -> str:
    digest = salted_hmac("fulian.otp.code", nonce).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 10**6:06d}"


def otp_hash(phone: str, code: str) -> str:
    return salted_hmac("fulian.otp.check", f"{phone}:{code}").hexdigest()


def otp_render(subject: str, link: str) -> str:
    """The text a sender sends: the subject with the code filled in, for an outbox row that carries one."""
    if link.startswith(LINK_PREFIX) and PLACEHOLDER in subject:
        return subject.replace(PLACEHOLDER, otp_code(link[len(LINK_PREFIX):]))
    return subject


def _limit(name: str, ident: str | None, limit: int, now) -> None:
    if not rate_hit(name, ident, limit=limit, seconds=3600, now=now.timestamp()):
        raise ValidationError(_("操作太频繁，请一小时后再试。"), code="otp_rate")


def otp_send(*, phone: str, now=None) -> None:
    """Send a six-digit code to a mobile phone (already normalised) through the outbox."""
    from .models import OneTimeCode
    from .outbox import outbox_put

    now = now or timezone.now()
    if not phone.startswith("1"):
        raise ValidationError(_("请填写手机号。"), code="phone_not_mobile")
    _limit("otp-request-phone", phone, settings.OTP_REQUESTS_PER_PHONE, now)
    _limit("otp-request-address", current_origin().ip, settings.OTP_REQUESTS_PER_ADDRESS, now)
    nonce = secrets.token_urlsafe(16)
    code = otp_code(nonce)
    with transaction.atomic():
        OneTimeCode.objects.create(
            phone=phone, code_hash=otp_hash(phone, code), expires_at=now + dt.timedelta(minutes=CODE_MINUTES)
        )
        outbox_put(
            channel="sms",
            address=phone,
            subject=_("网上妇女之家验证码：%(code)s，%(m)d分钟内有效。") % {"code": PLACEHOLDER, "m": CODE_MINUTES},
            link=LINK_PREFIX + nonce,
            now=now,
            expires_at=now + dt.timedelta(minutes=CODE_MINUTES),  # a late code is worthless: never sent
        )
    if settings.OTP_ECHO:
        logger.warning("one-time code for %s: %s (OTP_ECHO, development only)", phone, code)


def otp_check(*, phone: str, code: str, now=None) -> None:
    """Accept (and use up) the latest code sent to `phone`, or raise ValidationError with the reason."""
    from .models import OneTimeCode

    now = now or timezone.now()
    _limit("otp-verify-address", current_origin().ip, settings.OTP_VERIFY_PER_ADDRESS, now)
    if rate_count("otp-fail-phone", phone, seconds=3600, now=now.timestamp()) >= settings.OTP_FAILURES_PER_PHONE:
        raise ValidationError(_("验证码错误次数太多，请一小时后再试。"), code="otp_rate")
    refusal = None
    with transaction.atomic():
        otp = (
            OneTimeCode.objects.select_for_update()
            .filter(phone=phone, used_at__isnull=True, expires_at__gt=now)
            .order_by("-id")
            .first()
        )
        if otp is None or otp.attempts >= CODE_ATTEMPTS:
            refusal = ValidationError(_("验证码已失效，请重新获取。"), code="otp_expired")
        elif not hmac.compare_digest(otp.code_hash, otp_hash(phone, (code or "").strip())):
            OneTimeCode.objects.filter(pk=otp.pk).update(attempts=otp.attempts + 1)
            refusal = ValidationError(_("验证码不对。"), code="otp_wrong")
        else:
            OneTimeCode.objects.filter(pk=otp.pk).update(used_at=now)
    if refusal is not None:
        rate_hit("otp-fail-phone", phone, limit=10**9, seconds=3600, now=now.timestamp())
        raise refusal


def otp_forget(*, phone: str) -> None:
    """Delete every code row of a phone (her account is deleted)."""
    from .models import OneTimeCode

    OneTimeCode.objects.filter(phone=phone).delete()
