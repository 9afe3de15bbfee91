"""The awarding page, 表彰 one or all, the printable certificate — from the outside, with the next county's chair
answered 404 as for a record that does not exist."""

import datetime as dt

import pytest
from django.utils import timezone

from fulian.accounts.tests.factories import UserFactory
from fulian.awards import awarding
from fulian.awards.models import CampaignStatus, NominationState, Objection
from fulian.core.certificates import certificate_code
from fulian.core.policy import Role

from .outsiders_awarding import county_round, notice_over, shortlisted

pytestmark = pytest.mark.django_db


def test_the_awarding_page_shows_what_blocks_each_family_and_awards_one(campaign, unit, city_chair, client_for):
    notice_over(campaign)
    ready = shortlisted(campaign, unit("恒东社区"), name="王秀兰家", tier="十佳")
    blocked = shortlisted(campaign, unit("张家庄村"), name="李玉梅家", tier="百优")
    Objection.objects.create(nomination=blocked, campaign=campaign, unit_path=campaign.unit_path, text="不属实",
                             lodged_at=timezone.now() - dt.timedelta(days=2))
    client = client_for(city_chair)
    page = client.get(f"/awards/campaigns/{campaign.pk}/awarding/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "王秀兰家" in text and "李玉梅家" in text and "有异议尚未核查" in text
    assert f"/awards/nominations/{ready.pk}/award/" in text and f"/awards/nominations/{blocked.pk}/award/" not in text
    answer = client.post(f"/awards/nominations/{ready.pk}/award/", {"version": ready.version})
    assert answer.status_code == 302 and answer["Location"] == f"/awards/campaigns/{campaign.pk}/awarding/"
    ready.refresh_from_db()
    assert ready.state == NominationState.AWARDED and ready.certificate_id
    page = client.get(f"/awards/campaigns/{campaign.pk}/awarding/")
    assert ready.certificate.number in page.content.decode()


def test_a_blocked_award_answers_with_the_reason(campaign, unit, city_chair, client_for):
    nomination = shortlisted(notice_over(campaign, days_ago=-3), unit("恒东社区"), tier="十佳")
    client = client_for(city_chair)
    answer = client.post(f"/awards/nominations/{nomination.pk}/award/", follow=True)
    assert "公示期尚未结束" in answer.content.decode()
    nomination.refresh_from_db()
    assert nomination.state == NominationState.SHORTLISTED


def test_staff_see_the_page_without_buttons_and_cannot_award(campaign, unit, client_for):
    nomination = shortlisted(notice_over(campaign), unit("恒东社区"), tier="十佳")
    staff = UserFactory(username="city-staff", unit=unit("石家庄市"), roles=[Role.STAFF])
    client = client_for(staff)
    page = client.get(f"/awards/campaigns/{campaign.pk}/awarding/")
    assert page.status_code == 200 and "/award/" not in page.content.decode()
    assert client.post(f"/awards/nominations/{nomination.pk}/award/").status_code == 404
    assert client.post(f"/awards/campaigns/{campaign.pk}/award-all/").status_code == 404
    nomination.refresh_from_db()
    assert nomination.state == NominationState.SHORTLISTED


def test_award_all_from_the_page_closes_the_campaign(campaign, unit, city_chair, client_for):
    notice_over(campaign)
    for name, village in (("王秀兰家", "恒东社区"), ("李玉梅家", "张家庄村")):
        shortlisted(campaign, unit(village), name=name, tier="百优")
    answer = client_for(city_chair).post(f"/awards/campaigns/{campaign.pk}/award-all/", follow=True)
    assert "已表彰2户家庭" in answer.content.decode()
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.AWARDED


def test_the_certificate_page_is_printable_numbered_with_a_qr_of_the_verify_link(campaign, unit, city_chair,
                                                                                 county_chair, client_for):
    done = awarding.award(actor=city_chair, nomination=shortlisted(notice_over(campaign), unit("恒东社区"),
                                                                   tier="十佳"))
    for cadre in (city_chair, county_chair):  # the awarding unit and the family's county alike
        page = client_for(cadre).get(f"/awards/nominations/{done.pk}/certificate/")
        assert page.status_code == 200
        text = page.content.decode()
        assert done.certificate.number in text and certificate_code(done.certificate) in text
        assert "<svg" in text and "2026年度石家庄市最美家庭（十佳）" in text and "data-print" in text


def test_no_certificate_page_before_the_award(campaign, unit, city_chair, client_for):
    nomination = shortlisted(notice_over(campaign), unit("恒东社区"), tier="十佳")
    assert client_for(city_chair).get(f"/awards/nominations/{nomination.pk}/certificate/").status_code == 404


def test_the_next_county_gets_404_on_every_awarding_page(unit, county_chair, sibling_county_cadre, client_for):
    round_ = notice_over(county_round(chair=county_chair, county=unit("正定县")))
    pending = shortlisted(round_, unit("恒东社区"), name="李玉梅家")
    done = awarding.award(actor=county_chair, nomination=shortlisted(round_, unit("张家庄村")))
    client = client_for(sibling_county_cadre)
    for url in (f"/awards/campaigns/{round_.pk}/awarding/", f"/awards/nominations/{done.pk}/certificate/"):
        assert client.get(url).status_code == 404, url
    for url in (f"/awards/nominations/{pending.pk}/award/", f"/awards/campaigns/{round_.pk}/award-all/"):
        assert client.post(url).status_code == 404, url
    pending.refresh_from_db()
    assert pending.state == NominationState.SHORTLISTED


def test_once_the_last_blocked_family_is_declined_the_page_closes_the_campaign(campaign, unit, city_chair,
                                                                                client_for):
    notice_over(campaign)
    shortlisted(campaign, unit("恒东社区"), name="王秀兰家", tier="十佳")
    upheld = shortlisted(campaign, unit("张家庄村"), name="李玉梅家", tier="百优")
    Objection.objects.create(nomination=upheld, campaign=campaign, unit_path=campaign.unit_path, text="属实",
                             lodged_at=timezone.now())
    client = client_for(city_chair)
    client.post(f"/awards/campaigns/{campaign.pk}/award-all/")
    type(upheld).objects.filter(pk=upheld.pk).update(state=NominationState.DECLINED)  # the finding: 反映属实
    page = client.get(f"/awards/campaigns/{campaign.pk}/awarding/").content.decode()
    assert "完成表彰" in page
    client.post(f"/awards/campaigns/{campaign.pk}/award-all/")
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.AWARDED
