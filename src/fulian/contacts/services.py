"""Writes of the contact network. Each is atomic, checks scope itself and writes its audit row."""

import datetime as dt
from itertools import cycle

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from fulian.core.audit import audit_record
from fulian.core.figures import figures_add, period_of
from fulian.core.hooks import hook_call
from fulian.core.outbox import outbox_put
from fulian.core.policy import Action, OutOfScope, actions_of, allows, has_any_role, may_issue_work, require
from fulian.core.writes import write_later, write_path
from fulian.orgs.models import Kind, PostKind, StaffMember, Unit, staff_current_q
from fulian.people.models import Woman

from .models import (
    Assignment,
    ContactLog,
    FieldWeek,
    FieldWeekReminder,
    LevelQuota,
    Need,
    NeedCategory,
    NeedStatus,
    StaffKindQuota,
)

DEFAULT_QUOTAS = {1: 10, 2: 20, 3: 30, 4: 50, 5: 100}


def level_quota_set(*, actor, level: int, quota: int) -> LevelQuota:
    """Contact quotas apply to every unit: only the platform's superusers change them (MANAGE_SETTINGS)."""
    if Action.MANAGE_SETTINGS not in actions_of(actor):
        raise PermissionError("settings for every unit change only at the top")
    if quota < 1:
        raise ValidationError(_("联系人数标准必须大于零。"), code="quota_positive")
    with transaction.atomic():
        row, _created = LevelQuota.objects.update_or_create(level=level, defaults={"quota": quota})
        audit_record(actor=actor, action="level_quota.set", obj=row, changes={"level": level, "quota": quota})
    return row


def staff_kind_quota_set(*, actor, kind: str, quota: int | None) -> StaffKindQuota | None:
    """The quota of a staff type (专职/挂职/兼职/社工) for every unit; None removes it (her level's quota applies)."""
    if Action.MANAGE_SETTINGS not in actions_of(actor):
        raise PermissionError("settings for every unit change only at the top")
    if kind not in PostKind.values:
        raise ValidationError(_("人员类别不正确。"), code="staff_kind")
    if quota is not None and quota < 1:
        raise ValidationError(_("联系人数标准必须大于零。"), code="quota_positive")
    with transaction.atomic():
        row = None
        if quota is None:
            StaffKindQuota.objects.filter(kind=kind).delete()
        else:
            row, _created = StaffKindQuota.objects.update_or_create(kind=kind, defaults={"quota": quota})
        audit_record(actor=actor, action="staff_kind_quota.set", obj=row, changes={"kind": kind, "quota": quota})
    return row


def staff_kind_of(cadre, *, today: dt.date | None = None) -> str | None:
    """Her staff type on the named roster (orgs.StaffMember) on `today`, if her account is listed in post."""
    if cadre is None or cadre.pk is None:
        return None
    today = today or timezone.localdate()
    return (StaffMember.objects.filter(staff_current_q(today), account=cadre).order_by("-starts_on", "-id")
            .values_list("kind", flat=True).first())


def quota_for(cadre, *, today: dt.date | None = None) -> int:
    """How many women she keeps in touch with: her staff type's quota when she is on the roster in post with a type
    that has one, else her level's."""
    kind = staff_kind_of(cadre, today=today)
    if kind is not None:
        row = StaffKindQuota.objects.filter(kind=kind).first()
        if row is not None:
            return row.quota
    level = cadre.unit.level if cadre.unit_id else 5
    row = LevelQuota.objects.filter(level=level).first()
    return row.quota if row else DEFAULT_QUOTAS[level]


def _check_cadre_covers(cadre, woman: Woman) -> None:
    if cadre.unit_id is None or not woman.unit_path.startswith(cadre.unit.path):
        raise ValidationError(
            _("%(cadre)s所在组织不管辖%(woman)s所在的村(社区)。") % {"cadre": cadre, "woman": woman.name},
            code="cadre_out_of_area",
        )


def _refresh_is_assigned(woman_ids) -> None:
    active = Assignment.objects.filter(woman_id=OuterRef("pk"), ended_on__isnull=True)
    women = Woman.objects.filter(pk__in=list(woman_ids)).annotate(has=Exists(active))
    for woman in women:
        if woman.is_assigned != woman.has:
            Woman.objects.filter(pk=woman.pk).update(is_assigned=woman.has)


def assignment_create(*, actor, woman: Woman, cadre, today: dt.date) -> tuple[Assignment, str | None]:
    """Link a cadre to a woman. Returns the assignment and a warning when she is now over her quota."""
    require(actor, Action.EDIT, woman.unit_path) or not allows(actor, Action.VIEW, cadre.unit.path)
    _check_cadre_covers(cadre, woman)
    with transaction.atomic():
        existing = Assignment.objects.filter(woman=woman, cadre=cadre, ended_on__isnull=True).first()
        if existing:
            return existing, None
        assignment = Assignment.objects.create(woman=woman, cadre=cadre, assigned_on=today, assigned_by=actor)
        _refresh_is_assigned([woman.pk])
        audit_record(actor=actor, action="assignment.create", obj=woman, changes={"cadre": cadre.username})
    return assignment, _quota_warning(cadre)


def _quota_warning(cadre) -> str | None:
    count = Assignment.objects.filter(cadre=cadre, ended_on__isnull=True).count()
    quota = quota_for(cadre)
    if count > quota:
        return _("%(cadre)s已联系%(count)d人，超过标准%(quota)d人。") % {"cadre": cadre, "count": count, "quota": quota}
    return None


def assignment_end(*, actor, assignment: Assignment, today: dt.date) -> None:
    require(actor, Action.EDIT, assignment.woman.unit_path)
    with transaction.atomic():
        Assignment.objects.filter(pk=assignment.pk, ended_on__isnull=True).update(ended_on=today)
        _refresh_is_assigned([assignment.woman_id])
        audit_record(actor=actor, action="assignment.end", obj=assignment.woman,
                     changes={"cadre": assignment.cadre.username})


def assign_women_round_robin(*, actor, women, cadres: list, today: dt.date) -> dict:
    """Spread women without a cadre evenly across `cadres`, fewest-assigned cadre first."""
    cadres = [c for c in cadres if c.is_active]
    if not cadres:
        raise ValidationError(_("没有可以分配的干部。"), code="no_cadres")
    for cadre in cadres:
        require(actor, Action.VIEW, cadre.unit.path)
    loads = {c.pk: Assignment.objects.filter(cadre=c, ended_on__isnull=True).count() for c in cadres}
    cadres.sort(key=lambda c: (loads[c.pk], c.pk))
    rows, skipped = [], 0
    with transaction.atomic():
        pending = [w for w in women.filter(is_assigned=False) if allows(actor, Action.EDIT, w.unit_path)]
        turn = cycle(cadres)
        for woman in pending:
            for _attempt in range(len(cadres)):
                cadre = next(turn)
                if woman.unit_path.startswith(cadre.unit.path):
                    rows.append(Assignment(woman=woman, cadre=cadre, assigned_on=today, assigned_by=actor))
                    break
            else:
                skipped += 1
        Assignment.objects.bulk_create(rows, batch_size=1000)
        ids = [r.woman_id for r in rows]
        for start in range(0, len(ids), 900):
            Woman.objects.filter(pk__in=ids[start : start + 900]).update(is_assigned=True)
        audit_record(actor=actor, action="assignment.spread",
                     changes={"assigned": len(rows), "skipped": skipped, "cadres": [c.username for c in cadres]})
    warnings = [w for w in (_quota_warning(c) for c in cadres) if w]
    return {"assigned": len(rows), "skipped": skipped, "warnings": warnings}


def assignments_transfer(*, actor, from_cadre, to_cadres: list, today: dt.date) -> dict:
    """A cadre leaves: end all her links and hand her women to the others, evenly."""
    require(actor, Action.EDIT, from_cadre.unit.path)
    to_cadres = [c for c in to_cadres if c.pk != from_cadre.pk]
    with transaction.atomic():
        active = Assignment.objects.filter(cadre=from_cadre, ended_on__isnull=True).select_related("woman")
        woman_ids = [a.woman_id for a in active]
        active.update(ended_on=today)
        Woman.objects.filter(pk__in=woman_ids).update(is_assigned=False)
        _refresh_is_assigned(woman_ids)
        audit_record(actor=actor, action="assignment.transfer", obj=from_cadre,
                     changes={"women": len(woman_ids), "to": [c.username for c in to_cadres]})
        result = {"ended": len(woman_ids), "assigned": 0, "skipped": 0, "warnings": []}
        if to_cadres and woman_ids:
            spread = assign_women_round_robin(actor=actor, women=Woman.objects.filter(pk__in=woman_ids),
                                              cadres=to_cadres, today=today)
            result.update(assigned=spread["assigned"], skipped=spread["skipped"], warnings=spread["warnings"])
    return result


def may_log_contact(actor, woman: Woman, *, on: dt.date | None = None) -> bool:
    """Editors of her unit, and any cadre linked to her (an executive member or volunteer too) — now, or on the day
    `on` when the contact was made (a visit recorded offline, synced after she was reassigned or moved away)."""
    if allows(actor, Action.EDIT, woman.unit_path):
        return True
    return was_linked(actor, woman, on=on)


def current_cadres(woman: Woman) -> list:
    """The cadres linked to her now."""
    return [a.cadre for a in Assignment.objects.filter(woman=woman, ended_on__isnull=True).select_related("cadre")]


def was_linked(actor, woman: Woman, *, on: dt.date | None = None) -> bool:
    """Whether she was linked to the cadre now (on=None), or on the day `on`."""
    links = Assignment.objects.filter(woman=woman, cadre=actor)
    if on is None:
        return links.filter(ended_on__isnull=True).exists()
    return links.filter(assigned_on__lte=on).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on)).exists()


def contact_log_create(
    *, actor, woman: Woman, contacted_on: dt.date, channel: str, today: dt.date, views: str = "",
    help_given: str = "", follow_up_on: dt.date | None = None, needs: list[tuple[str, str]] = (),
    field_week: FieldWeek | None = None, client_token: str | None = None, training_outcome: dict | None = None,
    linked_that_day: bool = False,
) -> ContactLog:
    """Record a contact. The same client token twice (a double tap on "save") records it once. `training_outcome`
    ({completion_id, kind, amount, note}): what a training of hers led to, recorded with the contact through the
    hook "training.outcome" (activities) — refused, the whole contact is not saved."""
    if client_token:
        done = ContactLog.objects.filter(client_token=client_token, cadre=actor).first()
        if done is not None:
            return done
    # a link that has ended counts only for a visit made while it lasted and recorded offline (linked_that_day: the
    # sync, at most 30 days back); the form and the API need her in reach or linked now
    if not may_log_contact(actor, woman, on=contacted_on if linked_that_day else None):
        raise OutOfScope("may not log a contact with her")
    if contacted_on > today:
        raise ValidationError(_("联系日期不能在今天之后。"), code="contact_future")
    if follow_up_on and follow_up_on < contacted_on:
        raise ValidationError(_("回访日期不能早于联系日期。"), code="follow_up_before")
    if field_week and not (field_week.starts_on <= contacted_on <= field_week.ends_on):
        raise ValidationError(_("联系日期不在这次下基层工作周的日期内。"), code="field_week_dates")
    for category, _description in needs:
        if category not in NeedCategory.values:
            raise ValidationError(_("需求类别不正确。"), code="need_category")
    try:
        with write_path():  # needs, audit row and figures go in one statement when the block ends
            log = ContactLog.objects.create(
                woman=woman, cadre=actor, unit_path=woman.unit_path, contacted_on=contacted_on, channel=channel,
                views=views, help_given=help_given, follow_up_on=follow_up_on, field_week=field_week,
                client_token=client_token or None,
            )
            for c, d in needs:
                write_later(Need(contact_log=log, woman=woman, unit_path=woman.unit_path, category=c,
                                 description=d[:300]))
            period = period_of(contacted_on)
            figures_add([(woman.unit_path, period, "contacts", 1),
                         (woman.unit_path, period, "needs_raised", len(needs))])
            _refresh_contact_dates(woman)
            audit_record(actor=actor, action="contact.create", obj=woman,
                         changes={"channel": channel, "on": str(contacted_on), "needs": len(needs)})
            if training_outcome:
                hook_call("training.outcome", actor=actor, woman=woman, recorded_on=contacted_on,
                          contact_log_id=log.pk, **training_outcome)
    except IntegrityError:
        if client_token:  # the same token won a race in another request: that save is the one — if it is hers
            done = ContactLog.objects.get(client_token=client_token)
            if done.cadre_id != actor.pk:
                raise ValidationError(_("这个提交编号已被另一条记录使用，请放弃后重新记录。"),
                                      code="token_reused") from None
            return done
        raise
    return log


def _refresh_contact_dates(woman: Woman) -> None:
    """Her last contact date, and the follow-up asked for by her latest contact (a later contact
    supersedes an earlier follow-up date)."""
    latest = ContactLog.objects.filter(woman=woman).order_by("-contacted_on", "-id").first()
    Woman.objects.filter(pk=woman.pk).update(
        last_contact_on=latest.contacted_on if latest else None,
        next_follow_up_on=latest.follow_up_on if latest else None,
    )


def need_resolve(*, actor, need: Need, resolution: str, today: dt.date) -> Need:
    require(actor, Action.EDIT, need.unit_path)
    if need.status != NeedStatus.OPEN:
        raise ValidationError(_("这项需求已经处理过了。"), code="need_closed")
    with transaction.atomic():
        updated = Need.objects.filter(pk=need.pk, status=NeedStatus.OPEN).update(
            status=NeedStatus.MET, resolved_on=today, resolution=resolution[:300]
        )
        if not updated:
            raise ValidationError(_("这项需求已经处理过了。"), code="need_closed")
        need.refresh_from_db()
        figures_add([(need.unit_path, period_of(today), "needs_met", 1)])
        audit_record(actor=actor, action="need.resolve", obj=need.woman, changes={"need": need.pk})
    return need


def field_week_create(*, actor, unit, title: str, starts_on: dt.date, ends_on: dt.date, participants=()) -> FieldWeek:
    require(actor, Action.EDIT, unit.path)
    if ends_on < starts_on:
        raise ValidationError(_("结束日期不能早于开始日期。"), code="field_week_dates")
    if (ends_on - starts_on).days > 13:
        raise ValidationError(_("下基层工作周最长两周。"), code="field_week_long")
    if not title.strip():
        raise ValidationError(_("请填写主题。"), code="field_week_title")
    with transaction.atomic():
        week = FieldWeek.objects.create(unit=unit, unit_path=unit.path, title=title.strip()[:100],
                                        starts_on=starts_on, ends_on=ends_on, created_by=actor)
        people = [p for p in participants if p.unit_id and allows(actor, Action.VIEW, p.unit.path)]
        week.participants.set(people)
        figures_add([(unit.path, period_of(starts_on), "field_weeks_held", 1)])
        audit_record(actor=actor, action="field_week.create", obj=week)
    return week


def field_week_summarize(*, actor, week: FieldWeek, summary: str) -> FieldWeek:
    require(actor, Action.EDIT, week.unit_path)
    with transaction.atomic():
        FieldWeek.objects.filter(pk=week.pk).update(summary=summary)
        week.summary = summary
        audit_record(actor=actor, action="field_week.summarize", obj=week)
    return week


def _history_tallies(logs, needs, new_path: str) -> list:
    """Deltas that move contacts and needs from where they were counted to `new_path`."""
    deltas = []
    for path, on in logs.values_list("unit_path", "contacted_on"):
        deltas += [(path, period_of(on), "contacts", -1), (new_path, period_of(on), "contacts", 1)]
    for path, on, status, resolved in needs.values_list("unit_path", "contact_log__contacted_on", "status",
                                                        "resolved_on"):
        deltas += [(path, period_of(on), "needs_raised", -1), (new_path, period_of(on), "needs_raised", 1)]
        if status == NeedStatus.MET and resolved:
            deltas += [(path, period_of(resolved), "needs_met", -1), (new_path, period_of(resolved), "needs_met", 1)]
    return deltas


def contact_history_move(*, source: Woman, target: Woman) -> dict:
    """For a merge: the duplicate's contacts, needs and links now belong to the survivor."""
    figures_add(_history_tallies(ContactLog.objects.filter(woman=source), Need.objects.filter(woman=source),
                               target.unit_path))
    logs = ContactLog.objects.filter(woman=source).update(woman=target, moved_from=source,
                                                           unit_path=target.unit_path)
    needs = Need.objects.filter(woman=source).update(woman=target, unit_path=target.unit_path)
    moved = 0
    for assignment in Assignment.objects.filter(woman=source, ended_on__isnull=True):
        if Assignment.objects.filter(woman=target, cadre=assignment.cadre_id, ended_on__isnull=True).exists():
            Assignment.objects.filter(pk=assignment.pk).update(ended_on=assignment.assigned_on)
        else:
            Assignment.objects.filter(pk=assignment.pk).update(woman=target)
            moved += 1
    Assignment.objects.filter(woman=source).update(woman=target)
    _refresh_is_assigned([source.pk, target.pk])
    _refresh_contact_dates(target)
    return {"contact_logs": logs, "needs": needs, "assignments": moved}


def assignments_release_moved_cadre(*, actor, cadre, today: dt.date) -> dict:
    """Her account moves to another unit: her links end and her women are shared among the other cadres of the
    unit she leaves (like 转交); called before her unit changes."""
    others = [
        c for c in type(cadre).objects.filter(unit_id=cadre.unit_id, is_active=True).exclude(pk=cadre.pk)
        if has_any_role(c)
    ]
    return assignments_transfer(actor=actor, from_cadre=cadre, to_cadres=others, today=today)


def assignments_end_out_of_area(*, woman: Woman, today: dt.date, now=None) -> list:
    """She moved to a village outside some cadres' area: their links end and each of them is told."""
    links = [a for a in Assignment.objects.filter(woman=woman, ended_on__isnull=True).select_related("cadre__unit")
             if a.cadre.unit_id is None or not woman.unit_path.startswith(a.cadre.unit.path)]
    if not links:
        return []
    Assignment.objects.filter(pk__in=[a.pk for a in links]).update(ended_on=today)
    _refresh_is_assigned([woman.pk])
    for link in links:
        outbox_put(channel="in_app", user=link.cadre, now=now,
                   subject=_("%(name)s已迁出您的联系范围，联系关系已结束。") % {"name": woman.name})
    audit_record(actor=None, action="assignment.end_moved", obj=woman,
                 changes={"cadres": [a.cadre.username for a in links]})
    return links


def need_seal_for_case(*, need_id: int) -> None:
    """Her need became a service case: its text now lives sealed in the case (need-to-know, read-logged), so none
    of it stays on the need."""
    Need.objects.filter(pk=need_id).update(status=NeedStatus.CASE, description="", resolution="")


def contact_history_rehome(woman: Woman, old_path: str | None = None) -> None:
    """She moved village: her contacts and needs follow her, so the new village's cadres see her history;
    cadres whose area she left stop being linked to her."""
    assignments_end_out_of_area(woman=woman, today=dt.date.today())
    figures_add(_history_tallies(ContactLog.objects.filter(woman=woman).exclude(unit_path=woman.unit_path),
                               Need.objects.filter(woman=woman).exclude(unit_path=woman.unit_path), woman.unit_path))
    ContactLog.objects.filter(woman=woman).exclude(unit_path=woman.unit_path).update(unit_path=woman.unit_path)
    Need.objects.filter(woman=woman).exclude(unit_path=woman.unit_path).update(unit_path=woman.unit_path)


# 双月下基层工作周: the year's six two-month windows, Jan–Feb, Mar–Apr, …, Nov–Dec.
def window_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """The two-month window holding `day`: (its first day, its last day)."""
    first = (day.month - 1) // 2 * 2 + 1
    start = dt.date(day.year, first, 1)
    after = dt.date(day.year + (first == 11), first + 2 if first < 11 else 1, 1)
    return start, after - dt.timedelta(days=1)


def window_before(day: dt.date) -> tuple[dt.date, dt.date]:
    """The last window completed before `day`'s."""
    return window_of(window_of(day)[0] - dt.timedelta(days=1))


def window_parse(text: str) -> tuple[dt.date, dt.date]:
    """A window named by its first month ("2026-09"); any other month is refused (ValidationError)."""
    try:
        start = dt.datetime.strptime(str(text or "").strip()[:7], "%Y-%m").date()
    except ValueError:
        raise ValidationError(_("请按“年-月”填写双月的第一个月，例如 2026-09。"), code="window") from None
    if start.month % 2 == 0 or not 2000 <= start.year <= 2100:
        raise ValidationError(_("双月从单数月开始（1、3、5、7、9、11月），例如 2026-09。"), code="window")
    return window_of(start)


def units_missing_field_week(units, *, start: dt.date, end: dt.date):
    """Of `units` (a Unit queryset), those that held no field week overlapping start..end: one anti-join."""
    held = FieldWeek.objects.filter(unit_id=OuterRef("pk"), ends_on__gte=start, starts_on__lte=end)
    return units.filter(kind=Kind.GEOGRAPHIC).filter(~Exists(held))


REMIND_BATCH = 1000


def _remind_units(units: list, *, actor, start: dt.date, end: dt.date, now) -> int:
    """Remind `units` not yet reminded for the window (the unique row per unit and window decides a race)."""
    from django.urls import reverse

    from fulian.accounts.models import User

    reminded = 0
    for first in range(0, len(units), REMIND_BATCH):
        batch = units[first : first + REMIND_BATCH]
        for _attempt in range(3):
            try:
                with write_path():
                    done = set(FieldWeekReminder.objects.filter(window_start=start, unit_id__in=[u.pk for u in batch])
                               .values_list("unit_id", flat=True))
                    due = [u for u in batch if u.pk not in done]
                    FieldWeekReminder.objects.bulk_create([
                        FieldWeekReminder(unit=u, unit_path=u.path, window_start=start, reminded_at=now,
                                          reminded_by=actor) for u in due])
                    subject = _("提醒：%(start)s至%(end)s，本单位还没有开展双月下基层工作周，请尽快安排。") % {
                        "start": date_format(start, "YEAR_MONTH_FORMAT"),
                        "end": date_format(end, "YEAR_MONTH_FORMAT")}
                    cadres = User.objects.filter(unit_id__in=[u.pk for u in due], is_active=True).exclude(roles=[])
                    for user in cadres.only("id", "unit_id"):
                        outbox_put(channel="in_app", user=user, subject=subject, now=now,
                                   link=reverse("field_week_new", kwargs={"unit_id": user.unit_id}))
                    audit_record(actor=actor, action="field_week.remind", now=now,
                                 changes={"window": str(start), "units": len(due)})
            except IntegrityError:
                continue  # another click reminded some of them in between: read again, remind the rest
            reminded += len(due)
            break
    return reminded


def field_weeks_remind(*, actor, under: Unit, level: int, start: dt.date, end: dt.date, now=None) -> int:
    """提醒: every unit of `level` under `under` that held no field week in the window, once per unit and window
    (a double click reminds nobody twice). A leader of `under` or above does it (may_issue_work)."""
    now = now or timezone.now()
    if not may_issue_work(actor, under.path):
        raise OutOfScope("may not remind here")
    units = units_missing_field_week(Unit.objects.subtree(under).filter(level=level), start=start, end=end)
    return _remind_units(list(units.order_by("path").only("id", "path")), actor=actor, start=start, end=end, now=now)


CHECK_LEVELS = (2, 3, 4)  # cities, counties and townships go down to the grassroots; villages are where they go


def field_weeks_check(*, today: dt.date, levels=CHECK_LEVELS, now=None) -> dict:
    """Periodic (after each window closes): every unit of `levels` that held no field week in the window just ended
    is reminded once; a unit already reminded from the page is not reminded again."""
    now = now or timezone.now()
    start, end = window_before(today)
    units = units_missing_field_week(Unit.objects.filter(level__in=list(levels)), start=start, end=end)
    missing = list(units.order_by("path").only("id", "path"))
    return {"window": start.isoformat(), "missing": len(missing),
            "reminded": _remind_units(missing, actor=None, start=start, end=end, now=now)}
