"""Records of nominations' id routes for api/tests/test_outsiders.py: 正定县's 最美家庭 campaign to its villages,
a nomination of 恒东社区 (正定县) with a photo, held by the eligibility check for an open domestic-violence case of
its woman. Public routes to allow-list (with the reason): "honour/<int:award_campaign_id>/nominate/" and
".../nominate/done/" (the portal's nomination page of a campaign open to it: 404 for any other),
"/api/v1/public/awards/{award_campaign_id}/code" and ".../nominations" (the same with a one-time code)."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

JPEG = b"\xff\xd8\xff\xe0" + b"0" * 100


def records(*, county, village, chair, cadre) -> dict:
    from fulian.awards import nominations
    from fulian.awards.campaigns import campaign_launch
    from fulian.awards.eligibility import eligibility_check
    from fulian.cases.services import case_intake
    from fulian.people.families import family_create
    from fulian.people.services import WomanData, woman_create

    today = timezone.localdate()
    campaign = campaign_launch(actor=chair, unit=county, kind="most_beautiful", name="最美家庭（outsiders）",
                               year=today.year, level=5, nominate_until=today + dt.timedelta(days=10),
                               review_until=today + dt.timedelta(days=30))
    woman = woman_create(actor=chair, data=WomanData(name="赵秀荣", home_unit=village, phone="13803119901"))
    family = family_create(actor=chair, unit=village, name="赵秀荣家", phone="13803119901", woman=woman)
    nomination = nominations.nomination_create(
        actor=chair, campaign=campaign, channel="org", family=family,
        story="邻里和睦，孝老爱亲，热心公益二十年如一日。",
        members=[{"name": "赵秀荣", "consent": True}], photos=[SimpleUploadedFile("a.jpg", JPEG)])
    case_intake(kind="dv", home_unit=village, description="求助", source="hotline", woman=woman)
    eligibility_check(nomination=nomination, actor=cadre)
    return {"award_campaign_id": campaign.pk, "nomination_id": nomination.pk,
            "award_photo_id": nomination.photos.get().pk, "eligibility_check_id": nomination.checks.get().pk}
