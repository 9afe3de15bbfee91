import pytest
from django.test import Client

from fulian.accounts.services import token_create, token_revoke
from fulian.orgs.models import Conversion, Unit


@pytest.mark.django_db
def test_me_tells_who_she_is_and_where(api_for, county_chair):
    body = api_for(county_chair).get("/api/v1/me").json()
    assert body["username"] == "county-chair"
    assert body["roles"] == ["chair"]
    assert body["unit"]["code"] == "130123000000" and body["unit"]["level_label"] == "县"


@pytest.mark.django_db
def test_no_token_or_a_bad_token_is_401(client, tree):
    assert client.get("/api/v1/me").status_code == 401
    assert Client(HTTP_AUTHORIZATION="Bearer fl_nonsense").get("/api/v1/me").status_code == 401


@pytest.mark.django_db
def test_a_revoked_token_stops_working(county_chair):
    token, key = token_create(user=county_chair, name="old")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get("/api/v1/me").status_code == 200
    token_revoke(user=county_chair, token=token)
    assert client.get("/api/v1/me").status_code == 401


@pytest.mark.django_db
def test_unit_detail_has_ancestors_and_summary(api_for, county_chair, unit):
    body = api_for(county_chair).get(f"/api/v1/units/{unit('正定县').pk}").json()
    assert [a["name"] for a in body["ancestors"]] == ["河北省", "石家庄市"]
    assert body["summary"]["villages"] == 3


@pytest.mark.django_db
def test_sibling_county_cadre_gets_404_through_the_api(api_for, sibling_county_cadre, unit):
    client = api_for(sibling_county_cadre)
    for name in ("正定县", "恒东社区", "河北省"):
        response = client.get(f"/api/v1/units/{unit(name).pk}")
        assert response.status_code == 404 and response.json() == {"detail": "Not Found"}
        assert client.get(f"/api/v1/units/{unit(name).pk}/children").status_code == 404
    assert client.get("/api/v1/units/999999").json() == {"detail": "Not Found"}


@pytest.mark.django_db
def test_unit_list_is_scoped_and_searchable(api_for, sibling_county_cadre, county_chair, unit):
    mine = api_for(sibling_county_cadre).get("/api/v1/units").json()
    assert {u["name"] for u in mine["items"]} == {"行唐县", "龙州镇", "南关村"}
    assert api_for(sibling_county_cadre).get("/api/v1/units", {"q": "zjz"}).json()["count"] == 0
    found = api_for(county_chair).get("/api/v1/units", {"q": "zjz"}).json()
    assert [u["name"] for u in found["items"]] == ["张家庄村"]
    assert api_for(sibling_county_cadre).get("/api/v1/units", {"under": unit("正定县").pk}).status_code == 404


@pytest.mark.django_db
def test_children_with_counts(api_for, province_chair, unit):
    body = api_for(province_chair).get(f"/api/v1/units/{unit('石家庄市').pk}/children").json()
    assert [(c["name"], c["unit_count"], c["village_count"]) for c in body] == [("正定县", 5, 3), ("行唐县", 2, 1)]


@pytest.mark.django_db
def test_create_organisation_through_the_api(api_for, county_chair, unit):
    client = api_for(county_chair)
    url = f"/api/v1/units/{unit('新安镇').pk}/organisations"
    response = client.post(url, {"name": "新安镇家政公司妇委会"}, content_type="application/json")
    assert response.status_code == 201
    assert Unit.objects.get(pk=response.json()["id"]).parent == unit("新安镇")
    again = client.post(url, {"name": "新安镇家政公司妇委会"}, content_type="application/json")
    assert again.status_code == 400 and "已有同名组织" in again.json()["detail"]


@pytest.mark.django_db
def test_create_organisation_outside_scope_is_404(api_for, sibling_county_cadre, unit):
    response = api_for(sibling_county_cadre).post(
        f"/api/v1/units/{unit('新安镇').pk}/organisations", {"name": "越界"}, content_type="application/json"
    )
    assert response.status_code == 404


@pytest.mark.django_db
def test_set_conversion_and_bad_value(api_for, county_chair, unit):
    client = api_for(county_chair)
    village = unit("张家庄村")
    ok = client.put(f"/api/v1/units/{village.pk}/conversion", {"conversion": "federation"},
                    content_type="application/json")
    assert ok.status_code == 200 and ok.json()["conversion"] == Conversion.FEDERATION
    bad = client.put(f"/api/v1/units/{village.pk}/conversion", {"conversion": "done"}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["errors"]["conversion"]  # outside the schema's enum


@pytest.mark.django_db
def test_session_auth_needs_csrf_for_writes(county_chair, unit):
    client = Client(enforce_csrf_checks=True)
    client.force_login(county_chair)
    assert client.get("/api/v1/me").status_code == 200
    response = client.post(f"/api/v1/units/{unit('新安镇').pk}/organisations", {"name": "x"},
                           content_type="application/json")
    assert response.status_code in (401, 403)
    assert not Unit.objects.filter(name="x").exists()


@pytest.mark.django_db
def test_openapi_schema_is_published(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/units/{unit_id}" in schema["paths"]
    assert client.get("/api/v1/docs").status_code == 200


def test_the_unit_list_total_is_the_standing_count_and_equals_the_rows(api_for, county_chair, province_admin, unit):
    from fulian.accounts.tests.factories import UserFactory
    from fulian.orgs.models import Unit

    platform = UserFactory(username="platform-op", is_superuser=True)
    for user, params, expected in (
        (county_chair, {}, Unit.objects.subtree(unit("正定县")).count()),
        (province_admin, {"under": unit("正定镇").pk}, 3),
        (platform, {}, Unit.objects.count()),
        (county_chair, {"level": 5}, 3),
        (county_chair, {"q": "zd"}, None),
    ):
        body = api_for(user).get("/api/v1/units", {**params, "limit": 500}).json()
        assert body["count"] == len(body["items"]) and not body["count_capped"]
        if expected is not None:
            assert body["count"] == expected
