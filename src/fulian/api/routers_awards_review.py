"""Review level by level (评审): the review queue of a unit, scores and their summary, decisions, 撤回, the
shortlist and the Excel of each stage: the same access functions, services and selectors as the pages
(awards.review, awards.exports)."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Router

from fulian.awards import eligibility, exports, review
from fulian.awards.models import NominationState
from fulian.awards.selectors import access_campaign_by_id, access_nomination_by_id
from fulian.core.policy import Action, may_act_for_unit
from fulian.orgs.selectors import access_unit_by_id, unit_home_for

from .openapi import download
from .schemas import ErrorOut
from .schemas_awards_review import (
    AwardDecisionIn,
    AwardReviewedOut,
    AwardReviewQueueOut,
    AwardScoreIn,
    AwardScoreOut,
    AwardScoresOut,
    AwardShortlistOut,
    AwardUndoIn,
)

router = Router(tags=["awards"])


def _num(value):
    return None if value is None else float(value)


def _reviewed(user, n) -> dict:
    shown = eligibility.state_shown(user, n)
    declined = shown in (NominationState.DECLINED, NominationState.HELD)
    return {"id": n.pk, "campaign_id": n.campaign_id, "family_name": n.family_name, "village_id": n.unit_id,
            "village_name": n.unit.name, "state": shown, "state_label": eligibility.state_label(user, n),
            "reason": eligibility.reason_shown(user, n) if declined else "", "at_unit_id": n.at_unit_id,
            "at_unit_name": n.at_unit.name, "level_reached": n.level_reached,
            "tier": n.tier if shown in review.TAKEN else "", "version": n.version}


def _row(user, row: dict, *, undoable: bool = False) -> dict:
    n, summary = row["nomination"], row.get("summary")
    shown = eligibility.state_shown(user, n)
    return {"nomination_id": n.pk, "family_name": n.family_name, "village_name": n.unit.name,
            "channel": n.channel, "title": n.title, "state": shown, "state_label": row["state_label"],
            "tier": n.tier if shown in review.TAKEN else "", "average": _num(row["average"]),
            "reviewers": summary["count"] if summary else 0, "outliers": len(summary["outliers"]) if summary else 0,
            "votes": row["votes"], "version": n.version, "undoable": undoable}


@router.get("/awards/campaigns/{award_campaign_id}/review-queue",
            response={200: AwardReviewQueueOut, 404: ErrorOut})
def award_review_queue(request, award_campaign_id: int, unit_id: int | None = None):
    """What waits at your unit (or at `unit_id`, a unit you may act for in the campaign), with the quota used and
    left (the tiers at the awarding unit), the average scores, outliers and live votes; what it recommended up
    (and may still take back) and what it kept, declined or shortlisted."""
    campaign = access_campaign_by_id(request.auth, award_campaign_id)
    unit = access_unit_by_id(request.auth, unit_id, need=Action.EDIT) if unit_id else unit_home_for(request.auth)
    if unit is None or not may_act_for_unit(request.auth, unit.path) or not unit.path.startswith(campaign.unit_path):
        raise Http404("unit")
    queue = review.queue_for(request.auth, campaign, unit)
    return {"campaign_id": campaign.pk, "unit_id": unit.pk, "unit_name": unit.name, "awarding": queue["awarding"],
            "closed": review.review_closed_message(campaign, request.auth, timezone.now()),
            "quota": queue["quota"], "tiers": queue["tiers"],
            "waiting": [_row(request.auth, r) for r in queue["waiting"]],
            "sent": [_row(request.auth, r, undoable=r["undoable"]) for r in queue["sent"]],
            "decided": [_row(request.auth, r, undoable=review.undoable(r["nomination"]) is not None)
                        for r in queue["decided"]]}


@router.get("/awards/campaigns/{award_campaign_id}/shortlist",
            response={200: AwardShortlistOut, 404: ErrorOut})
def award_shortlist(request, award_campaign_id: int):
    """The awarding unit's shortlist by tier, with each tier's quota used and left (the whole campaign's) and the
    shortlisted families you may see."""
    campaign = access_campaign_by_id(request.auth, award_campaign_id)
    shortlist = review.shortlist_for(request.auth, campaign)
    return {"campaign_id": campaign.pk, "tiers": [
        {"name": t["name"], "quota": t["quota"], "used": t["used"], "left": t["left"],
         "nominations": [_row(request.auth, r) for r in t["rows"]]} for t in shortlist["tiers"]]}


@router.get("/awards/nominations/{nomination_id}/scores", response={200: AwardScoresOut, 400: ErrorOut,
                                                                     404: ErrorOut})
def award_scores(request, nomination_id: int, level: int | None = None):
    """The reviewers' scores at `level` (1 province … 5 village; default: the level holding it now): each
    reviewer, the average with and without the outliers, each criterion's average, and the live votes."""
    nomination = access_nomination_by_id(request.auth, nomination_id)
    if level is not None and not 1 <= level <= 5:
        raise ValidationError("level is 1 to 5")
    summary = review.scores_summary(nomination, level or nomination.at_unit.level)
    return {"nomination_id": nomination.pk, "level": summary["level"], "count": summary["count"],
            "full_marks": float(summary["full_marks"]), "average": _num(summary["average"]),
            "average_without_outliers": _num(summary["average_without_outliers"]),
            "median": _num(summary["median"]), "outlier_limit": float(summary["outlier_limit"]),
            "votes": summary["votes"],
            "reviewers": [r | {"total": float(r["total"])} for r in summary["reviewers"]],
            "criteria": [c | {"average": _num(c["average"])} for c in summary["criteria"]]}


@router.put("/awards/nominations/{nomination_id}/score", response={200: AwardScoreOut, 400: ErrorOut,
                                                                   404: ErrorOut})
def award_score_save(request, nomination_id: int, payload: AwardScoreIn):
    """Your scores of the nomination at the level holding it (every criterion); sent again, they replace yours.
    Refused (400) once that unit has decided, after the review deadline, or with points out of range."""
    nomination = access_nomination_by_id(request.auth, nomination_id)
    score = review.score_save(actor=request.auth, nomination=nomination, points=payload.points,
                              comment=payload.comment)
    return {"nomination_id": nomination.pk, "level": score.level, "points": score.points,
            "total": float(score.total), "comment": score.comment, "scored_at": score.scored_at}


@router.post("/awards/nominations/{nomination_id}/decision", response={200: AwardReviewedOut, 400: ErrorOut,
                                                                        404: ErrorOut, 409: ErrorOut})
def award_decide(request, nomination_id: int, payload: AwardDecisionIn):
    """The holding unit's decision. A full quota is 400 with the quota and how many are used; a stale `version`
    409 (the same decision sent twice answers the same). The answer shows the nomination as you may see it."""
    nomination = access_nomination_by_id(request.auth, nomination_id)
    decided = review.decide(actor=request.auth, nomination=nomination, kind=payload.kind, reason=payload.reason,
                            tier=payload.tier, version=payload.version)
    return _reviewed(request.auth, decided)


@router.post("/awards/nominations/{nomination_id}/decision/undo", response={200: AwardReviewedOut, 400: ErrorOut,
                                                                             404: ErrorOut, 409: ErrorOut})
def award_decision_undo(request, nomination_id: int, payload: AwardUndoIn):
    """撤回: your unit's latest decision, while nobody above has acted on it; the quota place is freed."""
    nomination = access_nomination_by_id(request.auth, nomination_id)
    back = review.decision_undo(actor=request.auth, nomination=nomination, version=payload.version)
    return _reviewed(request.auth, back)


def _export_route(stage: str, description: str):
    @router.get(f"/awards/campaigns/{{award_campaign_id}}/exports/{stage}.xlsx", response={404: ErrorOut},
                openapi_extra=download(description=description), operation_id=f"award_export_{stage}")
    def export(request, award_campaign_id: int):
        campaign = access_campaign_by_id(request.auth, award_campaign_id)
        return exports.stage_export(actor=request.auth, campaign=campaign, stage=stage)

    export.__doc__ = description
    return export


for _stage, _description in (
        ("nominations", "The nominations of your subtree: channel, state as you may see it, members' names only"),
        ("scores", "Every reviewer's scores, per criterion, of the nominations of your subtree"),
        ("recommended", "Each unit's live recommendations up, level by level"),
        ("shortlist", "The shortlist by tier with average scores and live votes"),
        ("awarded", "The awarded families with their certificate numbers")):
    _export_route(_stage, _description)
