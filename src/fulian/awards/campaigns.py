"""Award campaigns (评选活动) sent down the tree on the dispatch mechanism (kind "award"): a chair or vice-chair of
the awarding unit launches one to every unit of a level below (each recommends its families up, within its
quota); a receiving unit may run its own round under it (`campaign_launch(parent=…)`), whose families it awards at
its own level. Its leaders may change its wording and dates while no unit has decided anything
(`campaign_update`) and cancel it (`campaign_cancel`); a receiving unit marks its part done once nothing waits for
its decision (`campaign_part_done`). A campaign is not a task: dispatch counts only TASK_KINDS in 完成上级任务/逾期."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Count, F
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.core.access import access_by_id
from fulian.core.audit import audit_record
from fulian.core.errors import Conflict
from fulian.core.policy import Action, OutOfScope, may_act_for_unit, may_issue_work, scope_q
from fulian.core.tree import ancestor_paths
from fulian.core.writes import write_path
from fulian.dispatch.models import Dispatch, DispatchStatus, Recipient, RecipientState
from fulian.dispatch.services import dispatch_chase, dispatch_close, dispatch_send, recipient_complete
from fulian.orgs.models import Level, Unit

from .models import AwardCampaign, AwardKind, CampaignStatus, Decision, DecisionKind, Nomination, NominationState

KIND = "award"
MIN_NOTICE_DAYS = 5  # 公示 lasts at least five working days
MAX_NOTICE_DAYS = 30
MAX_TEXT = 20000
MAX_CRITERIA = 12
MAX_TIERS = 6
MAX_QUOTA = 100_000
CRITERION_MAX_POINTS = 100

# what reviewers score when the campaign names nothing else (each out of its `max`; the total out of 100)
DEFAULT_CRITERIA = {
    AwardKind.MOST_BEAUTIFUL: [("family_virtue", "家风家教", 30), ("harmony", "和睦相处", 25),
                               ("contribution", "奉献社会", 25), ("story", "事迹感人", 20)],
    AwardKind.FIVE_GOOD: [("patriotism", "爱国守法", 20), ("learning", "学习进取", 20), ("equality", "男女平等", 20),
                          ("frugality", "勤俭节约", 20), ("neighbourhood", "邻里互助", 20)],
    AwardKind.COURTYARD: [("clean", "院内整洁", 30), ("green", "绿化美化", 25), ("order", "物品有序", 25),
                          ("civility", "文明风尚", 20)],
    AwardKind.OWN: [("merit", "事迹", 60), ("influence", "影响", 40)],
}


def deadline_of(day: dt.date) -> dt.datetime:
    """A deadline given as a day means the end of that day (local time)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59)))


def criteria_clean(criteria) -> list[dict]:
    """[{"key", "label", "max"}] with unique keys and 1–100 points each; refused with a message otherwise."""
    if not isinstance(criteria, list) or not 1 <= len(criteria) <= MAX_CRITERIA:
        raise ValidationError(_("评分项须有1到%(n)d项。") % {"n": MAX_CRITERIA}, code="award_criteria")
    out, keys = [], set()
    for i, item in enumerate(criteria, start=1):
        if not isinstance(item, dict):
            raise ValidationError(_("评分项格式不正确。"), code="award_criteria")
        label = str(item.get("label") or "").strip()[:30]
        key = str(item.get("key") or f"c{i}").strip()[:20]
        try:
            points = int(item.get("max"))
        except (TypeError, ValueError):
            points = 0
        if not label or not 1 <= points <= CRITERION_MAX_POINTS or key in keys:
            raise ValidationError(_("评分项“%(label)s”须有名称，满分在1到%(max)d之间，且不能重复。")
                                  % {"label": label or i, "max": CRITERION_MAX_POINTS}, code="award_criteria")
        keys.add(key)
        out.append({"key": key, "label": label, "max": points})
    return out


def tiers_clean(tiers) -> list[dict]:
    """[{"name", "quota"}]: named honours, each with a quota ≥ 1 (e.g. 十佳 10, 百优 100); [] for one honour."""
    if not tiers:
        return []
    if not isinstance(tiers, list) or len(tiers) > MAX_TIERS:
        raise ValidationError(_("奖项档次最多%(n)d个。") % {"n": MAX_TIERS}, code="award_tiers")
    out, names = [], set()
    for item in tiers:
        name = str((item or {}).get("name") or "").strip()[:30] if isinstance(item, dict) else ""
        try:
            quota = int(item.get("quota"))
        except (TypeError, ValueError, AttributeError):
            quota = 0
        if not name or name in names or not 1 <= quota <= MAX_QUOTA:
            raise ValidationError(_("每个奖项档次须有不重复的名称和1到%(max)d之间的名额。") % {"max": MAX_QUOTA},
                                  code="award_tiers")
        names.add(name)
        out.append({"name": name, "quota": quota})
    return out


def quotas_clean(quotas, *, unit: Unit) -> dict[str, int]:
    """{"<level>": n}: each unit of that level (below the awarding unit) recommends at most n to its parent."""
    if not quotas:
        return {}
    if not isinstance(quotas, dict):
        raise ValidationError(_("推荐名额格式不正确。"), code="award_quotas")
    out = {}
    for level, n in quotas.items():
        try:
            level, n = int(level), int(n)
        except (TypeError, ValueError):
            raise ValidationError(_("推荐名额格式不正确。"), code="award_quotas") from None
        if not unit.level < level <= Level.VILLAGE or not 1 <= n <= MAX_QUOTA:
            raise ValidationError(_("推荐名额只能给本单位以下各级设置，且每级在1到%(max)d之间。") % {"max": MAX_QUOTA},
                                  code="award_quotas")
        out[str(level)] = n
    return out


def _dates_check(nominate_until, review_until, vote_from, vote_until, *, today: dt.date | None) -> None:
    """The stage dates in order; `today`: nominations may not close before it (None: an unchanged past date)."""
    if not isinstance(nominate_until, dt.date) or not isinstance(review_until, dt.date):
        raise ValidationError(_("请填写推荐截止和评审截止日期。"), code="award_dates")
    if today is not None and nominate_until < today:
        raise ValidationError(_("推荐截止日期不能早于今天。"), code="award_dates")
    if review_until < nominate_until:
        raise ValidationError(_("评审截止不能早于推荐截止。"), code="award_dates")
    if (vote_from is None) != (vote_until is None):
        raise ValidationError(_("网络投票须同时填写开始和结束日期。"), code="award_vote")
    if vote_from is not None and vote_until < vote_from:
        raise ValidationError(_("网络投票结束不能早于开始。"), code="award_vote")


def _description_clean(description) -> str:
    description = (description or "").strip()
    if len(description) > MAX_TEXT:
        raise ValidationError(_("评选标准和要求太长。"), code="award_text")
    return description


def campaign_launch(*, actor, unit: Unit, kind: str, name: str, year: int, nominate_until: dt.date,
                    review_until: dt.date, level: int | None = None, units: list[Unit] | None = None,
                    description: str = "", criteria=None, tiers=None, award_quota: int | None = None, quotas=None,
                    portal_open: bool = True, vote_from: dt.date | None = None, vote_until: dt.date | None = None,
                    notice_days: int = MIN_NOTICE_DAYS, parent: AwardCampaign | None = None,
                    client_token: str | None = None, now=None) -> AwardCampaign:
    """发起评选: sent to every unit of `level` below `unit` (or the picked `units`); they recommend families until
    `nominate_until`, each level reviewing its children's by `review_until`. `parent`: the round above, when a
    receiving unit runs its own round under it. The same `client_token` again (a double tap) returns the first."""
    now = now or timezone.now()
    if not may_issue_work(actor, unit.path):
        raise OutOfScope("may not launch award campaigns here")
    client_token = (client_token or "").strip()[:40] or None
    if client_token:
        earlier = _launched_with(actor, client_token)
        if earlier is not None:
            return earlier
    if kind not in AwardKind.values:
        raise ValidationError(_("评选类别不正确。"), code="award_kind")
    name = (name or "").strip()[:100]
    if not name:
        raise ValidationError(_("请填写评选名称。"), code="award_name")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationError(_("年度须在2000到2100之间。"), code="award_year")
    _dates_check(nominate_until, review_until, vote_from, vote_until, today=timezone.localdate(now))
    if not isinstance(notice_days, int) or not MIN_NOTICE_DAYS <= notice_days <= MAX_NOTICE_DAYS:
        raise ValidationError(_("公示期须在%(low)d到%(high)d个工作日之间。")
                              % {"low": MIN_NOTICE_DAYS, "high": MAX_NOTICE_DAYS}, code="award_notice")
    if award_quota is not None and (not isinstance(award_quota, int) or not 1 <= award_quota <= MAX_QUOTA):
        raise ValidationError(_("表彰名额须在1到%(max)d之间。") % {"max": MAX_QUOTA}, code="award_quota")
    description = _description_clean(description)
    if parent is not None:
        if not unit.path.startswith(parent.unit_path) or unit.path == parent.unit_path:
            raise ValidationError(_("本级评选只能由上级评选下发到的单位发起。"), code="award_parent")
        if parent.status == CampaignStatus.CANCELLED:
            raise ValidationError(_("上级评选已撤销。"), code="award_parent")
    criteria = criteria_clean(criteria if criteria else [
        {"key": k, "label": label, "max": m} for k, label, m in DEFAULT_CRITERIA[kind]])
    tiers = tiers_clean(tiers)
    quotas = quotas_clean(quotas, unit=unit)
    try:
        campaign = _launch(actor=actor, unit=unit, kind=kind, name=name, year=year, level=level, units=units,
                           description=description, criteria=criteria, tiers=tiers, award_quota=award_quota,
                           quotas=quotas, nominate_until=nominate_until, review_until=review_until,
                           portal_open=portal_open, vote_from=vote_from, vote_until=vote_until,
                           notice_days=notice_days, parent=parent, client_token=client_token, now=now)
    except IntegrityError:  # her double tap, committed first: its campaign stands
        earlier = _launched_with(actor, client_token) if client_token else None
        if earlier is None:
            raise
        return earlier
    return AwardCampaign.objects.select_related("unit", "dispatch").get(pk=campaign.pk)


def _launch(*, actor, unit, kind, name, year, level, units, description, criteria, tiers, award_quota, quotas,
            nominate_until, review_until, portal_open, vote_from, vote_until, notice_days, parent, client_token,
            now) -> AwardCampaign:
    with write_path():
        dispatch = dispatch_send(actor=actor, kind=KIND, unit=unit, title=name, deadline=deadline_of(review_until),
                                 level=level, units=units, now=now)
        campaign = AwardCampaign.objects.create(
            dispatch=dispatch, parent=parent, unit=unit, unit_path=unit.path, kind=kind, name=name, year=year,
            description=description, criteria=criteria, tiers=tiers, award_quota=award_quota, quotas=quotas,
            nominate_until=nominate_until, review_until=review_until, portal_open=bool(portal_open),
            vote_from=vote_from, vote_until=vote_until, notice_days=notice_days, created_at=now, created_by=actor,
            client_token=client_token)
        audit_record(actor=actor, action="award.launch", obj=campaign,
                     changes={"recipients": dispatch.recipient_count, "kind": kind, "quotas": quotas}, now=now)
    return campaign


def quota_for(campaign: AwardCampaign, level: int) -> int | None:
    """How many a unit of `level` may recommend to its parent in this campaign (None: no limit)."""
    return campaign.quotas.get(str(level))


def tier_quota(campaign: AwardCampaign, tier: str) -> int | None:
    """The awarding unit's quota of `tier` ("" for a campaign with no tiers: `award_quota`); None: no limit."""
    if not campaign.tiers:
        return campaign.award_quota
    for item in campaign.tiers:
        if item["name"] == tier:
            return item["quota"]
    raise ValidationError(_("奖项档次不正确。"), code="award_tier")


def _launched_with(actor, client_token: str) -> AwardCampaign | None:
    """The campaign she launched with this token, if any (another's token is not hers to see)."""
    return (AwardCampaign.objects.select_related("unit", "dispatch")
            .filter(client_token=client_token, created_by_id=actor.pk).first())


def _check_version(campaign: AwardCampaign, version: int | None) -> None:
    if version is not None and campaign.version != version:
        raise Conflict(_("这项评选刚被别人修改过，请刷新后再试。"), code="award_conflict")


def _locked(campaign: AwardCampaign) -> AwardCampaign:
    return AwardCampaign.objects.select_for_update(of=("self",)).select_related("unit", "dispatch").get(
        pk=campaign.pk)


def has_decisions(campaign: AwardCampaign) -> bool:
    """Has any unit decided anything about its nominations (merging duplicates is no decision)?"""
    return Decision.objects.filter(campaign=campaign).exclude(kind=DecisionKind.MERGE).exists()


def campaign_update(*, actor, campaign: AwardCampaign, name: str, description: str, nominate_until: dt.date,
                    review_until: dt.date, vote_from: dt.date | None = None, vote_until: dt.date | None = None,
                    version: int | None = None, now=None) -> AwardCampaign:
    """修改评选: its wording and stage dates, by a leader of its unit, while no unit has decided anything (after
    that the rules it was judged by stay as they were). A stale `version` is a Conflict. The dispatch's title and
    deadline (and every receiving unit's) follow."""
    now = now or timezone.now()
    if not may_issue_work(actor, campaign.unit_path):
        raise OutOfScope("may not change this campaign")
    name = (name or "").strip()[:100]
    if not name:
        raise ValidationError(_("请填写评选名称。"), code="award_name")
    description = _description_clean(description)
    with write_path():
        locked = _locked(campaign)
        _check_version(locked, version)
        if locked.status != CampaignStatus.OPEN:
            raise ValidationError(_("只有推荐评审中的评选可以修改。"), code="award_status")
        if has_decisions(locked):
            raise ValidationError(_("已有单位作出评审决定，评选内容和日期不能再修改。"), code="award_decided")
        today = timezone.localdate(now)
        _dates_check(nominate_until, review_until, vote_from, vote_until,
                     today=None if nominate_until == locked.nominate_until else today)
        values = {"name": name, "description": description, "nominate_until": nominate_until,
                  "review_until": review_until, "vote_from": vote_from, "vote_until": vote_until}
        changes = {k: str(v) for k, v in values.items() if getattr(locked, k) != v}
        if changes:
            AwardCampaign.objects.filter(pk=locked.pk).update(**values, version=F("version") + 1)
            deadline = deadline_of(review_until)
            # the dispatch app has no rescheduling service: its rows follow the campaign here, in the same
            # transaction, so the chase and the receiving units' pages keep the campaign's own deadline
            Dispatch.objects.filter(pk=locked.dispatch_id).update(title=name, deadline=deadline,
                                                                  version=F("version") + 1)
            if deadline != locked.dispatch.deadline:
                Recipient.objects.filter(dispatch_id=locked.dispatch_id).exclude(
                    state=RecipientState.DONE).update(deadline=deadline)
            audit_record(actor=actor, action="award.update", obj=locked, changes=changes, now=now)
    return AwardCampaign.objects.select_related("unit", "dispatch").get(pk=campaign.pk)


def campaign_cancel(*, actor, campaign: AwardCampaign, reason: str, version: int | None = None,
                    now=None) -> AwardCampaign:
    """撤销评选: a leader of its unit stops it (nothing more is nominated, reviewed or awarded in it); its dispatch is
    closed. Awarded campaigns stay. Rounds that lower units run under it are theirs and go on."""
    now = now or timezone.now()
    if not may_issue_work(actor, campaign.unit_path):
        raise OutOfScope("may not cancel this campaign")
    reason = (reason or "").strip()[:200]
    if not reason:
        raise ValidationError(_("请填写撤销原因。"), code="award_reason")
    with write_path():
        locked = _locked(campaign)
        _check_version(locked, version)
        if locked.status == CampaignStatus.CANCELLED:
            raise Conflict(_("这项评选已经撤销。"), code="award_cancelled")
        if locked.status == CampaignStatus.AWARDED:
            raise ValidationError(_("已表彰的评选不能撤销。"), code="award_status")
        AwardCampaign.objects.filter(pk=locked.pk).update(status=CampaignStatus.CANCELLED, version=F("version") + 1)
        if locked.dispatch.status == DispatchStatus.OPEN:
            dispatch_close(actor=actor, dispatch=locked.dispatch, now=now)
        audit_record(actor=actor, action="award.cancel", obj=locked, changes={"reason": reason}, now=now)
    return AwardCampaign.objects.select_related("unit", "dispatch").get(pk=campaign.pk)


def waiting_at(campaign: AwardCampaign, unit: Unit) -> int:
    """Nominations waiting for `unit`'s decision (held ones wait for someone else, and show as declined)."""
    return Nomination.objects.filter(campaign=campaign, at_path=unit.path, state=NominationState.PENDING).count()


def campaign_part_done(*, actor, recipient: Recipient, version: int | None = None, now=None) -> Recipient:
    """完成: the receiving unit's part is done — refused while a nomination still waits for its decision."""
    now = now or timezone.now()
    if recipient.dispatch.kind != KIND:
        raise Http404("not an award campaign")

    def check(locked: Recipient) -> None:
        campaign = AwardCampaign.objects.get(dispatch_id=locked.dispatch_id)
        waiting = waiting_at(campaign, locked.unit)
        if waiting:
            raise ValidationError(_("本单位还有%(n)d个推荐等待评审，全部作出决定后才能完成。") % {"n": waiting},
                                  code="award_waiting")

    return recipient_complete(actor=actor, recipient=recipient, version=version, now=now, before_done=check)


def part_link() -> str:
    """The address of a receiving unit's part with "{recipient}" where its id goes (it opens the campaign)."""
    return reverse("award_campaign_part", args=[0]).replace("/0/", "/{recipient}/")


def campaigns_chase(*, now=None) -> dict:
    """Periodic: every receiving unit past the review deadline and not done is reminded once a day, linking to its
    part (dispatch_chase; a campaign is no task, so tasks_overdue does not move)."""
    return dispatch_chase(kind=KIND, now=now, link=part_link())


# reads


def _rows():
    return AwardCampaign.objects.select_related("unit", "dispatch", "parent")


def campaigns_launched(user):
    """Campaigns launched by units in her scope (rounds of lower units among them), newest first."""
    return _rows().filter(scope_q(user, field="unit_path")).order_by("-year", "-created_at", "-pk")


def campaigns_received(user):
    """Campaigns sent to her unit or to a unit above it (what her unit's families are nominated in), newest first."""
    unit = getattr(user, "unit", None)
    if unit is None:
        return AwardCampaign.objects.none()
    paths = ancestor_paths(unit.path)
    dispatches = Recipient.objects.filter(unit_path__in=paths, dispatch__kind=KIND).values("dispatch_id")
    return _rows().filter(dispatch_id__in=dispatches).order_by("-year", "-created_at", "-pk")


def parts_to_do(user) -> list[Recipient]:
    """Her unit's copies of open campaigns not yet marked done, soonest deadline first."""
    unit_id = getattr(user, "unit_id", None)
    if unit_id is None:
        return []
    return list(Recipient.objects.filter(unit_id=unit_id, dispatch__kind=KIND, dispatch__status=DispatchStatus.OPEN)
                .exclude(state=RecipientState.DONE).select_related("dispatch", "dispatch__unit",
                                                                  "dispatch__award_campaign")
                .order_by("deadline", "pk")[:20])


def access_part_by_id(user, recipient_id, *, need: str = Action.VIEW) -> Recipient:
    """A receiving unit's copy of an award campaign, if that unit is in her scope (else 404)."""
    return access_by_id(user, Recipient, recipient_id, need=need,
                        queryset=Recipient.objects.filter(dispatch__kind=KIND).select_related("dispatch", "unit"))


def recipient_of(campaign: AwardCampaign, unit: Unit | None) -> Recipient | None:
    """Her unit's copy of the campaign (what it marks done), if her unit received it."""
    if unit is None:
        return None
    return (Recipient.objects.filter(dispatch_id=campaign.dispatch_id, unit_path=unit.path)
            .select_related("dispatch", "unit").first())


def recipients_of(rows: list[AwardCampaign], unit: Unit | None) -> dict[int, Recipient]:
    """{dispatch id: her unit's copy} of these campaigns, in one query."""
    if unit is None or not rows:
        return {}
    return {r.dispatch_id: r for r in Recipient.objects.filter(dispatch_id__in=[c.dispatch_id for c in rows],
                                                               unit_path=unit.path)}


def waiting_counts(rows: list[AwardCampaign], unit: Unit | None) -> dict[int, int]:
    """{campaign id: nominations waiting for `unit`'s decision} of these campaigns, in one query."""
    if unit is None or not rows:
        return {}
    return dict(Nomination.objects.filter(campaign_id__in=[c.pk for c in rows], at_path=unit.path,
                                          state=NominationState.PENDING)
                .values_list("campaign_id").annotate(n=Count("id")).order_by())


def rounds_of(user, campaign: AwardCampaign):
    """The rounds lower units run under the campaign that she may see."""
    return campaign.rounds.filter(scope_q(user, field="unit_path")).select_related("unit", "dispatch").order_by(
        "unit__code", "pk")


def may_launch_round(user, campaign: AwardCampaign) -> bool:
    """May she run her own unit's round under it: a leader of a unit below its awarding unit, while it is open."""
    unit = getattr(user, "unit", None)
    return (unit is not None and campaign.status == CampaignStatus.OPEN and unit.level < Level.VILLAGE
            and unit.path.startswith(campaign.unit_path) and unit.path != campaign.unit_path
            and may_issue_work(user, unit.path))


def campaign_link(campaign_id: int) -> str:
    return reverse("award_campaign", args=[campaign_id])


def may_mark_done(user, recipient: Recipient | None) -> bool:
    return (recipient is not None and recipient.dispatch.is_open and not recipient.is_done
            and may_act_for_unit(user, recipient.unit_path))
