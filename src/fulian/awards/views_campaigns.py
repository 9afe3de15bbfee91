"""Campaign pages (/awards/): the list, 发起评选 (and a lower unit's own round under one it received), the
campaign's standing page with its drill-down, changing its wording and dates, cancelling it, and a receiving
unit's part. Parse, one access function, one service or selector, render; the rules are awards.campaigns'."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fulian.core.params import param_int
from fulian.core.policy import Action, allows, may_issue_work
from fulian.orgs.models import Level

from . import campaigns, standing
from .forms_campaigns import (
    CampaignCancelForm,
    CampaignEditForm,
    CampaignForm,
    criteria_formset,
    criteria_rows,
    tier_rows,
    tiers_formset,
)
from .models import AwardKind, CampaignStatus
from .selectors import access_campaign_by_id

LIST_ROWS = 50


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


@login_required
def campaign_list(request):
    unit = getattr(request.user, "unit", None)
    return render(request, "awards/campaign_list.html", {
        "todo": campaigns.parts_to_do(request.user),
        "received": campaigns.campaigns_received(request.user)[:LIST_ROWS],
        "launched": campaigns.campaigns_launched(request.user)[:LIST_ROWS],
        "can_launch": unit is not None and unit.level < Level.VILLAGE and may_issue_work(request.user, unit.path)})


def _parent(request):
    """The round above when she launches her unit's own round under a campaign it received (?parent=id)."""
    parent_id = param_int(request.GET, "parent")
    if parent_id is None:
        return None
    parent = access_campaign_by_id(request.user, parent_id)
    if not campaigns.may_launch_round(request.user, parent):
        raise Http404("may not launch a round under it")
    return parent


@login_required
def campaign_new(request):
    unit = getattr(request.user, "unit", None)
    if unit is None or unit.level >= Level.VILLAGE or not may_issue_work(request.user, unit.path):
        raise Http404("may not launch award campaigns")
    parent = _parent(request)
    kind = parent.kind if parent else request.GET.get("kind", "")
    kind = kind if kind in AwardKind.values else AwardKind.MOST_BEAUTIFUL
    initial = {}
    if parent is not None:
        initial = {"kind": parent.kind, "year": parent.year, "nominate_until": parent.nominate_until,
                   "review_until": parent.review_until,
                   "name": _("%(name)s（%(unit)s）") % {"name": parent.name, "unit": unit.name}}
    form = CampaignForm(request.POST or None, unit=unit, kind=kind, initial=initial)
    criteria = criteria_formset(request.POST or None, kind=kind)
    tiers = tiers_formset(request.POST or None)
    if request.method == "POST" and form.is_valid() and criteria.is_valid() and tiers.is_valid():
        data = form.cleaned_data
        picked = form.picked_units()
        try:
            campaign = campaigns.campaign_launch(
                actor=request.user, unit=unit, kind=data["kind"], name=data["name"], year=data["year"],
                description=data["description"], criteria=criteria_rows(criteria), tiers=tier_rows(tiers),
                award_quota=data["award_quota"], quotas=form.quotas(), nominate_until=data["nominate_until"],
                review_until=data["review_until"], vote_from=data["vote_from"], vote_until=data["vote_until"],
                notice_days=data["notice_days"], portal_open=data["portal_open"],
                level=None if picked else data["level"], units=picked, parent=parent,
                client_token=data["client_token"] or None)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("评选已下发给%(n)d个单位。") % {"n": campaign.dispatch.recipient_count})
            return redirect("award_campaign", campaign.pk)
    return render(request, "awards/campaign_form.html", {
        "form": form, "criteria": criteria, "tiers": tiers, "unit": unit, "parent": parent, "kind": kind,
        "kinds": AwardKind.choices})


@login_required
def campaign_detail(request, award_campaign_id: int):
    """The standing page: the campaign's settings and stages, her unit's part, and per child unit of the unit looked
    at (?unit=id, inside her scope and under the awarding unit) how its families stand."""
    campaign = access_campaign_by_id(request.user, award_campaign_id)
    unit_id = param_int(request.GET, "unit")
    at = standing.standing_unit(request.user, campaign, unit_id) if unit_id is not None else \
        standing.standing_start(request.user, campaign)
    up = at.parent if at is not None and at.pk != campaign.unit_id else None
    if up is not None and not (up.path.startswith(campaign.unit_path) and allows(request.user, Action.VIEW, up.path)):
        up = None
    unit = getattr(request.user, "unit", None)
    mine = campaigns.recipient_of(campaign, unit)
    today = timezone.localdate()
    can_issue = may_issue_work(request.user, campaign.unit_path)
    return render(request, "awards/campaign_detail.html", {
        "campaign": campaign, "dispatch": campaign.dispatch, "stage": standing.stage_of(campaign, today),
        "levels": _quota_rows(campaign), "mine": mine,
        "waiting": campaigns.waiting_at(campaign, mine.unit) if mine else None,
        "can_done": campaigns.may_mark_done(request.user, mine),
        "can_edit": can_issue and campaign.status == CampaignStatus.OPEN and not campaigns.has_decisions(campaign),
        "can_cancel": can_issue and campaign.status in (CampaignStatus.OPEN, CampaignStatus.NOTICE),
        "can_round": campaigns.may_launch_round(request.user, campaign),
        "rounds": campaigns.rounds_of(request.user, campaign),
        "cancel_form": CampaignCancelForm(initial={"version": campaign.version}),
        "standing": standing.campaign_standing(campaign, at=at,
                                               objections=standing.sees_objections(request.user, campaign))
        if at is not None else None, "up": up})


def _quota_rows(campaign) -> list[dict]:
    return [{"level": Level(int(level)).label, "n": n} for level, n in sorted(campaign.quotas.items())]


@login_required
def campaign_edit(request, award_campaign_id: int):
    campaign = access_campaign_by_id(request.user, award_campaign_id)
    if not may_issue_work(request.user, campaign.unit_path):
        raise Http404("may not change this campaign")
    form = CampaignEditForm(request.POST or None, initial={
        "name": campaign.name, "description": campaign.description, "nominate_until": campaign.nominate_until,
        "review_until": campaign.review_until, "vote_from": campaign.vote_from, "vote_until": campaign.vote_until,
        "version": campaign.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaigns.campaign_update(
                actor=request.user, campaign=campaign, name=data["name"], description=data["description"],
                nominate_until=data["nominate_until"], review_until=data["review_until"],
                vote_from=data["vote_from"], vote_until=data["vote_until"], version=data["version"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("评选已修改。"))
            return redirect("award_campaign", campaign.pk)
    return render(request, "awards/campaign_edit.html", {"form": form, "campaign": campaign})


@login_required
@require_POST
def campaign_cancel(request, award_campaign_id: int):
    campaign = access_campaign_by_id(request.user, award_campaign_id)
    if not may_issue_work(request.user, campaign.unit_path):
        raise Http404("may not cancel this campaign")
    form = CampaignCancelForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("请填写撤销原因。"))
        campaigns.campaign_cancel(actor=request.user, campaign=campaign, reason=form.cleaned_data["reason"],
                                  version=form.cleaned_data["version"])
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("评选已撤销。"))
    return redirect("award_campaign", campaign.pk)


@login_required
@require_POST
def campaign_done(request, award_campaign_id: int):
    """Her unit's part is done (refused while a nomination waits for its decision)."""
    campaign = access_campaign_by_id(request.user, award_campaign_id)
    mine = campaigns.recipient_of(campaign, getattr(request.user, "unit", None))
    if mine is None:
        raise Http404("her unit did not receive it")
    try:
        campaigns.campaign_part_done(actor=request.user, recipient=mine, version=param_int(request.POST, "version"))
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("本单位的评选工作已完成。"))
    return redirect("award_campaign", campaign.pk)


@login_required
def campaign_part(request, award_recipient_id: int):
    """A receiving unit's part (where a dispatch reminder links): its campaign's page."""
    part = campaigns.access_part_by_id(request.user, award_recipient_id)
    return redirect("award_campaign", part.dispatch.award_campaign.pk)
