"""The public showcase (no login): a campaign's awarded families by awarding unit and tier, with their stories,
consenting members' names, public photos and story relays; and the public photo view. Rate limited per address
(AWARD_PAGE_VIEWS_PER_MINUTE, the budget of every public awards page)."""

from django.conf import settings
from django.http import FileResponse
from django.shortcuts import render

from fulian.core.context import client_ip
from fulian.core.ratelimit import rate_hit

from . import awarding

PAGE_LIMIT = "award-page"  # one budget per address for the public awards pages
PHOTO_LIMIT = "award-photo"  # the public photos' own budget per address


def _busy(request) -> bool:
    return not rate_hit(PAGE_LIMIT, client_ip(request), limit=settings.AWARD_PAGE_VIEWS_PER_MINUTE, seconds=60)


def showcase_page(request, award_campaign_id: int):
    """表彰展示: per awarding unit (the campaign's, then the rounds under it), per tier."""
    if _busy(request):
        return render(request, "awards/showcase_busy.html", status=429)
    campaign = awarding.showcase_campaign(award_campaign_id)
    sections = awarding.showcase(campaign)
    response = render(request, "awards/showcase_page.html", {
        "campaign": campaign, "sections": sections, "total": sum(s["count"] for s in sections)})
    response["Cache-Control"] = "public, max-age=300"
    return response


def photo_public(request, award_photo_id: int):
    """A public photo of a family awarded, or shortlisted in 公示 or the vote (404 otherwise, whoever asks). Limited
    per address on a budget of its own (a showcase page shows many photos)."""
    if not rate_hit(PHOTO_LIMIT, client_ip(request), limit=settings.AWARD_PAGE_VIEWS_PER_MINUTE, seconds=60):
        return render(request, "awards/showcase_busy.html", status=429)
    photo = awarding.photo_public(award_photo_id)
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=3600"
    return response
