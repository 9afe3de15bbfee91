"""A cadre's signed-in sessions: recorded at sign-in (only a SHA-256 of the session key), listed on 我的登录设备,
ended by her or by an account manager above her, and held to SESSIONS_PER_ACCOUNT (the oldest ends first).

Ending a session deletes it from Django's session store (the database backend: its rows are found by hashing the
live keys, as the key itself is not kept here) and deletes the row here; the middleware also signs out a session whose
row is gone when it next touches it, for a session store this module cannot search.
"""

import datetime as dt
import hashlib
import re

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from fulian.core.audit import audit_record
from fulian.core.policy import may_end_sessions_of

from .models import CadreSession, User

MARK_KEY = "fulian_session"  # the hash of the key this session was recorded under
TOUCH_KEY = "fulian_session_touched"
TOUCH_SECONDS = 60


def key_hash(session_key: str) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest()


def device_label(user_agent: str) -> str:
    """A short name for the device, enough for her to recognise it (no library: a few well-known markers)."""
    ua = user_agent or ""
    system = next((name for marker, name in (
        ("HarmonyOS", "HarmonyOS"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"),
        ("Windows", "Windows"), ("Mac OS X", "Mac"), ("CrOS", "ChromeOS"), ("Linux", "Linux"),
    ) if marker in ua), "")
    browser = next((name for pattern, name in (
        (r"MicroMessenger", "微信"), (r"DingTalk", "钉钉"), (r"Edg/", "Edge"), (r"Firefox/", "Firefox"),
        (r"(Chrome|Chromium|CriOS)/", "Chrome"), (r"Safari/", "Safari"),
    ) if re.search(pattern, ua)), "")
    label = " · ".join(part for part in (system, browser) if part)
    return label or (ua[:60] if ua else "?")


def _live_since(now):
    """Rows older than this are of sessions that have ended by themselves (idle or past their age)."""
    idle = now - dt.timedelta(minutes=settings.SESSION_IDLE_MINUTES + 1)
    return idle, now - dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)


def sessions_of(user, *, now=None):
    """Her live sessions, newest first."""
    idle, born = _live_since(now or timezone.now())
    return CadreSession.objects.filter(user=user, last_used_at__gte=idle, created_at__gte=born).order_by(
        "-last_used_at")


def access_session_by_id(user, session_id: int) -> CadreSession:
    """One of her own sessions; 404 otherwise."""
    row = CadreSession.objects.filter(pk=session_id, user=user).first()
    if row is None:
        raise Http404("session not found")
    return row


def _store_delete(hashes: set[str]) -> None:
    """Delete from Django's session store the sessions whose keys hash to `hashes` (database backend)."""
    if not hashes or settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        return
    keys = [k for k in Session.objects.filter(expire_date__gt=timezone.now()).values_list("session_key", flat=True)
            .iterator(chunk_size=5000) if key_hash(k) in hashes]
    Session.objects.filter(session_key__in=keys).delete()


def _end(rows) -> int:
    rows = list(rows)
    _store_delete({r.key_hash for r in rows})
    CadreSession.objects.filter(pk__in=[r.pk for r in rows]).delete()
    return len(rows)


def sessions_end_of(account: User) -> int:
    """End every session of hers, inside the caller's transaction and under the caller's rule and audit row (a reset
    of her second factor: the sessions it verified must not outlive it)."""
    return _end(CadreSession.objects.filter(user=account))


def session_start(*, user: User, session_key: str, user_agent: str, ip: str | None, now=None) -> CadreSession:
    """Record her new session; past SESSIONS_PER_ACCOUNT live sessions her oldest ones end. Stale rows of her
    sessions that ended by themselves are dropped."""
    return _session_write(user=user, session_key=session_key, user_agent=user_agent, ip=ip, now=now or timezone.now())


def _session_write(*, user: User, session_key: str, user_agent: str, ip: str | None, now) -> CadreSession:
    idle, born = _live_since(now)
    with transaction.atomic():
        # her account row is locked first: two sign-ins at once would each count the others without the one beside
        # it, and both stay past the limit
        list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
        CadreSession.objects.filter(Q(last_used_at__lt=idle) | Q(created_at__lt=born), user=user).delete()
        row, _created = CadreSession.objects.update_or_create(
            key_hash=key_hash(session_key),
            defaults={"user": user, "device": device_label(user_agent), "user_agent": (user_agent or "")[:200],
                      "ip": ip or None, "created_at": now, "last_used_at": now})
        limit = settings.SESSIONS_PER_ACCOUNT
        if limit:
            older = list(CadreSession.objects.filter(user=user).exclude(pk=row.pk).order_by("-created_at", "-id")
                         [limit - 1:])
            if older:
                _end(older)
                audit_record(actor=user, action="session.limit", obj=user,
                             changes={"ended": len(older), "limit": limit}, now=now)
    return row


def session_touch(*, session_key: str, now=None) -> bool:
    """Her session was used now; False when its row is gone (ended elsewhere)."""
    return CadreSession.objects.filter(key_hash=key_hash(session_key)).update(
        last_used_at=now or timezone.now()) > 0


def session_forget(*, session_key: str) -> None:
    """She signed out: her row goes (the session store has already dropped the session)."""
    CadreSession.objects.filter(key_hash=key_hash(session_key)).delete()


def session_end(*, actor: User, row: CadreSession, now=None) -> None:
    """End one session of hers (from 我的登录设备) — it is signed out at once."""
    if not may_end_sessions_of(actor, row.user):
        raise PermissionError("may not end this session")
    with transaction.atomic():
        _end([row])
        audit_record(actor=actor, action="session.end", obj=row.user, changes={"device": row.device}, now=now)


def sessions_end_all(*, actor: User, account: User, keep_key: str | None = None, now=None) -> int:
    """End every session of `account` (a lost phone, a departure), or every other one when she keeps her own."""
    if not may_end_sessions_of(actor, account):
        raise PermissionError("may not end these sessions")
    rows = CadreSession.objects.filter(user=account)
    if keep_key:
        rows = rows.exclude(key_hash=key_hash(keep_key))
    with transaction.atomic():
        count = _end(rows)
        audit_record(actor=actor, action="session.end_all", obj=account,
                     changes={"ended": count, "kept_own": bool(keep_key)}, now=now)
    return count


def session_rekey(*, old_hash: str, session_key: str) -> bool:
    """Her session's key was cycled (a password change, a second sign-in): the row follows it."""
    return CadreSession.objects.filter(key_hash=old_hash).update(key_hash=key_hash(session_key)) > 0
