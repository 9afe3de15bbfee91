"""The campaign API: list, launch (a double tap launches once), detail, change, standing, cancel and a receiving
unit's part; bad input is 400/422, never 500; the next county gets 404 on every id route."""

import json

import pytest

from fulian.awards.models import AwardCampaign

from .conftest import day
from .test_campaign_standing import nominate

pytestmark = pytest.mark.django_db


def _post(client, url, body):
    return client.post(url, json.dumps(body, default=str), content_type="application/json")


def _put(client, url, body):
    return client.put(url, json.dumps(body, default=str), content_type="application/json")


LAUNCH = {"kind": "five_good", "name": "2026年度五好家庭", "year": 2026, "level": 3,
          "nominate_until": day(10), "review_until": day(20), "quotas": {"3": 2},
          "tiers": [{"name": "标兵", "quota": 5}], "client_token": "api-1"}


def test_the_city_launches_once_on_a_double_tap_and_reads_it_back(city_chair, api_for):
    api = api_for(city_chair)
    first = _post(api, "/api/v1/awards/campaigns", LAUNCH)
    again = _post(api, "/api/v1/awards/campaigns", LAUNCH)
    assert first.status_code == again.status_code == 201 and first.json()["id"] == again.json()["id"]
    body = first.json()
    assert body["recipient_count"] == 2 and body["criteria"][0]["label"] == "爱国守法" and body["quotas"] == {"3": 2}
    assert api.get(f"/api/v1/awards/campaigns/{body['id']}").json()["name"] == "2026年度五好家庭"
    launched = api.get("/api/v1/awards/campaigns?side=launched").json()
    assert [c["id"] for c in launched] == [body["id"]]
    assert AwardCampaign.objects.count() == 1


@pytest.mark.parametrize("change, status", [
    ({"quotas": {"1": 3}}, 400),  # the province is above the city
    ({"quotas": {"x": 3}}, 400),
    ({"review_until": day(1)}, 400),
    ({"notice_days": 2}, 422),
    ({"kind": "best"}, 422),
    ({"year": 411939}, 422),
    ({"unit_ids": [999999]}, 400),
])
def test_bad_input_is_refused_with_a_message(city_chair, api_for, change, status):
    answer = _post(api_for(city_chair), "/api/v1/awards/campaigns", LAUNCH | {"client_token": None} | change)
    assert answer.status_code == status and answer.json()["detail"]


def test_the_receiving_county_sees_its_part_and_marks_it_done(campaign, unit, county_chair, api_for):
    api = api_for(county_chair)
    waiting = nominate(campaign, unit("恒东社区"), at=unit("正定县"))
    mine = api.get("/api/v1/awards/campaigns").json()[0]
    assert mine["id"] == campaign.pk and mine["my_waiting"] == 1 and mine["my_state"] == "received"
    assert _post(api, f"/api/v1/awards/campaigns/{campaign.pk}/done", {}).status_code == 400
    waiting.state = "declined"
    waiting.save(update_fields=["state"])
    assert _post(api, f"/api/v1/awards/campaigns/{campaign.pk}/done", {}).json()["my_state"] == "done"
    assert _post(api, f"/api/v1/awards/campaigns/{campaign.pk}/done", {}).status_code == 409
    assert api.get("/api/v1/awards/campaigns?side=sideways").status_code == 400


def test_change_with_a_stale_version_is_a_conflict_and_cancel_needs_a_leader(campaign, city_chair, county_chair,
                                                                            api_for):
    api = api_for(city_chair)
    body = {"name": "新名称", "description": "", "nominate_until": day(10), "review_until": day(30),
            "vote_from": day(0), "vote_until": day(40), "version": campaign.version}
    changed = _put(api, f"/api/v1/awards/campaigns/{campaign.pk}", body)
    assert changed.status_code == 200 and changed.json()["name"] == "新名称"
    assert _put(api, f"/api/v1/awards/campaigns/{campaign.pk}", body).status_code == 409
    assert _post(api_for(county_chair), f"/api/v1/awards/campaigns/{campaign.pk}/cancel",
                 {"reason": "x"}).status_code == 404
    cancelled = _post(api, f"/api/v1/awards/campaigns/{campaign.pk}/cancel", {"reason": "并入全省"})
    assert cancelled.json()["status"] == "cancelled"
    assert _post(api, f"/api/v1/awards/campaigns/{campaign.pk}/cancel", {"reason": "again"}).status_code == 409


def test_the_standing_per_child_unit(campaign, unit, city_chair, api_for):
    nominate(campaign, unit("恒东社区"), channel="media")
    api = api_for(city_chair)
    city = api.get(f"/api/v1/awards/campaigns/{campaign.pk}/standing").json()
    assert city["unit_name"] == "石家庄市" and [t["name"] for t in city["tiers"]] == ["十佳", "百优"]
    row = next(r for r in city["rows"] if r["unit_name"] == "正定县")
    assert (row["total"], row["media"], row["waiting"], row["quota"], row["objections"]) == (1, 1, 1, 1, 0)
    township = api.get(f"/api/v1/awards/campaigns/{campaign.pk}/standing?unit_id={unit('正定镇').pk}").json()
    assert township["rows"][0]["unit_name"] == "恒东社区" and township["quota"] == 2


def test_every_campaign_route_of_zhengding_is_404_to_the_next_county(unit, county_chair, api_for,
                                                                     sibling_county_cadre):
    from fulian.awards.tests.outsiders_campaigns import records

    campaign_id = records(county=unit("正定县"), village=unit("恒东社区"), chair=county_chair,
                          cadre=None)["award_campaign_id"]
    api = api_for(sibling_county_cadre)
    url = f"/api/v1/awards/campaigns/{campaign_id}"
    assert api.get(url).status_code == 404
    assert api.get(f"{url}/standing").status_code == 404
    assert _put(api, url, {"name": "x", "nominate_until": day(10), "review_until": day(30)}).status_code == 404
    assert _post(api, f"{url}/cancel", {"reason": "x"}).status_code == 404
    assert _post(api, f"{url}/done", {}).status_code == 404
    assert _post(api, "/api/v1/awards/campaigns", LAUNCH | {"parent_id": campaign_id, "level": 4}).status_code == 404
    assert campaign_id not in [c["id"] for c in api.get("/api/v1/awards/campaigns?side=launched").json()]
