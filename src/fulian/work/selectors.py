"""Reading tasks, reports and the burden meter, scoped: the issuing side sees its subtree's recipients; a
receiving unit sees its own copy (and the copies it delegated). A sibling county sees nothing: 404."""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.db.models.functions import Substr, TruncWeek
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.core.access import access_by_id
from fulian.core.models import EntryTime
from fulian.core.policy import Action, allows, has_leader_role, scope_q
from fulian.core.tree import SEGMENT, subtree_q
from fulian.dispatch.models import DispatchStatus, Recipient, RecipientState, Rollup
from fulian.orgs.models import Unit

from .models import Attachment, PrioritySet, Report, ReportTemplate, Task
from .services import KIND


def access_task_by_id(user, task_id) -> Task:
    """A task she issued (its unit is in her scope) or received (one of its copies is in her scope)."""
    try:
        task = Task.objects.select_related("dispatch", "dispatch__unit", "template").filter(pk=int(task_id)).first()
    except (TypeError, ValueError, OverflowError):
        task = None
    if task is None:
        raise Http404("task not found")
    if allows(user, Action.VIEW, task.unit_path):
        return task
    if Recipient.objects.filter(scope_q(user, field="unit_path"), dispatch_id=task.pk).exists():
        return task
    raise Http404("task not found")


def access_recipient_by_id(user, recipient_id, *, need: str = Action.VIEW) -> Recipient:
    """A unit's copy of a task, if that unit is in her scope (her own unit's, or one below hers)."""
    rows = Recipient.objects.select_related("dispatch", "dispatch__unit", "dispatch__task", "unit", "parent")
    return access_by_id(user, Recipient, recipient_id, need=need, queryset=rows.filter(dispatch__kind=KIND))


def recipient_for_unit(task: Task, unit: Unit) -> Recipient | None:
    return Recipient.objects.filter(dispatch_id=task.pk, unit_path=unit.path).select_related("dispatch", "unit").first()


def tasks_to_do(user):
    """Her unit's received tasks still to do (今日工作, 工作台), soonest deadline first."""
    unit_id = getattr(user, "unit_id", None)
    if unit_id is None:
        return Recipient.objects.none()
    return (Recipient.objects.filter(unit_id=unit_id, dispatch__kind=KIND, dispatch__status=DispatchStatus.OPEN)
            .exclude(state=RecipientState.DONE).select_related("dispatch", "dispatch__unit").order_by("deadline", "pk"))


def tasks_received(user):
    """Every task her unit received, newest first."""
    unit_id = getattr(user, "unit_id", None)
    if unit_id is None:
        return Recipient.objects.none()
    return (Recipient.objects.filter(unit_id=unit_id, dispatch__kind=KIND)
            .select_related("dispatch", "dispatch__unit").order_by("-dispatch__created_at", "-pk"))


def tasks_issued(user):
    """Tasks issued by units in her scope, newest first."""
    return (Task.objects.filter(scope_q(user, field="unit_path"))
            .select_related("dispatch", "dispatch__unit", "template").order_by("-dispatch__created_at", "-pk"))


def templates_usable(user):
    """Report forms her unit may use: made by her unit or a unit above it."""
    unit = getattr(user, "unit", None)
    if unit is None:
        return ReportTemplate.objects.filter(scope_q(user, field="unit_path"))
    from fulian.core.tree import ancestor_paths

    return ReportTemplate.objects.filter(unit_path__in=ancestor_paths(unit.path)).order_by("-created_at")


def _state_of(total: int, done: int, done_late: int, *, deadline, now) -> dict:
    late_open = total - done if now > deadline else 0
    return {"total": total, "done": done, "done_late": done_late, "open": total - done, "late": late_open + done_late,
            "percent": round(100 * done / total) if total else 0}


def completion(task: Task, *, at: Unit, now=None) -> dict:
    """How the task stands at unit `at` (the issuer or a unit between it and the first recipients): its totals
    and one row per child unit, read from the roll-up (units in between) or the recipients themselves; O(children)."""
    now = now or timezone.now()
    dispatch = task.dispatch
    if not at.path.startswith(task.unit_path):
        raise Http404("not under the issuer")
    rows = []
    for r in Rollup.objects.filter(dispatch=dispatch, unit__parent=at).select_related("unit").order_by("unit__code"):
        rows.append({"unit": r.unit, "rollup": True, **_state_of(r.total, r.done, r.done_late,
                                                                 deadline=dispatch.deadline, now=now)})
    direct = (Recipient.objects.filter(dispatch=dispatch, parent=None, unit__parent=at)
              .select_related("unit").order_by("unit__code"))
    for r in direct:
        done = int(r.is_done)
        rows.append({"unit": r.unit, "rollup": False, "recipient": r,
                     **_state_of(1, done, int(done and r.is_late(now)), deadline=r.deadline, now=now)})
    rows.sort(key=lambda row: row["unit"].code)
    own = Rollup.objects.filter(dispatch=dispatch, unit=at).first()
    if own is not None:
        totals = _state_of(own.total, own.done, own.done_late, deadline=dispatch.deadline, now=now)
    else:
        totals = _state_of(sum(r["total"] for r in rows), sum(r["done"] for r in rows),
                           sum(r["done_late"] for r in rows), deadline=dispatch.deadline, now=now)
    return {"task": task, "at": at, "rows": rows, "totals": totals}


def delegated_children(recipient: Recipient, *, now=None) -> list[dict]:
    """The copies a delegating unit sent down, with their state (its drill-down)."""
    now = now or timezone.now()
    children = Recipient.objects.filter(parent=recipient).select_related("unit").order_by("unit__code")
    reported = set(Report.objects.filter(recipient__parent=recipient).values_list("recipient_id", flat=True))
    return [{"recipient": c, "late": not c.is_done and c.is_late(now) or (c.is_done and c.is_late(now)),
             "reported": c.pk in reported} for c in children]


def report_of(recipient: Recipient) -> Report | None:
    return Report.objects.filter(recipient=recipient).select_related("task", "task__template").first()


def reports_at_level(user, task: Task, *, level: int):
    """Submitted reports of one level in her scope (the export per level)."""
    return (Report.objects.filter(scope_q(user, field="unit_path"), task=task, unit__level=level)
            .select_related("unit").order_by("unit__code"))


def burden(user, *, weeks: int = 8, now=None) -> dict:
    """Minutes of data entry per week: a cadre sees only her own; a chair or vice-chair her subtree's, per child
    unit and per form; and the share of report fields the system filled vs typed."""
    now = now or timezone.now()
    since = now - dt.timedelta(weeks=weeks)
    unit = getattr(user, "unit", None)
    leads = has_leader_role(user) and unit is not None
    entries = EntryTime.objects.filter(at__gte=since)
    reports = Report.objects.filter(submitted_at__gte=since)
    if leads:
        entries = entries.filter(subtree_q(unit.path, "unit_path"))
        reports = reports.filter(subtree_q(unit.path, "unit_path"))
    else:
        entries = entries.filter(user=user)
        reports = reports.filter(submitted_by=user)
    per_form = list(entries.annotate(week=TruncWeek("at")).values("week", "form").annotate(seconds=Sum("seconds"))
                    .order_by("-week", "form"))
    per_unit = []
    if leads:
        cut = len(unit.path) + SEGMENT
        rows = (entries.annotate(child=Substr("unit_path", 1, cut)).values("child").annotate(seconds=Sum("seconds"))
                .order_by("child"))
        names = {u.path: u for u in Unit.objects.filter(path__in=[r["child"] for r in rows])}
        per_unit = [{"unit": names.get(r["child"]), "minutes": round(r["seconds"] / 60, 1)} for r in rows]
    shares = reports.aggregate(computed=Sum("computed_count"), typed=Sum("typed_count"))
    computed, typed = shares["computed"] or 0, shares["typed"] or 0
    return {
        "scope": "subtree" if leads else "own", "unit": unit, "weeks": weeks,
        "per_form": [{"week": r["week"], "form": r["form"], "minutes": round(r["seconds"] / 60, 1)} for r in per_form],
        "per_unit": per_unit,
        "total_minutes": round(sum(r["seconds"] for r in per_form) / 60, 1),
        "fields_computed": computed, "fields_typed": typed,
        "computed_share": computed / (computed + typed) if computed + typed else None,
    }


def access_attachment_by_id(user, attachment_id) -> Attachment:
    """A task's attachment to whoever may access the task; a report's file to whoever may access its recipient."""
    try:
        attachment = Attachment.objects.select_related("report").filter(pk=int(attachment_id)).first()
    except (TypeError, ValueError, OverflowError):
        attachment = None
    if attachment is None:
        raise Http404("attachment not found")
    if attachment.task_id is not None:
        access_task_by_id(user, attachment.task_id)
    else:
        access_recipient_by_id(user, attachment.report.recipient_id)
    return attachment


def tasks_open_at(unit: Unit):
    """The open tasks a unit received and has not done (its page's section), soonest deadline first."""
    return (Recipient.objects.filter(unit=unit, dispatch__kind=KIND, dispatch__status=DispatchStatus.OPEN)
            .exclude(state=RecipientState.DONE).select_related("dispatch", "dispatch__unit").order_by("deadline", "pk"))


_SEPARATORS = re.compile(r"[\s,，、;；]+")


def units_named(unit: Unit, text: str, *, limit: int = 5000) -> list[Unit]:
    """The units below `unit` named in `text` (division codes or exact names, one per line or separated by commas),
    for a task sent to a hand-picked set; a name that fits none or several is refused with what to type instead."""
    tokens = [t for t in _SEPARATORS.split(text or "") if t]
    if len(tokens) > limit:
        raise ValidationError(_("一次最多指定%(n)d个单位，请改为按层级下发。") % {"n": limit})
    below = Unit.objects.filter(subtree_q(unit.path, include_self=False))
    codes = [t for t in tokens if t.isascii() and t.isdigit()]
    names = [t for t in tokens if t not in codes]
    by_code = {u.code: u for u in below.filter(code__in=codes)}
    by_name: dict[str, list[Unit]] = {}
    for u in below.filter(name__in=names).order_by("code"):
        by_name.setdefault(u.name, []).append(u)
    picked: dict[int, Unit] = {}
    for token in tokens:
        found = [by_code[token]] if token in by_code else by_name.get(token, [])
        if not found:
            raise ValidationError(_("“%(name)s”不是本单位以下的单位：请填写区划代码或单位全称。")
                                  % {"name": token[:40]})
        if len(found) > 1:
            raise ValidationError(_("本单位以下有%(n)d个“%(name)s”，请改填它的区划代码（如 %(code)s）。")
                                  % {"n": len(found), "name": token[:40], "code": found[0].code})
        picked[found[0].pk] = found[0]
    return list(picked.values())


def _priorities_rows():
    return (PrioritySet.objects.select_related("unit", "updated_by")
            .prefetch_related("items", "items__task", "items__task__dispatch"))


def access_priorities_by_id(user, priorities_id) -> PrioritySet:
    """Priorities set by a unit of her scope, or by one of her unit's ancestors (those she works to); else 404."""
    try:
        priorities = _priorities_rows().filter(pk=int(priorities_id)).first()
    except (TypeError, ValueError, OverflowError):
        priorities = None
    if priorities is None:
        raise Http404("priorities not found")
    if allows(user, Action.VIEW, priorities.unit_path):
        return priorities
    unit = getattr(user, "unit", None)
    if unit is not None and unit.path.startswith(priorities.unit_path):
        return priorities
    raise Http404("priorities not found")


def priorities_of_unit(unit: Unit, *, year: int) -> dict:
    """What a unit works to in `year`: the priorities its ancestors set (its parent's, for its own level, first)
    and those it set for the level below it."""
    from fulian.core.tree import ancestor_paths

    rows = list(_priorities_rows().filter(year=year, unit_path__in=ancestor_paths(unit.path))
                .order_by("-unit_path"))
    own = next((p for p in rows if p.unit_path == unit.path), None)
    received = [p for p in rows if p.unit_path != unit.path]
    for p in received:
        p.for_own_level = p.target_level == unit.level
    return {"year": year, "unit": unit, "received": received, "own": own}


def priorities_visible(user, *, year: int | None = None):
    """Priorities she may read: set in her scope, or by her unit's ancestors; newest year first."""
    from django.db.models import Q

    from fulian.core.tree import ancestor_paths

    unit = getattr(user, "unit", None)
    where = scope_q(user, field="unit_path")
    if unit is not None:
        where |= Q(unit_path__in=ancestor_paths(unit.path))
    rows = _priorities_rows().filter(where)
    if year is not None:
        rows = rows.filter(year=year)
    return rows.order_by("-year", "unit_path")
