"""The public pages of a campaign (no login): its page with the shortlist and the vote while the vote runs, proving a
phone to vote, the vote itself, and 公示 with its objection form. Every page shares the awards' budget of views per
address (AWARD_PAGE_VIEWS_PER_MINUTE); the voter pass lives in a cookie of the campaign's own pages only."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fulian.core.context import client_ip
from fulian.core.params import param_int
from fulian.core.ratelimit import rate_hit

from . import notice, voting
from .forms_public import ObjectionForm, VoterForm
from .models import CampaignStatus

PAGE_LIMIT = "award-page"  # the one budget per address of the public awards pages (the showcase's too)


def _busy(request) -> bool:
    return not rate_hit(PAGE_LIMIT, client_ip(request), limit=settings.AWARD_PAGE_VIEWS_PER_MINUTE, seconds=60)


def _too_many(request):
    return _private(render(request, "public_busy.html", status=429))


def _private(response):
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def pass_cookie(campaign_id: int) -> str:
    return f"award_voter_{campaign_id}"


def _pass_of(request, campaign_id: int) -> str:
    return request.COOKIES.get(pass_cookie(campaign_id), "")


INDEX_ROWS = 50


def campaign_index(request):
    """家庭评选 on the portal: the campaigns of the last two years, newest first (?place=<a unit's code> keeps those
    of the units above her and of her own), each with its stage and where to go."""
    if _busy(request):
        return _too_many(request)
    now = timezone.now()
    campaigns = notice.campaigns_for_public(place=request.GET.get("place", ""), year=timezone.localdate(now).year)
    rows = [{"campaign": c, "stage": notice.public_stage(c, now=now)} for c in campaigns[:INDEX_ROWS]]
    return _private(render(request, "awards/public_index.html", {"rows": rows}))


def campaign_page(request, award_campaign_id: int):
    """评选 on the portal: the campaign and its stage; while the vote runs, the shortlisted families with the
    live count and a vote button."""
    if _busy(request):
        return _too_many(request)
    campaign = notice.public_campaign_or_404(award_campaign_id)
    now = timezone.now()
    vote_open = voting.vote_is_open(campaign, now=now)
    cards, voted_for, has_pass = [], None, False
    if vote_open:
        cards = voting.public_cards(campaign, counts=voting.vote_counts(campaign))
        hashed = voting.voter_pass_read(_pass_of(request, campaign.pk), campaign_id=campaign.pk, now=now)
        has_pass = hashed is not None
        voted_for = voting.voted_today(campaign.pk, hashed, now=now)
    return _private(render(request, "awards/public_campaign.html", {
        "campaign": campaign, "stage": notice.public_stage(campaign, now=now), "vote_open": vote_open, "cards": cards,
        "voted_for": voted_for, "voted_name": next((c["family_name"] for c in cards if c["id"] == voted_for), ""),
        "has_pass": has_pass, "in_notice": campaign.status == CampaignStatus.NOTICE,
        "vote_refusal": voting.vote_refusal(campaign, now=now) if campaign.vote_from else ""}))


def _set_pass(response, campaign_id: int, voter_pass: voting.VoterPass):
    response.set_cookie(pass_cookie(campaign_id), voter_pass.token, expires=voter_pass.expires_at,
                        path=reverse("award_public", args=[campaign_id]), secure=settings.SESSION_COOKIE_SECURE,
                        httponly=True, samesite="Lax")
    return response


def vote_verify(request, award_campaign_id: int):
    """验证手机号: the one-time code, once; then the vote she came to cast (if she picked a family) is cast."""
    if _busy(request):
        return _too_many(request)
    campaign = notice.public_campaign_or_404(award_campaign_id)
    now = timezone.now()
    refusal = voting.vote_refusal(campaign, now=now)
    nomination = param_int(request.GET, "n", lo=1)
    form = VoterForm(request.POST or None, initial={"nomination": nomination})
    if request.method == "POST" and not refusal and "send_code" in request.POST:
        form = VoterForm(None, initial={k: request.POST.get(k, "") for k in ("phone", "nomination")})
        try:
            voting.voter_code_send(campaign=campaign, phone=request.POST.get("phone", ""), now=now)
            messages.info(request, _("验证码已发送到您的手机，请填写收到的6位数字。"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    elif request.method == "POST" and not refusal and form.is_valid():
        data = form.cleaned_data
        try:
            voter_pass = voting.voter_pass_issue(campaign=campaign, phone=data["phone"], code=data["code"], now=now)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            back = reverse("award_public", args=[campaign.pk])
            if data.get("nomination"):
                _cast(request, campaign.pk, data["nomination"], voter_pass.token, now)
                back += f"#family-{data['nomination']}"
            else:
                messages.success(request, _("手机号已验证，今天可以投票了。"))
            return _private(_set_pass(redirect(back), campaign.pk, voter_pass))
    return _private(render(request, "awards/public_vote_verify.html", {
        "campaign": campaign, "form": form, "refusal": refusal}))


def _cast(request, campaign_id: int, nomination_id, token: str, now) -> bool:
    """Cast the vote and say how it went; False when the pass is no longer good (she proves her phone again)."""
    try:
        result = voting.vote_cast(campaign_id=campaign_id, nomination_id=nomination_id, voter_pass=token, now=now)
    except ValidationError as exc:
        if exc.code == "award_vote_pass":
            return False
        messages.error(request, " ".join(exc.messages))
        return True
    (messages.success if result.counted else messages.info)(request, result.message)
    return True


@require_POST
def vote(request, award_campaign_id: int):
    """投票: with the pass in her cookie, one request; without one (or an old one), to 验证手机号 first. The vote
    itself checks the campaign, its vote window and the family in its one statement, and has its own limit per
    address (AWARD_VOTES_PER_ADDRESS): nothing is read before it."""
    campaign_id = award_campaign_id
    nomination = param_int(request.POST, "nomination", lo=1)
    if not _cast(request, campaign_id, nomination, _pass_of(request, campaign_id), timezone.now()):
        url = reverse("award_vote_verify", args=[campaign_id])
        return _private(redirect(f"{url}?n={nomination}" if nomination else url))
    back = reverse("award_public", args=[campaign_id])
    return _private(redirect(f"{back}#family-{nomination}" if nomination else back))


def notice_page(request, award_campaign_id: int):
    """公示: the shortlisted families (consenting members' names, the story), the period, and a form to lodge an
    objection while the period runs. A double submit gives one objection; her input stays on a refusal."""
    if _busy(request):
        return _too_many(request)
    campaign = notice.public_campaign_or_404(award_campaign_id)
    now = timezone.now()
    shown = campaign.status in (CampaignStatus.NOTICE, CampaignStatus.AWARDED) and campaign.notice_from is not None
    cards = voting.public_cards(campaign) if campaign.status == CampaignStatus.NOTICE else []
    is_open = notice.is_in_notice(campaign, now=now)
    form = ObjectionForm(request.POST or None, families=cards)
    if request.method == "POST" and is_open and form.is_valid():
        data = form.cleaned_data
        try:
            notice.objection_lodge(campaign=campaign, nomination_id=data["nomination"], text=data["text"],
                                   name=data["name"], contact=data["contact"], anonymous=data["anonymous"],
                                   client_token=data["client_token"], now=now)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, notice.received_message())
            return _private(redirect("award_public_notice", award_campaign_id=campaign.pk))
    elif request.method == "POST" and not is_open:
        messages.error(request, _("这项评选不在公示期内，不能再反映意见。"))
        return _private(redirect("award_public_notice", award_campaign_id=campaign.pk))
    return _private(render(request, "awards/public_notice.html", {
        "campaign": campaign, "cards": cards, "shown": shown, "open": is_open, "form": form,
        "stage": notice.public_stage(campaign, now=now)}))
