"""The in-app notifications inbox (the outbox's in-app sender writes Notice rows; every module notifies that way)."""

from django.utils import timezone

from .models import Notice


def notices_for(user, *, limit: int = 50) -> list[Notice]:
    return list(Notice.objects.filter(user=user)[:limit])


def notices_mark_read(*, user, now=None) -> int:
    """She opened her inbox: what she has seen is read (no audit row: it changes nothing of anyone else's)."""
    return Notice.objects.filter(user=user, read_at__isnull=True).update(read_at=now or timezone.now())
