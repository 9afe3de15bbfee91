"""公示 for cadres: its state, starting it (leaders of the awarding unit), the objections (private to the awarding
unit and the units above it) and their findings. The same access functions and services as the pages
(awards.notice)."""

from django.utils import timezone
from ninja import Router

from fulian.awards import notice
from fulian.awards.models import CampaignStatus

from .schemas import ErrorOut
from .schemas_awards_notice import AwardFindingIn, AwardNoticeOut, AwardNoticeStartIn, AwardObjectionOut

router = Router(tags=["awards"])


def _notice(user, campaign) -> dict:
    is_open = campaign.status == CampaignStatus.OPEN
    return {"campaign_id": campaign.pk, "status": campaign.status, "version": campaign.version,
            "notice_days": campaign.notice_days, "notice_from": campaign.notice_from,
            "notice_until": campaign.notice_until, "notice_open": notice.is_in_notice(campaign, now=timezone.now()),
            "may_start": is_open and notice.may_start_notice(user, campaign) and not notice.notice_refusal(campaign),
            "refusal": notice.notice_refusal(campaign) if is_open else "",
            "open_objections": notice.objections_for(user, campaign).filter(outcome="").count()}


def _objection(user, o) -> dict:
    return {"id": o.pk, "campaign_id": o.campaign_id, "nomination_id": o.nomination_id,
            "family_name": o.nomination.family_name, "text": o.text, "anonymous": o.anonymous, "name": o.name,
            "contact": o.contact, "lodged_at": o.lodged_at, "outcome": o.outcome, "finding": o.finding,
            "found_by": (o.found_by.full_name or o.found_by.username) if o.found_by_id else "",
            "found_at": o.found_at, "may_find": notice.may_find(user, o)}


@router.get("/awards/campaigns/{award_campaign_id}/notice", response={200: AwardNoticeOut, 404: ErrorOut})
def award_notice_get(request, award_campaign_id: int):
    """公示 of a campaign: the period (working days), whether the caller may start it, open objections. Cadres of the
    awarding unit and above; 404 for others."""
    return _notice(request.auth, notice.access_notice_campaign_by_id(request.auth, award_campaign_id))


@router.post("/awards/campaigns/{award_campaign_id}/notice",
             response={200: AwardNoticeOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def award_notice_start(request, award_campaign_id: int, payload: AwardNoticeStartIn):
    """开始公示 (chairs and vice-chairs of the awarding unit): from today (or the next working day) for the campaign's
    working days. 400 while the awarding unit still has nominations to decide or has shortlisted none; 409 when
    started already or `version` is stale. The vote ends."""
    campaign = notice.access_notice_campaign_by_id(request.auth, award_campaign_id)
    started = notice.notice_start(actor=request.auth, campaign=campaign, version=payload.version)
    return _notice(request.auth, started)


@router.get("/awards/campaigns/{award_campaign_id}/objections", response={200: list[AwardObjectionOut],
                                                                          404: ErrorOut})
def award_objections_list(request, award_campaign_id: int):
    """公示异议 of a campaign, open first (at most 500)."""
    campaign = notice.access_notice_campaign_by_id(request.auth, award_campaign_id)
    return [_objection(request.auth, o) for o in notice.objections_for(request.auth, campaign)[:500]]


@router.get("/awards/objections/{award_objection_id}", response={200: AwardObjectionOut, 404: ErrorOut})
def award_objection_get(request, award_objection_id: int):
    return _objection(request.auth, notice.access_objection_by_id(request.auth, award_objection_id))


@router.post("/awards/objections/{award_objection_id}/finding",
             response={200: AwardObjectionOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def award_objection_finding(request, award_objection_id: int, payload: AwardFindingIn):
    """核查结论 (a cadre who may act for the awarding unit): upheld declines the family (its public reason says only
    that it was not awarded after 公示 check); dismissed leaves it to be awarded. 409 when recorded already."""
    objection = notice.access_objection_by_id(request.auth, award_objection_id)
    found = notice.objection_find(actor=request.auth, objection=objection, outcome=payload.outcome,
                                  finding=payload.finding)
    return _objection(request.auth, found)
