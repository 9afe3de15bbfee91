"""Story relay from the outside: the pages and the API record, link and remove; the next county gets 404."""

import datetime as dt

import pytest
from django.utils import timezone

from fulian.activities import services as activities
from fulian.awards import awarding, relay
from fulian.awards.models import StoryRelay

from .outsiders_awarding import county_round, notice_over, shortlisted

pytestmark = pytest.mark.django_db


@pytest.fixture
def awarded(unit, county_chair):
    round_ = notice_over(county_round(chair=county_chair, county=unit("正定县")))
    return awarding.award(actor=county_chair, nomination=shortlisted(round_, unit("恒东社区")))


def _activity(chair, unit, title="好家风故事分享会"):
    start = timezone.now() - dt.timedelta(days=2)
    return activities.activity_save(actor=chair, unit=unit, values={"title": title, "kind": "lecture",
                                                                    "address": "社区活动室"},
                                    sessions=[(start, start + dt.timedelta(hours=2))])


def test_a_cadre_records_a_relay_by_name_and_links_its_activity(awarded, unit, village_cadre, client_for):
    client = client_for(village_cadre)
    form = client.get(f"/awards/nominations/{awarded.pk}/relays/new/")
    assert form.status_code == 200 and "恒东社区" in form.content.decode()
    refused = client.post(f"/awards/nominations/{awarded.pk}/relays/new/", {"title": "最美家庭进社区"})
    assert refused.status_code == 400 and "最美家庭进社区" in refused.content.decode()  # her input is kept
    today = timezone.localdate().isoformat()
    answer = client.post(f"/awards/nominations/{awarded.pk}/relays/new/",
                         {"title": "最美家庭进社区", "held_on": today, "venue": "community"})
    assert answer.status_code == 302
    made = StoryRelay.objects.get()
    assert made.held_on.isoformat() == today
    listed = client.get(f"/awards/nominations/{awarded.pk}/relays/").content.decode()
    assert "最美家庭进社区" in listed and f"/awards/relays/{made.pk}/link/" in listed
    activity = _activity(village_cadre, unit("恒东社区"))
    page = client.get(f"/awards/relays/{made.pk}/link/?q=故事")
    assert activity.title in page.content.decode()
    assert client.post(f"/awards/relays/{made.pk}/link/", {"activity": activity.pk}).status_code == 302
    made.refresh_from_db()
    assert made.activity_id == activity.pk
    assert client.post(f"/awards/relays/{made.pk}/remove/").status_code == 302
    assert not StoryRelay.objects.exists()


def test_a_relay_at_an_activity_from_the_form(awarded, unit, county_chair, client_for):
    activity = _activity(county_chair, unit("张家庄村"))
    client = client_for(county_chair)
    assert activity.title in client.get(f"/awards/nominations/{awarded.pk}/relays/new/").content.decode()
    answer = client.post(f"/awards/nominations/{awarded.pk}/relays/new/", {"activity": activity.pk})
    assert answer.status_code == 302
    assert StoryRelay.objects.get().activity_id == activity.pk


def test_the_next_county_gets_404_on_relay_pages(awarded, village_cadre, sibling_county_cadre, client_for):
    made = relay.relay_create(actor=village_cadre, nomination=awarded, venue="community", title="故事会",
                              held_on=timezone.localdate())
    client = client_for(sibling_county_cadre)
    for url in (f"/awards/nominations/{awarded.pk}/relays/", f"/awards/nominations/{awarded.pk}/relays/new/",
                f"/awards/relays/{made.pk}/link/"):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"title": "x", "held_on": "2026-01-01", "activity": 1}).status_code == 404, url
    assert client.post(f"/awards/relays/{made.pk}/remove/").status_code == 404
    assert StoryRelay.objects.count() == 1


def test_relays_through_the_api(awarded, unit, village_cadre, sibling_county_cadre, api_for):
    api = api_for(village_cadre)
    made = api.post(f"/api/v1/awards/nominations/{awarded.pk}/relays",
                    {"title": "最美家庭进社区", "held_on": timezone.localdate().isoformat()},
                    content_type="application/json")
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["venue"] == "community" and body["activity_id"] is None
    activity = _activity(village_cadre, unit("恒东社区"))
    assert [a["id"] for a in api.get("/api/v1/awards/relay-activities?q=故事").json()] == [activity.pk]
    linked = api.post(f"/api/v1/awards/relays/{body['id']}/activity", {"activity_id": activity.pk},
                      content_type="application/json")
    assert linked.status_code == 200 and linked.json()["activity_id"] == activity.pk
    assert [r["id"] for r in api.get(f"/api/v1/awards/nominations/{awarded.pk}/relays").json()] == [body["id"]]
    outsider = api_for(sibling_county_cadre)
    assert outsider.get(f"/api/v1/awards/nominations/{awarded.pk}/relays").status_code == 404
    assert outsider.post(f"/api/v1/awards/nominations/{awarded.pk}/relays", {"title": "x", "held_on": "2026-01-01"},
                         content_type="application/json").status_code == 404
    assert outsider.post(f"/api/v1/awards/relays/{body['id']}/activity", {"activity_id": activity.pk},
                         content_type="application/json").status_code == 404
    assert outsider.delete(f"/api/v1/awards/relays/{body['id']}").status_code == 404
    assert api.delete(f"/api/v1/awards/relays/{body['id']}").status_code == 204
    assert not StoryRelay.objects.exists()


def test_a_relay_without_name_or_date_is_a_400(awarded, village_cadre, api_for):
    answer = api_for(village_cadre).post(f"/api/v1/awards/nominations/{awarded.pk}/relays", {},
                                         content_type="application/json")
    assert answer.status_code == 400
