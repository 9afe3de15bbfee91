"""Theme campaigns (主题活动, e.g. 家风讲坛进万家) sent down the tree on the dispatch mechanism (kind "campaign"), as
tasks are: a chair or vice-chair launches one to every unit of a level below hers; each receiving unit holds its
activities under it and marks its part done once it has held them; the campaign's page rolls up, per child unit of
the unit looked at, the activities held and the people who took part — counted from the activities' records
under each child's path in one grouped query per kind of record, never one query per child.

A campaign is not a task: dispatch counts only TASK_KINDS in 完成上级任务/逾期, so nothing here changes those."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.core.access import access_by_id
from fulian.core.audit import audit_record
from fulian.core.policy import Action, OutOfScope, actions_of, allows, may_issue_work, scope_path, scope_q
from fulian.core.tree import SEGMENT, ancestor_paths, subtree_q
from fulian.core.writes import write_path
from fulian.dispatch.models import DispatchStatus, Recipient, RecipientState, Rollup
from fulian.dispatch.services import (
    dispatch_chase,
    dispatch_close,
    dispatch_remind,
    dispatch_send,
    recipient_complete,
)
from fulian.orgs.models import SourceStatus, Unit
from fulian.orgs.selectors import access_unit_by_id

from .models import Activity, ActivityKind, ActivityStatus, Attendance, Campaign, SignUp, SignUpState

KIND = "campaign"
MAX_TEXT = 20000
MAX_EACH = 1000
PANEL_ROWS = 20


def campaign_link(campaign_id: int) -> str:
    return reverse("activity_campaign", kwargs={"campaign_id": campaign_id})


def deadline_of(day: dt.date) -> dt.datetime:
    """A deadline given as a day means the end of that day (local time)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59)))


def campaign_launch(*, actor, unit: Unit, title: str, body: str = "", kind: str = "", starts_on: dt.date,
                    ends_on: dt.date, deadline: dt.date, level: int | None = None, units: list[Unit] | None = None,
                    activities_each: int = 0, now=None) -> Campaign:
    """发起主题活动: sent to every unit of `level` below `unit` (or the picked `units`); each is asked to hold at
    least `activities_each` activities of `kind` (any kind if blank) between `starts_on` and `ends_on` and to mark
    its part done by `deadline` (a day)."""
    now = now or timezone.now()
    if not may_issue_work(actor, unit.path):
        raise OutOfScope("may not launch campaigns here")
    if kind and kind not in ActivityKind.values:
        raise ValidationError(_("活动类型不正确。"), code="campaign_kind")
    if not isinstance(starts_on, dt.date) or not isinstance(ends_on, dt.date) or not isinstance(deadline, dt.date):
        raise ValidationError(_("请填写开始日期、结束日期和完成期限。"), code="campaign_dates")
    if ends_on < starts_on:
        raise ValidationError(_("结束日期不能早于开始日期。"), code="campaign_period")
    if deadline < starts_on:
        raise ValidationError(_("完成期限不能早于开始日期。"), code="campaign_deadline")
    if not isinstance(activities_each, int) or not 0 <= activities_each <= MAX_EACH:
        raise ValidationError(_("每个单位开展的场次须在0到%(n)d之间。") % {"n": MAX_EACH}, code="campaign_each")
    body = (body or "").strip()
    if len(body) > MAX_TEXT:
        raise ValidationError(_("活动要求太长。"), code="campaign_text")
    with write_path():
        dispatch = dispatch_send(actor=actor, kind=KIND, unit=unit, title=title, deadline=deadline_of(deadline),
                                 level=level, units=units, now=now)
        campaign = Campaign.objects.create(dispatch=dispatch, unit_path=unit.path, body=body, kind=kind or "",
                                           starts_on=starts_on, ends_on=ends_on, activities_each=activities_each)
        audit_record(actor=actor, action="campaign.launch", obj=dispatch,
                     changes={"recipients": dispatch.recipient_count, "each": activities_each}, now=now)
    return Campaign.objects.select_related("dispatch", "dispatch__unit").get(pk=campaign.pk)


def held_under(campaign: Campaign, path: str, *, now=None) -> int:
    """Activities held under the campaign in the subtree at `path`: published, and begun by `now`."""
    now = now or timezone.now()
    return Activity.objects.filter(subtree_q(path, "unit_path"), campaign=campaign, status=ActivityStatus.PUBLISHED,
                                   starts_at__lte=now).count()


def needed(campaign: Campaign) -> int:
    """How many activities a receiving unit holds before its part is done (at least one)."""
    return max(1, campaign.activities_each)


def campaign_part_done(*, actor, recipient: Recipient, version: int | None = None, now=None) -> Recipient:
    """完成: the receiving unit's part is done — refused until it (or units under it) held the activities asked."""
    now = now or timezone.now()
    if recipient.dispatch.kind != KIND:
        raise Http404("not a campaign")

    def check(locked: Recipient) -> None:
        campaign = Campaign.objects.get(pk=locked.dispatch_id)
        held = held_under(campaign, locked.unit_path, now=now)
        if held < needed(campaign):
            raise ValidationError(_("本单位在这个主题活动下已开展%(held)d场，至少需要%(need)d场才能完成。")
                                  % {"held": held, "need": needed(campaign)}, code="campaign_not_held")

    return recipient_complete(actor=actor, recipient=recipient, version=version, now=now, before_done=check)


def campaign_remind(*, actor, campaign: Campaign, now=None) -> int:
    """催办 every receiving unit not done (not one reminded within the hour)."""
    return dispatch_remind(actor=actor, dispatch=campaign.dispatch, link=campaign_link(campaign.pk), now=now)


def part_link() -> str:
    """The address of a receiving unit's part with "{recipient}" where its id goes (it opens the campaign)."""
    return reverse("activity_campaign_part", kwargs={"recipient_id": 0}).replace("/0/", "/{recipient}/")


def campaigns_chase(*, now=None) -> dict:
    """Periodic: every receiving unit past the deadline and not done is reminded once a day, linking to its part
    (dispatch_chase; a campaign is no task, so tasks_overdue does not move)."""
    return dispatch_chase(kind=KIND, now=now, link=part_link())


def campaign_close(*, actor, campaign: Campaign, now=None):
    """关闭: no more parts marked done; activities already held stay counted."""
    return dispatch_close(actor=actor, dispatch=campaign.dispatch, now=now)


# reads


def _rows():
    return Campaign.objects.select_related("dispatch", "dispatch__unit")


def access_campaign_by_id(user, campaign_id) -> Campaign:
    """A campaign launched in her scope, or one that reached her: a unit in her scope received it, or her own unit
    lies under a unit that did (she holds activities under it). Otherwise 404, like one that does not exist."""
    try:
        campaign = _rows().filter(pk=int(campaign_id)).first()
    except (TypeError, ValueError, OverflowError):
        campaign = None
    if campaign is None or Action.VIEW not in actions_of(user):
        raise Http404("campaign not found")
    if allows(user, Action.VIEW, campaign.unit_path):
        return campaign
    path = scope_path(user)
    if path and Recipient.objects.filter(Q(unit_path__in=ancestor_paths(path)) | subtree_q(path, "unit_path"),
                                         dispatch_id=campaign.pk).exists():
        return campaign
    raise Http404("campaign not found")


def campaigns_launched(user):
    """Campaigns launched by units in her scope, newest first."""
    return _rows().filter(scope_q(user, field="unit_path")).order_by("-dispatch__created_at", "-pk")


def campaigns_received(user):
    """Campaigns her unit or a unit above it received (what she holds activities under), newest first."""
    unit = getattr(user, "unit", None)
    if unit is None:
        return Campaign.objects.none()
    above = Unit.objects.filter(path__in=ancestor_paths(unit.path)).values("pk")
    ids = Recipient.objects.filter(unit_id__in=above, dispatch__kind=KIND).values("dispatch_id")
    return _rows().filter(pk__in=ids).order_by("-dispatch__created_at", "-pk")


def campaigns_usable(unit: Unit):
    """Open campaigns an activity of `unit` may go under: launched by its own unit or a unit above it."""
    return _rows().filter(unit_path__in=ancestor_paths(unit.path), dispatch__status=DispatchStatus.OPEN).order_by(
        "-dispatch__created_at", "-pk")


def access_part_by_id(user, recipient_id, *, need: str = Action.VIEW) -> Recipient:
    """A receiving unit's copy of a campaign, if that unit is in her scope."""
    return access_by_id(user, Recipient, recipient_id, need=need,
                        queryset=Recipient.objects.filter(dispatch__kind=KIND).select_related("dispatch"))


def recipient_of(campaign: Campaign, unit: Unit | None) -> Recipient | None:
    """Her unit's copy of the campaign (what it marks done), if her unit received it."""
    if unit is None:
        return None
    return (Recipient.objects.filter(dispatch_id=campaign.pk, unit_path=unit.path).select_related("dispatch", "unit")
            .first())


def campaigns_to_do(user, *, now=None) -> list[dict]:
    """Her unit's open campaigns not done (今日工作, 工作台), soonest deadline first, each with what it held."""
    unit_id = getattr(user, "unit_id", None)
    if unit_id is None:
        return []
    rows = list(Recipient.objects.filter(unit_id=unit_id, dispatch__kind=KIND, dispatch__status=DispatchStatus.OPEN)
                .exclude(state=RecipientState.DONE).select_related("dispatch", "dispatch__unit", "dispatch__campaign")
                .order_by("deadline", "pk")[:PANEL_ROWS])
    if not rows:
        return []
    now = now or timezone.now()
    held = dict(Activity.objects.filter(subtree_q(user.unit.path, "unit_path"), status=ActivityStatus.PUBLISHED,
                                        starts_at__lte=now, campaign_id__in=[r.dispatch_id for r in rows])
                .values_list("campaign_id").annotate(n=Count("id")).order_by())
    return [{"recipient": r, "campaign": r.dispatch.campaign, "held": held.get(r.dispatch_id, 0),
             "needed": needed(r.dispatch.campaign), "late": r.is_late(now)} for r in rows]


def _grouped(rows, length: int, **counts) -> dict[str, dict]:
    """{path prefix of `length`: {name: count}} in one GROUP BY (a row at the unit itself has a shorter prefix)."""
    grouped = rows.annotate(p=Substr("unit_path", 1, length)).values("p").annotate(**counts).order_by()
    return {row["p"]: row for row in grouped}


def campaign_rollup(campaign: Campaign, *, at: Unit, now=None) -> dict:
    """How the campaign stands under `at` (the launching unit or one below it): per child unit of `at`, its
    receiving units done / total and the activities held, sign-ups, check-ins and people (distinct phones) under
    it; `own` is what `at` held itself. Three grouped queries whatever the number of children."""
    now = now or timezone.now()
    length = len(at.path) + SEGMENT
    under = subtree_q(at.path, "unit_path")
    activities = _grouped(Activity.objects.filter(under, campaign=campaign, status=ActivityStatus.PUBLISHED),
                          length, held=Count("id", filter=Q(starts_at__lte=now)), planned=Count("id"))
    signups = _grouped(SignUp.objects.filter(under, activity__campaign=campaign).exclude(state=SignUpState.CANCELLED),
                       length, signups=Count("id"))
    attended = _grouped(Attendance.objects.filter(under, activity__campaign=campaign), length,
                        attendances=Count("id"), people=Count("phone", distinct=True))
    rollups = {r.unit_id: r for r in Rollup.objects.filter(dispatch_id=campaign.pk, unit__parent=at)}
    copies = {r.unit_id: r for r in Recipient.objects.filter(dispatch_id=campaign.pk, parent=None, unit__parent=at)}

    def counts(path: str) -> dict:
        return {"held": activities.get(path, {}).get("held", 0), "planned": activities.get(path, {}).get("planned", 0),
                "signups": signups.get(path, {}).get("signups", 0),
                "attendances": attended.get(path, {}).get("attendances", 0),
                "people": attended.get(path, {}).get("people", 0)}

    rows = []
    children = Unit.objects.filter(parent=at).exclude(source_status=SourceStatus.REMOVED).order_by("code")
    for child in children:
        row = {"unit": child, **counts(child.path), "total": 0, "done": 0, "recipient": None,
               "has_children": child.pk in rollups}
        if child.pk in rollups:
            row["total"], row["done"] = rollups[child.pk].total, rollups[child.pk].done
        elif child.pk in copies:
            copy = copies[child.pk]
            row.update(total=1, done=int(copy.is_done), recipient=copy)
        if row["total"] or row["planned"]:
            rows.append(row)
    own = counts(at.path)
    totals = {key: own[key] + sum(r[key] for r in rows) for key in own}
    totals.update(total=sum(r["total"] for r in rows), done=sum(r["done"] for r in rows))
    return {"at": at, "rows": rows, "own": own, "totals": totals}


def rollup_unit(user, campaign: Campaign, unit_id) -> Unit:
    """The unit whose roll-up she may look at: in her scope and at or under the launching unit; else 404."""
    unit = access_unit_by_id(user, unit_id)
    if not unit.path.startswith(campaign.unit_path):
        raise Http404("not under the campaign")
    return unit


def rollup_start(user, campaign: Campaign) -> Unit | None:
    """Where her roll-up starts: the launching unit if she sees it, else her own unit when it is under it."""
    if allows(user, Action.VIEW, campaign.unit_path):
        return campaign.dispatch.unit
    unit = getattr(user, "unit", None)
    if unit is not None and unit.path.startswith(campaign.unit_path):
        return unit
    return None
