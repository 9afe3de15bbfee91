
import pytest
from django.test import Client

from fulian.core.models import Outbox
from fulian.portal.tests.otp import last_code_sent


@pytest.mark.django_db
def test_publishing_and_reading_through_the_api(api_for, county_chair, unit):
    from fulian.accounts.tests.factories import UserFactory

    client = api_for(UserFactory(username="county-staff", unit=unit("正定县"), roles=["staff"]))
    created = client.post(f"/api/v1/units/{unit('正定县').pk}/articles", {
        "category": "notice", "title": "通知", "body": "正文", "channels": ["weibo"]}, content_type="application/json")
    article_id = created.json()["id"]
    client.post(f"/api/v1/articles/{article_id}/submit")
    assert client.post(f"/api/v1/articles/{article_id}/review", {"approve": True},
                       content_type="application/json").status_code == 400  # staff does not review
    published = api_for(county_chair).post(f"/api/v1/articles/{article_id}/review", {"approve": True},
                            content_type="application/json")
    assert published.json()["status"] == "published"
    public = Client().get("/api/v1/public/articles", {"category": "notice"}).json()
    assert [a["title"] for a in public] == ["通知"]
    assert Outbox.objects.filter(channel="weibo").exists()


@pytest.mark.django_db
def test_a_womans_app_signs_in_with_a_code_lists_and_deletes(tree):
    app = Client()
    assert app.post("/api/v1/public/me/code", {"phone": "13800003333"}, content_type="application/json"
                    ).status_code == 204
    code = last_code_sent("13800003333")
    token = app.post("/api/v1/public/me/token", {"phone": "13800003333", "code": code},
                     content_type="application/json").json()["token"]
    me = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.get("/api/v1/public/me/cases").json() == []
    assert Client(HTTP_AUTHORIZATION="Bearer wm_forged").get("/api/v1/public/me/cases").status_code == 401
    assert me.delete("/api/v1/public/me").status_code == 204
    assert me.get("/api/v1/public/me/cases").status_code == 401


@pytest.mark.django_db
def test_each_client_has_its_own_rate_limit(api_for, county_chair, village_cadre, settings):
    settings.API_RATE_CLIENT = "3/m"
    settings.API_RATE_ANONYMOUS = "2/m"
    chair, cadre = api_for(county_chair), api_for(village_cadre)
    assert [chair.get("/api/v1/me").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert cadre.get("/api/v1/me").status_code == 200  # another client, its own budget
    anonymous = Client()
    codes = [anonymous.get("/api/v1/public/articles").status_code for _ in range(3)]
    assert codes == [200, 200, 429]


@pytest.mark.django_db
def test_the_app_asks_for_help_links_it_to_her_account_by_its_code_and_unlinks_it(tree):
    app = Client()
    created = app.post("/api/v1/public/cases", {
        "kind": "dv", "unit_code": "130123100001", "description": "需要帮助", "phone": "13800004444",
        "client_token": "app-1", "sms_tracking_code": True}, content_type="application/json")
    assert created.status_code == 201
    code = created.json()["tracking_code"]
    sms = Outbox.objects.get(channel="sms", address="13800004444")
    text = sms.subject + sms.body
    assert code in text.replace("-", "") and "妇联" not in text and "求助" not in text
    app.post("/api/v1/public/me/code", {"phone": "13800005555"}, content_type="application/json")
    token = app.post("/api/v1/public/me/token", {"phone": "13800005555", "code": last_code_sent("13800005555")},
                     content_type="application/json").json()["token"]
    me = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.get("/api/v1/public/me/cases").json() == []  # nothing shows until she links it
    assert me.post("/api/v1/public/me/cases", {"tracking_code": "nope"},
                   content_type="application/json").status_code == 400
    linked = me.post("/api/v1/public/me/cases", {"tracking_code": code.lower()}, content_type="application/json")
    assert linked.status_code == 201 and linked.json()["tracking_code"] == code
    assert [c["tracking_code"] for c in me.get("/api/v1/public/me/cases").json()] == [code]
    assert me.delete(f"/api/v1/public/me/cases/{code}").status_code == 204
    assert me.get("/api/v1/public/me/cases").json() == []
