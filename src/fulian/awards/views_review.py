"""评审 pages: a unit's review queue in a campaign (quota used and left, average scores with outliers, live votes),
a nomination's review page (story, members, photos, the score form, the decision form, 撤回), the awarding unit's
shortlist with its tier quotas, and the Excel download of each stage. Parse, one access function, one service or
selector, render; the rules are awards.review's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from fulian.core.errors import Conflict
from fulian.core.params import param_int
from fulian.core.policy import Action, may_act_for_unit, may_issue_work
from fulian.orgs.selectors import access_unit_by_id

from . import eligibility, exports, review
from .forms_review import DecisionForm, ScoreForm
from .models import NominationState, Score
from .selectors import access_campaign_by_id, access_nomination_by_id


def _unit_for_queue(request, campaign):
    """Her own unit, or (?unit=) a unit she may act for; it must take part in the campaign (its subtree)."""
    unit_id = param_int(request.GET, "unit", default=None, lo=1)
    if unit_id is not None:
        unit = access_unit_by_id(request.user, unit_id, need=Action.EDIT)
    else:
        unit = getattr(request.user, "unit", None)
        if unit is None or not may_act_for_unit(request.user, unit.path):
            raise Http404("no unit to review for")
    if not unit.path.startswith(campaign.unit_path):
        raise Http404("unit not in the campaign")
    return unit


def _queue_url(campaign, unit, user) -> str:
    url = reverse("award_review_queue", args=[campaign.pk])
    own = getattr(user, "unit", None)
    return url if own is not None and own.pk == unit.pk else f"{url}?unit={unit.pk}"


@login_required
def review_queue(request, award_campaign_id: int):
    campaign = access_campaign_by_id(request.user, award_campaign_id)
    unit = _unit_for_queue(request, campaign)
    return render(request, "awards/review_queue.html", {
        **review.queue_for(request.user, campaign, unit),
        "closed": review.review_closed_message(campaign, request.user, timezone.now()),
        "children": unit.children.filter(path__startswith=campaign.unit_path).order_by("code")[:60],
        "stages": _stages(campaign),
    })


def _stages(campaign) -> list[tuple[str, str]]:
    """(download link, label) of each stage's Excel."""
    labels = {"nominations": _("推荐名单"), "scores": _("评分明细"), "recommended": _("各级推荐"),
              "shortlist": _("入围名单"), "awarded": _("表彰名单")}
    return [(reverse(f"award_export_{stage}", args=[campaign.pk]), labels[stage]) for stage in exports.STAGES]


def _page(request, nomination, *, score_form=None, decision_form=None, status=200):
    user, now = request.user, timezone.now()
    campaign = nomination.campaign
    level = nomination.at_unit.level
    may = review.may_review(user, nomination)
    closed = review.review_closed_message(campaign, user, now)
    waiting = nomination.state == NominationState.PENDING
    can_decide = may and waiting and not closed
    tiers = review.tiers_of(campaign) if review.is_awarding_unit(nomination) else []
    if can_decide and score_form is None:
        mine = Score.objects.filter(nomination=nomination, level=level, reviewer=user).first()
        initial = {f"p_{k}": v for k, v in (mine.points if mine else {}).items()} | (
            {"comment": mine.comment} if mine else {})
        score_form = ScoreForm(criteria=campaign.criteria, initial=initial)
    if can_decide and decision_form is None:
        decision_form = DecisionForm(kinds=review.kinds_at(nomination), tiers=campaign.tiers,
                                     initial={"version": nomination.version})
    undo = review.undoable(nomination)
    shown = eligibility.state_shown(user, nomination)
    return render(request, "awards/review_nomination.html", {
        "nomination": nomination, "campaign": campaign, "state_label": eligibility.state_label(user, nomination),
        "reason": eligibility.reason_shown(user, nomination) if shown in (
            NominationState.DECLINED, NominationState.HELD) else "",
        "history": review.history_shown(user, nomination), "photos": nomination.photos.order_by("pk"),
        "summary": review.scores_summary(nomination, level), "level_label": exports.level_label(level),
        "can_decide": can_decide, "closed": closed if may and waiting else "",
        "score_form": score_form if can_decide else None, "decision_form": decision_form if can_decide else None,
        "quota": review.quota_of_unit(campaign, nomination.at_unit) if may and not tiers and not
        review.is_awarding_unit(nomination) else None,
        "tiers": tiers if may else [],
        "undo": undo if undo is not None and may_act_for_unit(user, undo.unit_path) else None,
        "queue": _queue_url(campaign, nomination.at_unit, user) if may else "",
    }, status=status)


@login_required
@require_GET
def review_nomination(request, nomination_id: int):
    return _page(request, access_nomination_by_id(request.user, nomination_id))


@login_required
@require_POST
def review_score(request, nomination_id: int):
    nomination = access_nomination_by_id(request.user, nomination_id)
    if not review.may_review(request.user, nomination):
        raise Http404("may not review")
    form = ScoreForm(request.POST, criteria=nomination.campaign.criteria)
    if form.is_valid():
        try:
            review.score_save(actor=request.user, nomination=nomination, points=form.points(),
                              comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("评分已保存。"))
            return redirect("award_review", nomination_id=nomination.pk)
    return _page(request, nomination, score_form=form, status=400)


@login_required
@require_POST
def review_decide(request, nomination_id: int):
    nomination = access_nomination_by_id(request.user, nomination_id)
    campaign = nomination.campaign
    form = DecisionForm(request.POST, kinds=review.kinds_at(nomination), tiers=campaign.tiers)
    if form.is_valid():
        data = form.cleaned_data
        unit = nomination.at_unit
        try:
            decided = review.decide(actor=request.user, nomination=nomination, kind=data["kind"],
                                    reason=data["reason"], tier=data.get("tier") or "", version=data["version"])
        except Conflict as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("award_review", nomination_id=nomination.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:  # OutOfScope (she may not decide here) is a 404
            # one message for every outcome (a nomination held by the eligibility check reads 未推荐, like a decline)
            messages.success(request, _("已保存决定：%(name)s，%(state)s。") % {
                "name": decided.family_name, "state": eligibility.state_label(request.user, decided)})
            return redirect(_queue_url(campaign, unit, request.user))
    if not review.may_review(request.user, nomination):
        raise Http404("may not review")
    return _page(request, nomination, decision_form=form, status=400)


@login_required
@require_POST
def review_undo(request, nomination_id: int):
    nomination = access_nomination_by_id(request.user, nomination_id)
    version = param_int(request.POST, "version", default=None, lo=1)
    try:
        review.decision_undo(actor=request.user, nomination=nomination, version=version)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已撤回，这条推荐回到本级待评审。"))
    return redirect("award_review", nomination_id=nomination.pk)


@login_required
def shortlist_page(request, award_campaign_id: int):
    campaign = access_campaign_by_id(request.user, award_campaign_id)
    return render(request, "awards/review_shortlist.html", {
        **review.shortlist_for(request.user, campaign),
        "may_review": may_act_for_unit(request.user, campaign.unit_path),
        "may_issue": may_issue_work(request.user, campaign.unit_path), "stages": _stages(campaign),
    })


def _export(stage: str):
    @login_required
    def view(request, award_campaign_id: int):
        campaign = access_campaign_by_id(request.user, award_campaign_id)
        return exports.stage_export(actor=request.user, campaign=campaign, stage=stage)

    view.__name__ = f"export_{stage}"
    return view


export_views = {stage: _export(stage) for stage in exports.STAGES}
