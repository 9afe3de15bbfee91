"""表彰: the awarding unit's leaders award its shortlisted families once 公示 is over and no objection is open.

An award gives the family a numbered core Certificate (checked by anyone at /verify/<code>/) in the name of the
campaign's unit, counts award_awarded at the family's village and leaves a Decision AWARD in the nomination's
history. The rules of 公示 (the period, open objections) are notice.award_blockers' alone: nothing is awarded
while it names a reason. When no shortlisted family is left the campaign is marked 已表彰.
"""

from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.core.audit import audit_record
from fulian.core.certificates import certificate_issue
from fulian.core.errors import Conflict
from fulian.core.figures import figures_add
from fulian.core.policy import OutOfScope, may_issue_work
from fulian.core.writes import write_path
from fulian.orgs.models import Level

from . import notice
from .figures import award_delta
from .models import (
    AwardCampaign,
    AwardKind,
    CampaignStatus,
    Decision,
    DecisionKind,
    Nomination,
    NominationState,
    Photo,
)
from .nominations import public_family_name, public_members
from .relay import relays_by_nomination
from .selectors import nominations_in_scope

CERTIFICATE_KIND = "family_award"


def may_award(user, campaign: AwardCampaign) -> bool:
    """Leaders of the campaign's unit (or above) award; staff prepare."""
    return may_issue_work(user, campaign.unit_path)


def certificate_title(campaign: AwardCampaign, tier: str = "") -> str:
    """"2026年度石家庄市最美家庭（十佳）": the year, the awarding unit, the honour and its tier."""
    honour = campaign.name if campaign.kind == AwardKind.OWN else AwardKind(campaign.kind).label
    title = _("%(year)d年度%(unit)s%(honour)s") % {"year": campaign.year, "unit": campaign.unit.name,
                                                  "honour": honour}
    return f"{title}（{tier}）" if tier else str(title)


def subject_key(nomination: Nomination) -> str:
    return f"nomination:{nomination.pk}"


def awaiting_award(campaign: AwardCampaign):
    """Shortlisted families at the awarding unit: what is left to award (or to decline after an objection)."""
    return campaign.nominations.filter(state=NominationState.SHORTLISTED, at_path=campaign.unit_path)


def award_blockers(nomination: Nomination, *, now) -> list[str]:
    """Why this nomination may not be awarded now (empty: it may): not shortlisted at the awarding unit, then
    whatever 公示 says (notice.award_blockers)."""
    campaign = nomination.campaign
    if nomination.state != NominationState.SHORTLISTED or nomination.at_path != campaign.unit_path:
        return [_("只有确定入围的家庭才能表彰。")]
    return list(notice.award_blockers(nomination, now=now))


def _close_if_done(*, actor, campaign: AwardCampaign, now) -> bool:
    """Mark the campaign 已表彰 once nothing is left to award (inside the caller's write path)."""
    if campaign.status != CampaignStatus.NOTICE or awaiting_award(campaign).exists():
        return False
    if not campaign.nominations.filter(state=NominationState.AWARDED).exists():
        return False
    done = AwardCampaign.objects.filter(pk=campaign.pk, status=CampaignStatus.NOTICE).update(
        status=CampaignStatus.AWARDED, awarded_at=now, version=F("version") + 1)
    if done:
        campaign.status, campaign.awarded_at = CampaignStatus.AWARDED, now
        audit_record(actor=actor, action="award.campaign_awarded", obj=campaign,
                     changes={"awarded": campaign.nominations.filter(state=NominationState.AWARDED).count()},
                     now=now)
    return bool(done)


def award(*, actor, nomination: Nomination, version: int | None = None, now=None) -> Nomination:
    """表彰 one shortlisted family: state AWARDED with its tier, a numbered certificate, award_awarded +1 at its
    village. Awarding it again returns it as it is (a double tap); `version` (optional) guards against a change
    made in between (Conflict)."""
    now = now or timezone.now()
    campaign = AwardCampaign.objects.select_related("unit").get(pk=nomination.campaign_id)
    if not may_award(actor, campaign):
        raise OutOfScope("may not award in this campaign")
    with write_path():
        current = (Nomination.objects.select_for_update().select_related("campaign", "campaign__unit")
                   .get(pk=nomination.pk))
        if current.state == NominationState.AWARDED:
            return current
        if version is not None and current.version != version:
            raise Conflict(_("这条推荐已被他人修改，请刷新后再试。"), code="award_version")
        blockers = award_blockers(current, now=now)
        if blockers:
            raise ValidationError(" ".join(str(b) for b in blockers), code="award_blocked")
        certificate = certificate_issue(
            actor=actor, kind=CERTIFICATE_KIND, subject_key=subject_key(current), holder=current.family_name,
            title=certificate_title(campaign, current.tier), unit=campaign.unit, now=now)
        Nomination.objects.filter(pk=current.pk).update(
            state=NominationState.AWARDED, awarded_at=now, certificate=certificate, updated_at=now,
            version=F("version") + 1)
        Decision.objects.create(nomination=current, campaign=campaign, unit=campaign.unit,
                                unit_path=campaign.unit_path, level=campaign.unit.level, kind=DecisionKind.AWARD,
                                tier=current.tier, decided_by=actor, decided_at=now)
        figures_add([award_delta("award_awarded", current.unit_path, now)])
        audit_record(actor=actor, action="award.award", obj=current,
                     changes={"campaign": campaign.pk, "tier": current.tier, "certificate": certificate.number},
                     now=now)
        _close_if_done(actor=actor, campaign=campaign, now=now)
    return Nomination.objects.select_related("campaign", "unit", "at_unit", "family", "certificate").get(pk=current.pk)


def campaign_award_all(*, actor, campaign: AwardCampaign, now=None) -> dict:
    """全部表彰: every shortlisted family with nothing blocking it; the blocked ones stay, each with its reasons.
    {"awarded": [ids], "blocked": [(nomination, [messages])], "campaign_awarded": bool}."""
    now = now or timezone.now()
    campaign = AwardCampaign.objects.select_related("unit").get(pk=campaign.pk)
    if not may_award(actor, campaign):
        raise OutOfScope("may not award in this campaign")
    awarded, blocked = [], []
    for nomination in awaiting_award(campaign).select_related("campaign").order_by("pk"):
        reasons = award_blockers(nomination, now=now)
        if reasons:
            blocked.append((nomination, reasons))
            continue
        try:
            award(actor=actor, nomination=nomination, now=now)
        except ValidationError as exc:  # changed since it was read: reported, the others go on
            blocked.append((nomination, exc.messages))
        else:
            awarded.append(nomination.pk)
    with write_path():
        closed = _close_if_done(actor=actor, campaign=campaign, now=now)
    campaign.refresh_from_db(fields=["status", "awarded_at", "version"])
    return {"awarded": awarded, "blocked": blocked,
            "campaign_awarded": closed or campaign.status == CampaignStatus.AWARDED}


def awarding_rows(user, campaign: AwardCampaign, *, now) -> list[dict]:
    """The awarding page: shortlisted and awarded families of her scope at the awarding unit, by tier, each with
    what blocks its award."""
    rows = (nominations_in_scope(user, campaign)
            .filter(state__in=(NominationState.SHORTLISTED, NominationState.AWARDED), at_path=campaign.unit_path)
            .select_related("campaign", "unit", "certificate").order_by("tier", "family_name", "pk"))
    tiers = [t["name"] for t in campaign.tiers]
    out = []
    for nomination in rows:
        out.append({"nomination": nomination,
                    "blockers": [] if nomination.state == NominationState.AWARDED
                    else award_blockers(nomination, now=now)})
    out.sort(key=lambda r: (tiers.index(r["nomination"].tier) if r["nomination"].tier in tiers else len(tiers),
                            r["nomination"].state != NominationState.AWARDED, r["nomination"].family_name))
    return out


# ---- the showcase (public) ---------------------------------------------------------------------------------------

SHOWN_CAMPAIGNS = 50  # a campaign and the rounds under it on one showcase


def showcase_campaign(campaign_id) -> AwardCampaign:
    """A campaign for the public showcase: any that is not cancelled (404 otherwise, whoever asks)."""
    try:
        campaign = (AwardCampaign.objects.select_related("unit", "parent", "parent__unit")
                    .exclude(status=CampaignStatus.CANCELLED).filter(pk=int(campaign_id)).first())
    except (TypeError, ValueError, OverflowError):
        campaign = None
    if campaign is None:
        raise Http404("campaign not found")
    return campaign


def public_photo_q() -> Q:
    """Photos the public may see: marked public, of a family awarded, or shortlisted while 公示 or the vote runs."""
    today = timezone.localdate()
    shortlisted = Q(nomination__state=NominationState.SHORTLISTED) & (
        Q(nomination__campaign__status=CampaignStatus.NOTICE)
        | Q(nomination__campaign__vote_from__lte=today, nomination__campaign__vote_until__gte=today))
    return Q(public=True) & (Q(nomination__state=NominationState.AWARDED) | shortlisted) & ~Q(
        nomination__campaign__status=CampaignStatus.CANCELLED)


def photo_public(photo_id) -> Photo:
    """A photo for the public pages (see public_photo_q); 404 otherwise, whoever asks."""
    try:
        photo = Photo.objects.filter(public_photo_q(), pk=int(photo_id)).first()
    except (TypeError, ValueError, OverflowError):
        photo = None
    if photo is None:
        raise Http404("photo")
    return photo


def _rounds(campaign: AwardCampaign) -> list[AwardCampaign]:
    """The campaign and the rounds run under it (and under those), top first."""
    found, frontier = [campaign], [campaign.pk]
    while frontier and len(found) < SHOWN_CAMPAIGNS:
        below = list(AwardCampaign.objects.filter(parent_id__in=frontier).exclude(status=CampaignStatus.CANCELLED)
                     .select_related("unit").order_by("unit_path", "pk")[:SHOWN_CAMPAIGNS - len(found)])
        found += below
        frontier = [c.pk for c in below]
    return found


def showcase(campaign: AwardCampaign) -> list[dict]:
    """The awarded families of the campaign and of the rounds under it, one section per awarding unit (top level
    first), grouped by tier: [{"campaign", "level", "tiers": [{"name", "families": [card]}]}]. A card holds only
    what is public: the family's name and village, the story, consenting members' names, public photos, relays."""
    campaigns = _rounds(campaign)
    awarded = list(Nomination.objects.filter(campaign__in=campaigns, state=NominationState.AWARDED)
                   .select_related("unit").order_by("family_name", "pk"))
    photos: dict[int, list[int]] = {}
    for photo_id, nomination_id in (Photo.objects.filter(public=True, nomination__in=awarded)
                                    .order_by("pk").values_list("pk", "nomination_id")):
        photos.setdefault(nomination_id, []).append(photo_id)
    relays = relays_by_nomination(n.pk for n in awarded)
    by_campaign: dict[int, list[Nomination]] = {}
    for nomination in awarded:
        by_campaign.setdefault(nomination.campaign_id, []).append(nomination)
    sections = []
    for c in sorted(campaigns, key=lambda c: (c.unit.level, c.unit_path, c.pk)):
        names = [t["name"] for t in c.tiers]
        tiers: dict[str, list[dict]] = {}
        for nomination in by_campaign.get(c.pk, []):
            tiers.setdefault(nomination.tier if nomination.tier in names else "", []).append({
                "nomination": nomination, "members": public_members(nomination),
                "family_name": public_family_name(nomination),
                "photos": photos.get(nomination.pk, []), "relays": relays.get(nomination.pk, [])})
        if not tiers:
            continue
        ordered = [{"name": name, "families": tiers[name]} for name in [*names, ""] if name in tiers]
        sections.append({"campaign": c, "level": Level(c.unit.level), "tiers": ordered,
                         "count": sum(len(t["families"]) for t in ordered)})
    return sections
