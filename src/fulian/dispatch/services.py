"""Sending work down the tree and rolling its results up: the one mechanism tasks use, and the campaigns and
allocations of later modules after them.

`dispatch_send` gives every receiving unit (all units of a level under the issuer, or a hand-picked set in her
scope) a Recipient row in one INSERT … SELECT, however many there are, and counts them in the Rollup rows of
the units in between, so the completion page reads one row per child at any level. A recipient acknowledges,
delegates (its copy forks to units below it; it sees their roll-up) and completes; a completion adds to the
live figures (tasks done, done on time — for the kinds in TASK_KINDS) and to the roll-up. Reminders (催办) go
through the outbox: the issuer reminds everyone not done in one action, and the periodic `dispatch_chase` reminds
a late recipient at most once a day however often it runs, counting it once in tasks_overdue when its deadline
first passes.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F, Max
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.accounts.models import User
from fulian.core.audit import audit_record
from fulian.core.errors import Conflict
from fulian.core.figures import figures_add, period_of
from fulian.core.outbox import outbox_put
from fulian.core.policy import OutOfScope, may_act_for_unit, may_issue_work
from fulian.core.tree import SEGMENT, ancestor_paths, subtree_q
from fulian.core.writes import write_path
from fulian.orgs.models import Kind, SourceStatus, Unit

from .models import Dispatch, DispatchStatus, Recipient, RecipientState, Rollup

REMIND_GAP = dt.timedelta(hours=1)  # a second 催办 within an hour (a double click) reminds nobody twice
MAX_PICKED = 5000
# kinds whose completions and missed deadlines are the registry's 完成上级任务 / 逾期 figures (tasks_*); a kind that
# is not a task (整改 items of supervision) counts its own figures in its module, so nothing is counted twice
TASK_KINDS = frozenset({"task"})


def _units_below(unit: Unit, *, level: int | None, units: list[Unit] | None):
    """The receiving units as a queryset: every geographic unit of `level` under `unit`, or the picked ones."""
    if (level is None) == (units is None):
        raise ValidationError(_("请选择下发到哪一级，或选择具体的接收单位。"))
    below = Unit.objects.filter(subtree_q(unit.path, include_self=False)).exclude(source_status=SourceStatus.REMOVED)
    if level is not None:
        if not unit.level < int(level) <= 5:
            raise ValidationError(_("只能下发到本级以下的层级。"))
        return below.filter(level=int(level), kind=Kind.GEOGRAPHIC)
    if not units:
        raise ValidationError(_("请至少选择一个接收单位。"))
    if len(units) > MAX_PICKED:
        raise ValidationError(_("一次最多选择%(n)d个接收单位，请改为按层级下发。") % {"n": MAX_PICKED})
    ids = {u.pk for u in units}
    if below.filter(pk__in=ids).count() != len(ids):
        raise ValidationError(_("只能下发给本单位以下的单位。"))
    return below.filter(pk__in=ids)


def _insert_recipients(dispatch: Dispatch, units, *, parent: Recipient | None, fresh: bool = False) -> int:
    """One INSERT … SELECT of the receiving units' rows (units already holding this dispatch are left out; a
    `fresh` dispatch holds none, and the anti-join, planned on a recipient table without statistics, took 35 s
    for Hebei's 54,000 villages)."""
    if not fresh:
        units = units.exclude(path__in=Recipient.objects.filter(dispatch=dispatch).values("unit_path"))
    sql, params = units.values("id", "path").query.sql_with_params()
    table = Recipient._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (dispatch_id, unit_id, unit_path, parent_id, state, deadline, reminders, "  # noqa: S608
            f"overdue_counted, version) SELECT %s, s.id, s.path, %s, %s, %s, 0, %s, 1 FROM ({sql}) s",
            [dispatch.pk, parent.pk if parent else None, RecipientState.RECEIVED,
             connection.ops.adapt_datetimefield_value(dispatch.deadline), False, *params],
        )
        return cursor.rowcount


def _rollup_build(dispatch: Dispatch) -> None:
    """Count the first recipients under each unit from the issuer down to their parents: one INSERT per level."""
    recipients, units, rollups = Recipient._meta.db_table, Unit._meta.db_table, Rollup._meta.db_table
    deepest = Recipient.objects.filter(dispatch=dispatch, parent=None).aggregate(n=Max(Length("unit_path")))["n"] or 0
    with connection.cursor() as cursor:
        for length in range(len(dispatch.unit_path), deepest, SEGMENT):
            # counted per path first, then joined: one probe of the units per ancestor, not per recipient
            cursor.execute(
                f"INSERT INTO {rollups} (dispatch_id, unit_id, total, done, done_late) "  # noqa: S608
                f"SELECT %s, a.id, g.n, 0, 0 FROM (SELECT substr(r.unit_path, 1, %s) AS p, count(*) AS n "
                f"FROM {recipients} r WHERE r.dispatch_id = %s AND r.parent_id IS NULL AND length(r.unit_path) > %s "
                f"GROUP BY substr(r.unit_path, 1, %s)) g JOIN {units} a ON a.path = g.p",
                [dispatch.pk, length, dispatch.pk, length, length],
            )


def dispatch_send(*, actor, kind: str, unit: Unit, title: str, deadline: dt.datetime, level: int | None = None,
                  units: list[Unit] | None = None, now=None) -> Dispatch:
    """Send work from `unit` to every unit of `level` below it, or to the picked `units` (all below it)."""
    now = now or timezone.now()
    if not may_issue_work(actor, unit.path):
        raise OutOfScope("may not issue work here")
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("请填写标题。"))
    if deadline <= now:
        raise ValidationError(_("截止时间必须晚于现在。"))
    receiving = _units_below(unit, level=level, units=units)
    with write_path():
        dispatch = Dispatch.objects.create(kind=kind, unit=unit, unit_path=unit.path, title=title[:200],
                                           deadline=deadline, target_level=level, created_by=actor, created_at=now)
        count = _insert_recipients(dispatch, receiving, parent=None, fresh=True)
        if not count:
            raise ValidationError(_("所选范围内没有可以接收的单位。"))
        Dispatch.objects.filter(pk=dispatch.pk).update(recipient_count=count)
        dispatch.recipient_count = count
        _rollup_build(dispatch)
        audit_record(actor=actor, action=f"{kind}.send", obj=dispatch, changes={"recipients": count}, now=now)
    return dispatch


def _locked(recipient: Recipient) -> Recipient:
    fresh = Recipient.objects.select_for_update(of=("self",)).select_related("dispatch", "unit").get(pk=recipient.pk)
    if fresh.dispatch.status != DispatchStatus.OPEN:
        raise ValidationError(_("该事项已关闭，不能再办理。"))
    return fresh


def _check_version(recipient: Recipient, version: int | None) -> None:
    if version is not None and recipient.version != version:
        raise Conflict(_("这项工作刚被别人办理过，请刷新后再试。"))


def recipient_acknowledge(*, actor, recipient: Recipient, now=None) -> Recipient:
    """签收: the unit has seen it (a second click changes nothing)."""
    now = now or timezone.now()
    if not may_act_for_unit(actor, recipient.unit_path):
        raise OutOfScope("not her unit's work")
    with write_path():
        recipient = _locked(recipient)
        if recipient.state == RecipientState.RECEIVED:
            Recipient.objects.filter(pk=recipient.pk).update(state=RecipientState.ACKNOWLEDGED, acknowledged_at=now,
                                                             version=F("version") + 1)
            audit_record(actor=actor, action=f"{recipient.dispatch.kind}.acknowledge", obj=recipient, now=now)
    recipient.refresh_from_db()
    return recipient


def recipient_delegate(*, actor, recipient: Recipient, level: int | None = None, units: list[Unit] | None = None,
                       now=None) -> int:
    """转下级: the work forks to units below the recipient (all of a level, or picked ones); it sees their roll-up
    and still completes itself. Returns how many new recipients."""
    now = now or timezone.now()
    if not may_act_for_unit(actor, recipient.unit_path):
        raise OutOfScope("not her unit's work")
    receiving = _units_below(recipient.unit, level=level, units=units)
    with write_path():
        recipient = _locked(recipient)
        if recipient.is_done:
            raise ValidationError(_("已完成的工作不能再转下级。"))
        count = _insert_recipients(recipient.dispatch, receiving, parent=recipient)
        if not count:
            raise ValidationError(_("所选单位都已收到这项工作。"))
        Recipient.objects.filter(pk=recipient.pk).update(
            state=RecipientState.DELEGATED, delegated_at=now, acknowledged_at=recipient.acknowledged_at or now,
            version=F("version") + 1)
        audit_record(actor=actor, action=f"{recipient.dispatch.kind}.delegate", obj=recipient,
                     changes={"recipients": count}, now=now)
    return count


def _count_done(recipient: Recipient, *, late: bool, now) -> None:
    """Live figures (work of a kind counted as tasks, TASK_KINDS) and the roll-up of one completion (inside the
    caller's write path)."""
    path = recipient.unit_path
    if recipient.dispatch.kind in TASK_KINDS:
        figures_add([(path, period_of(now), "tasks_done", 1),
                     (path, period_of(now), "tasks_on_time", int(not late))])
        if late and not recipient.overdue_counted:
            figures_add([(path, period_of(recipient.deadline), "tasks_overdue", 1)])
    if recipient.parent_id is None:
        between = [p for p in ancestor_paths(path)[:-1] if len(p) >= len(recipient.dispatch.unit_path)]
        Rollup.objects.filter(dispatch_id=recipient.dispatch_id, unit__path__in=between).update(
            done=F("done") + 1, done_late=F("done_late") + int(late))


def recipient_complete(*, actor, recipient: Recipient, version: int | None = None, now=None,
                       before_done=None) -> Recipient:
    """完成: the unit's part is done (its report submitted, for a task). `before_done(recipient)` runs inside the
    same transaction first (the work app freezes the report there), so nothing is saved half-way."""
    now = now or timezone.now()
    if not may_act_for_unit(actor, recipient.unit_path):
        raise OutOfScope("not her unit's work")
    with write_path():
        recipient = _locked(recipient)
        _check_version(recipient, version)
        if recipient.is_done:
            raise Conflict(_("这项工作已经完成，不能重复提交。"))
        if before_done is not None:
            before_done(recipient)
        late = now > recipient.deadline
        Recipient.objects.filter(pk=recipient.pk).update(
            state=RecipientState.DONE, done_at=now, done_by=actor, acknowledged_at=recipient.acknowledged_at or now,
            overdue_counted=recipient.overdue_counted or late, version=F("version") + 1)
        _count_done(recipient, late=late, now=now)
        audit_record(actor=actor, action=f"{recipient.dispatch.kind}.complete", obj=recipient,
                     changes={"late": late}, now=now)
    recipient.refresh_from_db()
    return recipient


def _unit_cadres(unit_ids) -> dict[int, list]:
    out: dict[int, list] = {}
    for user in User.objects.filter(unit_id__in=list(unit_ids), is_active=True).exclude(roles=[]).only(
            "id", "unit_id", "roles", "is_active"):
        out.setdefault(user.unit_id, []).append(user)
    return out


def _remind(recipients: list[Recipient], dispatch: Dispatch, subject: str, link: str, now) -> None:
    cadres = _unit_cadres({r.unit_id for r in recipients})
    for r in recipients:
        for user in cadres.get(r.unit_id, []):
            outbox_put(channel="in_app", user=user, subject=subject, link=link.format(recipient=r.pk), now=now)


def dispatch_remind(*, actor, dispatch: Dispatch, parent: Recipient | None = None, link: str = "", now=None) -> int:
    """催办 in one action: every recipient not done (the issuer's own, or those a delegating `parent` sent to) gets
    a notice, unless reminded within the last hour. Returns how many units were reminded."""
    now = now or timezone.now()
    if parent is None and not may_issue_work(actor, dispatch.unit_path):
        raise OutOfScope("may not remind here")
    if parent is not None and not may_act_for_unit(actor, parent.unit_path):
        raise OutOfScope("not her unit's work")
    if dispatch.status != DispatchStatus.OPEN:
        raise ValidationError(_("该事项已关闭。"))
    with write_path():
        due = list(Recipient.objects.select_for_update(of=("self",)).filter(dispatch=dispatch, parent=parent)
                   .exclude(state=RecipientState.DONE).exclude(reminded_at__gt=now - REMIND_GAP))
        if due:
            Recipient.objects.filter(pk__in=[r.pk for r in due]).update(reminders=F("reminders") + 1,
                                                                         reminded_at=now)
            _remind(due, dispatch, _("催办：%(title)s") % {"title": dispatch.title}, link, now)
        audit_record(actor=actor, action=f"{dispatch.kind}.remind", obj=dispatch, changes={"units": len(due)},
                     now=now)
    return len(due)


def dispatch_chase(*, kind: str, now=None, link: str = "", batch: int = 1000) -> dict:
    """Periodic: every recipient of an open dispatch of `kind` whose deadline has passed and who is not done gets
    one reminder a day (a second run the same day sends nothing), linking to `link` (its own kind's page), and is
    counted once in tasks_overdue."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    counts = {"chased": 0, "overdue": 0}
    # through the open dispatches past their deadline (few), then their copies by the (dispatch, unit) index
    late = Recipient.objects.filter(dispatch__status=DispatchStatus.OPEN, dispatch__kind=kind,
                                    dispatch__deadline__lt=now, deadline__lt=now).exclude(
        state=RecipientState.DONE)
    while True:
        with write_path():
            rows = list(late.exclude(chased_on=today).select_for_update(of=("self",), skip_locked=True)
                        .select_related("dispatch").order_by("pk")[:batch])
            if not rows:
                break
            Recipient.objects.filter(pk__in=[r.pk for r in rows]).update(
                chased_on=today, reminders=F("reminders") + 1, reminded_at=now, overdue_counted=True)
            new = [r for r in rows if not r.overdue_counted]
            figures_add([(r.unit_path, period_of(r.deadline), "tasks_overdue", 1) for r in new
                         if r.dispatch.kind in TASK_KINDS])
            for dispatch_id in {r.dispatch_id for r in rows}:
                group = [r for r in rows if r.dispatch_id == dispatch_id]
                subject = _("已逾期，请尽快办理：%(title)s") % {"title": group[0].dispatch.title}
                _remind(group, group[0].dispatch, subject, link, now)
            counts["chased"] += len(rows)
            counts["overdue"] += len(new)
    return counts


def dispatch_close(*, actor, dispatch: Dispatch, now=None) -> Dispatch:
    """关闭: no more reports or completions; what was done stays."""
    now = now or timezone.now()
    if not may_issue_work(actor, dispatch.unit_path):
        raise OutOfScope("may not close here")
    with write_path():
        changed = Dispatch.objects.filter(pk=dispatch.pk, status=DispatchStatus.OPEN).update(
            status=DispatchStatus.CLOSED, closed_at=now, version=F("version") + 1)
        if not changed:
            raise Conflict(_("该事项已经关闭。"))
        audit_record(actor=actor, action=f"{dispatch.kind}.close", obj=dispatch, now=now)
    dispatch.refresh_from_db()
    return dispatch
