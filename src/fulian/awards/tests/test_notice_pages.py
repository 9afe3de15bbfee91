"""公示 pages: the public notice page and its objection form (no login), the cadre's 公示和异议 page (start it, see the
objections, record findings); a sibling county sees no objection of another (404)."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fulian.awards import notice
from fulian.awards.models import CampaignStatus, NominationState, Objection
from fulian.awards.tests.outsiders_notice import shortlisted_family
from fulian.core.tree import SEGMENT


@pytest.fixture
def shortlist(campaign, unit):
    return shortlisted_family(campaign, unit("恒东社区"), tier="十佳")


@pytest.fixture
def in_notice(campaign, shortlist, city_chair):
    """公示 that runs today (whatever day the tests run on)."""
    started = notice.notice_start(actor=city_chair, campaign=campaign)
    today = timezone.localdate()
    type(started).objects.filter(pk=started.pk).update(notice_from=today, notice_until=today + dt.timedelta(days=7))
    started.refresh_from_db()
    return started


def lodge(client, campaign, family, **extra):
    data = {"nomination": family.pk, "text": "这家人常年不赡养老人。", "name": "", "contact": "",
            "client_token": "tok-1"} | extra
    follow = data.pop("follow", False)
    return client.post(reverse("award_public_notice", args=[campaign.pk]), data, follow=follow)


def test_the_notice_page_shows_the_shortlist_and_the_period(client, in_notice, shortlist):
    body = client.get(reverse("award_public_notice", args=[in_notice.pk])).content.decode()
    assert "王秀兰家" in body and "孝老爱亲" in body and "李建国" not in body
    assert in_notice.notice_from.isoformat() in body and "反映意见" in body


def test_a_woman_lodges_an_objection_once_however_often_she_taps(client, in_notice, shortlist):
    first = lodge(client, in_notice, shortlist, contact="13900001111")
    again = lodge(client, in_notice, shortlist, contact="13900001111")

    assert first.status_code == again.status_code == 302
    objection = Objection.objects.get()
    assert (objection.nomination, objection.contact, objection.unit_path) == (  # to the county that recommended it
        shortlist, "13900001111", shortlist.unit_path[:len(in_notice.unit_path) + SEGMENT])
    page = Client().get(first.url)  # another visitor sees nothing of it
    assert "13900001111" not in page.content.decode()


def test_a_refused_objection_keeps_what_she_wrote(client, in_notice, shortlist):
    page = lodge(client, in_notice, shortlist, nomination="", text="她写下的很长一段话")
    assert page.status_code == 200
    assert "她写下的很长一段话" in page.content.decode()
    assert Objection.objects.count() == 0


def test_outside_the_period_the_form_is_gone_and_a_post_is_refused(client, in_notice, shortlist):
    type(in_notice).objects.filter(pk=in_notice.pk).update(notice_until=timezone.localdate() - dt.timedelta(days=1))
    assert "反映意见" not in client.get(reverse("award_public_notice", args=[in_notice.pk])).content.decode()
    page = lodge(client, in_notice, shortlist, follow=True)
    assert "不在公示期内" in page.content.decode() and Objection.objects.count() == 0


def test_before_the_notice_the_page_says_so(client, campaign, shortlist):
    body = client.get(reverse("award_public_notice", args=[campaign.pk])).content.decode()
    assert "还没有公示" in body and "王秀兰家" not in body


def test_a_leader_starts_the_notice_from_the_page(client_for, campaign, shortlist, city_chair):
    client = client_for(city_chair)
    page = client.get(reverse("award_notice_admin", args=[campaign.pk]))
    assert "开始公示" in page.content.decode()

    client.post(reverse("award_notice_start", args=[campaign.pk]), {"version": campaign.version})

    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.NOTICE and campaign.notice_until is not None


def test_staff_may_not_start_the_notice(client_for, campaign, shortlist, unit):
    from fulian.accounts.tests.factories import UserFactory
    from fulian.core.policy import Role

    staff = UserFactory(username="city-staff", unit=unit("石家庄市"), roles=[Role.STAFF])
    response = client_for(staff).post(reverse("award_notice_start", args=[campaign.pk]))
    assert response.status_code == 404
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.OPEN


def test_the_cadre_records_a_finding_that_declines_the_family(client_for, in_notice, shortlist, city_chair):
    objection = notice.objection_lodge(campaign=in_notice, nomination_id=shortlist.pk, text="反映情况")
    client = client_for(city_chair)
    listed = client.get(reverse("award_notice_admin", args=[in_notice.pk])).content.decode()
    assert "反映情况" in listed and "1件待核查" in listed

    empty = client.post(reverse("award_objection", args=[objection.pk]), {"outcome": "upheld", "finding": ""})
    assert empty.status_code == 200 and Objection.objects.get().outcome == ""
    client.post(reverse("award_objection", args=[objection.pk]), {"outcome": "upheld", "finding": "经走访属实。"})

    shortlist.refresh_from_db()
    assert Objection.objects.get().outcome == "upheld"
    assert shortlist.state == NominationState.DECLINED


def test_objections_are_404_to_a_sibling_county_and_go_to_the_reviewing_county(client_for, in_notice, shortlist,
                                                                               sibling_county_cadre, county_chair):
    objection = notice.objection_lodge(campaign=in_notice, nomination_id=shortlist.pk, text="反映情况")
    client = client_for(sibling_county_cadre)
    listed = client.get(reverse("award_notice_admin", args=[in_notice.pk]))
    assert listed.status_code == 200 and "反映情况" not in listed.content.decode()  # 行唐县 sees none of 正定县's
    assert client.get(reverse("award_objection", args=[objection.pk])).status_code == 404
    assert client.post(reverse("award_objection", args=[objection.pk]),
                       {"outcome": "dismissed", "finding": "x"}).status_code == 404
    assert Objection.objects.get().outcome == ""
    county = client_for(county_chair)  # 正定县 recommended the family to the city: the objection is its to check
    assert "反映情况" in county.get(reverse("award_notice_admin", args=[in_notice.pk])).content.decode()
    county.post(reverse("award_objection", args=[objection.pk]), {"outcome": "dismissed", "finding": "经核实不属实。"})
    assert Objection.objects.get().outcome == "dismissed"


def test_the_cadre_pages_need_a_login(client, in_notice):
    response = client.get(reverse("award_notice_admin", args=[in_notice.pk]))
    assert response.status_code == 302 and "login" in response.url
