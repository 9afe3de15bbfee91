"""What family awards' story relay (故事传递) may link to, without importing activities: the activities of her
subtree (not cancelled), as plain tuples. Registered in ActivitiesConfig.ready; see core.hooks."""

from django.utils import timezone

from fulian.core.hooks import hook_register
from fulian.core.policy import scope_q

from .models import Activity, ActivityStatus

CHOICES = 30


def _rows(user):
    return (Activity.objects.filter(scope_q(user, field="unit_path")).exclude(status=ActivityStatus.CANCELLED)
            .values_list("pk", "title", "unit_path", "starts_at"))


def _tuple(row) -> tuple:
    pk, title, unit_path, starts_at = row
    return pk, title, unit_path, timezone.localdate(starts_at)


def activities_for_relay(*, user, q: str = "") -> list[tuple]:
    """"activity.for_relay": (id, title, unit path, first day) of her subtree's activities, newest first."""
    rows = _rows(user)
    q = " ".join((q or "").split())[:30]
    if q:
        rows = rows.filter(title__contains=q)
    return [_tuple(row) for row in rows.order_by("-starts_at", "-pk")[:CHOICES]]


def activity_for_relay(*, user, activity_id: int) -> tuple | None:
    """"activity.get_for_relay": one activity of her subtree, or None."""
    row = _rows(user).filter(pk=activity_id).first()
    return _tuple(row) if row is not None else None


hook_register("activity.for_relay", activities_for_relay)
hook_register("activity.get_for_relay", activity_for_relay)
