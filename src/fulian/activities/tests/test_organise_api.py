"""The organising API: an activity created as a draft (one per client token), read, edited with its version (409
when stale), published and cancelled; bad input answers 422 or 400 and saves nothing; projects with their results;
a campaign launched, rolled up and marked done; and every id route of this part answers 404 to the next county."""

import datetime as dt
import json
import re

import pytest
from django.utils import timezone

from fulian.activities.models import Activity, ActivityStatus, Campaign, Project
from fulian.api.api import api as API
from fulian.api.routers_activities import router
from fulian.api.tests.test_outsiders import _example

from .conftest import at
from .outsiders import records

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _json(client, method, path, body=None):
    answer = getattr(client, method)(path, json.dumps(body), content_type="application/json") if body is not None \
        else getattr(client, method)(path)
    return answer.status_code, (answer.json() if answer.get("Content-Type", "").startswith("application/json")
                                else None)


def _activity(home, **changes) -> dict:
    return {"kind": "course", "title": "巾帼电商培训班", "home_id": home.pk, "capacity": 30, "partners": ["县商务局"],
            "sessions": [{"starts_at": at(5).isoformat(), "ends_at": at(5, 11).isoformat(), "title": "开班"},
                         {"starts_at": at(6).isoformat(), "ends_at": at(6, 11).isoformat()}], **changes}


def test_an_activity_goes_from_draft_to_published_to_cancelled(api_for, county_chair, home):
    client = api_for(county_chair)
    status, made = _json(client, "post", "/api/v1/activities", _activity(home, client_token="tok-api-1"))
    assert status == 201 and made["status"] == "draft" and [s["number"] for s in made["sessions"]] == [1, 2]
    assert made["sessions"][0]["checkin_path"] == f"/activities/sessions/{made['sessions'][0]['id']}/checkin/"
    status, again = _json(client, "post", "/api/v1/activities", _activity(home, client_token="tok-api-1"))
    assert status == 201 and again["id"] == made["id"] and Activity.objects.count() == 1
    path = f"/api/v1/activities/{made['id']}"
    status, edited = _json(client, "put", path, _activity(home, title="巾帼电商二期", version=made["version"]))
    assert status == 200 and edited["title"] == "巾帼电商二期"
    assert _json(client, "put", path, _activity(home, version=made["version"]))[0] == 409
    assert _json(client, "post", f"{path}/publish")[1]["status"] == "published"
    assert _json(client, "post", f"{path}/publish")[0] == 409
    assert _json(client, "post", f"{path}/cancel", {"reason": "场地维修"})[1]["status"] == "cancelled"
    assert _json(client, "post", f"{path}/cancel", {"reason": "再取消"})[0] == 409


@pytest.mark.parametrize("changes,status", [
    ({"sessions": []}, 400),
    ({"capacity": 0}, 422),
    ({"kind": "dance"}, 422),
    ({"home_id": None, "address": ""}, 400),
    ({"home_id": 999999}, 400),
    ({"sessions": [{"starts_at": at(5, 11).isoformat(), "ends_at": at(5).isoformat()}]}, 400),
])
def test_bad_input_saves_nothing(api_for, county_chair, home, changes, status):
    assert _json(api_for(county_chair), "post", "/api/v1/activities", _activity(home, **changes))[0] == status
    assert not Activity.objects.exists()


def test_the_list_is_her_subtree_filtered(api_for, county_chair, village_cadre, activity):
    status, page = _json(api_for(county_chair), "get", "/api/v1/activities?kind=course&status=published")
    assert status == 200 and [a["id"] for a in page["items"]] == [activity.pk]
    assert _json(api_for(county_chair), "get", "/api/v1/activities?kind=lecture")[1]["count"] == 0
    assert _json(api_for(village_cadre), "get", "/api/v1/activities")[1]["count"] == 0
    assert _json(api_for(county_chair), "get", "/api/v1/activities?month=2026-13")[0] == 400


def test_projects_are_made_and_read_with_their_results(api_for, county_chair):
    client = api_for(county_chair)
    body = {"name": "龙嫂绿厨", "starts_on": TODAY.isoformat(), "ends_on": (TODAY + dt.timedelta(days=90)).isoformat(),
            "budget": "12000.50", "targets": [{"figure": "trainings_completed", "target": 50}]}
    status, made = _json(client, "post", "/api/v1/activity-projects", body)
    assert status == 201 and made["results"][0]["own"] == 0 and made["results"][0]["target"] == 50
    status, edited = _json(client, "put", f"/api/v1/activity-projects/{made['id']}", {**body, "name": "龙嫂绿厨二期",
                                                                                      "version": made["version"]})
    assert status == 200 and edited["name"] == "龙嫂绿厨二期"
    assert _json(client, "put", f"/api/v1/activity-projects/{made['id']}", {**body, "version": 1})[0] == 409
    assert _json(client, "post", "/api/v1/activity-projects",
                 {**body, "targets": [{"figure": "nothing", "target": 1}]})[0] == 400
    assert _json(client, "get", "/api/v1/activity-projects")[1]["count"] == 1 and Project.objects.count() == 1


def test_a_campaign_is_launched_rolled_up_and_done(api_for, province_chair, county_chair, unit):
    status, made = _json(api_for(province_chair), "post", "/api/v1/activity-campaigns", {
        "title": "家风讲坛进万家", "kind": "lecture", "starts_on": (TODAY - dt.timedelta(days=3)).isoformat(),
        "ends_on": (TODAY + dt.timedelta(days=20)).isoformat(), "deadline": (TODAY + dt.timedelta(days=20)).isoformat(),
        "level": 3, "activities_each": 1})
    assert status == 201 and made["recipient_count"] == 2
    county = api_for(county_chair)
    status, received = _json(county, "get", "/api/v1/activity-campaigns")
    assert [c["id"] for c in received] == [made["id"]] and received[0]["my_held"] == 0
    done = f"/api/v1/activity-campaigns/{made['id']}/done"
    assert _json(county, "post", done, {})[0] == 400
    _json(county, "post", f"/api/v1/activities/{_lecture(county, made['id'])}/publish")
    status, mine = _json(county, "post", done, {})
    assert status == 200 and mine["my_state"] == "done"
    assert _json(county, "post", done, {})[0] == 409
    status, rollup = _json(api_for(province_chair), "get", f"/api/v1/activity-campaigns/{made['id']}/rollup")
    assert status == 200 and rollup["rows"][0]["unit_name"] == "石家庄市" and rollup["rows"][0]["done"] == 1
    assert _json(county, "post", "/api/v1/activity-campaigns", {**{"title": "x", "starts_on": TODAY.isoformat(),
                 "ends_on": TODAY.isoformat(), "deadline": TODAY.isoformat(), "level": 5}})[0] == 201
    assert Campaign.objects.count() == 2


def _lecture(client, campaign_id) -> int:
    status, made = _json(client, "post", "/api/v1/activities", {
        "kind": "lecture", "title": "家风讲坛", "address": "县文化馆", "campaign_id": campaign_id,
        "sessions": [{"starts_at": at(-1).isoformat(), "ends_at": at(-1, 11).isoformat()}]})
    assert status == 201, made
    return made["id"]


def test_the_participants_excel_and_sheet_upload(api_for, county_chair, activity):
    client = api_for(county_chair)
    answer = client.get(f"/api/v1/activities/{activity.pk}/participants.xlsx")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("application/vnd.openxmlformats")
    assert _json(client, "post", f"/api/v1/activities/{activity.pk}/attendance-sheet")[0] == 400


def test_every_id_route_of_this_part_answers_404_to_the_next_county(api_for, client_for, unit, county_chair,
                                                                    village_cadre, sibling_county_cadre):
    from fulian.activities import urls

    ids = records(county=unit("正定县"), village=unit("恒东社区"), chair=county_chair, cadre=village_cadre)
    ids["unit_id"] = unit("正定县").pk
    ids["recipient_id"] = Campaign.objects.get(pk=ids["campaign_id"]).dispatch.recipients.first().pk
    assert Activity.objects.get(pk=ids["activity_id"]).status == ActivityStatus.PUBLISHED
    pages = client_for(sibling_county_cadre)
    for pattern in urls.urlpatterns:
        route = str(pattern.pattern)
        if "<" not in route:
            continue
        url = "/" + re.sub(r"<int:(\w+)>", lambda m: str(ids[m.group(1)]), route)
        for method in ("get", "post"):
            assert getattr(pages, method)(url).status_code in (404, 405), (method, url)
    client = api_for(sibling_county_cadre)
    schema = API.get_openapi_schema()
    mine = {"/api/v1" + path for path in router.path_operations}
    tried = 0
    for path, operations in schema["paths"].items():
        if "{" not in path or path not in mine:
            continue
        url = re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), path)
        for method, spec in operations.items():
            content = spec.get("requestBody", {}).get("content", {}).get("application/json")
            body = json.dumps(_example(content["schema"], schema)) if content else "{}"
            answer = client.generic(method.upper(), url, body, content_type="application/json")
            tried += 1
            assert answer.status_code == 404, (method, url, answer.status_code, answer.content[:200])
    assert tried >= 11
    assert Activity.objects.get(pk=ids["activity_id"]).status == ActivityStatus.PUBLISHED
