"""Activities' reads, scoped: an id becomes a record only for a cadre who may see its unit (missing and forbidden
both 404). Public reads (the calendar) are in activities.calendar."""

from fulian.core.access import access_by_id
from fulian.core.policy import Action, scope_q

from .models import Activity, Project, Session, SignUp


def access_activity_by_id(user, activity_id, *, need: str = Action.VIEW) -> Activity:
    return access_by_id(user, Activity, activity_id, need=need,
                        queryset=Activity.objects.select_related("unit", "home", "project", "campaign"))


def access_session_by_id(user, session_id, *, need: str = Action.VIEW) -> Session:
    return access_by_id(user, Session, session_id, need=need, queryset=Session.objects.select_related("activity"))


def access_project_by_id(user, project_id, *, need: str = Action.VIEW) -> Project:
    return access_by_id(user, Project, project_id, need=need, queryset=Project.objects.select_related("unit"))


def access_signup_by_id(user, signup_id, *, need: str = Action.VIEW) -> SignUp:
    return access_by_id(user, SignUp, signup_id, need=need, queryset=SignUp.objects.select_related("activity"))


def activities_for(user, *, status: str | None = None):
    """Activities of her subtree, newest first."""
    rows = Activity.objects.filter(scope_q(user, field="unit_path")).select_related("unit", "home")
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-starts_at", "-id")
