"""A campaign on the app and mini-program (no login): the campaign and its stage, the shortlist with live counts,
a one-time code, a voter pass, the vote, and an objection in 公示. The same services as the portal's pages
(awards.voting, awards.notice); the reads share the public awards pages' budget per address."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from ninja import Router, Status

from fulian.awards import notice, voting
from fulian.awards.models import CampaignStatus
from fulian.core.context import client_ip
from fulian.core.ratelimit import rate_hit

from .schemas import ErrorOut
from .schemas_awards_public import (
    AwardObjectionIn,
    AwardObjectionReceivedOut,
    AwardPublicCampaignOut,
    AwardPublicFamilyOut,
    AwardVoteIn,
    AwardVoteOut,
    AwardVoterCodeIn,
    AwardVoterPassIn,
    AwardVoterPassOut,
)

public_router = Router(tags=["awards"])
PAGE_LIMIT = "award-page"  # the public awards pages' budget per address (views_public, views_showcase)
RATE_CODES = ("otp_rate", "award_vote_rate", "award_objection_rate")
BUSY = {"detail": "too many requests; wait a minute"}


def _busy(request) -> bool:
    return not rate_hit(PAGE_LIMIT, client_ip(request), limit=settings.AWARD_PAGE_VIEWS_PER_MINUTE, seconds=60)


def _refused(exc: ValidationError):
    """A refusal: 429 for a rate limit, 400 with the reason otherwise."""
    return Status(429 if exc.code in RATE_CODES else 400, {"detail": " ".join(exc.messages)})


@public_router.get("/public/awards/{award_campaign_id}", response={200: AwardPublicCampaignOut, 404: ErrorOut,
                                                                   429: ErrorOut}, auth=None)
def public_award_campaign(request, award_campaign_id: int):
    """A campaign (not cancelled) and where it stands: nominations, the vote, 公示, awarded."""
    if _busy(request):
        return Status(429, BUSY)
    campaign = notice.public_campaign_or_404(award_campaign_id)
    now = timezone.now()
    return {"id": campaign.pk, "name": campaign.name, "kind": campaign.kind, "year": campaign.year,
            "unit_name": campaign.unit.federation_name, "description": campaign.description,
            "status": campaign.status, "stage": notice.public_stage(campaign, now=now),
            "portal_open": campaign.portal_open,
            "vote_from": campaign.vote_from, "vote_until": campaign.vote_until,
            "vote_open": voting.vote_is_open(campaign, now=now), "notice_from": campaign.notice_from,
            "notice_until": campaign.notice_until, "notice_open": notice.is_in_notice(campaign, now=now)}


@public_router.get("/public/awards/{award_campaign_id}/shortlist",
                   response={200: list[AwardPublicFamilyOut], 404: ErrorOut, 429: ErrorOut}, auth=None)
def public_award_shortlist(request, award_campaign_id: int):
    """The shortlisted families while the vote runs (with live counts) or in 公示 (without): only what is public —
    consenting members' names, the story, public photos. Empty at other stages."""
    if _busy(request):
        return Status(429, BUSY)
    campaign = notice.public_campaign_or_404(award_campaign_id)
    now = timezone.now()
    if voting.vote_is_open(campaign, now=now):
        cards = voting.public_cards(campaign, counts=voting.vote_counts(campaign))
    elif campaign.status == CampaignStatus.NOTICE:
        cards = voting.public_cards(campaign)
    else:
        cards = []
    for card in cards:
        card["photo_urls"] = [request.build_absolute_uri(reverse("award_photo_public", args=[p]))
                              for p in card.pop("photos")]
    return cards


@public_router.post("/public/awards/{award_campaign_id}/voter-code",
                    response={204: None, 400: ErrorOut, 404: ErrorOut, 429: ErrorOut}, auth=None)
def public_award_voter_code(request, award_campaign_id: int, payload: AwardVoterCodeIn):
    """Send a one-time code to her phone (SMS, through the outbox) to vote with; refused when no vote runs."""
    campaign = notice.public_campaign_or_404(award_campaign_id)
    try:
        voting.voter_code_send(campaign=campaign, phone=payload.phone)
    except ValidationError as exc:
        return _refused(exc)
    return Status(204, None)


@public_router.post("/public/awards/{award_campaign_id}/voter-pass",
                    response={200: AwardVoterPassOut, 400: ErrorOut, 404: ErrorOut, 429: ErrorOut}, auth=None)
def public_award_voter_pass(request, award_campaign_id: int, payload: AwardVoterPassIn):
    """Her phone proved by the code: a voter pass for the campaign today. Each vote then needs only the pass."""
    campaign = notice.public_campaign_or_404(award_campaign_id)
    try:
        issued = voting.voter_pass_issue(campaign=campaign, phone=payload.phone, code=payload.code)
    except ValidationError as exc:
        return _refused(exc)
    return {"voter_pass": issued.token, "expires_at": issued.expires_at}


@public_router.post("/public/awards/{award_campaign_id}/votes",
                    response={200: AwardVoteOut, 400: ErrorOut, 429: ErrorOut}, auth=None)
def public_award_vote(request, award_campaign_id: int, payload: AwardVoteIn):
    """One vote for a shortlisted family with her voter pass: one per phone per campaign per day (a second the
    same day answers counted=false). 400: a forged or expired pass, outside the vote, or a family not shortlisted
    in the campaign. Votes are shown to reviewers and never decide on their own."""
    try:
        result = voting.vote_cast(campaign_id=award_campaign_id, nomination_id=payload.nomination_id,
                                  voter_pass=payload.voter_pass)
    except ValidationError as exc:
        return _refused(exc)
    return {"counted": result.counted, "message": result.message}


@public_router.post("/public/awards/{award_campaign_id}/objections",
                    response={201: AwardObjectionReceivedOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut,
                              429: ErrorOut}, auth=None)
def public_award_objection(request, award_campaign_id: int, payload: AwardObjectionIn):
    """反映意见 about a shortlisted family during 公示 (anonymous allowed; a contact only for follow-up). Seen only
    by the awarding unit and the units above it; the same client_token again gives one objection."""
    campaign = notice.public_campaign_or_404(award_campaign_id)
    try:
        notice.objection_lodge(campaign=campaign, nomination_id=payload.nomination_id, text=payload.text,
                               name=payload.name, contact=payload.contact, anonymous=payload.anonymous,
                               client_token=payload.client_token)
    except ValidationError as exc:
        if exc.code == "award_objection_token":
            raise
        return _refused(exc)
    return Status(201, {"received": True, "message": str(notice.received_message())})
