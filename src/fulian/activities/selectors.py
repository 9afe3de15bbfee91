"""Activities' reads, scoped: an id becomes a record only for a cadre who may see its unit (missing and forbidden
both 404). Public reads (the calendar) are in activities.calendar; projects' and campaigns' reads are in
activities.projects and activities.campaigns."""

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from fulian.core.access import access_by_id
from fulian.core.policy import Action, scope_q
from fulian.core.tree import ancestor_paths, subtree_q
from fulian.orgs.models import Unit, WomensHome

from .models import Activity, Project, Session, SignUp

HOME_CHOICES = 300


def access_activity_by_id(user, activity_id, *, need: str = Action.VIEW) -> Activity:
    return access_by_id(user, Activity, activity_id, need=need,
                        queryset=Activity.objects.select_related("unit", "home", "project", "campaign"))


def access_session_by_id(user, session_id, *, need: str = Action.VIEW) -> Session:
    return access_by_id(user, Session, session_id, need=need, queryset=Session.objects.select_related("activity"))


def access_project_by_id(user, project_id, *, need: str = Action.VIEW) -> Project:
    return access_by_id(user, Project, project_id, need=need, queryset=Project.objects.select_related("unit"))


def access_signup_by_id(user, signup_id, *, need: str = Action.VIEW) -> SignUp:
    return access_by_id(user, SignUp, signup_id, need=need, queryset=SignUp.objects.select_related("activity"))


def activities_for(user, *, status: str | None = None, kind: str | None = None, month: int | None = None,
                   project: Project | None = None, campaign=None):
    """Activities of her subtree, newest first; `month` (YYYYMM) keeps those whose first session is in it."""
    rows = Activity.objects.filter(scope_q(user, field="unit_path")).select_related("unit", "home")
    if status:
        rows = rows.filter(status=status)
    if kind:
        rows = rows.filter(kind=kind)
    if month:
        year, number = divmod(month, 100)
        start = timezone.make_aware(dt.datetime(year, number, 1))
        end = timezone.make_aware(dt.datetime(year + number // 12, number % 12 + 1, 1))
        rows = rows.filter(starts_at__gte=start, starts_at__lt=end)
    if project is not None:
        rows = rows.filter(project=project)
    if campaign is not None:
        rows = rows.filter(campaign=campaign)
    return rows.order_by("-starts_at", "-id")


def sessions_with_attendance(activity: Activity):
    """The activity's sessions in order, each with `attended` (its check-ins): one query."""
    return activity.sessions.annotate(attended=Count("attendances")).order_by("number")


def homes_for_activity(unit: Unit, *, current: WomensHome | None = None) -> list[WomensHome]:
    """Women's Homes an activity of `unit` may be held at: open homes of the units above it and of its own subtree
    (the first HOME_CHOICES, nearest the unit first; a wider search is typed as an address), and `current`."""
    rows = (WomensHome.objects.filter(Q(unit_path__in=ancestor_paths(unit.path)) | subtree_q(unit.path, "unit_path"),
                                      is_active=True).select_related("unit").order_by("unit_path", "name"))
    homes = list(rows[:HOME_CHOICES])
    if current is not None and current.pk not in {h.pk for h in homes}:
        homes.append(current)
    return homes
