"""The API of 表彰 and certificates: the same services as the pages; refusals are 400 with the reason, a stale
version 409, anyone outside 404."""

import datetime as dt

import pytest
from django.utils import timezone

from fulian.awards import awarding
from fulian.awards.models import NominationState, Objection

from .outsiders_awarding import county_round, notice_over, shortlisted

pytestmark = pytest.mark.django_db


def test_award_through_the_api_returns_the_certificate(campaign, unit, city_chair, api_for):
    nomination = shortlisted(notice_over(campaign), unit("恒东社区"), tier="十佳")
    api = api_for(city_chair)
    listed = api.get(f"/api/v1/awards/campaigns/{campaign.pk}/awarding").json()
    assert listed["may_award"] and [r["blockers"] for r in listed["rows"]] == [[]]
    answer = api.post(f"/api/v1/awards/nominations/{nomination.pk}/award", {"version": nomination.version},
                      content_type="application/json")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["state"] == "awarded" and body["certificate"]["title"] == "2026年度石家庄市最美家庭（十佳）"
    assert body["certificate"]["verify_url"].endswith(f"/verify/{body['certificate']['code']}/")
    certificate = api.get(f"/api/v1/awards/nominations/{nomination.pk}/certificate").json()
    assert certificate["number"] == body["certificate"]["number"] and certificate["is_valid"]


def test_a_blocked_award_is_400_with_the_reason_and_a_stale_version_409(campaign, unit, city_chair, api_for):
    nomination = shortlisted(notice_over(campaign), unit("恒东社区"), tier="十佳")
    objection = Objection.objects.create(nomination=nomination, campaign=campaign, unit_path=campaign.unit_path,
                                         text="不属实", lodged_at=timezone.now() - dt.timedelta(days=1))
    api = api_for(city_chair)
    answer = api.post(f"/api/v1/awards/nominations/{nomination.pk}/award", {}, content_type="application/json")
    assert answer.status_code == 400 and "有异议尚未核查" in answer.json()["detail"]
    objection.delete()
    stale = api.post(f"/api/v1/awards/nominations/{nomination.pk}/award", {"version": nomination.version + 5},
                     content_type="application/json")
    assert stale.status_code == 409
    nomination.refresh_from_db()
    assert nomination.state == NominationState.SHORTLISTED


def test_award_all_through_the_api(campaign, unit, city_chair, api_for):
    notice_over(campaign)
    first = shortlisted(campaign, unit("恒东社区"), tier="百优")
    second = shortlisted(campaign, unit("张家庄村"), name="李玉梅家", tier="百优")
    Objection.objects.create(nomination=second, campaign=campaign, unit_path=campaign.unit_path, text="x",
                             lodged_at=timezone.now())
    body = api_for(city_chair).post(f"/api/v1/awards/campaigns/{campaign.pk}/award-all").json()
    assert body["awarded"] == [first.pk] and not body["campaign_awarded"]
    assert [b["nomination_id"] for b in body["blocked"]] == [second.pk]


def test_the_api_answers_404_outside(unit, county_chair, sibling_county_cadre, township_cadre, api_for, campaign,
                                     city_chair):
    round_ = notice_over(county_round(chair=county_chair, county=unit("正定县")))
    pending = shortlisted(round_, unit("恒东社区"), name="李玉梅家")
    done = awarding.award(actor=county_chair, nomination=shortlisted(round_, unit("张家庄村")))
    api = api_for(sibling_county_cadre)
    assert api.get(f"/api/v1/awards/campaigns/{round_.pk}/awarding").status_code == 404
    assert api.post(f"/api/v1/awards/campaigns/{round_.pk}/award-all").status_code == 404
    assert api.post(f"/api/v1/awards/nominations/{pending.pk}/award", {},
                    content_type="application/json").status_code == 404
    assert api.get(f"/api/v1/awards/nominations/{done.pk}/certificate").status_code == 404
    city_pending = shortlisted(notice_over(campaign), unit("恒东社区"), name="赵淑珍家", tier="十佳")
    assert api_for(township_cadre).post(f"/api/v1/awards/nominations/{city_pending.pk}/award", {},
                                        content_type="application/json").status_code == 404
    pending.refresh_from_db()
    city_pending.refresh_from_db()
    assert pending.state == city_pending.state == NominationState.SHORTLISTED
