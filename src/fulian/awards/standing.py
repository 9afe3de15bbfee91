"""How a campaign stands (评选进展), per child unit of the unit looked at: its families' nominations by channel, how
many wait for a decision inside it, went up beyond it, were kept, declined (a held nomination counts as declined:
the standing never tells a held one apart), shortlisted and awarded; its recommendations against its quota; its
receiving units done; and, for those who see the awarding unit, the objections not yet resolved.

Every figure is counted from the records under each child's path in one grouped query per kind of row (nominations,
decisions, objections, receiving units), never one query per child, so the page at the province costs the same
number of queries as at a township."""

import datetime as dt

from django.db.models import Count
from django.db.models.functions import Substr
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.core.policy import Action, allows
from fulian.core.tree import SEGMENT, subtree_q
from fulian.dispatch.models import Recipient, Rollup
from fulian.orgs.models import SourceStatus, Unit
from fulian.orgs.selectors import access_unit_by_id

from .campaigns import quota_for
from .figures import GONE
from .models import (
    AwardCampaign,
    CampaignStatus,
    Channel,
    Decision,
    DecisionKind,
    Nomination,
    NominationState,
    Objection,
)

COUNTS = ("total", *Channel.values, "waiting", "passed", "kept", "declined", "shortlisted", "awarded", "objections")


def stage_of(campaign: AwardCampaign, today: dt.date) -> str:
    """Where the campaign is now, in words."""
    if campaign.status != CampaignStatus.OPEN:
        return campaign.get_status_display()
    if campaign.vote_from and campaign.vote_from <= today <= campaign.vote_until:
        return _("网络投票中")
    if today <= campaign.nominate_until:
        return _("推荐中")
    if today <= campaign.review_until:
        return _("评审中")
    return _("评审已截止，待公示")


def _nomination_counts(campaign: AwardCampaign, at: Unit, length: int) -> dict[str, dict]:
    """{path prefix of `length`: counts}: one GROUP BY of (prefix, state, channel, level reached), folded here (a
    few hundred groups at the province; counting with FILTERs per row cost more in the database). A row of `at`
    itself has its own, shorter prefix and its `passed`/`waiting` measured against `at` (own_passed,
    own_waiting). COUNT(*) over indexed columns only, so an index of them answers it without the table."""
    state = NominationState
    groups = (Nomination.objects.filter(subtree_q(at.path, "unit_path"), campaign=campaign).exclude(state__in=GONE)
              .annotate(p=Substr("unit_path", 1, length)).values_list("p", "state", "channel", "level_reached")
              .annotate(n=Count("*")).order_by())
    named = {state.KEPT: "kept", state.DECLINED: "declined", state.HELD: "declined", state.SHORTLISTED: "shortlisted",
             state.AWARDED: "awarded"}
    out: dict[str, dict] = {}
    for path, nomination_state, channel, level_reached, n in groups:
        row = out.setdefault(path, dict.fromkeys(("total", *Channel.values, "waiting", "passed", "own_waiting",
                                                  "own_passed", *set(named.values())), 0))
        row["total"] += n
        row[channel] += n
        if nomination_state in named:
            row[named[nomination_state]] += n
        pending = nomination_state == state.PENDING
        # a child is one level below `at`: it sent a nomination beyond itself when it reached `at`'s level
        if level_reached <= at.level:
            row["passed"] += n
        elif pending:
            row["waiting"] += n
        row["own_passed"] += n if level_reached < at.level else 0
        row["own_waiting"] += n if pending and level_reached >= at.level else 0
    return out


def _objection_counts(campaign: AwardCampaign, at: Unit, length: int) -> dict[str, int]:
    rows = (Objection.objects.filter(subtree_q(at.path, "nomination__unit_path"), campaign=campaign, outcome="")
            .annotate(p=Substr("nomination__unit_path", 1, length)).values("p").annotate(n=Count("id")).order_by())
    return {row["p"]: row["n"] for row in rows}


def _recommended(campaign: AwardCampaign, unit_ids: list[int]) -> dict[int, int]:
    """Live recommendations (what counts against the quota) made by each of these units."""
    rows = (Decision.objects.filter(campaign=campaign, unit_id__in=unit_ids, kind=DecisionKind.RECOMMEND,
                                    undone_at__isnull=True)
            .values("unit_id").annotate(n=Count("id")).order_by())
    return {row["unit_id"]: row["n"] for row in rows}


def tiers_used(campaign: AwardCampaign) -> list[dict]:
    """The awarding unit's honours: per tier (or the one honour) its quota and how many are shortlisted or
    awarded."""
    used = dict(Nomination.objects.filter(campaign=campaign, state__in=[NominationState.SHORTLISTED,
                                                                        NominationState.AWARDED])
                .values_list("tier").annotate(n=Count("id")).order_by())
    if not campaign.tiers:
        return [{"name": _("表彰"), "quota": campaign.award_quota, "used": sum(used.values())}]
    return [{"name": tier["name"], "quota": tier["quota"], "used": used.get(tier["name"], 0)}
            for tier in campaign.tiers]


def campaign_standing(campaign: AwardCampaign, *, at: Unit, objections: bool = False) -> dict:
    """How the campaign stands under `at` (its awarding unit or one below it): `rows` per child unit of `at` that
    received it or has nominations, `own` (families of `at` itself, a village), `totals`; `mine` is `at`'s own
    recommendations against its quota. `objections`: count the open ones too (only for those who see the
    awarding unit: objections are private to it)."""
    length = len(at.path) + SEGMENT
    nominations = _nomination_counts(campaign, at, length)
    open_objections = _objection_counts(campaign, at, length) if objections else {}
    children = list(Unit.objects.filter(parent=at).exclude(source_status=SourceStatus.REMOVED).order_by("code"))
    recommended = _recommended(campaign, [at.pk, *(c.pk for c in children)])
    rollups = {r.unit_id: r for r in Rollup.objects.filter(dispatch_id=campaign.dispatch_id, unit__parent=at)}
    copies = {r.unit_id: r for r in Recipient.objects.filter(dispatch_id=campaign.dispatch_id, parent=None,
                                                             unit__parent=at)}

    def counts(path: str, *, own: bool = False) -> dict:
        found = nominations.get(path, {})
        row = {key: found.get(key, 0) for key in COUNTS}
        if own:
            row["waiting"], row["passed"] = found.get("own_waiting", 0), found.get("own_passed", 0)
        row["objections"] = open_objections.get(path, 0)
        return row

    rows = []
    for child in children:
        row = {"unit": child, **counts(child.path), "total_units": 0, "done_units": 0, "recipient": None,
               "recommended": recommended.get(child.pk, 0), "quota": quota_for(campaign, child.level)}
        if child.pk in rollups:
            row["total_units"], row["done_units"] = rollups[child.pk].total, rollups[child.pk].done
        elif child.pk in copies:
            copy = copies[child.pk]
            row.update(total_units=1, done_units=int(copy.is_done), recipient=copy)
        row["over"] = row["quota"] is not None and row["recommended"] > row["quota"]
        if row["total_units"] or row["total"]:
            rows.append(row)
    own = counts(at.path, own=True)
    totals = {key: own[key] + sum(r[key] for r in rows) for key in COUNTS}
    totals.update(total_units=sum(r["total_units"] for r in rows), done_units=sum(r["done_units"] for r in rows))
    is_awarding = at.pk == campaign.unit_id
    return {"at": at, "rows": rows, "own": own, "totals": totals, "objections": objections,
            "mine": None if is_awarding else {"recommended": recommended.get(at.pk, 0),
                                              "quota": quota_for(campaign, at.level)},
            "tiers": tiers_used(campaign) if is_awarding else None}


def standing_unit(user, campaign: AwardCampaign, unit_id) -> Unit:
    """The unit whose standing she may look at: in her scope and at or under the awarding unit; else 404."""
    unit = access_unit_by_id(user, unit_id)
    if not unit.path.startswith(campaign.unit_path):
        raise Http404("not under the campaign")
    return unit


def standing_start(user, campaign: AwardCampaign) -> Unit | None:
    """Where her standing starts: the awarding unit if she sees it, else her own unit when it is under it."""
    if allows(user, Action.VIEW, campaign.unit_path):
        return campaign.unit
    unit = getattr(user, "unit", None)
    if unit is not None and unit.path.startswith(campaign.unit_path):
        return unit
    return None


def sees_objections(user, campaign: AwardCampaign) -> bool:
    """Objections are private to the awarding unit and the units above it."""
    return allows(user, Action.VIEW, campaign.unit_path)


def today_of(now=None) -> dt.date:
    return timezone.localdate(now or timezone.now())
