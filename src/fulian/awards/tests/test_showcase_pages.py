"""The public showcase: awarded families by awarding unit and tier, with consenting members' names only, public
photos and story relays; photos only of awarded (or in-notice) families marked public; rate limited."""

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from fulian.awards import awarding, relay
from fulian.awards.campaigns import campaign_launch
from fulian.awards.models import AwardCampaign, CampaignStatus, Photo

from .conftest import day
from .outsiders_awarding import notice_over, shortlisted

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _photo(nomination, *, public=True):
    photo = Photo(nomination=nomination, content_type="image/png", public=public, uploaded_at=timezone.now())
    photo.file.save("family.png", ContentFile(PNG), save=False)
    photo.save()
    return photo


@pytest.fixture
def awarded(campaign, unit, city_chair, village_cadre):
    notice_over(campaign)
    top = shortlisted(campaign, unit("恒东社区"), name="王秀兰家", tier="十佳")
    good = shortlisted(campaign, unit("张家庄村"), name="李玉梅家", tier="百优")
    waiting = shortlisted(campaign, unit("西柏棠村"), name="赵淑珍家", tier="百优")
    for nomination in (top, good):
        awarding.award(actor=city_chair, nomination=nomination)
    relay.relay_create(actor=village_cadre, nomination=top, venue="school", title="最美家庭进校园",
                       held_on=timezone.localdate())
    return top, good, waiting


def test_the_showcase_shows_awarded_families_by_tier_with_consenting_names_only(campaign, awarded):
    top, good, waiting = awarded
    page = Client().get(f"/honour/{campaign.pk}/showcase/")
    assert page.status_code == 200
    text = page.content.decode()
    assert text.index("十佳") < text.index("王秀兰家") < text.index("百优") < text.index("李玉梅家")
    assert "王秀兰" in text and "李建国" not in text  # he did not consent to be shown
    assert "赵淑珍家" not in text  # still waiting for its award
    assert "最美家庭进校园" in text and "进校园" in text and "孝老爱亲" in text


def test_photos_are_public_only_when_marked_so_and_the_family_is_awarded(campaign, awarded):
    top, good, waiting = awarded
    shown, private, not_yet = _photo(top), _photo(good, public=False), _photo(waiting)
    text = Client().get(f"/honour/{campaign.pk}/showcase/").content.decode()
    assert f"/honour/photos/{shown.pk}/" in text and f"/honour/photos/{private.pk}/" not in text
    answer = Client().get(f"/honour/photos/{shown.pk}/")
    assert answer.status_code == 200 and answer["Content-Type"] == "image/png"
    assert b"".join(answer.streaming_content) == PNG
    assert Client().get(f"/honour/photos/{private.pk}/").status_code == 404
    AwardCampaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.AWARDED, vote_until=None,
                                                        vote_from=None)
    assert Client().get(f"/honour/photos/{not_yet.pk}/").status_code == 404  # shortlisted, no longer in 公示


def test_a_shortlisted_familys_photo_is_public_during_notice(campaign, unit):
    notice_over(campaign, days_ago=-3)  # 公示 still running
    nomination = shortlisted(campaign, unit("恒东社区"), tier="十佳")
    assert Client().get(f"/honour/photos/{_photo(nomination).pk}/").status_code == 200


def test_a_lower_units_round_shows_per_level(campaign, awarded, unit, county_chair):
    county = campaign_launch(actor=county_chair, unit=unit("正定县"), kind="most_beautiful",
                             name="2026年度正定县“最美家庭”", year=2026, level=4, nominate_until=day(5),
                             review_until=day(20), parent=campaign)
    notice_over(county)
    awarding.award(actor=county_chair, nomination=shortlisted(county, unit("西柏棠村"), name="张桂英家"))
    sections = awarding.showcase(campaign)
    assert [(s["campaign"].pk, s["level"]) for s in sections] == [(campaign.pk, 2), (county.pk, 3)]
    text = Client().get(f"/honour/{campaign.pk}/showcase/").content.decode()
    assert text.index("王秀兰家") < text.index("正定县妇联") < text.index("张桂英家")
    own = Client().get(f"/honour/{county.pk}/showcase/").content.decode()
    assert "张桂英家" in own and "王秀兰家" not in own and f"/honour/{campaign.pk}/showcase/" in own


def test_a_cancelled_or_missing_campaign_is_404(campaign):
    AwardCampaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.CANCELLED)
    assert Client().get(f"/honour/{campaign.pk}/showcase/").status_code == 404
    assert Client().get("/honour/999999/showcase/").status_code == 404
    assert Client().get("/api/v1/public/awards/999999/showcase").status_code == 404


def test_before_any_award_the_showcase_says_so(campaign):
    page = Client().get(f"/honour/{campaign.pk}/showcase/")
    assert page.status_code == 200 and "表彰结果尚未公布" in page.content.decode()


def test_the_showcase_is_rate_limited_per_address(campaign, settings):
    settings.AWARD_PAGE_VIEWS_PER_MINUTE = 2
    client = Client()
    assert [client.get(f"/honour/{campaign.pk}/showcase/").status_code for _ in range(3)] == [200, 200, 429]
    assert client.get(f"/api/v1/public/awards/{campaign.pk}/showcase").status_code == 429


def test_the_public_showcase_api(campaign, awarded):
    top, good, waiting = awarded
    photo = _photo(top)
    body = Client().get(f"/api/v1/public/awards/{campaign.pk}/showcase").json()
    (section,) = body["sections"]
    assert [t["name"] for t in section["tiers"]] == ["十佳", "百优"]
    family = section["tiers"][0]["families"][0]
    assert family["family_name"] == "王秀兰家" and family["members"] == ["王秀兰"]
    assert family["photo_urls"] == [f"http://testserver/honour/photos/{photo.pk}/"]
    assert [r["title"] for r in family["relays"]] == ["最美家庭进校园"]
    assert "family_phone" not in family and "nominator_phone" not in str(body)
