"""Activities' sections on pages they do not own (core.panels): her sign-ups, attendance, completions, certificates
and outcomes on the woman's page (matched by the registry link of the sign-up or check-in, never by phone alone),
and 结业与成效 on a training's page."""

from django.db.models import Q
from django.utils.translation import gettext as _

from fulian.core.panels import panel_register
from fulian.core.policy import Action, allows, may_act_for_unit

from .models import Attendance, Completion, SignUp, SignUpState
from .outcomes import completions_of_woman, may_follow_up

PANEL_ROWS = 30


def woman_activity_rows(woman, *, limit: int = PANEL_ROWS) -> list[dict]:
    """One row per activity she took part in or signed up for, newest first: her sign-up, the sessions she checked
    in to, her completion with its certificate and outcomes."""
    rows: dict[int, dict] = {}

    def row(activity):
        return rows.setdefault(activity.pk, {"activity": activity, "signup": None, "sessions": set(),
                                             "completion": None})

    for signup in SignUp.objects.filter(woman=woman).select_related("activity").order_by("-created_at")[:limit]:
        current = row(signup.activity)
        if current["signup"] is None or current["signup"].state == SignUpState.CANCELLED:
            current["signup"] = signup
    checked = (Attendance.objects.filter(Q(woman=woman) | Q(signup__woman=woman)).select_related("activity")
               .order_by("-checked_at")[: limit * 10])
    for attendance in checked:
        row(attendance.activity)["sessions"].add(attendance.session_id)
    for completion in completions_of_woman(woman)[:limit]:
        row(completion.activity)["completion"] = completion
    ordered = sorted(rows.values(), key=lambda r: (r["activity"].starts_at, r["activity"].pk), reverse=True)
    for r in ordered:
        r["attended"] = len(r.pop("sessions"))
    return ordered[:limit]


def woman_sections(request, woman):
    if not allows(request.user, Action.VIEW, woman.unit_path):
        return None
    rows = woman_activity_rows(woman)
    if not rows:
        return None
    for r in rows:
        r["can_follow_up"] = r["completion"] is not None and may_follow_up(request.user, r["completion"])
    return {"woman": woman, "rows": rows}


def activity_sections(request, activity):
    """结业与成效 of a training, for its page (activities' own, registered like the others)."""
    if not activity.is_training or not allows(request.user, Action.VIEW, activity.unit_path):
        return None
    return {
        "activity": activity,
        "confirmed": activity.signups.filter(state=SignUpState.CONFIRMED).count(),
        "completed": Completion.objects.filter(activity=activity).count(),
        "can_record": may_act_for_unit(request.user, activity.unit_path),
        "title": _("结业与成效"),
    }


panel_register("woman.sections", order=40, template="activities/_woman_activities.html", context=woman_sections)
panel_register("activity.sections", order=40, template="activities/_activity_completions.html",
               context=activity_sections)
