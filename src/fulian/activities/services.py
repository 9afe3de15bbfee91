"""Activities' core writes: an activity with its sessions (saved as a draft, published to the calendar, cancelled),
so sign-ups (activities.signups), check-in (activities.checkin) and outcomes (activities.outcomes) have something to
hang on. Who may: a cadre acting for the unit (core.policy.may_act_for_unit); publishing and cancelling likewise."""

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.core.audit import audit_record
from fulian.core.errors import Conflict
from fulian.core.figures import figures_add, period_of
from fulian.core.policy import OutOfScope, may_act_for_unit
from fulian.core.writes import write_path
from fulian.orgs.models import Unit, WomensHome

from .models import Activity, ActivityKind, ActivityStatus, Audience, Session
from .signups import signups_fill, signups_notify_cancel

MAX_SESSIONS = 60
MAX_TEXT = 20000
MAX_PARTNERS = 20


def _may(actor, unit_path: str) -> None:
    if not may_act_for_unit(actor, unit_path):
        raise OutOfScope("may not organise activities here")


def _sessions_clean(sessions) -> list[tuple[dt.datetime, dt.datetime, str]]:
    """[(starts_at, ends_at, title)] in time order; each ends after it starts; at least one, at most MAX_SESSIONS."""
    rows = []
    for row in sessions or ():
        starts_at, ends_at, *rest = row
        if starts_at is None or ends_at is None:
            raise ValidationError(_("请填写每一场的开始和结束时间。"), code="session_time_missing")
        if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
            raise ValidationError(_("时间需要带时区。"), code="session_naive")
        if ends_at <= starts_at:
            raise ValidationError(_("结束时间须晚于开始时间。"), code="session_order")
        if ends_at - starts_at > dt.timedelta(days=7):
            raise ValidationError(_("一场活动不能超过7天；多次培训请分场次填写。"), code="session_too_long")
        rows.append((starts_at, ends_at, (rest[0] if rest else "") or ""))
    if not rows:
        raise ValidationError(_("请至少填写一场的时间。"), code="session_none")
    if len(rows) > MAX_SESSIONS:
        raise ValidationError(_("场次太多（最多%(n)d场）。") % {"n": MAX_SESSIONS}, code="session_many")
    return sorted(rows, key=lambda r: r[0])


def _clean(values: dict, unit: Unit) -> dict:
    title = (values.get("title") or "").strip()
    if not title:
        raise ValidationError(_("请填写活动名称。"), code="activity_title")
    if values.get("kind") not in ActivityKind.values:
        raise ValidationError(_("活动类型不正确。"), code="activity_kind")
    if values.get("audience", Audience.OPEN) not in Audience.values:
        raise ValidationError(_("参加对象不正确。"), code="activity_audience")
    capacity = values.get("capacity")
    if capacity is not None and (not isinstance(capacity, int) or capacity < 1 or capacity > 100000):
        raise ValidationError(_("名额须为1到100000之间的整数，不限名额请留空。"), code="activity_capacity")
    home = values.get("home")
    if home is not None and not isinstance(home, WomensHome):
        raise ValidationError(_("妇女之家不正确。"), code="activity_home")
    if home is None and not (values.get("address") or "").strip():
        raise ValidationError(_("请选择妇女之家或填写活动地点。"), code="activity_place")
    partners = [p.strip()[:100] for p in values.get("partners") or () if p and p.strip()]
    if len(partners) > MAX_PARTNERS:
        raise ValidationError(_("合作单位太多。"), code="activity_partners")
    description = (values.get("description") or "").strip()
    if len(description) > MAX_TEXT:
        raise ValidationError(_("活动介绍太长。"), code="activity_text")
    project, campaign = values.get("project"), values.get("campaign")
    if project is not None and not unit.path.startswith(project.unit_path):
        raise ValidationError(_("只能归入本单位或上级单位的项目。"), code="activity_project")
    if campaign is not None and not unit.path.startswith(campaign.unit_path):
        raise ValidationError(_("只能归入上级下发给本单位的主题活动。"), code="activity_campaign")
    return {
        "title": title[:120], "kind": values["kind"], "description": description, "home": home,
        "address": (values.get("address") or "").strip()[:200] or (home.address if home else ""),
        "capacity": capacity, "audience": values.get("audience") or Audience.OPEN,
        "organiser": (values.get("organiser") or "").strip()[:100], "partners": list(dict.fromkeys(partners)),
        "for_families": bool(values.get("for_families")), "project": project, "campaign": campaign,
    }


def activity_save(*, actor, unit: Unit, values: dict, sessions, activity: Activity | None = None,
                  version: int | None = None, client_token: str | None = None, now=None) -> Activity:
    """Create (activity=None) or edit an activity and replace its sessions. `values`: title, kind, description,
    home (a WomensHome) or address, capacity (None: no limit), audience, organiser, partners (names), for_families,
    project, campaign. A session that already has check-ins is kept (moving it would orphan them). The same client
    token twice creates one activity; a stale `version` on edit is a Conflict."""
    now = now or timezone.now()
    if activity is None and client_token:
        done = Activity.objects.filter(client_token=client_token).first()
        if done is not None:
            return done
    editing = activity is not None
    unit = activity.unit if editing else unit
    _may(actor, unit.path)
    data = _clean(values, unit)
    if data["home"] is not None and not data["home"].unit_path.startswith(unit.path) and not \
            unit.path.startswith(data["home"].unit_path):
        raise ValidationError(_("只能选择本辖区（或上级单位）的妇女之家。"), code="activity_home_scope")
    rows = _sessions_clean(sessions)
    try:
        with write_path():
            if activity is None:
                activity = Activity.objects.create(
                    unit=unit, unit_path=unit.path, starts_at=rows[0][0], ends_at=rows[-1][1], created_at=now,
                    updated_at=now, created_by=actor, client_token=client_token or None, **data)
                audit_record(actor=actor, action="activity.create", obj=activity, now=now)
            else:
                current = Activity.objects.select_for_update().get(pk=activity.pk)
                if version is not None and version != current.version:
                    raise Conflict(_("这个活动已被他人修改，请刷新后再试。"), code="activity_stale")
                if current.status == ActivityStatus.CANCELLED:
                    raise ValidationError(_("已取消的活动不能修改。"), code="activity_cancelled")
                if data["capacity"] is not None and data["capacity"] < current.signups_confirmed:
                    raise ValidationError(_("名额不能少于已报名的%(n)d人。") % {"n": current.signups_confirmed},
                                          code="activity_capacity_below")
                Activity.objects.filter(pk=current.pk).update(
                    starts_at=rows[0][0], ends_at=rows[-1][1], updated_at=now, version=current.version + 1, **data)
                was, becomes = period_of(current.starts_at), period_of(rows[0][0])
                if current.status == ActivityStatus.PUBLISHED and was != becomes:  # held moves with its first session
                    figures_add([(current.unit_path, was, "activities_held", -1),
                                 (current.unit_path, becomes, "activities_held", 1)])
                activity = Activity.objects.get(pk=current.pk)
                audit_record(actor=actor, action="activity.update", obj=activity, now=now)
            _sessions_replace(activity, rows)
    except IntegrityError:
        if client_token:
            done = Activity.objects.filter(client_token=client_token).first()
            if done is not None:
                return done
        raise
    if editing:  # places a larger capacity added go to the waiting, in order
        signups_fill(activity=activity, now=now)
    return activity


def _sessions_replace(activity: Activity, rows) -> None:
    kept = list(activity.sessions.filter(attendances__isnull=False).distinct().order_by("number"))
    activity.sessions.exclude(pk__in=[s.pk for s in kept]).delete()
    number = max([s.number for s in kept], default=0)
    kept_times = {(s.starts_at, s.ends_at) for s in kept}
    for starts_at, ends_at, title in rows:
        if (starts_at, ends_at) in kept_times:
            continue
        number += 1
        Session.objects.create(activity=activity, unit_path=activity.unit_path, number=number, title=title[:120],
                               starts_at=starts_at, ends_at=ends_at, secret=secrets.token_hex(32))


def activity_publish(*, actor, activity: Activity, now=None) -> Activity:
    """On the public calendar (an open activity) or to the women it is for; counted as held in its first month."""
    now = now or timezone.now()
    _may(actor, activity.unit_path)
    with write_path():
        current = Activity.objects.select_for_update().get(pk=activity.pk)
        if current.status != ActivityStatus.DRAFT:
            raise Conflict(_("这个活动已经发布或取消了。"), code="activity_not_draft")
        Activity.objects.filter(pk=current.pk).update(status=ActivityStatus.PUBLISHED, updated_at=now,
                                                      version=current.version + 1)
        figures_add([(current.unit_path, period_of(current.starts_at), "activities_held", 1)])
        audit_record(actor=actor, action="activity.publish", obj=current, now=now)
    return Activity.objects.get(pk=activity.pk)


def activity_cancel(*, actor, activity: Activity, reason: str, now=None) -> Activity:
    """取消 with a reason; everyone signed up is told through the outbox (activities.signups.signups_notify_cancel)."""
    now = now or timezone.now()
    _may(actor, activity.unit_path)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写取消原因。"), code="activity_cancel_reason")
    with write_path():
        current = Activity.objects.select_for_update().get(pk=activity.pk)
        if current.status == ActivityStatus.CANCELLED:
            raise Conflict(_("这个活动已经取消了。"), code="activity_cancelled")
        Activity.objects.filter(pk=current.pk).update(status=ActivityStatus.CANCELLED, updated_at=now,
                                                      version=current.version + 1)
        if current.status == ActivityStatus.PUBLISHED:
            figures_add([(current.unit_path, period_of(current.starts_at), "activities_held", -1)])
        audit_record(actor=actor, action="activity.cancel", obj=current, changes={"reason": reason[:200]}, now=now)
        signups_notify_cancel(activity=current, reason=reason, now=now)
    return Activity.objects.get(pk=activity.pk)

