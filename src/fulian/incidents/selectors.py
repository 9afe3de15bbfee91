"""Reading incidents, scoped by the one policy: a unit's incidents are seen by its subtree's cadres and those above
(a sibling county sees nothing: 404). The cases linked to an incident stay need-to-know: who may handle a case sees
it (and the read is logged); everyone else reads only how many there are."""

import datetime as dt
import statistics

from django.db.models import Count, Min
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.cases.services import may_handle
from fulian.core.access import access_by_id
from fulian.core.audit import read_record
from fulian.core.policy import Action, scope_q
from fulian.core.tree import SEGMENT, subtree_q
from fulian.orgs.models import Unit
from fulian.portal.models import ArticleStatus
from fulian.portal.services import may_review

from .models import Incident, IncidentCase, IncidentStatement, IncidentStatus


def access_incident_by_id(user, incident_id, *, need: str = Action.VIEW) -> Incident:
    return access_by_id(user, Incident, incident_id, need=need,
                        queryset=Incident.objects.select_related("unit", "place_unit", "created_by"))


def incidents_for(user, *, status: str = "", unit: Unit | None = None):
    """Incidents of her subtree (or of `unit`'s), newest first reported first, with their linked case count."""
    rows = Incident.objects.filter(scope_q(user, field="unit_path")).select_related("unit", "place_unit")
    if unit is not None:
        rows = rows.filter(subtree_q(unit.path, "unit_path"))
    if status == "active":
        rows = rows.exclude(status=IncidentStatus.CLOSED)
    elif status in IncidentStatus.values:
        rows = rows.filter(status=status)
    return rows.annotate(case_count=Count("case_links", distinct=True)).order_by("-reported_at", "-pk")


def hours_since(start, end) -> float:
    return round((end - start).total_seconds() / 3600, 1)


def statement_clock(incident: Incident, *, now=None) -> dict:
    """The first statement's deadline as a cadre reads it: made on time or late, or the time left / overdue."""
    now = now or timezone.now()
    due = incident.statement_due
    if incident.first_statement_at is not None:
        late = incident.first_statement_at > due
        hours = hours_since(incident.reported_at, incident.first_statement_at)
        return {"done": True, "late": late, "hours": hours,
                "text": (_("首次声明于报告后 %(h)s 小时发布（逾期）") if late
                         else _("首次声明于报告后 %(h)s 小时发布（按时）")) % {"h": hours}}
    left = (due - now).total_seconds()
    if left < 0:
        return {"done": False, "late": True, "hours": round(-left / 3600, 1),
                "text": _("声明已逾期 %(h)s 小时") % {"h": round(-left / 3600, 1)}}
    minutes = int(left // 60)
    return {"done": False, "late": False, "soon": left <= 2 * 3600, "hours": round(left / 3600, 1),
            "text": _("距声明时限还剩 %(h)d 小时 %(m)d 分") % {"h": minutes // 60, "m": minutes % 60}}


def actions_with_clock(incident: Incident) -> list[dict]:
    return [{"action": a, "hours": hours_since(incident.reported_at, a.at)}
            for a in incident.actions.select_related("recorded_by").order_by("at", "pk")]


def statements_of(incident: Incident):
    return IncidentStatement.objects.filter(incident=incident).select_related("article", "article__reviewer")


def linked_cases(user, incident: Incident, *, purpose: str = "incident") -> dict:
    """{count, rows, hidden}: the linked cases she may handle (each read written to the read log) and how many
    others there are; a cadre who may handle none reads only the count, and nothing is logged for her."""
    links = list(IncidentCase.objects.filter(incident=incident).select_related("case", "case__home_unit")
                 .order_by("linked_at", "pk"))
    rows = []
    for link in links:
        if may_handle(user, link.case):
            read_record(actor=user, obj=link.case, purpose=purpose)
            rows.append(link.case)
    return {"count": len(links), "rows": rows, "hidden": len(links) - len(rows)}


def statements_awaiting(user):
    """待审声明: statements in review she may publish, soonest deadline first."""
    rows = (IncidentStatement.objects.filter(scope_q(user, field="unit_path", action=Action.EDIT),
                                             article__status=ArticleStatus.REVIEW)
            .select_related("incident", "incident__unit", "article").order_by("incident__statement_due", "pk"))
    return [s for s in rows[:500] if may_review(user, s.article)]


def with_statement_time(rows):
    """The first statement time as stored, or as the portal has it (published since nobody looked)."""
    return rows.annotate(published=Min("statements__article__published_at"),
                         statement_at=Coalesce("first_statement_at", "published"))


def month_range(start: int | None, end: int | None) -> tuple[dt.datetime | None, dt.datetime | None]:
    """Local-time bounds [from, to) of the months start..end (YYYYMM; None for open-ended)."""
    tz = timezone.get_current_timezone()
    lo = dt.datetime(start // 100, start % 100, 1, tzinfo=tz) if start else None
    hi = None
    if end:
        year, month = (end // 100 + 1, 1) if end % 100 == 12 else (end // 100, end % 100 + 1)
        hi = dt.datetime(year, month, 1, tzinfo=tz)
    return lo, hi


def in_months(rows, start: int | None, end: int | None):
    lo, hi = month_range(start, end)
    if lo is not None:
        rows = rows.filter(reported_at__gte=lo)
    if hi is not None:
        rows = rows.filter(reported_at__lt=hi)
    return rows


def _summary(items: list[dict], now) -> dict:
    action_hours = [hours_since(r["reported_at"], r["first_action_at"]) for r in items if r["first_action_at"]]
    statement_hours = [hours_since(r["reported_at"], r["statement_at"]) for r in items if r["statement_at"]]
    late = sum(1 for r in items if (r["statement_at"] or now) > r["statement_due"])
    on_time = sum(1 for r in items if r["statement_at"] and r["statement_at"] <= r["statement_due"])
    by_status = {s: sum(1 for r in items if r["status"] == s) for s in IncidentStatus.values}

    def avg(values):
        return round(sum(values) / len(values), 1) if values else None

    return {"total": len(items), "by_status": by_status,
            "action_median": round(statistics.median(action_hours), 1) if action_hours else None,
            "action_avg": avg(action_hours),
            "statement_median": round(statistics.median(statement_hours), 1) if statement_hours else None,
            "statement_avg": avg(statement_hours), "statements_late": late, "statements_on_time": on_time}


def incidents_rollup(user, *, unit: Unit, start: int | None = None, end: int | None = None, now=None) -> dict:
    """Incidents of `unit`'s subtree reported in the months start..end: by status, hours to the first action and to
    the first statement (median, average), statements late — in all and per child unit."""
    now = now or timezone.now()
    rows = in_months(Incident.objects.filter(scope_q(user, field="unit_path"), subtree_q(unit.path, "unit_path")),
                     start, end)
    items = list(with_statement_time(rows).values("unit_path", "status", "reported_at", "first_action_at",
                                                  "statement_at", "statement_due"))
    cut = len(unit.path) + SEGMENT
    children = {u.path: u for u in Unit.objects.filter(parent=unit).order_by("code")}
    groups: dict[str, list] = {}
    own = []
    for item in items:
        child = item["unit_path"][:cut]
        if item["unit_path"] == unit.path or child not in children:
            own.append(item)
        else:
            groups.setdefault(child, []).append(item)
    per_unit = [{"unit": children[p], **_summary(groups[p], now)} for p in children if p in groups]
    return {"unit": unit, "start": start, "end": end, "totals": _summary(items, now),
            "own": _summary(own, now) if own else None, "rows": per_unit}
