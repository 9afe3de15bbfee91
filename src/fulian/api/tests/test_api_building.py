import pytest


@pytest.mark.django_db
def test_organisation_building_through_the_api(api_for, county_chair, sibling_county_cadre, unit):
    client = api_for(county_chair)
    body = client.post(f"/api/v1/units/{unit('正定镇').pk}/bodies", {
        "kind": "executive", "term_start": "2024-03-01", "term_end": "2029-02-28"}, content_type="application/json")
    body_id = body.json()["id"]
    assert client.post(f"/api/v1/bodies/{body_id}/members", {"name": "陈玉梅", "role": "chair"},
                       content_type="application/json").status_code == 201
    second = client.post(f"/api/v1/bodies/{body_id}/members", {"name": "另一人", "role": "chair"},
                         content_type="application/json")
    assert second.status_code == 400 and "只有一名主席" in second.json()["detail"]
    election = client.post(f"/api/v1/units/{unit('正定镇').pk}/elections", {"date": "2024-03-01"},
                           content_type="application/json").json()["id"]
    client.post(f"/api/v1/elections/{election}/held", {"date": "2024-03-01"}, content_type="application/json")
    post = client.put(f"/api/v1/units/{unit('正定县').pk}/posts/full_time", {"quota": 2, "filled": 3},
                      content_type="application/json").json()
    assert post["filled"] == 0 and post["warning"] is None  # 在岗 is counted from the roster: the typed 3 is ignored
    volunteer = client.post(f"/api/v1/units/{unit('恒东社区').pk}/volunteers", {"name": "刘敏"},
                            content_type="application/json").json()["id"]
    bad = client.post(f"/api/v1/volunteers/{volunteer}/hours", {"served_on": "2026-11-01", "hours": "-1"},
                      content_type="application/json")
    assert bad.status_code == 400
    summary = client.get(f"/api/v1/units/{unit('正定县').pk}/building").json()
    assert (summary["held"], summary["townships"]) == (1, 2) and summary["people"]["total"] == 1
    outsider = api_for(sibling_county_cadre)
    assert outsider.get(f"/api/v1/units/{unit('正定县').pk}/building").status_code == 404
    assert outsider.post(f"/api/v1/bodies/{body_id}/members", {"name": "x", "role": "member"},
                         content_type="application/json").status_code == 404
    assert outsider.post(f"/api/v1/volunteers/{volunteer}/hours", {"served_on": "2026-11-01", "hours": "2"},
                         content_type="application/json").status_code == 404
