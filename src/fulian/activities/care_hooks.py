"""What activities answers for care and matching (a sibling app, reached through core.hooks only): a course's
places are offered as a resource, and accepting one signs her up here, so a seat is counted once — by the course."""

from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.core.errors import Conflict
from fulian.core.policy import Action, allows

from .models import TRAINING_KINDS, Activity, ActivityStatus, SignUpChannel, SignUpState
from .signups import signup_create, signups_open


def _facts(activity: Activity, now) -> dict:
    return {"id": activity.pk, "title": activity.title, "unit_path": activity.unit_path,
            "capacity": activity.capacity or 0, "confirmed": activity.signups_confirmed,
            "starts_at": activity.starts_at, "open": signups_open(activity, now=now)}


def course_seats(*, activity_ids) -> dict:
    """The hook "course.seats": {id: facts} of these courses (capacity, confirmed places, open for sign-ups)."""
    now = timezone.now()
    return {a.pk: _facts(a, now) for a in Activity.objects.filter(pk__in=list(activity_ids))}


def course_for_resource(*, user, activity_id) -> dict | None:
    """The hook "course.for_resource": a training of her subtree with a set number of places, not cancelled —
    what a course-seat resource may offer (None otherwise)."""
    try:
        activity = Activity.objects.filter(pk=int(activity_id)).first()
    except (TypeError, ValueError):
        return None
    if (activity is None or activity.kind not in TRAINING_KINDS or activity.capacity is None
            or activity.status == ActivityStatus.CANCELLED or not allows(user, Action.EDIT, activity.unit_path)):
        return None
    return _facts(activity, timezone.now())


def courses_for_resource(*, user, q: str = "") -> list[tuple[int, str]]:
    """The hook "course.choices": trainings she may offer seats of, newest first."""
    rows = (Activity.objects.filter(kind__in=TRAINING_KINDS, capacity__isnull=False,
                                    status=ActivityStatus.PUBLISHED, ends_at__gt=timezone.now())
            .order_by("-starts_at")[:200])
    rows = [a for a in rows if allows(user, Action.EDIT, a.unit_path) and (not q or q in a.title)]
    return [(a.pk, f"{a.title}（{timezone.localtime(a.starts_at):%Y-%m-%d}，{a.capacity}人）") for a in rows[:50]]


def course_seat_take(*, actor, woman, activity_id) -> dict:
    """The hook "course.seat_take": sign her up by her cadre; a place on the waiting list is no place — refused,
    and the caller's whole acceptance is rolled back."""
    activity = Activity.objects.get(pk=activity_id)
    signup = signup_create(activity=activity, channel=SignUpChannel.CADRE, actor=actor, woman=woman)
    if signup.state != SignUpState.CONFIRMED:
        raise Conflict(_("这个培训的名额已满，请为她另选一条。"), code="care_no_place")
    activity.refresh_from_db(fields=["capacity", "signups_confirmed"])
    return {"signup_id": signup.pk, "capacity": activity.capacity or 0, "confirmed": activity.signups_confirmed}
