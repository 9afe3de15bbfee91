"""公示和异议 for cadres of the awarding unit and above: start 公示, see the objections (private to them) and record
each one's finding. Parse, one access function, one service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fulian.core.params import param_int

from . import notice, voting
from .forms_public import FindingForm


@login_required
def notice_admin(request, award_campaign_id: int):
    """公示和异议: the period, the shortlist with each family's objections, and 开始公示 for the unit's leaders."""
    campaign = notice.access_notice_campaign_by_id(request.user, award_campaign_id)
    now = timezone.now()
    counts = notice.objection_counts(campaign, request.user)  # only the objections she may see
    families = [dict(card, objections=counts.get(card["id"], {"open": 0, "all": 0}))
                for card in voting.public_cards(campaign, counts=voting.vote_counts(campaign))]
    objections = list(notice.objections_for(request.user, campaign)[:500])
    return render(request, "awards/notice_admin.html", {
        "campaign": campaign, "families": families, "objections": objections,
        "open_count": sum(1 for o in objections if not o.outcome),
        "may_start": notice.may_start_notice(request.user, campaign) and campaign.status == "open",
        "refusal": notice.notice_refusal(campaign) if campaign.status == "open" else "",
        "in_notice": notice.is_in_notice(campaign, now=now)})


@login_required
@require_POST
def notice_start(request, award_campaign_id: int):
    """开始公示 (chairs and vice-chairs of the awarding unit)."""
    campaign = notice.access_notice_campaign_by_id(request.user, award_campaign_id)
    version = param_int(request.POST, "version", lo=1)
    try:
        started = notice.notice_start(actor=request.user, campaign=campaign, version=version)  # OutOfScope: 404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已开始公示：%(start)s至%(end)s。") % {
            "start": started.notice_from.isoformat(), "end": started.notice_until.isoformat()})
    return redirect("award_notice_admin", award_campaign_id=campaign.pk)


@login_required
def objection_detail(request, award_objection_id: int):
    """One objection, and — for a cadre who may act for the awarding unit — its finding."""
    objection = notice.access_objection_by_id(request.user, award_objection_id)
    may_find = notice.may_find(request.user, objection)
    form = FindingForm(request.POST or None)
    if request.method == "POST":
        if objection.outcome:
            messages.info(request, _("这条异议已经记录了核查结论。"))
            return redirect("award_objection", award_objection_id=objection.pk)
        if not may_find:
            messages.error(request, _("只有评选单位的干部可以记录核查结论。"))
            return redirect("award_objection", award_objection_id=objection.pk)
        if form.is_valid():
            try:
                notice.objection_find(actor=request.user, objection=objection, outcome=form.cleaned_data["outcome"],
                                      finding=form.cleaned_data["finding"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("核查结论已记录。"))
                return redirect("award_notice_admin", award_campaign_id=objection.campaign_id)
    return render(request, "awards/notice_objection.html", {
        "objection": objection, "form": form if may_find else None})
