"""Review level by level (评审): reviewers of the unit holding a nomination score it, and the unit decides.

A nomination waits at one unit (`at_unit`). Reviewers who may act for that unit (core.policy may_act_for_unit)
score each criterion of the campaign (one Score per reviewer per level; saving again replaces hers) until the unit
decides. Below the awarding unit the decision is 推荐上报 (RECOMMEND: it moves to the parent, within the unit's
quota), 本级保留 (KEEP) or 不予推荐 (DECLINE, with a reason); at the awarding unit it is 确定入围 (SHORTLIST, with a
tier when the campaign has tiers, within the tier's quota) or DECLINE. Quotas are counted under a lock of the
campaign row, so two reviewers deciding at once cannot both take the last place. Before a nomination moves on the
eligibility check runs (awards.eligibility): when it holds the nomination nothing else is written and the actor is
answered as for any decision (the state she then sees is 未推荐). After `review_until` only the awarding unit's
chairs and vice-chairs (core.policy may_issue_work) still decide. A unit takes its latest decision back
(`decision_undo`) while nobody above has acted on it: the quota place is freed and award_reviewed goes down.
"""

import statistics
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.core.audit import audit_record
from fulian.core.errors import Conflict
from fulian.core.figures import figures_add
from fulian.core.policy import OutOfScope, may_act_for_unit, may_issue_work
from fulian.core.writes import write_path

from . import eligibility
from .campaigns import quota_for, tier_quota
from .figures import REVIEW_KINDS, award_delta
from .models import (
    AwardCampaign,
    CampaignStatus,
    Decision,
    DecisionKind,
    Nomination,
    NominationState,
    Score,
)
from .selectors import nominations_in_scope

METRIC = "award_reviewed"
MAX_REASON = 200
MAX_COMMENT = 500
# a reviewer's total is shown as an outlier when it lies further than this share of the campaign's full marks from
# the median of the reviewers' totals (15 points of 100), once at least OUTLIER_MIN_REVIEWERS have scored
OUTLIER_SHARE = Decimal("0.15")
OUTLIER_MIN_REVIEWERS = 3
TAKEN = (NominationState.SHORTLISTED, NominationState.AWARDED)  # what fills a tier's quota
BELOW_KINDS = (DecisionKind.RECOMMEND, DecisionKind.KEEP, DecisionKind.DECLINE)
AWARDING_KINDS = (DecisionKind.SHORTLIST, DecisionKind.DECLINE)
MOVING_KINDS = (DecisionKind.RECOMMEND, DecisionKind.SHORTLIST)


# ---- rules shared by scoring and deciding ------------------------------------------------------------------------

def is_awarding_unit(nomination: Nomination) -> bool:
    return nomination.at_path == nomination.campaign.unit_path


def kinds_at(nomination: Nomination) -> tuple[str, ...]:
    """The decisions the unit holding the nomination may make."""
    return AWARDING_KINDS if is_awarding_unit(nomination) else BELOW_KINDS


def review_closed_message(campaign: AwardCampaign, actor, now) -> str:
    """Why she may not score or decide in this campaign now ("" when she may)."""
    if campaign.status != CampaignStatus.OPEN:
        return _("评选已进入公示或已结束，不能再评审。")
    if timezone.localdate(now) > campaign.review_until and not may_issue_work(actor, campaign.unit_path):
        return _("评审已于%(day)s截止，此后只有%(unit)s的主席、副主席可以作出决定。") % {
            "day": campaign.review_until.isoformat(), "unit": campaign.unit.name}
    return ""


def may_review(user, nomination: Nomination) -> bool:
    """A cadre who may act for the unit holding it (that unit or one above)."""
    return may_act_for_unit(user, nomination.at_path)


def quota_used(campaign: AwardCampaign, unit) -> int:
    """The unit's live 推荐上报 in the campaign: what its quota counts."""
    return Decision.objects.filter(campaign=campaign, unit=unit, kind=DecisionKind.RECOMMEND,
                                   undone_at__isnull=True).count()


def quota_of_unit(campaign: AwardCampaign, unit) -> dict:
    """{"quota": n | None, "used": n, "left": n | None} of a unit below the awarding unit."""
    quota = quota_for(campaign, unit.level)
    used = quota_used(campaign, unit)
    return {"quota": quota, "used": used, "left": None if quota is None else max(quota - used, 0)}


def tier_used(campaign: AwardCampaign, tier: str) -> int:
    return Nomination.objects.filter(campaign=campaign, tier=tier, state__in=TAKEN).count()


def tiers_of(campaign: AwardCampaign) -> list[dict]:
    """The awarding unit's honours with quota, used and left ([{"name": "", …}] for a campaign without tiers)."""
    names = [t["name"] for t in campaign.tiers] or [""]
    rows = []
    for name in names:
        quota, used = tier_quota(campaign, name), tier_used(campaign, name)
        rows.append({"name": name, "quota": quota, "used": used,
                     "left": None if quota is None else max(quota - used, 0)})
    return rows


def _quota_refusal(campaign: AwardCampaign, unit) -> None:
    quota = quota_for(campaign, unit.level)
    if quota is None:
        return
    used = quota_used(campaign, unit)
    if used >= quota:
        raise ValidationError(_("%(unit)s推荐名额为%(quota)d个，已推荐%(used)d个。")
                              % {"unit": unit.name, "quota": quota, "used": used}, code="award_quota_full")


def _tier_refusal(campaign: AwardCampaign, tier: str) -> None:
    quota = tier_quota(campaign, tier)  # an unknown tier is refused there
    if quota is None:
        return
    used = tier_used(campaign, tier)
    if used >= quota:
        if tier:
            message = _("“%(tier)s”名额为%(quota)d个，已确定入围%(used)d个。")
        else:
            message = _("表彰名额为%(quota)d个，已确定入围%(used)d个。")
        raise ValidationError(message % {"tier": tier, "quota": quota, "used": used}, code="award_tier_full")


def _load(nomination: Nomination, *, lock: bool) -> Nomination:
    rows = Nomination.objects.select_related("campaign", "campaign__unit", "at_unit", "at_unit__parent", "unit")
    if lock:
        rows = rows.select_for_update(of=("self",))
    return rows.get(pk=nomination.pk)


# ---- scores ------------------------------------------------------------------------------------------------------

def points_clean(criteria: list[dict], points) -> tuple[dict, Decimal]:
    """{key: points} for every criterion, each within 0..max (at most one decimal place), and their total."""
    if not isinstance(points, dict):
        raise ValidationError(_("评分格式不正确。"), code="award_points")
    known = {c["key"] for c in criteria}
    unknown = [str(k) for k in points if k not in known]
    if unknown:
        raise ValidationError(_("没有这个评分项：%(keys)s。") % {"keys": "、".join(unknown[:5])}, code="award_points")
    out, total = {}, Decimal(0)
    for criterion in criteria:
        raw = points.get(criterion["key"])
        if raw is None or raw == "":
            raise ValidationError(_("请为“%(label)s”打分。") % {"label": criterion["label"]}, code="award_points")
        try:
            value = Decimal(str(raw).strip())
        except (InvalidOperation, ValueError):
            value = None
        if value is None or not value.is_finite() or value != value.quantize(Decimal("0.1")) or not (
                0 <= value <= criterion["max"]):
            raise ValidationError(_("“%(label)s”的得分须在0到%(max)d之间（最多一位小数）。")
                                  % {"label": criterion["label"], "max": criterion["max"]}, code="award_points")
        value = value.quantize(Decimal("0.1"))
        out[criterion["key"]] = float(value) if value != value.to_integral() else int(value)
        total += value
    return out, total


def score_save(*, actor, nomination: Nomination, points: dict, comment: str = "", now=None) -> Score:
    """Her scores of the nomination at the level of the unit holding it; saving again replaces hers. Refused once
    that unit has decided (or the nomination is otherwise not waiting there)."""
    now = now or timezone.now()
    current = _load(nomination, lock=False)
    if not may_review(actor, current):
        raise OutOfScope("may not review here")
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise ValidationError(_("评语最多%(n)d字。") % {"n": MAX_COMMENT}, code="award_comment")
    campaign = current.campaign
    closed = review_closed_message(campaign, actor, now)
    if closed:
        raise ValidationError(closed, code="award_review_closed")
    clean, total = points_clean(campaign.criteria, points)
    try:
        with write_path():
            row = _load(current, lock=True)
            if row.state != NominationState.PENDING or row.at_path != current.at_path:
                raise ValidationError(_("本级已作出决定，不能再修改评分。"), code="award_score_decided")
            level = row.at_unit.level
            score = Score.objects.filter(nomination=row, level=level, reviewer=actor).first()
            if score is None:
                score = Score.objects.create(nomination=row, unit_path=row.at_path, level=level, reviewer=actor,
                                             points=clean, total=total, comment=comment, scored_at=now)
            else:
                score.unit_path, score.points, score.total = row.at_path, clean, total
                score.comment, score.scored_at = comment, now
                score.save(update_fields=["unit_path", "points", "total", "comment", "scored_at"])
            audit_record(actor=actor, action="award.score", obj=row,
                         changes={"level": level, "total": str(total)}, now=now)
    except IntegrityError:  # her first score saved twice at the same moment (a double tap): the one row stands
        score = Score.objects.filter(nomination=current, level=current.at_unit.level, reviewer=actor).first()
        if score is None:
            raise
    return score


def vote_counts_of(campaign: AwardCampaign) -> dict[int, int]:
    """The live public votes per nomination (awards.voting, once it is there; {} before)."""
    try:
        from . import voting
    except ImportError:
        return {}
    return voting.vote_counts(campaign)


def scores_summary(nomination: Nomination, level: int, *, votes: dict[int, int] | None = None,
                   scores: list[Score] | None = None) -> dict:
    """The reviewers' scores at `level`: each reviewer's points and total, the average total (and without the
    outliers), the median, each criterion's average, and the live vote count beside (never decisive).

    An outlier is a total further than OUTLIER_SHARE of the full marks (15 of 100) from the median of the totals;
    it is only judged with at least three reviewers (with two, neither can be told to be the odd one)."""
    criteria = nomination.campaign.criteria
    full = sum(Decimal(c["max"]) for c in criteria)
    if scores is None:
        scores = Score.objects.filter(nomination=nomination, level=level).select_related("reviewer")
    rows = sorted(scores, key=lambda r: (r.scored_at, r.pk))
    totals = [r.total for r in rows]
    median = statistics.median(totals) if totals else None
    limit = (full * OUTLIER_SHARE).quantize(Decimal("0.01"))
    reviewers, kept = [], []
    for r in rows:
        outlier = len(rows) >= OUTLIER_MIN_REVIEWERS and abs(r.total - median) > limit
        if not outlier:
            kept.append(r.total)
        reviewers.append({"reviewer_id": r.reviewer_id, "reviewer_name": r.reviewer.full_name or r.reviewer.username,
                          "points": r.points, "total": r.total, "comment": r.comment, "scored_at": r.scored_at,
                          "outlier": outlier})
    per_criterion = []
    for c in criteria:
        values = [Decimal(str(r.points.get(c["key"], 0))) for r in rows]
        per_criterion.append({"key": c["key"], "label": c["label"], "max": c["max"],
                              "average": _mean(values)})
    if votes is None:
        votes = vote_counts_of(nomination.campaign)
    return {"level": level, "count": len(rows), "full_marks": full, "average": _mean(totals),
            "average_without_outliers": _mean(kept), "median": None if median is None else Decimal(median),
            "outlier_limit": limit, "reviewers": reviewers,
            "outliers": [r["reviewer_id"] for r in reviewers if r["outlier"]],
            "criteria": per_criterion, "votes": votes.get(nomination.pk, 0)}


def _mean(values) -> Decimal | None:
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01"))


def averages_at(nominations, *, level_of=None) -> dict[int, Decimal | None]:
    """{nomination id: average total} at each nomination's current level (or `level_of(n)`), in one query."""
    wanted = {n.pk: (level_of(n) if level_of else n.at_unit.level) for n in nominations}
    sums: dict[int, list[Decimal]] = {}
    for nomination_id, level, total in Score.objects.filter(nomination_id__in=list(wanted)).values_list(
            "nomination_id", "level", "total"):
        if wanted.get(nomination_id) == level:
            sums.setdefault(nomination_id, []).append(total)
    return {pk: _mean(sums.get(pk, [])) for pk in wanted}


# ---- decisions ---------------------------------------------------------------------------------------------------

def _same_again(row: Nomination, *, actor, kind: str, tier: str) -> bool:
    """The decision she just made is this one (a double tap of the same button): answer it again, write nothing."""
    last = (Decision.objects.filter(nomination=row, kind__in=REVIEW_KINDS, undone_at__isnull=True)
            .order_by("-decided_at", "-pk").first())
    return (last is not None and last.kind == kind and last.tier == (tier or "") and last.decided_by_id == actor.pk
            and may_act_for_unit(actor, last.unit_path))


def _decided_by_her_units(nomination: Nomination, actor) -> bool:
    paths = Decision.objects.filter(nomination=nomination, undone_at__isnull=True).values_list("unit_path", flat=True)
    return any(may_act_for_unit(actor, path) for path in paths)


def decide(*, actor, nomination: Nomination, kind: str, reason: str = "", tier: str = "", version: int | None = None,
           now=None) -> Nomination:
    """The holding unit's decision (see the module docstring). `version`: the nomination's version she saw (a
    Conflict when it changed, unless this very decision was just made: a double submit answers the same). When the
    eligibility check holds the nomination, nothing is decided and the nomination comes back as it now is."""
    now = now or timezone.now()
    current = _load(nomination, lock=False)
    reason = " ".join((reason or "").split())
    tier = (tier or "").strip()
    if version is not None and version != current.version and not may_review(actor, current):
        # it moved on beyond her since she saw it: her own double tap is answered again, anything else is a conflict
        if _same_again(current, actor=actor, kind=kind, tier=tier):
            return current
        if _decided_by_her_units(current, actor):
            raise Conflict(_("这条推荐刚被其他人处理过，请刷新后再看。"), code="award_version")
    if not may_review(actor, current):
        raise OutOfScope("may not review here")
    campaign = current.campaign
    if kind not in kinds_at(current):
        raise ValidationError(_("这一级不能作出这个决定。"), code="award_decision_kind")
    if kind == DecisionKind.DECLINE and not reason:
        raise ValidationError(_("不予推荐请写明理由。"), code="award_reason")
    if len(reason) > MAX_REASON:
        raise ValidationError(_("理由最多%(n)d字。") % {"n": MAX_REASON}, code="award_reason")
    if kind == DecisionKind.SHORTLIST:
        if campaign.tiers and not tier:
            raise ValidationError(_("请选择奖项档次。"), code="award_tier")
        if not campaign.tiers and tier:
            raise ValidationError(_("这次评选不分档次。"), code="award_tier")
        tier_quota(campaign, tier)
    else:
        tier = ""
    closed = review_closed_message(campaign, actor, now)
    if closed:
        raise ValidationError(closed, code="award_review_closed")
    with write_path():
        AwardCampaign.objects.select_for_update().filter(pk=campaign.pk).first()  # one quota counter at a time
        row = _load(current, lock=True)
        unit = row.at_unit
        if version is not None and version != row.version:
            if _same_again(row, actor=actor, kind=kind, tier=tier):
                return row
            raise Conflict(_("这条推荐刚被其他人处理过，请刷新后再看。"), code="award_version")
        if row.at_path != current.at_path or row.state != NominationState.PENDING:
            raise Conflict(_("本级已经对这条推荐作出决定。"), code="award_decided")
        if kind == DecisionKind.RECOMMEND:
            if unit.parent is None:
                raise ValidationError(_("这一级不能作出这个决定。"), code="award_decision_kind")
            _quota_refusal(campaign, unit)
        if kind == DecisionKind.SHORTLIST:
            _tier_refusal(campaign, tier)
        if kind in MOVING_KINDS and not eligibility.eligibility_check(
                nomination=row, actor=actor, now=now, kind=kind, tier=tier, unit=unit):
            return _load(row, lock=False)  # held: answered as any decision is (what she sees is 未推荐)
        Decision.objects.create(nomination=row, campaign=campaign, unit=unit, unit_path=unit.path, level=unit.level,
                                kind=kind, reason=reason, tier=tier, decided_by=actor, decided_at=now)
        changes = {"version": row.version + 1, "updated_at": now}
        if kind == DecisionKind.RECOMMEND:
            parent = unit.parent
            changes |= {"at_unit": parent, "at_path": parent.path, "level_reached": parent.level,
                        "state": NominationState.PENDING}
        elif kind == DecisionKind.KEEP:
            changes |= {"state": NominationState.KEPT}
        elif kind == DecisionKind.DECLINE:
            changes |= {"state": NominationState.DECLINED, "reason": reason}
        else:
            changes |= {"state": NominationState.SHORTLISTED, "tier": tier}
        Nomination.objects.filter(pk=row.pk).update(**changes)
        figures_add([award_delta(METRIC, unit.path, now)])
        audit_record(actor=actor, action="award.decide", obj=row,
                     changes={"kind": kind, "unit": unit.pk, "tier": tier, "reason": reason}, now=now)
    return _load(row, lock=False)


def undoable(nomination: Nomination) -> Decision | None:
    """The decision that may be taken back now: the latest live review decision, while nobody above has acted on
    it (a recommendation still waiting at the parent; a keep or shortlist still as it was left). A decline is not
    taken back: a nomination held by the eligibility check reads as declined, and a 撤回 offered for real declines
    only would tell the two apart."""
    last = (Decision.objects.filter(nomination=nomination, kind__in=REVIEW_KINDS, undone_at__isnull=True)
            .select_related("unit", "unit__parent").order_by("-decided_at", "-pk").first())
    if last is None:
        return None
    state = nomination.state
    if last.kind == DecisionKind.RECOMMEND:
        parent = last.unit.parent
        ok = parent is not None and nomination.at_path == parent.path and state == NominationState.PENDING
    elif last.kind == DecisionKind.KEEP:
        ok = nomination.at_path == last.unit_path and state == NominationState.KEPT
    elif last.kind == DecisionKind.SHORTLIST:
        ok = nomination.at_path == last.unit_path and state == NominationState.SHORTLISTED
    else:
        ok = False
    return last if ok else None


def decision_undo(*, actor, nomination: Nomination, version: int | None = None, now=None) -> Nomination:
    """撤回: the unit takes its latest decision back (see `undoable`); the nomination waits at that unit again, its
    quota place is free and award_reviewed goes down in the month it was decided."""
    now = now or timezone.now()
    current = _load(nomination, lock=False)
    campaign = current.campaign
    with write_path():
        AwardCampaign.objects.select_for_update().filter(pk=campaign.pk).first()
        row = _load(current, lock=True)
        if version is not None and version != row.version:
            raise Conflict(_("这条推荐刚被其他人处理过，请刷新后再看。"), code="award_version")
        last = (Decision.objects.filter(nomination=row, kind__in=REVIEW_KINDS, undone_at__isnull=True)
                .order_by("-decided_at", "-pk").first())
        if row.state == NominationState.HELD:
            # held by the eligibility check: refused exactly as the ordinary decline it reads as would be
            check = row.checks.select_related("wanted_unit").order_by("found_at", "pk").first()
            holder = check.wanted_unit if check is not None and check.wanted_unit_id else row.at_unit
            last = Decision(nomination=row, unit=holder, unit_path=holder.path, level=holder.level,
                            kind=DecisionKind.DECLINE)
        if last is None:
            raise ValidationError(_("没有可以撤回的决定。"), code="award_undo_none")
        if not may_act_for_unit(actor, last.unit_path):
            paths = Decision.objects.filter(nomination=row, kind__in=REVIEW_KINDS, undone_at__isnull=True) \
                .values_list("unit_path", flat=True)
            if not any(may_act_for_unit(actor, path) for path in paths):
                raise OutOfScope("may not undo here")
            raise ValidationError(_("已有后续决定，不能撤回。"), code="award_undo_late")
        if last.kind == DecisionKind.DECLINE:
            raise ValidationError(_("不予推荐的决定不能撤回。"), code="award_undo_decline")
        decision = undoable(row)
        if decision is None or decision.pk != last.pk:
            raise ValidationError(_("已有后续决定，不能撤回。"), code="award_undo_late")
        closed = review_closed_message(campaign, actor, now)
        if closed:
            raise ValidationError(closed, code="award_review_closed")
        Decision.objects.filter(pk=decision.pk).update(undone_at=now)
        unit = decision.unit
        Nomination.objects.filter(pk=row.pk).update(
            at_unit=unit, at_path=unit.path, level_reached=unit.level,
            state=NominationState.PENDING, reason="", tier="", version=row.version + 1, updated_at=now)
        figures_add([award_delta(METRIC, decision.unit_path, decision.decided_at, -1)])
        audit_record(actor=actor, action="award.decision_undo", obj=row,
                     changes={"decision": decision.pk, "kind": decision.kind, "unit": unit.pk}, now=now)
    return _load(row, lock=False)


# ---- reads -------------------------------------------------------------------------------------------------------

def history_shown(user, nomination: Nomination) -> list:
    """The decisions she may see: eligibility.history_for (a held nomination she may not know of reads as an
    ordinary 不予推荐 there, for the nomination page and the API as for this one)."""
    return eligibility.history_for(user, nomination)


def queue_for(user, campaign: AwardCampaign, unit) -> dict:
    """评审 of one unit in a campaign: what waits there, what it recommended up (with whether it may still be taken
    back) and what it kept or declined; each with its average score at this level and the live votes."""
    base = campaign.nominations.select_related("campaign", "campaign__unit", "unit", "at_unit")
    waiting = list(base.filter(at_path=unit.path, state=NominationState.PENDING).order_by("created_at", "pk"))
    decided = list(base.filter(at_path=unit.path).exclude(
        state__in=[NominationState.PENDING, NominationState.MERGED, NominationState.WITHDRAWN])
        .order_by("-updated_at", "pk"))
    sent = list(Decision.objects.filter(campaign=campaign, unit=unit, kind=DecisionKind.RECOMMEND,
                                        undone_at__isnull=True)
                .select_related("nomination", "nomination__at_unit", "nomination__campaign",
                                "nomination__campaign__unit", "nomination__unit").order_by("-decided_at", "pk"))
    votes = vote_counts_of(campaign)
    averages = averages_at(waiting + decided, level_of=lambda n: unit.level)
    averages_sent = averages_at([d.nomination for d in sent], level_of=lambda n: unit.level)

    def row(n: Nomination) -> dict:
        return {"nomination": n, "state_label": eligibility.state_label(user, n),
                "average": averages.get(n.pk, averages_sent.get(n.pk)), "votes": votes.get(n.pk, 0)}

    scores: dict[int, list[Score]] = {n.pk: [] for n in waiting}
    for score in Score.objects.filter(nomination__in=waiting, level=unit.level).select_related("reviewer"):
        scores[score.nomination_id].append(score)
    summaries = {n.pk: scores_summary(n, unit.level, votes=votes, scores=scores[n.pk]) for n in waiting}
    return {
        "campaign": campaign, "unit": unit, "awarding": unit.path == campaign.unit_path,
        "quota": None if unit.path == campaign.unit_path else quota_of_unit(campaign, unit),
        "tiers": tiers_of(campaign) if unit.path == campaign.unit_path else [],
        "waiting": [row(n) | {"summary": summaries[n.pk]} for n in waiting],
        "decided": [row(n) for n in decided],
        "sent": [row(d.nomination) | {"decision": d, "undoable": undoable(d.nomination) == d} for d in sent],
    }


def shortlist_for(user, campaign: AwardCampaign) -> dict:
    """The awarding unit's shortlist: each tier with its quota used and left (the whole campaign's), and the
    families in it that she may see (her subtree's)."""
    rows = list(nominations_in_scope(user, campaign).filter(state__in=TAKEN)
                .select_related("unit", "at_unit", "campaign").order_by("tier", "family_name", "pk"))
    votes = vote_counts_of(campaign)
    averages = averages_at(rows, level_of=lambda n: campaign.unit.level)
    tiers = tiers_of(campaign)
    for tier in tiers:
        tier["rows"] = [{"nomination": n, "state_label": eligibility.state_label(user, n),
                         "average": averages.get(n.pk), "votes": votes.get(n.pk, 0)}
                        for n in rows if n.tier == tier["name"]]
    return {"campaign": campaign, "tiers": tiers, "count": len(rows)}
