"""The portal's nomination page (/honour/<campaign>/nominate/, no login): a woman puts forward her own family
(自我推荐) or another's (他人推荐) with her phone proved by a one-time code (获取验证码), then reads what happens
next. Rate limited per address (AWARD_PAGE_VIEWS_PER_MINUTE); never cached nor indexed. Rules: awards.nominations."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from fulian.core.context import client_ip
from fulian.core.picker import Picked
from fulian.core.ratelimit import rate_hit

from . import nominations
from .forms_nominations import PublicNominateForm, member_rows, members_posted

KEPT = ("is_self", "family_name", "family_phone", "title", "story", "nominator_name",
        "nominator_phone", "client_token")


def _busy(request) -> bool:
    return not rate_hit("award-page", client_ip(request), limit=settings.AWARD_PAGE_VIEWS_PER_MINUTE, seconds=60)


def _private(response):
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _too_many(request):
    return _private(render(request, "awards/public_nominate_busy.html", status=429))


def nominate(request, award_campaign_id: int):
    if _busy(request):
        return _too_many(request)
    campaign = nominations.campaign_for_portal(award_campaign_id)
    now = timezone.now()
    is_open = nominations.nominations_open(campaign, now=now)
    form = PublicNominateForm(request.POST or None, campaign=campaign)
    members = members_posted(request.POST) if request.method == "POST" else []
    if request.method == "POST" and is_open and "send_code" in request.POST:
        form = PublicNominateForm(None, campaign=campaign, initial={k: request.POST.get(k, "") for k in KEPT})
        form.initial["village"] = _village_picked(request.POST)
        try:
            nominations.nomination_code_send(campaign=campaign, phone=request.POST.get("nominator_phone", ""),
                                             now=now)
            messages.info(request, _("验证码已发送到推荐人的手机，请填写收到的6位数字后提交推荐。"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    elif request.method == "POST" and is_open and form.is_valid():
        data = form.cleaned_data
        try:
            nominations.nomination_submit_public(
                campaign=campaign, village=data["village"], family_name=data["family_name"], story=data["story"],
                nominator_name=data["nominator_name"], nominator_phone=data["nominator_phone"], code=data["code"],
                is_self=data["is_self"], members=members, family_phone=data["family_phone"], title=data["title"],
                photos=request.FILES.getlist("photos"), client_token=data["client_token"], now=now)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _private(redirect("honour_nominate_done", award_campaign_id=campaign.pk))
    return _private(render(request, "awards/public_nominate.html", {
        "campaign": campaign, "form": form, "open": is_open, "members": member_rows(members),
        "max_photos": nominations.MAX_PHOTOS}))


def _village_picked(post) -> Picked:
    """What she typed or picked in the village picker, kept across 获取验证码."""
    return Picked(text=post.get("village", ""), key=post.get("village_key", ""))


def nominate_done(request, award_campaign_id: int):
    """What happens next (the same page whatever became of the nomination: nothing is told about the registry)."""
    if _busy(request):
        return _too_many(request)
    campaign = nominations.campaign_for_portal(award_campaign_id)
    return _private(render(request, "awards/public_nominate_done.html", {"campaign": campaign}))
