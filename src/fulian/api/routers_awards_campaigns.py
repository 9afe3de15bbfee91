"""Family-award campaigns (家庭评选): the list, launching one (or a lower unit's own round under one), its settings,
changing its wording and dates, cancelling it, its standing per child unit and a receiving unit's part — the same
services and reads as the pages (awards.campaigns, awards.standing)."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status

from fulian.awards import campaigns, standing
from fulian.awards.models import AwardCampaign
from fulian.awards.selectors import access_campaign_by_id
from fulian.core.policy import Action
from fulian.orgs.models import Unit
from fulian.orgs.selectors import access_unit_by_id, unit_home_for

from .schemas import ErrorOut
from .schemas_awards_campaigns import (
    AwardCampaignCancelIn,
    AwardCampaignDoneIn,
    AwardCampaignIn,
    AwardCampaignOut,
    AwardCampaignUpdateIn,
    AwardStandingOut,
)

router = Router(tags=["awards"])


def _campaign(request, campaign: AwardCampaign, *, mine=None, waiting=None) -> dict:
    if mine is None:
        mine = campaigns.recipient_of(campaign, getattr(request.auth, "unit", None))
        waiting = campaigns.waiting_at(campaign, mine.unit) if mine else None
    return {"id": campaign.pk, "unit_id": campaign.unit_id, "unit_name": campaign.unit.name,
            "parent_id": campaign.parent_id, "kind": campaign.kind, "name": campaign.name, "year": campaign.year,
            "description": campaign.description, "criteria": campaign.criteria, "tiers": campaign.tiers,
            "award_quota": campaign.award_quota, "quotas": campaign.quotas,
            "nominate_until": campaign.nominate_until, "review_until": campaign.review_until,
            "vote_from": campaign.vote_from, "vote_until": campaign.vote_until,
            "notice_days": campaign.notice_days, "notice_from": campaign.notice_from,
            "notice_until": campaign.notice_until, "portal_open": campaign.portal_open, "status": campaign.status,
            "stage": standing.stage_of(campaign, timezone.localdate()),
            "recipient_count": campaign.dispatch.recipient_count, "version": campaign.version,
            "my_recipient_id": mine.pk if mine else None, "my_state": mine.state if mine else None,
            "my_waiting": waiting if mine else None}


LIST_ROWS = 200


@router.get("/awards/campaigns", response={200: list[AwardCampaignOut], 400: ErrorOut})
def award_campaigns_list(request, side: str = "received"):
    """`side`: received (sent to your unit or a unit above it) or launched (by units in your scope), newest first;
    at most 200."""
    if side not in ("received", "launched"):
        raise ValidationError(_("side 只能是 received 或 launched。"))
    rows = list((campaigns.campaigns_launched(request.auth) if side == "launched" else
                 campaigns.campaigns_received(request.auth))[:LIST_ROWS])
    unit = getattr(request.auth, "unit", None)
    copies = campaigns.recipients_of(rows, unit)
    waiting = campaigns.waiting_counts(rows, unit)
    return [_campaign(request, c, mine=copies.get(c.dispatch_id, False), waiting=waiting.get(c.pk, 0))
            for c in rows]


def _launching_unit(request, unit_id) -> Unit:
    if unit_id:
        return access_unit_by_id(request.auth, unit_id, need=Action.EDIT)
    unit = unit_home_for(request.auth)
    if unit is None:
        raise Http404("unit")
    return unit


@router.post("/awards/campaigns", response={201: AwardCampaignOut, 400: ErrorOut, 404: ErrorOut})
def award_campaign_create(request, payload: AwardCampaignIn):
    """发起评选 (a chair or vice-chair of the unit): every unit of `level` below it (or the `unit_ids`) receives it.
    With `parent_id` her unit runs its own round under a campaign it received."""
    unit = _launching_unit(request, payload.unit_id)
    parent = access_campaign_by_id(request.auth, payload.parent_id) if payload.parent_id else None
    units = None
    if payload.unit_ids:
        units = list(Unit.objects.filter(pk__in=payload.unit_ids))
        if len(units) != len(set(payload.unit_ids)):
            raise ValidationError(_("只能下发给本单位以下的单位。"))
    campaign = campaigns.campaign_launch(
        actor=request.auth, unit=unit, kind=payload.kind, name=payload.name, year=payload.year,
        description=payload.description, criteria=[c.dict() for c in payload.criteria],
        tiers=[t.dict() for t in payload.tiers], award_quota=payload.award_quota, quotas=payload.quotas,
        nominate_until=payload.nominate_until, review_until=payload.review_until, vote_from=payload.vote_from,
        vote_until=payload.vote_until, notice_days=payload.notice_days, portal_open=payload.portal_open,
        level=None if units else payload.level, units=units, parent=parent, client_token=payload.client_token)
    return Status(201, _campaign(request, campaign))


@router.get("/awards/campaigns/{award_campaign_id}", response={200: AwardCampaignOut, 404: ErrorOut})
def award_campaign_get(request, award_campaign_id: int):
    return _campaign(request, access_campaign_by_id(request.auth, award_campaign_id))


@router.put("/awards/campaigns/{award_campaign_id}", response={200: AwardCampaignOut, 400: ErrorOut, 404: ErrorOut,
                                                               409: ErrorOut})
def award_campaign_update(request, award_campaign_id: int, payload: AwardCampaignUpdateIn):
    """Its wording and dates (a leader of its unit), only while no unit has decided anything."""
    campaign = access_campaign_by_id(request.auth, award_campaign_id)
    campaign = campaigns.campaign_update(
        actor=request.auth, campaign=campaign, name=payload.name, description=payload.description,
        nominate_until=payload.nominate_until, review_until=payload.review_until, vote_from=payload.vote_from,
        vote_until=payload.vote_until, version=payload.version)
    return _campaign(request, campaign)


@router.post("/awards/campaigns/{award_campaign_id}/cancel", response={200: AwardCampaignOut, 400: ErrorOut,
                                                                       404: ErrorOut, 409: ErrorOut})
def award_campaign_cancel(request, award_campaign_id: int, payload: AwardCampaignCancelIn):
    """撤销 (a leader of its unit): nothing more is nominated, reviewed or awarded in it; twice is 409."""
    campaign = access_campaign_by_id(request.auth, award_campaign_id)
    campaign = campaigns.campaign_cancel(actor=request.auth, campaign=campaign, reason=payload.reason,
                                         version=payload.version)
    return _campaign(request, campaign)


@router.post("/awards/campaigns/{award_campaign_id}/done", response={200: AwardCampaignOut, 400: ErrorOut,
                                                                     404: ErrorOut, 409: ErrorOut})
def award_campaign_done(request, award_campaign_id: int, payload: AwardCampaignDoneIn):
    """Your unit's part is done: refused (400) while a nomination waits for its decision; twice is 409."""
    campaign = access_campaign_by_id(request.auth, award_campaign_id)
    mine = campaigns.recipient_of(campaign, getattr(request.auth, "unit", None))
    if mine is None:
        raise Http404("your unit did not receive it")
    campaigns.campaign_part_done(actor=request.auth, recipient=mine, version=payload.version)
    return _campaign(request, campaign)


def _row(unit, row: dict, *, objections: bool) -> dict:
    return {"unit_id": unit.pk, "unit_name": unit.name, **{k: row[k] for k in standing.COUNTS if k != "objections"},
            "objections": row["objections"] if objections else None, "recommended": row.get("recommended"),
            "quota": row.get("quota"), "total_units": row.get("total_units", 0),
            "done_units": row.get("done_units", 0)}


@router.get("/awards/campaigns/{award_campaign_id}/standing", response={200: AwardStandingOut, 404: ErrorOut})
def award_campaign_standing(request, award_campaign_id: int, unit_id: int | None = None):
    """Per child unit of `unit_id` (default: the awarding unit if you see it, else yours): nominations by channel,
    waiting, recommended beyond it, kept, declined, shortlisted, awarded, its recommendations against its quota,
    receiving units done; open objections only for the awarding unit and above."""
    campaign = access_campaign_by_id(request.auth, award_campaign_id)
    at = standing.standing_unit(request.auth, campaign, unit_id) if unit_id else \
        standing.standing_start(request.auth, campaign)
    if at is None:
        raise Http404("no standing for you")
    seen = standing.sees_objections(request.auth, campaign)
    result = standing.campaign_standing(campaign, at=at, objections=seen)
    mine = result["mine"] or {}
    return {"unit_id": at.pk, "unit_name": at.name, "own": _row(at, result["own"], objections=seen),
            "rows": [_row(r["unit"], r, objections=seen) for r in result["rows"]],
            "totals": _row(at, result["totals"], objections=seen), "recommended": mine.get("recommended"),
            "quota": mine.get("quota"), "tiers": result["tiers"]}
