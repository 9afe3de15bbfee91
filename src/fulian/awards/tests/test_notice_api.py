"""The cadre's 公示 API: start it (leaders of the awarding unit), list the objections, record a finding; a sibling
county gets 404 for the objections; the county that recommended a family sees those about it."""

import json

import pytest

from fulian.awards import notice
from fulian.awards.models import CampaignStatus, NominationState
from fulian.awards.tests.outsiders_notice import records, shortlisted_family


@pytest.fixture
def shortlist(campaign, unit):
    return shortlisted_family(campaign, unit("恒东社区"), tier="十佳")


def post(api, url, body):
    return api.post(f"/api/v1{url}", json.dumps(body), content_type="application/json")


def test_a_leader_starts_the_notice_and_a_second_start_is_409(api_for, campaign, shortlist, city_chair):
    api = api_for(city_chair)
    before = api.get(f"/api/v1/awards/campaigns/{campaign.pk}/notice").json()
    assert (before["may_start"], before["refusal"]) == (True, "")

    started = post(api, f"/awards/campaigns/{campaign.pk}/notice", {"version": campaign.version})
    again = post(api, f"/awards/campaigns/{campaign.pk}/notice", {})

    assert started.status_code == 200 and started.json()["status"] == CampaignStatus.NOTICE
    assert started.json()["notice_until"] is not None
    assert again.status_code == 409


def test_a_stale_version_is_409(api_for, campaign, shortlist, city_chair):
    assert post(api_for(city_chair), f"/awards/campaigns/{campaign.pk}/notice",
                {"version": campaign.version + 5}).status_code == 409


def test_no_notice_without_a_shortlist_is_400(api_for, campaign, city_chair):
    refused = post(api_for(city_chair), f"/awards/campaigns/{campaign.pk}/notice", {})
    assert refused.status_code == 400 and "还没有确定入围" in refused.json()["detail"]


def test_objections_and_findings(api_for, campaign, shortlist, city_chair):
    started = notice.notice_start(actor=city_chair, campaign=campaign)
    objection = notice.objection_lodge(campaign=started, nomination_id=shortlist.pk, text="反映情况",
                                       now=_in(started))
    api = api_for(city_chair)

    listed = api.get(f"/api/v1/awards/campaigns/{campaign.pk}/objections").json()
    assert [(o["id"], o["outcome"], o["may_find"]) for o in listed] == [(objection.pk, "", True)]

    bad = post(api, f"/awards/objections/{objection.pk}/finding", {"outcome": "maybe", "finding": "x"})
    found = post(api, f"/awards/objections/{objection.pk}/finding", {"outcome": "upheld", "finding": "属实"})
    again = post(api, f"/awards/objections/{objection.pk}/finding", {"outcome": "dismissed", "finding": "不属实"})

    assert bad.status_code == 422
    assert found.status_code == 200 and found.json()["outcome"] == "upheld"
    assert again.status_code == 409
    shortlist.refresh_from_db()
    assert shortlist.state == NominationState.DECLINED


def test_a_sibling_county_gets_404_and_the_reviewing_county_sees_its_objection(
        api_for, unit, county_chair, village_cadre, sibling_county_cadre, campaign, shortlist, city_chair):
    ids = records(county=unit("正定县"), village=unit("恒东社区"), chair=county_chair, cadre=village_cadre)
    from fulian.awards.models import Objection

    objection = Objection.objects.get(pk=ids["award_objection_id"])
    api = api_for(sibling_county_cadre)
    for url in (f"/api/v1/awards/campaigns/{objection.campaign_id}/notice",
                f"/api/v1/awards/campaigns/{objection.campaign_id}/objections",
                f"/api/v1/awards/objections/{objection.pk}"):
        assert api.get(url).status_code == 404, url
    assert post(api, f"/awards/objections/{objection.pk}/finding",
                {"outcome": "upheld", "finding": "x"}).status_code == 404
    assert post(api, f"/awards/campaigns/{objection.campaign_id}/notice", {}).status_code == 404
    # the city's campaign: an objection goes to the county that recommended the family, not to the one next door
    started = notice.notice_start(actor=city_chair, campaign=campaign)
    city_objection = notice.objection_lodge(campaign=started, nomination_id=shortlist.pk, text="…", now=_in(started))
    assert api.get(f"/api/v1/awards/objections/{city_objection.pk}").status_code == 404
    assert api.get(f"/api/v1/awards/campaigns/{campaign.pk}/objections").json() == []
    below = api_for(county_chair)
    assert below.get(f"/api/v1/awards/objections/{city_objection.pk}").status_code == 200
    assert Objection.objects.get(pk=objection.pk).outcome == ""


def _in(campaign):
    import datetime as dt

    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(campaign.notice_from, dt.time(10)))
