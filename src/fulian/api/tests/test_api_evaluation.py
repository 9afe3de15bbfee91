import datetime as dt

import pytest
import time_machine
from django.test import Client

from fulian.portal.tests.otp import last_code_sent

NOW = dt.datetime(2026, 11, 25, 10, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def survey(api_for, county_chair, unit):
    client = api_for(county_chair)
    created = client.post(f"/api/v1/units/{unit('正定县').pk}/surveys", {
        "title": "四率", "starts_on": "2026-11-01", "ends_on": "2026-12-31", "standard": True},
        content_type="application/json").json()
    client.put(f"/api/v1/surveys/{created['id']}/status", {"status": "open"}, content_type="application/json")
    return created


def answers(survey, **over):
    q = {x["position"]: str(x["id"]) for x in survey["questions"]}
    return {q[1]: 0, q[2]: 1, q[3]: 4, q[4]: 0, **over}


@pytest.mark.django_db
def test_app_submits_through_the_public_api_and_the_dashboard_reflects_it(api_for, county_chair, survey, unit):
    public = Client()
    token = survey["public_token"]
    assert public.get(f"/api/v1/public/surveys/{token}").json()["title"] == "四率"
    assert public.post(f"/api/v1/public/surveys/{token}/code", {"phone": "13800001111"},
                       content_type="application/json").status_code == 204
    body = {"answers": answers(survey), "unit_code": "130123100001", "phone": "13800001111",
            "code": last_code_sent("13800001111")}
    created = public.post(f"/api/v1/public/surveys/{token}/responses", body, content_type="application/json")
    assert created.status_code == 201 and created.json()["is_verified"] is True
    unproved = {"answers": answers(survey), "unit_code": "130123100001", "phone": "13800002222"}
    assert public.post(f"/api/v1/public/surveys/{token}/responses", unproved, content_type="application/json"
                       ).json()["is_verified"] is False
    again = public.post(f"/api/v1/public/surveys/{token}/responses", body, content_type="application/json")
    assert again.status_code == 400 and "只能填写一次" in again.json()["detail"]
    board = api_for(county_chair).get(f"/api/v1/units/{unit('正定县').pk}/dashboard", {"year": 2026}).json()
    assert board["rates"] == {"awareness": 1.0, "participation": 0.0, "satisfaction": 1.0, "benefit": 1.0}
    assert board["totals"]["responses"] == 1 and board["totals"]["responses_unverified"] == 1


@pytest.mark.django_db
def test_bad_answers_are_400_with_the_question(survey):
    q3 = str(next(x["id"] for x in survey["questions"] if x["position"] == 3))
    body = {"answers": answers(survey, **{q3: 9}), "unit_code": "130123100001", "phone": "13800001111"}
    response = Client().post(f"/api/v1/public/surveys/{survey['public_token']}/responses", body,
                             content_type="application/json")
    assert response.status_code == 400 and "1到5分" in response.json()["detail"]


@pytest.mark.django_db
def test_dashboard_and_rankings_are_scoped(api_for, sibling_county_cadre, province_chair, unit, survey):
    assert api_for(sibling_county_cadre).get(f"/api/v1/units/{unit('正定县').pk}/dashboard").status_code == 404
    assert api_for(sibling_county_cadre).get(f"/api/v1/surveys/{survey['id']}").status_code == 404
    names = {r["name"] for r in api_for(sibling_county_cadre).get("/api/v1/rankings", {"level": 4}).json()}
    assert names == {"龙州镇"}
    assert len(api_for(province_chair).get("/api/v1/rankings", {"level": 3}).json()) == 2
