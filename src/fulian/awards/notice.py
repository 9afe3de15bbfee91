"""公示 (public notice) of a campaign's shortlist, and the objections (异议) lodged during it.

Once the awarding unit has shortlisted its families, a chair or vice-chair of that unit (core.policy
may_issue_work) starts 公示 (`notice_start`): the campaign becomes 公示中 from today (or the next working day) for
`notice_days` working days by the holiday calendar (core.workdays; a system administrator keeps core.models.Holiday).
The public vote ends with it. During the period anyone may lodge an objection about a shortlisted family on the
public page (`objection_lodge`: anonymous allowed, a contact asked for follow-up only; limited per address; a
double submit gives one objection). Objections are private to the campaign's unit and the units above it. A cadre
who may act for that unit records the finding (`objection_find`): 反映属实 declines the family with a neutral public
reason, 不属实 leaves it to be awarded. `award_blockers` is the one rule part awarding asks: nothing is awarded
before the period is over or while an objection of the family has no finding.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Count, F, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.core.access import access_by_id
from fulian.core.audit import audit_record
from fulian.core.context import current_origin
from fulian.core.errors import Conflict
from fulian.core.figures import figures_add
from fulian.core.policy import Action, OutOfScope, allows, may_act_for_unit, may_issue_work, scope_path, scope_q
from fulian.core.ratelimit import rate_hit
from fulian.core.tree import SEGMENT, ancestor_paths
from fulian.core.workdays import workdays_add
from fulian.core.writes import write_first, write_path
from fulian.orgs.models import Unit

from .figures import award_delta
from .models import (
    AwardCampaign,
    CampaignStatus,
    Decision,
    DecisionKind,
    Nomination,
    NominationState,
    Objection,
    ObjectionOutcome,
)
from .voting import vote_is_open

MAX_TEXT = 2000
MAX_FINDING = 2000
METRIC = "award_objections"


class TooManyObjections(ValidationError):
    def __init__(self):
        super().__init__(_("这个网络地址提交的异议太多，请一小时后再试。"), code="award_objection_rate")


def public_reason() -> str:
    """What a family declined after an upheld objection shows in public: no word of the objection."""
    return _("经公示核查，不予表彰。")


# ---- the rule awarding asks -----------------------------------------------------------------------------------

def open_objections(nomination: Nomination) -> int:
    return Objection.objects.filter(nomination_id=nomination.pk, outcome="").count()


def award_blockers(nomination: Nomination, *, now) -> list[str]:
    """Why the family may not be awarded now, as messages for the awarding page; [] when it may. The campaign's
    stage is read afresh (the nomination's cached campaign may be older than the 公示)."""
    status, until = AwardCampaign.objects.filter(pk=nomination.campaign_id).values_list(
        "status", "notice_until").get()
    today = timezone.localdate(now)
    reasons = []
    if nomination.state != NominationState.SHORTLISTED:
        reasons.append(_("这个家庭不在入围名单中，不能表彰。"))
    if status != CampaignStatus.NOTICE or until is None:
        reasons.append(_("评选还没有进入公示，公示期满后才能表彰。"))
    elif today <= until:
        reasons.append(_("公示期尚未结束（%(day)s结束），期满后才能表彰。") % {"day": until.isoformat()})
    n = open_objections(nomination)
    if n:
        reasons.append(_("有异议尚未核查（%(n)d件），记录核查结论后才能表彰。") % {"n": n})
    return reasons


# ---- the period -----------------------------------------------------------------------------------------------

def notice_period(campaign: AwardCampaign, *, start: dt.date) -> tuple[dt.date, dt.date]:
    """(from, until): from the first working day on or after `start`, `notice_days` working days."""
    first = workdays_add(start, 1)
    return first, workdays_add(first, campaign.notice_days)


def is_in_notice(campaign: AwardCampaign, *, now) -> bool:
    today = timezone.localdate(now)
    return (campaign.status == CampaignStatus.NOTICE and campaign.notice_from is not None
            and campaign.notice_until is not None and campaign.notice_from <= today <= campaign.notice_until)


def shortlisted(campaign: AwardCampaign):
    """The families in the shortlist (what 公示 shows), by tier and name."""
    return (campaign.nominations.filter(state=NominationState.SHORTLISTED, at_path=campaign.unit_path)
            .select_related("unit").order_by("tier", "family_name", "pk"))


def notice_refusal(campaign: AwardCampaign) -> str:
    """Why 公示 may not start now ("" when it may)."""
    if campaign.status != CampaignStatus.OPEN:
        return _("只有推荐评审中的评选可以开始公示。")
    waiting = Nomination.objects.filter(campaign=campaign, at_path=campaign.unit_path,
                                        state=NominationState.PENDING).count()
    if waiting:
        return _("本单位还有%(n)d个推荐等待评审，全部作出决定后才能开始公示。") % {"n": waiting}
    if not shortlisted(campaign).exists():
        return _("还没有确定入围的家庭，不能开始公示。")
    return ""


def may_start_notice(user, campaign: AwardCampaign) -> bool:
    return may_issue_work(user, campaign.unit_path)


def notice_start(*, actor, campaign: AwardCampaign, version: int | None = None, now=None) -> AwardCampaign:
    """开始公示: the campaign is 公示中 from today (or the next working day) for its `notice_days` working days.
    Refused while the awarding unit has nominations to decide, or has shortlisted none. The vote ends."""
    now = now or timezone.now()
    if not may_start_notice(actor, campaign):
        raise OutOfScope("may not start the notice of this campaign")
    with write_path():
        locked = AwardCampaign.objects.select_for_update(of=("self",)).select_related("unit").get(pk=campaign.pk)
        if version is not None and locked.version != version:
            raise Conflict(_("这项评选刚被别人修改过，请刷新后再试。"), code="award_conflict")
        if locked.status == CampaignStatus.NOTICE:
            raise Conflict(_("这项评选已经在公示中。"), code="award_notice_started")
        refusal = notice_refusal(locked)
        if refusal:
            raise ValidationError(refusal, code="award_notice_refused")
        first, until = notice_period(locked, start=timezone.localdate(now))
        AwardCampaign.objects.filter(pk=locked.pk).update(status=CampaignStatus.NOTICE, notice_from=first,
                                                          notice_until=until, version=F("version") + 1)
        audit_record(actor=actor, action="award.notice_start", obj=locked,
                     changes={"notice_from": first.isoformat(), "notice_until": until.isoformat(),
                              "families": shortlisted(locked).count()}, now=now)
    return AwardCampaign.objects.select_related("unit", "dispatch").get(pk=campaign.pk)


# ---- objections ------------------------------------------------------------------------------------------------

def nomination_in_notice(campaign: AwardCampaign, nomination_id) -> Nomination | None:
    """A shortlisted family of the campaign by id (None for anything else: the caller answers as for missing)."""
    try:
        pk = int(nomination_id)
    except (TypeError, ValueError, OverflowError):
        return None
    if not 1 <= pk <= 2**53:
        return None
    return shortlisted(campaign).filter(pk=pk).first()


def objection_lodge(*, campaign: AwardCampaign, nomination_id, text: str, name: str = "", contact: str = "",
                    anonymous: bool = False, client_token: str | None = None, now=None) -> Objection:
    """Anyone lodges an objection about a shortlisted family during 公示 (no sign-in). `anonymous`: no name and
    no contact are kept. Limited per address (AWARD_OBJECTIONS_PER_ADDRESS an hour); the same `client_token` again
    (a double submit) gives the first objection back."""
    now = now or timezone.now()
    client_token = (client_token or "").strip()[:40] or None
    if client_token:
        earlier = Objection.objects.filter(client_token=client_token).first()
        if earlier is not None:
            return _same_objection(earlier, campaign)
    if not rate_hit("award-objection-address", current_origin().ip, limit=settings.AWARD_OBJECTIONS_PER_ADDRESS,
                    seconds=3600, now=now.timestamp()):
        raise TooManyObjections()
    if not is_in_notice(campaign, now=now):
        if campaign.status == CampaignStatus.NOTICE and campaign.notice_from and \
                timezone.localdate(now) < campaign.notice_from:
            raise ValidationError(_("公示%(day)s开始，届时才能反映意见。") % {"day": campaign.notice_from.isoformat()},
                                  code="award_notice_not_yet")
        raise ValidationError(_("这项评选不在公示期内，不能再反映意见。"), code="award_notice_closed")
    nomination = nomination_in_notice(campaign, nomination_id)
    if nomination is None:
        raise ValidationError(_("请选择要反映意见的家庭。"), code="award_objection_family")
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("请写下您反映的情况。"), code="award_objection_text")
    if len(text) > MAX_TEXT:
        raise ValidationError(_("反映的情况最多%(n)d字。") % {"n": MAX_TEXT}, code="award_objection_text")
    anonymous = bool(anonymous)
    name = "" if anonymous else (name or "").strip()[:30]
    contact = "" if anonymous else (contact or "").strip()[:40]
    reviewing = reviewing_path(campaign, nomination)
    objection = Objection(nomination=nomination, campaign=campaign, unit_path=reviewing, text=text,
                          anonymous=anonymous or not (name or contact), name=name, contact=contact, lodged_at=now,
                          client_token=client_token)
    try:
        with write_path():
            write_first(objection)
            audit_record(actor=None, action="award.objection_lodge", obj=objection,
                         changes={"nomination": nomination.pk, "anonymous": objection.anonymous}, now=now)
            figures_add([award_delta(METRIC, reviewing, now)])
    except IntegrityError:  # the same submit twice at once: the first stands
        earlier = Objection.objects.filter(client_token=client_token).first() if client_token else None
        if earlier is None:
            raise
        return _same_objection(earlier, campaign)
    return objection


def reviewing_path(campaign: AwardCampaign, nomination: Nomination) -> str:
    """The unit an objection about this family goes to: the one that reviewed it and recommended it to the awarding
    unit (the awarding unit's child on the family's path), which checks it and records the finding; the awarding
    unit and those above see it too. A family of the awarding unit's own level goes to the awarding unit."""
    below = nomination.unit_path[:len(campaign.unit_path) + SEGMENT]
    return below if len(below) > len(campaign.unit_path) and below.startswith(campaign.unit_path) \
        else campaign.unit_path


def _same_objection(earlier: Objection, campaign: AwardCampaign) -> Objection:
    if earlier.campaign_id != campaign.pk:
        raise Conflict(_("这个提交标记已用于另一条意见，请刷新页面后再试。"), code="award_objection_token")
    return earlier


def objection_find(*, actor, objection: Objection, outcome: str, finding: str, now=None) -> Objection:
    """核查结论: a cadre who may act for the campaign's unit records what was found. UPHELD declines the family
    (its public reason says only that it was not awarded after 公示 check); DISMISSED leaves it to be awarded.
    A finding is recorded once."""
    now = now or timezone.now()
    if not may_act_for_unit(actor, objection.unit_path):
        raise OutOfScope("may not record findings here")
    if outcome not in ObjectionOutcome.values:
        raise ValidationError(_("请选择核查结论。"), code="award_objection_outcome")
    finding = (finding or "").strip()
    if not finding:
        raise ValidationError(_("请填写核查情况。"), code="award_objection_finding")
    if len(finding) > MAX_FINDING:
        raise ValidationError(_("核查情况最多%(n)d字。") % {"n": MAX_FINDING}, code="award_objection_finding")
    with write_path():
        row = Objection.objects.select_for_update(of=("self",)).select_related("campaign", "campaign__unit").get(
            pk=objection.pk)
        if row.outcome:
            raise Conflict(_("这条异议已经记录了核查结论。"), code="award_objection_found")
        nomination = Nomination.objects.select_for_update(of=("self",)).get(pk=row.nomination_id)
        row.outcome, row.finding, row.found_by, row.found_at = outcome, finding, actor, now
        row.save(update_fields=["outcome", "finding", "found_by", "found_at"])
        declined = False
        if outcome == ObjectionOutcome.UPHELD and nomination.state == NominationState.SHORTLISTED:
            campaign = row.campaign
            Nomination.objects.filter(pk=nomination.pk).update(
                state=NominationState.DECLINED, reason=public_reason(), updated_at=now, version=F("version") + 1)
            Decision.objects.create(nomination=nomination, campaign=campaign, unit=campaign.unit,
                                    unit_path=campaign.unit_path, level=campaign.unit.level,
                                    kind=DecisionKind.DECLINE, reason=public_reason(), decided_by=actor,
                                    decided_at=now)
            figures_add([award_delta("award_reviewed", campaign.unit_path, now)])
            declined = True
        audit_record(actor=actor, action="award.objection_find", obj=row,
                     changes={"outcome": outcome, "nomination": nomination.pk, "declined": declined}, now=now)
    return Objection.objects.select_related("nomination", "found_by").get(pk=row.pk)


# ---- reads -----------------------------------------------------------------------------------------------------

def objections_for(user, campaign: AwardCampaign):
    """The campaign's objections she may see: those sent to a unit of her subtree (the unit that reviewed the family
    and every unit above it, the awarding unit among them), open first."""
    return (Objection.objects.filter(campaign=campaign).filter(scope_q(user, field="unit_path"))
            .select_related("nomination", "found_by").order_by(F("found_at").asc(nulls_first=True), "-lodged_at"))


def may_see_objections(user, campaign: AwardCampaign) -> bool:
    """At the campaign's unit or above, or at a unit inside the campaign that objections may be sent to."""
    path = scope_path(user)
    return allows(user, Action.VIEW, campaign.unit_path) or (
        path is not None and path.startswith(campaign.unit_path)
        and len(path) == len(campaign.unit_path) + SEGMENT)


def access_objection_by_id(user, objection_id, *, need: str = Action.VIEW) -> Objection:
    """An objection, if it was sent to a unit of her subtree (else 404)."""
    return access_by_id(user, Objection, objection_id, need=need,
                        queryset=Objection.objects.select_related("nomination", "campaign", "campaign__unit",
                                                                  "found_by"))


def objection_counts(campaign: AwardCampaign, user=None) -> dict[int, dict[str, int]]:
    """{nomination_id: {"open": n, "all": n}} of the campaign's objections (with `user`: only those she may see,
    as objections_for), in one grouped query."""
    rows = Objection.objects.filter(campaign=campaign)
    if user is not None:
        rows = rows.filter(scope_q(user, field="unit_path"))
    rows = (rows.values("nomination_id")
            .annotate(all=Count("pk"), open=Count("pk", filter=Q(outcome=""))))
    return {r["nomination_id"]: {"open": r["open"], "all": r["all"]} for r in rows}


def campaign_for_public(campaign_id) -> AwardCampaign | None:
    """A campaign the public may see by id (not cancelled), or None (the page is then a 404)."""
    try:
        pk = int(campaign_id)
    except (TypeError, ValueError, OverflowError):
        return None
    if not 1 <= pk <= 2**53:
        return None
    return (AwardCampaign.objects.select_related("unit").exclude(status=CampaignStatus.CANCELLED)
            .filter(pk=pk).first())


def campaigns_for_public(*, place: str = "", year: int):
    """Campaigns of `year` and the year before that the public may see (not cancelled), newest first; with `place`
    (a 12-digit division code) only those of that unit and the units above it."""
    rows = (AwardCampaign.objects.select_related("unit").exclude(status=CampaignStatus.CANCELLED)
            .filter(year__gte=year - 1).order_by("-year", "-created_at"))
    place = (place or "").strip()
    if place:
        unit = Unit.objects.filter(code=place[:12]).only("path").first() if place.isdigit() else None
        if unit is None:
            return rows.none()
        rows = rows.filter(unit_path__in=ancestor_paths(unit.path))
    return rows


def public_campaign_or_404(campaign_id) -> AwardCampaign:
    campaign = campaign_for_public(campaign_id)
    if campaign is None:
        raise Http404("campaign not found")
    return campaign


def access_notice_campaign_by_id(user, campaign_id) -> AwardCampaign:
    """The campaign, for its 公示 page with the objections: at its unit or above, or at a unit objections may be
    sent to (the awarding unit's children); else 404."""
    try:
        campaign = AwardCampaign.objects.select_related("unit", "dispatch").filter(pk=int(campaign_id)).first()
    except (TypeError, ValueError, OverflowError):
        campaign = None
    if campaign is None or not may_see_objections(user, campaign):
        raise Http404("campaign not found")
    return campaign


def may_find(user, objection: Objection) -> bool:
    return not objection.outcome and may_act_for_unit(user, objection.unit_path)


def public_stage(campaign, *, now) -> str:
    """Where the campaign is, in words for the public."""
    today = timezone.localdate(now)
    if campaign.status == CampaignStatus.NOTICE:
        if is_in_notice(campaign, now=now):
            return _("公示中（%(start)s至%(end)s）") % {"start": campaign.notice_from.isoformat(),
                                                     "end": campaign.notice_until.isoformat()}
        if today < campaign.notice_from:
            return _("将于%(day)s开始公示") % {"day": campaign.notice_from.isoformat()}
        return _("公示期已满，待表彰")
    if campaign.status != CampaignStatus.OPEN:
        return campaign.get_status_display()
    if vote_is_open(campaign, now=now):
        return _("网络投票中（%(end)s截止）") % {"end": campaign.vote_until.isoformat()}
    if today <= campaign.nominate_until:
        return _("推荐中（%(end)s截止）") % {"end": campaign.nominate_until.isoformat()}
    return _("评审中")


def received_message() -> str:
    return _("已收到您反映的情况。我们会认真核查，需要时按您留下的联系方式联系您。")
