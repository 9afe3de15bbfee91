"""Sign-ups (报名): a woman (or a family) takes a place on a published activity — signed in with her 我的 account,
with name and phone proved by a one-time code, or signed up by a cadre from her registry record.

One live sign-up per phone and activity: the same request twice (a double tap, a retried app call: its client
token) or the same phone again gives back the one there is. Places are counted under the activity's row lock
(`Activity.signups_confirmed` / `signups_waiting` stay exact); a full activity puts her on the waiting list in
`waiting_since` order and a cancellation promotes the first waiting. Her link to see or cancel her sign-up holds a
secret of which only a hash is kept (`cancel_hash`); the secret is derived from the sign-up's client token, so
every place that shows the link (the result page, the SMS, 我的, the reminder) shows the same one.

Public sign-ups never tell whether a phone is in the registry: the one rule that looks there (an activity for the
women of its subtree) is checked only after the phone is proved, and so answers only the woman who holds it.
"""

import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from fulian.core.audit import audit_record
from fulian.core.errors import Conflict
from fulian.core.figures import figures_add, period_of
from fulian.core.otp import otp_check, otp_send
from fulian.core.outbox import outbox_put
from fulian.core.phone import normalize_phone
from fulian.core.policy import Action, OutOfScope, allows, may_act_for_unit
from fulian.core.ratelimit import rate_hit
from fulian.core.tree import subtree_q
from fulian.core.writes import write_path
from fulian.people.models import Woman
from fulian.people.services import clean_name

from .models import Activity, ActivityStatus, Audience, Session, SignUp, SignUpChannel, SignUpState

TOKEN_SALT = "fulian.activities.signup-link"  # noqa: S105  (a signing salt name, not a secret)
MAX_FAMILY_SIZE = 20
# reminders go out for sessions starting this far ahead (run hourly: each sign-up is reminded once per session day)
REMIND_FROM, REMIND_TO = dt.timedelta(hours=24), dt.timedelta(hours=48)
PUBLIC_CHANNELS = (SignUpChannel.ACCOUNT, SignUpChannel.PHONE, SignUpChannel.API)


def _signups_per_phone() -> int:
    return int(getattr(settings, "ACTIVITY_SIGNUPS_PER_PHONE", 20))


# her link


def _secret(client_token: str) -> str:
    return salted_hmac(TOKEN_SALT, client_token).hexdigest()[:32]


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def signup_token(signup: SignUp) -> str:
    """The token of her link ('<id>-<secret>'); '' for a sign-up made without one."""
    if not signup.client_token or not signup.cancel_hash:
        return ""
    return f"{signup.pk}-{_secret(signup.client_token)}"


def signup_link(signup: SignUp) -> str:
    """The path of her page for this sign-up (state, and cancel), '' when it has none."""
    token = signup_token(signup)
    return reverse("calendar_signup", args=[token]) if token else ""


def signup_by_token(token: str) -> SignUp | None:
    """The sign-up whose link this is, or None (a wrong or tampered token is the same as none)."""
    number, _sep, secret = (token or "").partition("-")
    if not (number.isascii() and number.isdigit() and len(number) <= 18 and secret and len(secret) <= 64):
        return None
    signup = SignUp.objects.select_related("activity", "activity__home").filter(pk=int(number)).first()
    if signup is None or not signup.cancel_hash:
        return None
    return signup if hmac.compare_digest(signup.cancel_hash, _hash(secret)) else None


def waiting_position(signup: SignUp) -> int | None:
    """候补第N位: her place in the queue, or None when she is not waiting."""
    if signup.state != SignUpState.WAITING:
        return None
    ahead = SignUp.objects.filter(activity_id=signup.activity_id, state=SignUpState.WAITING).filter(
        Q(waiting_since__lt=signup.waiting_since) | Q(waiting_since=signup.waiting_since, pk__lt=signup.pk))
    return ahead.count() + 1


# rules


def signups_open(activity: Activity, *, now) -> bool:
    """Whether the activity takes sign-ups now: published, not cancelled, not over."""
    return activity.status == ActivityStatus.PUBLISHED and activity.ends_at > now


def _require_open(activity: Activity, now) -> None:
    if activity.status == ActivityStatus.CANCELLED:
        raise ValidationError(_("这个活动已取消。"), code="signup_activity_cancelled")
    if activity.status != ActivityStatus.PUBLISHED:
        raise ValidationError(_("这个活动还没有发布，不能报名。"), code="signup_activity_draft")
    if activity.ends_at <= now:
        raise ValidationError(_("这个活动已经结束了。"), code="signup_activity_ended")


def _under(path: str, activity: Activity) -> bool:
    return path.startswith(activity.unit_path)


def _registry_match(phone: str, activity: Activity) -> Woman | None:
    """The one registry woman under the activity's unit with this phone (none, or several: None)."""
    found = list(Woman.objects.filter(subtree_q(activity.unit_path, "unit_path"), phone=phone,
                                      merged_into__isnull=True)[:2])
    return found[0] if len(found) == 1 else None


def _cadre_may(actor, activity: Activity, *, woman, family) -> None:
    """A cadre signs up a woman (or a family) she looks after; for an activity not open to all, the woman must be
    of its subtree or the cadre must act for its unit."""
    if actor is None:
        raise OutOfScope("a cadre's sign-up needs the cadre")
    for record in (woman, family):
        if record is not None and not allows(actor, Action.EDIT, record.unit_path):
            raise OutOfScope("not her record")
    if activity.audience == Audience.OPEN or may_act_for_unit(actor, activity.unit_path):
        return
    record = woman or family
    if record is None:
        raise OutOfScope("not her activity")
    if not _under(record.unit_path, activity):
        raise ValidationError(_("这个活动只面向%(unit)s辖区的妇女。") % {"unit": activity.unit.name},
                              code="signup_audience")


def _family_clean(activity: Activity, family, family_size) -> int:
    try:
        size = int(family_size or 1)
    except (TypeError, ValueError):
        raise ValidationError(_("家庭参加人数须为整数。"), code="signup_family_size") from None
    if not activity.for_families:
        if family is not None or size != 1:
            raise ValidationError(_("这个活动按个人报名。"), code="signup_not_family")
        return 1
    if not 1 <= size <= MAX_FAMILY_SIZE:
        raise ValidationError(_("家庭参加人数须在1到%(n)d之间。") % {"n": MAX_FAMILY_SIZE}, code="signup_family_size")
    return size


# writes


def signup_code_send(*, activity: Activity, phone: str, now=None) -> None:
    """A one-time code to prove her phone before she signs up (core.otp: limits per phone and address). Nothing is
    looked up by the phone, so the answer is the same for every number."""
    now = now or timezone.now()
    _require_open(activity, now)
    if activity.audience == Audience.INVITED:
        raise ValidationError(_("这个活动为邀请参加，请联系主办单位报名。"), code="signup_invited")
    otp_send(phone=normalize_phone(phone), now=now)


def _replayed(client_token: str | None, activity: Activity, phone: str) -> SignUp | None:
    """The sign-up this same request made before (a double tap, a retried app call), or None."""
    if not client_token:
        return None
    done = SignUp.objects.filter(client_token=client_token).first()
    if done is None:
        return None
    if done.activity_id != activity.pk or done.phone != phone:
        raise Conflict(_("这个请求编号已用于另一次报名。"), code="signup_token_reused")
    return done


def signup_create(*, activity: Activity, name: str = "", phone: str = "", channel: str, account=None, woman=None,
                  family=None, family_size=1, actor=None, code: str = "", client_token: str | None = None,
                  now=None) -> SignUp:
    """Her place on `activity` (CONFIRMED, or WAITING when full). Channels: ACCOUNT or API with `account` (her 我的
    account: its phone, proved at sign-in); PHONE or API with `phone` and the one-time `code` just sent to it;
    CADRE with `actor` and `woman` or `family` of the registry (name and phone from the record) or a name and
    phone. Returns the live sign-up of the phone if there is one; `created` on the result says whether this call
    made it."""
    now = now or timezone.now()
    if channel not in SignUpChannel.values:
        raise ValidationError(_("报名方式不正确。"), code="signup_channel")
    verified = False
    if channel == SignUpChannel.CADRE:
        _cadre_may(actor, activity, woman=woman, family=family)
        name = name or (woman.name if woman is not None else family.name if family is not None else "")
        phone = phone or (woman.phone if woman is not None else family.phone if family is not None else "")
    else:
        if woman is not None or family is not None:
            raise ValidationError(_("只有妇联干部可以从名册中为她报名。"), code="signup_registry_cadre_only")
        if channel == SignUpChannel.ACCOUNT and account is None:
            raise ValidationError(_("请先登录。"), code="signup_account")
        if account is not None:
            phone, verified = account.phone, True
    name = clean_name(name)
    phone = normalize_phone(phone)
    if not phone:
        raise ValidationError(_("请填写手机号。"), code="signup_phone")
    if channel != SignUpChannel.CADRE and not (len(phone) == 11 and phone.startswith("1")):
        raise ValidationError(_("请填写手机号。"), code="phone_not_mobile")
    done = _replayed(client_token, activity, phone)
    if done is not None:
        done.created = False
        return done
    _require_open(activity, now)
    if activity.audience == Audience.INVITED and channel != SignUpChannel.CADRE:
        raise ValidationError(_("这个活动为邀请参加，请联系主办单位报名。"), code="signup_invited")
    size = _family_clean(activity, family, family_size)
    if channel != SignUpChannel.CADRE:
        if not rate_hit("activity-signup-phone", phone, limit=_signups_per_phone(), seconds=3600,
                        now=now.timestamp()):
            raise ValidationError(_("报名太频繁，请一小时后再试。"), code="signup_rate")
        if not verified:
            try:
                otp_check(phone=phone, code=code, now=now)
            except ValidationError:
                done = _replayed(client_token, activity, phone)  # its twin, a moment earlier, used the code
                if done is None:
                    raise
                done.created = False
                return done
            verified = True
        # only now, with the phone proved: whether she is a woman of the registry under the activity's unit
        woman = _registry_match(phone, activity)
        if activity.audience == Audience.SUBTREE and woman is None:
            raise ValidationError(_("这个活动面向本辖区登记在册的妇女。如果您住在本辖区，"
                                    "请联系所在村(社区)妇联帮您报名。"), code="signup_audience")
    try:
        signup = _signup_write(activity=activity, name=name, phone=phone, channel=channel, account=account,
                               woman=woman, family=family, size=size, actor=actor, verified=verified,
                               client_token=client_token or secrets.token_urlsafe(24), now=now)
    except IntegrityError:
        # a twin request got there first (the same client token, or the same phone): hers is the one there is
        signup = _replayed(client_token, activity, phone) or SignUp.objects.filter(
            activity=activity, phone=phone).exclude(state=SignUpState.CANCELLED).first()
        if signup is None:
            raise
        signup.created = False
    return signup


def _signup_write(*, activity, name, phone, channel, account, woman, family, size, actor, verified, client_token,
                  now) -> SignUp:
    with write_path():
        current = Activity.objects.select_for_update(of=("self",)).select_related("home").get(pk=activity.pk)
        _require_open(current, now)  # it may have been cancelled since it was read
        live = SignUp.objects.filter(activity=current, phone=phone).exclude(state=SignUpState.CANCELLED).first()
        if live is not None:
            live.created = False
            return live
        _fill(current, now)
        full = current.capacity is not None and (current.signups_confirmed >= current.capacity
                                                 or current.signups_waiting > 0)
        state = SignUpState.WAITING if full else SignUpState.CONFIRMED
        secret = _secret(client_token)
        signup = SignUp.objects.create(
            activity=current, unit_path=current.unit_path, name=name, phone=phone, phone_verified=verified,
            woman=woman, family=family, family_size=size, account=account, channel=channel, state=state,
            created_at=now, waiting_since=now if full else None, confirmed_at=None if full else now,
            created_by=actor if getattr(actor, "is_authenticated", False) else None, client_token=client_token,
            cancel_hash=_hash(secret))
        if full:
            current.signups_waiting += 1
        else:
            current.signups_confirmed += 1
        _counts_save(current)
        figures_add([(current.unit_path, period_of(now), "activity_signups", 1)])
        audit_record(actor=actor, action="signup.create", obj=signup, now=now,
                     changes={"activity": current.pk, "state": state, "channel": channel})
        _tell(signup, current, _("您已报名“%(title)s”，%(when)s，%(place)s。") if not full else
              _("“%(title)s”名额已满，您已进入候补，有空位时会通知您。"), now)
    signup.activity = current
    signup.created = True
    return signup


def _counts_save(activity: Activity) -> None:
    Activity.objects.filter(pk=activity.pk).update(signups_confirmed=activity.signups_confirmed,
                                                   signups_waiting=activity.signups_waiting)


def _fill(activity: Activity, now) -> list[SignUp]:
    """Promote the first waiting into free places (the activity's row is locked by the caller); returns them."""
    if activity.signups_waiting == 0 or activity.status != ActivityStatus.PUBLISHED or activity.ends_at <= now:
        return []
    free = None if activity.capacity is None else activity.capacity - activity.signups_confirmed
    if free is not None and free <= 0:
        return []
    queue = SignUp.objects.filter(activity=activity, state=SignUpState.WAITING).order_by("waiting_since", "pk")
    promoted = list(queue if free is None else queue[:free])
    if not promoted:
        return []
    SignUp.objects.filter(pk__in=[s.pk for s in promoted]).update(state=SignUpState.CONFIRMED, confirmed_at=now)
    activity.signups_confirmed += len(promoted)
    activity.signups_waiting -= len(promoted)
    for signup in promoted:
        signup.state, signup.confirmed_at = SignUpState.CONFIRMED, now
        audit_record(actor=None, action="signup.promote", obj=signup, now=now, changes={"activity": activity.pk})
        _tell(signup, activity, _("好消息：“%(title)s”有空位了，您已从候补转为正式报名，%(when)s，%(place)s。"), now)
        if signup.created_by_id:
            outbox_put(channel="in_app", user=signup.created_by,
                       subject=_("%(name)s已从候补转为正式报名：%(title)s") % {"name": signup.name,
                                                                    "title": activity.title[:60]},
                       link=reverse("activity_detail", args=[activity.pk]), now=now)
    return promoted


def signups_fill(*, activity: Activity, now=None) -> int:
    """After its capacity was raised: the waiting move up into the new places, in order. Returns how many."""
    now = now or timezone.now()
    with write_path():
        current = Activity.objects.select_for_update(of=("self",)).select_related("home").get(pk=activity.pk)
        promoted = _fill(current, now)
        if promoted:
            _counts_save(current)
    return len(promoted)


def signup_cancel(*, signup: SignUp, actor=None, now=None) -> SignUp:
    """Give up the place (a second cancel changes nothing). `actor` None is the woman herself — the caller has
    checked her link's token or her account; a cadre may cancel for the activity's unit, for a woman of her
    registry, or what she signed up herself. A freed place goes to the first waiting."""
    now = now or timezone.now()
    if actor is not None and not (may_act_for_unit(actor, signup.unit_path) or signup.created_by_id == actor.pk
                                  or (signup.woman is not None and allows(actor, Action.EDIT,
                                                                          signup.woman.unit_path))):
        raise OutOfScope("not her sign-up")
    with write_path():
        current = Activity.objects.select_for_update(of=("self",)).select_related("home").get(
            pk=signup.activity_id)
        row = SignUp.objects.select_for_update().get(pk=signup.pk)
        if row.state == SignUpState.CANCELLED:
            return row
        if current.ends_at <= now and current.status == ActivityStatus.PUBLISHED:
            raise ValidationError(_("活动已经结束，不能取消报名了。"), code="signup_cancel_ended")
        was = row.state
        SignUp.objects.filter(pk=row.pk).update(state=SignUpState.CANCELLED, cancelled_at=now)
        if was == SignUpState.CONFIRMED:
            current.signups_confirmed -= 1
        else:
            current.signups_waiting -= 1
        _fill(current, now)
        _counts_save(current)
        figures_add([(current.unit_path, period_of(row.created_at), "activity_signups", -1)])
        audit_record(actor=actor, action="signup.cancel", obj=row, now=now,
                     changes={"activity": current.pk, "was": was})
        if len(row.phone) == 11 and row.phone.startswith("1"):
            outbox_put(channel="sms", address=row.phone, now=now,
                       subject=_("您报名的“%(title)s”已取消。") % {"title": current.title[:40]})
    row.state, row.cancelled_at = SignUpState.CANCELLED, now
    return row


def signups_notify_cancel(*, activity: Activity, reason: str, now=None) -> int:
    """The activity is cancelled: everyone signed up (or waiting) is told by SMS; call it in the cancel's write
    path. Returns how many were told."""
    now = now or timezone.now()
    told = 0
    rows = SignUp.objects.filter(activity=activity).exclude(state=SignUpState.CANCELLED).only("phone")
    for row in rows.iterator():
        if len(row.phone) == 11 and row.phone.startswith("1"):
            outbox_put(channel="sms", address=row.phone, now=now,
                       subject=_("很抱歉，“%(title)s”已取消：%(reason)s") % {"title": activity.title[:40],
                                                                    "reason": reason[:60]})
            told += 1
    return told


def signups_forget_account(*, account, **_facts) -> int:
    """Her number was unused so long it may now be someone else's: her sign-ups leave the account's 我的 (they stay
    on the activities). Listens to the portal's "woman_account.forgotten" hook."""
    return SignUp.objects.filter(account=account).update(account=None)


# messages


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "n月j日 H:i")


def _place(activity: Activity) -> str:
    return (activity.home.name if activity.home_id else "") or activity.address


def _tell(signup: SignUp, activity: Activity, text: str, now) -> None:
    """An SMS with the state of her sign-up and the link to see or cancel it (a mobile number only)."""
    if not (len(signup.phone) == 11 and signup.phone.startswith("1")):
        return
    subject = text % {"title": activity.title[:40], "when": _when(activity.starts_at), "place": _place(activity)[:40]}
    outbox_put(channel="sms", address=signup.phone, subject=subject + _("查看或取消请打开链接。"),
               link=signup_link(signup), now=now)


def signups_remind(*, now=None) -> dict:
    """The day before: every confirmed sign-up of a session starting 24–48 hours from now gets one SMS, once per
    session day however often this runs (`reminded_at` is kept; a later session day reminds again)."""
    now = now or timezone.now()
    sessions = (Session.objects.filter(starts_at__gt=now + REMIND_FROM, starts_at__lte=now + REMIND_TO,
                                       activity__status=ActivityStatus.PUBLISHED)
                .select_related("activity", "activity__home").order_by("starts_at", "pk"))
    counts = {"sessions": 0, "reminded": 0}
    for session in sessions:
        counts["sessions"] += 1
        before = session.starts_at - REMIND_TO  # reminded since then: reminded for this session day already
        with write_path():
            due = list(SignUp.objects.select_for_update().filter(activity_id=session.activity_id,
                                                                 state=SignUpState.CONFIRMED)
                       .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=before)).order_by("pk"))
            if not due:
                continue
            SignUp.objects.filter(pk__in=[s.pk for s in due]).update(reminded_at=now)
            activity = session.activity
            for signup in due:
                if not (len(signup.phone) == 11 and signup.phone.startswith("1")):
                    continue
                text = _("提醒：您报名的“%(title)s”将于%(when)s在%(place)s开始。不能参加请打开链接取消。")
                outbox_put(channel="sms", address=signup.phone, now=now, link=signup_link(signup), subject=text % {
                    "title": activity.title[:40], "when": _when(session.starts_at), "place": _place(activity)[:40]})
                counts["reminded"] += 1
    return counts
