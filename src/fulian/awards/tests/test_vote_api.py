"""The public awards API: the campaign, the shortlist with live counts, a code, a voter pass, the vote (one per
phone per day), and an objection in 公示; bad input is 4xx, never 500."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from fulian.awards import notice
from fulian.awards.models import Objection, Vote
from fulian.awards.tests.outsiders_notice import shortlisted_family
from fulian.portal.tests.otp import last_code_sent

PHONE = "13912345678"


@pytest.fixture
def shortlist(campaign, unit):
    return shortlisted_family(campaign, unit("恒东社区"), tier="十佳")


def post(client, url, body):
    return client.post(f"/api/v1{url}", json.dumps(body), content_type="application/json")


def voter_pass(client, campaign, phone=PHONE):
    assert post(client, f"/public/awards/{campaign.pk}/voter-code", {"phone": phone}).status_code == 204
    got = post(client, f"/public/awards/{campaign.pk}/voter-pass", {"phone": phone, "code": last_code_sent(phone)})
    assert got.status_code == 200, got.content
    return got.json()["voter_pass"]


def test_the_campaign_and_its_shortlist_with_counts(client, campaign, shortlist):
    got = client.get(f"/api/v1/public/awards/{campaign.pk}").json()
    assert (got["vote_open"], got["notice_open"], got["status"]) == (True, False, "open")

    families = client.get(f"/api/v1/public/awards/{campaign.pk}/shortlist").json()
    assert families == [{"id": shortlist.pk, "family_name": "王秀兰家", "village": "恒东社区", "tier": "十佳",
                         "title": "王秀兰家的故事", "story": "孝老爱亲，邻里和睦。", "members": ["王秀兰"],
                         "photo_urls": [], "votes": 0}]


def test_one_vote_per_phone_a_day_through_the_api(client, campaign, shortlist):
    token = voter_pass(client, campaign)
    first = post(client, f"/public/awards/{campaign.pk}/votes", {"nomination_id": shortlist.pk, "voter_pass": token})
    again = post(client, f"/public/awards/{campaign.pk}/votes", {"nomination_id": shortlist.pk, "voter_pass": token})

    assert first.json()["counted"] is True and again.json()["counted"] is False
    assert "今天已经投过票" in again.json()["message"]
    assert client.get(f"/api/v1/public/awards/{campaign.pk}/shortlist").json()[0]["votes"] == 1


def test_a_forged_pass_or_a_family_not_shortlisted_is_400(client, campaign, shortlist):
    forged = post(client, f"/public/awards/{campaign.pk}/votes", {"nomination_id": shortlist.pk,
                                                                 "voter_pass": "x:y:z"})
    assert forged.status_code == 400
    token = voter_pass(client, campaign)
    missing = post(client, f"/public/awards/{campaign.pk}/votes", {"nomination_id": 10**9, "voter_pass": token})
    assert missing.status_code == 400
    other_campaign = post(client, f"/public/awards/{campaign.pk + 1}/votes", {"nomination_id": shortlist.pk,
                                                                             "voter_pass": token})
    assert other_campaign.status_code == 400
    assert Vote.objects.count() == 0


@pytest.mark.parametrize("body", [{}, {"nomination_id": "x", "voter_pass": "p"}, {"nomination_id": 2**70,
                                                                                  "voter_pass": "p"},
                                  {"nomination_id": 1, "voter_pass": "p" * 401}])
def test_bad_vote_bodies_are_422(client, campaign, body):
    assert post(client, f"/public/awards/{campaign.pk}/votes", body).status_code == 422


def test_votes_beyond_the_address_limit_are_429(client, campaign, shortlist, settings):
    settings.AWARD_VOTES_PER_ADDRESS = 1
    token = voter_pass(client, campaign)
    post(client, f"/public/awards/{campaign.pk}/votes", {"nomination_id": shortlist.pk, "voter_pass": token})
    again = post(client, f"/public/awards/{campaign.pk}/votes", {"nomination_id": shortlist.pk, "voter_pass": token})
    assert again.status_code == 429


def test_no_code_when_no_vote_runs(client, campaign):
    campaign.vote_until = timezone.localdate() - dt.timedelta(days=1)
    campaign.save(update_fields=["vote_until"])
    refused = post(client, f"/public/awards/{campaign.pk}/voter-code", {"phone": PHONE})
    assert refused.status_code == 400 and "网络投票已经结束" in refused.json()["detail"]


def test_an_objection_through_the_api_once_per_token(client, campaign, shortlist, city_chair):
    started = notice.notice_start(actor=city_chair, campaign=campaign)
    today = timezone.localdate()
    type(started).objects.filter(pk=started.pk).update(notice_from=today, notice_until=today + dt.timedelta(days=7))
    body = {"nomination_id": shortlist.pk, "text": "反映情况", "contact": "13900001111", "client_token": "abc"}

    first = post(client, f"/public/awards/{campaign.pk}/objections", body)
    again = post(client, f"/public/awards/{campaign.pk}/objections", body)

    assert first.status_code == again.status_code == 201
    assert Objection.objects.count() == 1
    assert client.get(f"/api/v1/public/awards/{campaign.pk}/shortlist").json()[0]["votes"] is None


def test_an_objection_outside_the_notice_is_400(client, campaign, shortlist):
    got = post(client, f"/public/awards/{campaign.pk}/objections", {"nomination_id": shortlist.pk, "text": "…"})
    assert got.status_code == 400


def test_a_missing_campaign_is_404(db):
    assert Client().get("/api/v1/public/awards/999999").status_code == 404
    assert Client().get("/api/v1/public/awards/999999/shortlist").status_code == 404
