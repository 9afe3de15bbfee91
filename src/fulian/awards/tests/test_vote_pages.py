"""The public campaign page and its vote (no login): the shortlist with live counts while the vote runs, proving a
phone once, then one request per vote; rate limited per address."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fulian.awards.models import Vote
from fulian.awards.tests.outsiders_notice import shortlisted_family
from fulian.portal.tests.otp import last_code_sent

PHONE = "13912345678"


@pytest.fixture
def shortlist(campaign, unit):
    return shortlisted_family(campaign, unit("恒东社区"), tier="十佳")


def verify(client, campaign, nomination=None, phone=PHONE):
    url = reverse("award_vote_verify", args=[campaign.pk]) + (f"?n={nomination.pk}" if nomination else "")
    client.post(url, {"phone": phone, "send_code": "1"})
    return client.post(url, {"phone": phone, "code": last_code_sent(phone),
                             "nomination": nomination.pk if nomination else ""})


def test_the_campaign_page_shows_the_shortlist_with_consenting_names_and_counts(client, campaign, shortlist):
    page = client.get(reverse("award_public", args=[campaign.pk]))

    body = page.content.decode()
    assert page.status_code == 200
    assert "王秀兰家" in body and "孝老爱亲" in body and "王秀兰" in body
    assert "李建国" not in body  # he did not consent
    assert "0票" in body and "投一票" in body


def test_a_woman_proves_her_phone_once_and_her_vote_is_cast(client, campaign, shortlist):
    done = verify(client, campaign, shortlist)

    assert done.status_code == 302 and done.url.endswith(f"#family-{shortlist.pk}")
    assert Vote.objects.filter(nomination=shortlist).count() == 1
    page = client.get(reverse("award_public", args=[campaign.pk]))
    assert "1票" in page.content.decode() and "您今天已经投给了" in page.content.decode()


def test_with_a_pass_a_vote_is_one_request_and_a_second_counts_once(client, campaign, shortlist, unit):
    other = shortlisted_family(campaign, unit("张家庄村"), name="赵家", tier="百优")
    verify(client, campaign)

    first = client.post(reverse("award_vote", args=[campaign.pk]), {"nomination": shortlist.pk}, follow=True)
    second = client.post(reverse("award_vote", args=[campaign.pk]), {"nomination": other.pk}, follow=True)

    assert "投票成功" in first.content.decode()
    assert "今天已经投过票" in second.content.decode()
    assert Vote.objects.count() == 1


def test_without_a_pass_the_vote_asks_for_the_phone_first(client, campaign, shortlist):
    response = client.post(reverse("award_vote", args=[campaign.pk]), {"nomination": shortlist.pk})
    assert response.status_code == 302
    assert response.url == reverse("award_vote_verify", args=[campaign.pk]) + f"?n={shortlist.pk}"
    assert Vote.objects.count() == 0


def test_a_forged_cookie_is_no_pass(client, campaign, shortlist):
    client.cookies[f"award_voter_{campaign.pk}"] = "forged:pass:value"
    response = client.post(reverse("award_vote", args=[campaign.pk]), {"nomination": shortlist.pk})
    assert response.url.startswith(reverse("award_vote_verify", args=[campaign.pk]))
    assert Vote.objects.count() == 0


def test_a_wrong_code_keeps_her_phone_and_says_why(client, campaign, shortlist):
    url = reverse("award_vote_verify", args=[campaign.pk])
    client.post(url, {"phone": PHONE, "send_code": "1"})
    wrong = "000000" if last_code_sent(PHONE) != "000000" else "111111"
    page = client.post(url, {"phone": PHONE, "code": wrong})
    assert page.status_code == 200
    assert "验证码不对" in page.content.decode() and PHONE in page.content.decode()


def test_a_vote_for_a_family_not_shortlisted_says_so(client, campaign, shortlist, unit):
    verify(client, campaign)
    page = client.post(reverse("award_vote", args=[campaign.pk]), {"nomination": 10**9}, follow=True)
    assert "只能为入围家庭投票" in page.content.decode()
    bad = client.post(reverse("award_vote", args=[campaign.pk]), {"nomination": "x"})
    assert bad.status_code == 400


def test_after_the_vote_the_page_shows_no_shortlist_and_no_button(client, campaign, shortlist):
    campaign.vote_until = timezone.localdate() - dt.timedelta(days=1)
    campaign.save(update_fields=["vote_until"])
    body = client.get(reverse("award_public", args=[campaign.pk])).content.decode()
    assert "投一票" not in body and "网络投票已经结束" in body


def test_a_cancelled_or_missing_campaign_is_404(client, campaign):
    campaign.status = "cancelled"
    campaign.save(update_fields=["status"])
    assert client.get(reverse("award_public", args=[campaign.pk])).status_code == 404
    assert client.get(reverse("award_public", args=[10**9])).status_code == 404


def test_public_pages_are_limited_per_address(client, campaign, settings):
    settings.AWARD_PAGE_VIEWS_PER_MINUTE = 2
    codes = [client.get(reverse("award_public", args=[campaign.pk])).status_code for _i in range(3)]
    assert codes == [200, 200, 429]


def test_the_vote_is_post_only_with_csrf(campaign, shortlist):
    strict = Client(enforce_csrf_checks=True)
    assert strict.get(reverse("award_vote", args=[campaign.pk])).status_code == 405
    assert strict.post(reverse("award_vote", args=[campaign.pk]), {"nomination": shortlist.pk}).status_code == 403
