"""A cadre's second factor: enrolment (a TOTP app or SMS codes to her account phone), recovery codes, verification
after the password, the lock after SECOND_FACTOR_ATTEMPTS wrong codes, and the reset by a chair above.

Secrets live in django-otp's devices (TOTPDevice; SmsDevice for SMS; a StaticDevice holds the recovery codes, as
keyed hashes, not as the codes). The count of wrong codes and the lock are in `SecondFactor`, written in a
transaction of their own that commits before the refusal is raised, so no rollback can undo them — callers must not
wrap `second_factor_verify` in a transaction.

Once she has a factor, replacing or removing it and making new recovery codes need that factor: a session verified by
it (`verified=True`), or one of its codes (`current_code`, counted like any other). A program's API token alone only
ever makes a first enrolment — a stolen token and a guessed password must not get round the factor.
"""

import re
import secrets
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from fulian.core.audit import audit_record
from fulian.core.otp import otp_check, otp_send
from fulian.core.policy import may_reset_second_factor, needs_second_factor
from fulian.core.ratelimit import rate_count, rate_hit

from .models import SecondFactor, SmsDevice, User
from .services import account_set_password
from .sessions import sessions_end_of

RECOVERY_DEVICE = "recovery"
RECOVERY_WRONG_PER_HOUR = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read from paper


def second_factor_of(user) -> SecondFactor | None:
    return SecondFactor.objects.filter(user=user).first()


def sms_number(user) -> str:
    """The phone her SMS factor sends to: the number she enrolled with, not her account's phone now (changing the
    account phone — a token can — must not move her codes to another phone)."""
    device = SmsDevice.objects.filter(user=user, confirmed=True).first()
    return device.number if device is not None else ""


def primary_device(user):
    """Her confirmed TOTP or SMS device (the one her SecondFactor names), or None."""
    factor = second_factor_of(user)
    if factor is None:
        return None
    model = TOTPDevice if factor.kind == SecondFactor.Kind.TOTP else SmsDevice
    return model.objects.filter(user=user, confirmed=True).first()


def has_second_factor(user) -> bool:
    return SecondFactor.objects.filter(user=user).exists()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=RECOVERY_DEVICE).count()


def _recovery_hash(code: str) -> str:
    """What is stored of a recovery code (StaticToken.token holds 16 characters): a keyed hash, so a copy of the
    database gives no working code."""
    normal = re.sub(r"[\s-]", "", (code or "").lower())
    return salted_hmac("fulian.recovery", normal).hexdigest()[:16]


def _recovery_code() -> str:
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def _recovery_codes_make(user) -> list[str]:
    # the device stays (a session verified by a recovery code stays verified); its codes are replaced
    device, _created = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE,
                                                          defaults={"confirmed": True})
    StaticToken.objects.filter(device__user=user).delete()
    codes = [_recovery_code() for _ in range(settings.SECOND_FACTOR_RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=_recovery_hash(c)) for c in codes])
    return codes


def totp_begin(*, user: User) -> TOTPDevice:
    """A new, unconfirmed TOTP secret for her app (any earlier unconfirmed one is dropped)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name="totp", confirmed=False)


def pending_totp(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()


def totp_uri(device: TOTPDevice) -> str:
    return device.config_url


def totp_secret_text(device: TOTPDevice) -> str:
    """The secret as base32 in groups of four, for typing into an app by hand."""
    from base64 import b32encode

    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


def _totp_matches(device: TOTPDevice, code: str) -> bool:
    """django-otp's TOTP check (tolerance, drift, no replay of a used step) without its time-based throttle: our own
    count and lock (SECOND_FACTOR_ATTEMPTS) limit the guesses, and a throttle measured in seconds would refuse her
    right code after a wrong one. The used step is claimed by a conditional update, so two requests racing with one
    code cannot both pass."""
    try:
        token = int((code or "").strip())
    except ValueError:
        return False
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if not totp.verify(token, device.tolerance, device.last_t + 1):
        return False
    step = totp.t()
    if not TOTPDevice.objects.filter(pk=device.pk, last_t__lt=step).update(last_t=step, drift=totp.drift):
        return False
    device.last_t, device.drift = step, totp.drift
    return True


def _enrolled(*, user: User, kind: str, device, now) -> list[str]:
    """Her new factor replaces any earlier one; fresh recovery codes, returned to be shown once."""
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk if kind == SecondFactor.Kind.TOTP else None).delete()
    SmsDevice.objects.filter(user=user).exclude(pk=device.pk if kind == SecondFactor.Kind.SMS else None).delete()
    SecondFactor.objects.update_or_create(user=user, defaults={"kind": kind, "failures": 0, "locked_at": None,
                                                               "enrolled_at": now})
    codes = _recovery_codes_make(user)
    audit_record(actor=user, action="2fa.enrol", obj=user, changes={"kind": kind}, now=now)
    return codes


def factor_change_proved(*, user: User, verified: bool, current_code: str | None, now=None) -> None:
    """Raise unless she may change her second factor: she has none yet (a first enrolment), or this session passed
    it, or `current_code` is a right code of it now (a wrong one counts toward the lock like any other)."""
    if verified or not has_second_factor(user):
        return
    if not (current_code or "").strip():
        raise ValidationError(
            _("请先用现有的双因素认证验证：在网页上登录并验证，或同时提供现有验证器、短信或恢复码的验证码。"),
            code="verify_first")
    second_factor_verify(user=user, code=current_code, now=now)


def totp_confirm(*, user: User, code: str, verified: bool = False, current_code: str | None = None,
                 now=None) -> list[str]:
    """Her app's first code proves the secret reached it; returns her recovery codes (shown once). Replacing a
    factor she has needs it (`factor_change_proved`)."""
    now = now or timezone.now()
    device = pending_totp(user)
    if device is None:
        raise ValidationError(_("请先生成二维码。"), code="no_pending")
    factor_change_proved(user=user, verified=verified, current_code=current_code, now=now)
    if not _totp_matches(device, code):
        raise ValidationError(_("验证码不对，请核对手机上的时间后重试。"), code="wrong_code")
    with transaction.atomic():
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        return _enrolled(user=user, kind=SecondFactor.Kind.TOTP, device=device, now=now)


def sms_begin(*, user: User, now=None) -> None:
    """A code to her account phone (through the outbox, with core.otp's limits)."""
    if not user.phone:
        raise ValidationError(_("账号没有登记手机号，请联系管理员登记后再启用短信验证，或使用验证器应用。"),
                              code="no_phone")
    otp_send(phone=user.phone, now=now)


def sms_confirm(*, user: User, code: str, verified: bool = False, current_code: str | None = None,
                now=None) -> list[str]:
    """The code sent to her account phone: that number becomes her SMS factor. Replacing a factor she has needs it."""
    now = now or timezone.now()
    factor_change_proved(user=user, verified=verified, current_code=current_code, now=now)
    phone = user.phone
    otp_check(phone=phone, code=code, now=now)
    with transaction.atomic():
        SmsDevice.objects.filter(user=user).delete()
        device = SmsDevice.objects.create(user=user, name="sms", confirmed=True, number=phone)
        return _enrolled(user=user, kind=SecondFactor.Kind.SMS, device=device, now=now)


def recovery_codes_regenerate(*, user: User, verified: bool = False, current_code: str | None = None,
                              now=None) -> list[str]:
    """New recovery codes for her (the old ones stop working); she must have a factor, and prove it."""
    if not has_second_factor(user):
        raise ValidationError(_("请先启用双因素认证。"), code="no_factor")
    factor_change_proved(user=user, verified=verified, current_code=current_code, now=now)
    with transaction.atomic():
        codes = _recovery_codes_make(user)
        audit_record(actor=user, action="2fa.recovery_new", obj=user, now=now)
    return codes


def verify_challenge(*, user: User, now=None) -> None:
    """Before verification by SMS: send her a code (a TOTP app needs nothing sent)."""
    factor = second_factor_of(user)
    if factor is None or factor.kind != SecondFactor.Kind.SMS:
        return
    if factor.is_locked:
        raise ValidationError(_("双因素认证已锁定，请使用恢复码，或请上级主席重置。"), code="locked")
    otp_send(phone=sms_number(user), now=now)


def second_factor_verify(*, user: User, code: str, now=None):
    """Check her code after the password: a recovery code (used up, and it unlocks a locked factor) or her app's or
    SMS code. Returns the django-otp device to log in with; raises ValidationError (codes: wrong_code, locked,
    otp_rate, no_factor). Each wrong code is counted and committed before the refusal; the Nth locks."""
    now = now or timezone.now()
    factor = second_factor_of(user)
    if factor is None:
        raise ValidationError(_("尚未启用双因素认证。"), code="no_factor")
    code = (code or "").strip()
    if len(re.sub(r"[\s-]", "", code)) == 10:
        return _recovery_use(user=user, factor=factor, code=code, now=now)
    # the attempt is counted (committed) before the code is checked, so guesses sent in parallel cannot all pass the
    # lock check before any is counted; a right code clears the count
    attempts = settings.SECOND_FACTOR_ATTEMPTS
    with transaction.atomic():
        taken = SecondFactor.objects.filter(pk=factor.pk, locked_at__isnull=True, failures__lt=attempts).update(
            failures=F("failures") + 1)
        if not taken:
            SecondFactor.objects.filter(pk=factor.pk, locked_at__isnull=True).update(locked_at=now)
    if not taken:
        raise ValidationError(_("双因素认证已锁定，请使用恢复码，或请上级主席重置。"), code="locked")
    device = primary_device(user)
    refusal = None
    if factor.kind == SecondFactor.Kind.TOTP:
        matched = device is not None and _totp_matches(device, code)
    else:
        try:
            otp_check(phone=device.number if device is not None else "", code=code, now=now)
            matched = device is not None
        except ValidationError as exc:
            if exc.code == "otp_rate":  # not a guess: the attempt is given back
                SecondFactor.objects.filter(pk=factor.pk, failures__gt=0).update(failures=F("failures") - 1)
                raise
            matched, refusal = False, exc
    if matched:
        with transaction.atomic():
            SecondFactor.objects.filter(pk=factor.pk).update(failures=0)
            audit_record(actor=user, action="2fa.verify", obj=user, changes={"kind": factor.kind}, now=now)
        return device
    with transaction.atomic():
        failures = SecondFactor.objects.values_list("failures", flat=True).get(pk=factor.pk)
        audit_record(actor=user, action="2fa.fail", obj=user, changes={"kind": factor.kind, "failures": failures},
                     now=now)
        locked = failures >= attempts
        if locked:
            SecondFactor.objects.filter(pk=factor.pk, locked_at__isnull=True).update(locked_at=now)
            audit_record(actor=user, action="2fa.lock", obj=user, changes={"kind": factor.kind}, now=now)
    if locked:
        raise ValidationError(_("验证码错误次数太多，双因素认证已锁定。请使用恢复码，或请上级主席重置。"),
                              code="locked")
    left = attempts - failures
    message = refusal.messages[0] if refusal is not None else _("验证码不对。")
    raise ValidationError(_("%(reason)s还可以再试 %(n)d 次。") % {"reason": message, "n": left}, code="wrong_code")


def _recovery_use(*, user: User, factor: SecondFactor, code: str, now):
    if rate_count("2fa-recovery-wrong", str(user.pk), seconds=3600, now=now.timestamp()) >= RECOVERY_WRONG_PER_HOUR:
        raise ValidationError(_("恢复码错误次数太多，请一小时后再试。"), code="otp_rate")
    with transaction.atomic():
        token = (StaticToken.objects.select_for_update()
                 .filter(device__user=user, device__name=RECOVERY_DEVICE, token=_recovery_hash(code))
                 .select_related("device").first())
        if token is not None:
            device = token.device
            token.delete()
            SecondFactor.objects.filter(pk=factor.pk).update(failures=0, locked_at=None)
            audit_record(actor=user, action="2fa.recovery_used", obj=user,
                         changes={"unlocked": factor.is_locked, "left": recovery_codes_left(user)}, now=now)
            return device
        audit_record(actor=user, action="2fa.fail", obj=user, changes={"kind": "recovery"}, now=now)
    rate_hit("2fa-recovery-wrong", str(user.pk), limit=10**9, seconds=3600, now=now.timestamp())
    raise ValidationError(_("恢复码不对，或已经用过。"), code="wrong_code")


def _devices_delete(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    SmsDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    SecondFactor.objects.filter(user=user).delete()


def second_factor_reset(*, actor: User, account: User, password: str, now=None) -> None:
    """A chair above her clears her second factor (a lost phone, a lock): she enrols again at her next sign-in. Every
    session of hers ends with it — one on a lost phone would otherwise enrol a factor of its own, or simply go on.
    The chair also gives her a new initial password (which she must change): whoever knew the old one — who may have
    locked her factor on purpose — cannot be the first to enrol after the reset."""
    if not may_reset_second_factor(actor, account):
        raise PermissionError("may not reset this second factor")
    factor = second_factor_of(account)
    with transaction.atomic():
        account_set_password(actor=actor, account=account, password=password, now=now)  # ValidationError: nothing done
        _devices_delete(account)
        ended = sessions_end_of(account)
        audit_record(actor=actor, action="2fa.reset", obj=account,
                     changes={"kind": factor.kind if factor else None, "was_locked": bool(factor and factor.is_locked),
                              "sessions_ended": ended},
                     now=now)


def second_factor_remove(*, user: User, verified: bool = False, current_code: str | None = None, now=None) -> None:
    """She turns off her own optional factor (proving it first); one who needs a factor cannot (a chair above resets
    it)."""
    if needs_second_factor(user):
        raise ValidationError(_("您的岗位必须使用双因素认证，不能关闭。"), code="required")
    factor = second_factor_of(user)
    if factor is None:
        return
    factor_change_proved(user=user, verified=verified, current_code=current_code, now=now)
    with transaction.atomic():
        _devices_delete(user)
        audit_record(actor=user, action="2fa.remove", obj=user, changes={"kind": factor.kind}, now=now)
