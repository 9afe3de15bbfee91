"""Award campaigns (评选活动) sent down the tree on the dispatch mechanism (kind "award"): a chair or vice-chair of
the awarding unit launches one to every unit of a level below (each recommends its families up, within its
quota); a receiving unit may run its own round under it (`campaign_round_launch`), whose families it awards at
its own level. A campaign is not a task: dispatch counts only TASK_KINDS in 完成上级任务/逾期."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.core.audit import audit_record
from fulian.core.policy import OutOfScope, may_issue_work
from fulian.core.writes import write_path
from fulian.dispatch.services import dispatch_send
from fulian.orgs.models import Level, Unit

from .models import AwardCampaign, AwardKind, CampaignStatus

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


def campaign_launch(*, actor, unit: Unit, kind: str, name: str, year: int, nominate_until: dt.date,
                    review_until: dt.date, level: int | None = None, units: list[Unit] | None = None,
                    description: str = "", criteria=None, tiers=None, award_quota: int | None = None, quotas=None,
                    portal_open: bool = True, vote_from: dt.date | None = None, vote_until: dt.date | None = None,
                    notice_days: int = MIN_NOTICE_DAYS, parent: AwardCampaign | None = None,
                    now=None) -> AwardCampaign:
    """发起评选: sent to every unit of `level` below `unit` (or the picked `units`); they recommend families until
    `nominate_until`, each level reviewing its children's by `review_until`. `parent`: the round above, when a
    receiving unit runs its own round under it."""
    now = now or timezone.now()
    if not may_issue_work(actor, unit.path):
        raise OutOfScope("may not launch award campaigns here")
    if kind not in AwardKind.values:
        raise ValidationError(_("评选类别不正确。"), code="award_kind")
    name = (name or "").strip()[:100]
    if not name:
        raise ValidationError(_("请填写评选名称。"), code="award_name")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationError(_("年度须在2000到2100之间。"), code="award_year")
    if not isinstance(nominate_until, dt.date) or not isinstance(review_until, dt.date):
        raise ValidationError(_("请填写推荐截止和评审截止日期。"), code="award_dates")
    if nominate_until < timezone.localdate(now):
        raise ValidationError(_("推荐截止日期不能早于今天。"), code="award_dates")
    if review_until < nominate_until:
        raise ValidationError(_("评审截止不能早于推荐截止。"), code="award_dates")
    if (vote_from is None) != (vote_until is None):
        raise ValidationError(_("网络投票须同时填写开始和结束日期。"), code="award_vote")
    if vote_from is not None and vote_until < vote_from:
        raise ValidationError(_("网络投票结束不能早于开始。"), code="award_vote")
    if not isinstance(notice_days, int) or not MIN_NOTICE_DAYS <= notice_days <= MAX_NOTICE_DAYS:
        raise ValidationError(_("公示期须在%(low)d到%(high)d个工作日之间。")
                              % {"low": MIN_NOTICE_DAYS, "high": MAX_NOTICE_DAYS}, code="award_notice")
    if award_quota is not None and (not isinstance(award_quota, int) or not 1 <= award_quota <= MAX_QUOTA):
        raise ValidationError(_("表彰名额须在1到%(max)d之间。") % {"max": MAX_QUOTA}, code="award_quota")
    description = (description or "").strip()
    if len(description) > MAX_TEXT:
        raise ValidationError(_("评选标准和要求太长。"), code="award_text")
    if parent is not None:
        if not unit.path.startswith(parent.unit_path) or unit.path == parent.unit_path:
            raise ValidationError(_("本级评选只能由上级评选下发到的单位发起。"), code="award_parent")
        if parent.status == CampaignStatus.CANCELLED:
            raise ValidationError(_("上级评选已撤销。"), code="award_parent")
    criteria = criteria_clean(criteria if criteria else [
        {"key": k, "label": label, "max": m} for k, label, m in DEFAULT_CRITERIA[kind]])
    tiers = tiers_clean(tiers)
    quotas = quotas_clean(quotas, unit=unit)
    with write_path():
        dispatch = dispatch_send(actor=actor, kind=KIND, unit=unit, title=name, deadline=deadline_of(review_until),
                                 level=level, units=units, now=now)
        campaign = AwardCampaign.objects.create(
            dispatch=dispatch, parent=parent, unit=unit, unit_path=unit.path, kind=kind, name=name, year=year,
            description=description, criteria=criteria, tiers=tiers, award_quota=award_quota, quotas=quotas,
            nominate_until=nominate_until, review_until=review_until, portal_open=bool(portal_open),
            vote_from=vote_from, vote_until=vote_until, notice_days=notice_days, created_at=now, created_by=actor)
        audit_record(actor=actor, action="award.launch", obj=campaign,
                     changes={"recipients": dispatch.recipient_count, "kind": kind, "quotas": quotas}, now=now)
    return AwardCampaign.objects.select_related("unit", "dispatch").get(pk=campaign.pk)


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
