"""The public calendar through the API (the app and mini-program): the list near a place or a position, one
activity, signing up with a one-time code or her 我的 app token, her sign-up by its secret token — the same rules
as the pages."""

import pytest
from django.test import Client

from fulian.activities import services
from fulian.activities.models import SignUp, SignUpState
from fulian.portal.tests.otp import last_code_sent

from .conftest import at

pytestmark = pytest.mark.django_db
JSON = "application/json"


def post(client, url, body=None):
    return client.post(url, body or {}, content_type=JSON)


def test_the_list_near_a_village_or_a_position_and_one_activity(client, activity, unit, county_chair):
    near = client.get("/api/v1/public/activities", {"place_code": "130123100001"})
    assert near.status_code == 200
    row = near.json()[0]
    assert (row["id"], row["place_name"], row["places_left"], row["unit_name"]) == (
        activity.pk, "恒东社区妇女之家", 3, "正定县妇联")
    by_point = client.get("/api/v1/public/activities", {"lat": 38.14, "lng": 114.57}).json()
    assert by_point[0]["id"] == activity.pk and by_point[0]["distance_km"] < 0.1
    assert client.get("/api/v1/public/activities", {"lat": 38.14}).status_code == 400
    assert client.get("/api/v1/public/activities", {"place_code": "999999999999"}).status_code == 400
    assert [r["id"] for r in client.get("/api/v1/public/activities").json()] == [activity.pk]
    detail = client.get(f"/api/v1/public/activities/{activity.pk}").json()
    assert [s["title"] for s in detail["sessions"]] == ["第一课", "第二课"] and detail["partners"] == ["县人社局"]
    invited = services.activity_publish(actor=county_chair, activity=services.activity_save(
        actor=county_chair, unit=unit("正定县"), values={"title": "座谈会", "kind": "other", "address": "县妇联",
                                                       "audience": "invited"}, sessions=[(at(2), at(2, 11))]))
    assert client.get(f"/api/v1/public/activities/{invited.pk}").status_code == 404
    assert invited.pk not in [r["id"] for r in client.get("/api/v1/public/activities").json()]


def test_signing_up_with_a_code_then_seeing_and_cancelling_by_the_token(client, activity):
    assert post(client, f"/api/v1/public/activities/{activity.pk}/code", {"phone": "13800000001"}).status_code == 204
    body = {"name": "李秀梅", "phone": "13800000001", "code": "000000", "client_token": "app-0123456789abcdef"}
    assert post(client, f"/api/v1/public/activities/{activity.pk}/signups", body).status_code == 400
    assert not SignUp.objects.exists()
    body["code"] = last_code_sent("13800000001")
    made = post(client, f"/api/v1/public/activities/{activity.pk}/signups", body)
    assert made.status_code == 201 and made.json()["state"] == "confirmed" and made.json()["created"]
    retried = post(client, f"/api/v1/public/activities/{activity.pk}/signups", body)
    assert retried.status_code == 200 and retried.json()["token"] == made.json()["token"]
    token = made.json()["token"]
    assert client.get(f"/api/v1/public/signups/{token}").json()["state"] == "confirmed"
    assert post(client, f"/api/v1/public/signups/{token}x/cancel").status_code == 404
    assert post(client, f"/api/v1/public/signups/{token}/cancel").json()["state"] == "cancelled"
    assert SignUp.objects.get().state == SignUpState.CANCELLED


def test_her_app_token_signs_her_up_and_lists_her_sign_ups(activity):
    app = Client()
    post(app, "/api/v1/public/me/code", {"phone": "13800003333"})
    token = post(app, "/api/v1/public/me/token", {"phone": "13800003333", "code": last_code_sent("13800003333")}
                 ).json()["token"]
    me = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    made = post(me, f"/api/v1/public/me/activities/{activity.pk}/signups", {"name": "赵敏"})
    assert made.status_code == 201 and SignUp.objects.get().account.phone == "13800003333"
    assert [s["activity_id"] for s in me.get("/api/v1/public/me/signups").json()] == [activity.pk]
    assert post(Client(), f"/api/v1/public/me/activities/{activity.pk}/signups", {"name": "赵敏"}).status_code == 401


def test_an_activity_for_families_takes_how_many_come(client, activity, unit, county_chair):
    reading = services.activity_publish(actor=county_chair, activity=services.activity_save(
        actor=county_chair, unit=unit("正定县"), values={"title": "亲子阅读", "kind": "reading", "address": "县图书馆",
                                                       "for_families": True}, sessions=[(at(2), at(2, 11))]))
    post(client, f"/api/v1/public/activities/{reading.pk}/code", {"phone": "13800000001"})
    made = post(client, f"/api/v1/public/activities/{reading.pk}/signups", {
        "name": "李秀梅", "phone": "13800000001", "code": last_code_sent("13800000001"), "family_size": 3})
    assert made.status_code == 201 and made.json()["family_size"] == 3
