"""Notifications go through an outbox table: written in the same transaction as the change that causes them,
sent afterwards by `manage.py outbox_send` (a worker loop or a cron job). A failed send is retried with a
growing delay and never blocks the case or record that caused it.

Senders are pluggable per channel (OUTBOX_SENDERS): in-app and e-mail; SMS through `core.sms.send_sms` (Alibaba
Cloud or Tencent Cloud by SMS_PROVIDER, the logging stand-in in development); WeChat has the logging stand-in.

Expiry is per kind of message: a one-time code carries its code's lifetime (a late code is worthless, so it is
never sent), a notification none. A sender's error is kept in `last_error` with any one-time code blanked out.
"""

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import Notice, Outbox
from .otp import CODE_MINUTES, LINK_PREFIX, otp_code, otp_render
from .writes import write_later

logger = logging.getLogger("fulian.outbox")
MAX_ATTEMPTS = 8


def outbox_put(*, channel: str, subject: str, user=None, address: str = "", body: str = "", link: str = "",
               now=None, expires_at=None) -> Outbox:
    """A message to send after the commit; inside a write path it is written with the path's other rows."""
    now = now or timezone.now()
    if expires_at is None and isinstance(link, str) and link.startswith(LINK_PREFIX):
        expires_at = now + dt.timedelta(minutes=CODE_MINUTES)  # a code outlives its lifetime in no outbox
    message = Outbox(channel=channel, user=user, address=address, subject=subject[:200], body=body,
                     link=link[:200] if isinstance(link, str) else link,  # else a `key_text` of the write path
                     next_attempt_at=now, created_at=now, expires_at=expires_at)
    write_later(message)
    return message


def outbox_requeue(*, message_ids=None, now=None) -> int:
    """Give failed messages another round of attempts (all of them, or those named); expired ones stay expired."""
    now = now or timezone.now()
    failed = Outbox.objects.filter(status="failed").exclude(expires_at__lte=now)
    if message_ids:
        failed = failed.filter(pk__in=list(message_ids))
    return failed.update(status="pending", attempts=0, next_attempt_at=now, last_error="")


def outbox_sms_content(message: Outbox) -> tuple[str, str]:
    """What an SMS provider's template needs: ("code", the six digits) for a one-time code, worked out now and kept
    nowhere, or ("notice", the subject). Providers send approved templates only, never free text."""
    if message.link.startswith(LINK_PREFIX):
        return "code", otp_code(message.link[len(LINK_PREFIX):])
    return "notice", message.subject


def _without_code(text: str, message: Outbox) -> str:
    """An error text to keep: a sender's exception must not carry a one-time code into the table."""
    if message.link.startswith(LINK_PREFIX):
        text = text.replace(otp_code(message.link[len(LINK_PREFIX):]), "******")
    return text


def send_in_app(message: Outbox) -> None:
    Notice.objects.create(user=message.user, subject=message.subject, link=message.link, created_at=timezone.now())


def send_email(message: Outbox) -> None:
    address = message.address or (message.user.email if message.user else "")
    if not address:
        raise ValueError("no e-mail address")
    send_mail(message.subject, f"{message.body}\n{settings.SITE_URL}{message.link}", None, [address])


def send_logged(message: Outbox) -> None:
    """Stand-in for SMS and WeChat until a provider is configured: the message is logged, not lost.

    Outside development a one-time code is not written to the log."""
    text = message.subject
    if message.link.startswith("otp:") and not settings.DEBUG:
        text = "(one-time code withheld)"
    logger.info("%s to %s: %s", message.channel, message.address or message.user_id, text)


def _sender(channel: str):
    path = settings.OUTBOX_SENDERS.get(channel)
    return import_string(path) if path else send_logged


def outbox_send(*, now=None, limit: int = 500) -> dict:
    """Send what is due; each message in its own transaction, locked so two workers never send one twice."""
    now = now or timezone.now()
    counts = {"sent": 0, "failed": 0}
    ids = list(Outbox.objects.filter(status="pending", next_attempt_at__lte=now).order_by("id")
               .values_list("id", flat=True)[:limit])
    for message_id in ids:
        with transaction.atomic():
            message = (Outbox.objects.select_for_update(skip_locked=True, of=("self",))
                       .filter(pk=message_id, status="pending").select_related("user").first())
            if message is None:
                continue
            if message.expires_at is not None and message.expires_at <= now:
                message.status = "expired"
                message.save(update_fields=["status"])
                counts["expired"] = counts.get("expired", 0) + 1
                continue
            # a one-time code is put into the text only now, in memory; the row keeps the placeholder
            message.subject = otp_render(message.subject, message.link)
            try:
                _sender(message.channel)(message)
            except Exception as exc:  # noqa: BLE001  (any sender failure is recorded and retried)
                message.attempts += 1
                message.last_error = _without_code(f"{exc.__class__.__name__}: {exc}", message)[:300]
                message.status = "failed" if message.attempts >= MAX_ATTEMPTS else "pending"
                message.next_attempt_at = now + dt.timedelta(minutes=2 ** message.attempts)
                message.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
                counts["failed"] += 1
                continue
            message.status, message.sent_at, message.attempts = "sent", now, message.attempts + 1
            message.save(update_fields=["status", "sent_at", "attempts"])
            counts["sent"] += 1
    return counts
