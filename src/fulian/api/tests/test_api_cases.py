import pytest
from django.test import Client

from fulian.accounts.tests.factories import UserFactory
from fulian.cases.models import Case
from fulian.core.models import ReadLog


def ask(client, token="tok-1", **over):  # noqa: S107  (a client token, not a password)
    body = {"kind": "dv", "unit_code": "130123100001", "description": "他打我", "phone": "13800001234",
            "client_token": token, **over}
    return client.post("/api/v1/public/cases", body, content_type="application/json")


@pytest.mark.django_db
def test_app_asks_for_help_once_even_when_it_retries(tree):
    app = Client()
    first, retry = ask(app), ask(app)
    assert first.status_code == retry.status_code == 201
    assert first.json()["tracking_code"] == retry.json()["tracking_code"] and Case.objects.count() == 1
    status = app.get(f"/api/v1/public/cases/{first.json()['tracking_code']}").json()
    assert status["status"] == "new" and "恒东社区" in status["events"][0]["text"]
    assert app.get("/api/v1/public/cases/NOPE").status_code == 404


@pytest.mark.django_db
def test_public_intake_is_rate_limited_per_address(tree, settings):
    settings.HELP_REQUESTS_PER_HOUR = 2
    app = Client()
    codes = [ask(app, token=f"t{n}", anonymous=True).status_code for n in range(3)]
    assert codes == [201, 201, 429]


@pytest.mark.django_db
def test_case_details_are_need_to_know_through_the_api(tree, unit, api_for, county_chair, village_cadre,
                                                      sibling_county_cadre):
    case_id = Case.objects.get(tracking_code=ask(Client()).json()["tracking_code"]).pk
    body = api_for(county_chair).get(f"/api/v1/cases/{case_id}").json()
    assert body["description"] == "他打我" and body["contact"]["phone"] == "13800001234"
    assert ReadLog.objects.filter(actor=county_chair, object_id=str(case_id), channel="api").count() == 1
    for outsider in (village_cadre, sibling_county_cadre):
        assert api_for(outsider).get(f"/api/v1/cases/{case_id}").status_code == 404
        assert api_for(outsider).get("/api/v1/cases").json() == []
    rows = api_for(county_chair).get("/api/v1/cases").json()
    assert [r["id"] for r in rows] == [case_id] and "description" not in rows[0]


@pytest.mark.django_db
def test_handling_through_the_api_with_a_stale_version(tree, unit, api_for, county_chair):
    township_chair = UserFactory(unit=unit("正定镇"), roles=["chair"])
    case_id = Case.objects.get(tracking_code=ask(Client()).json()["tracking_code"]).pk
    chair = api_for(county_chair)
    body = chair.post(f"/api/v1/cases/{case_id}/actions", {"action": "note", "text": "已联系", "version": 1,
                                                            "details": {"risk_level": "高"}},
                      content_type="application/json").json()
    assert body["version"] == 2 and body["details"] == {} and body["risk_level"] == "high"  # 风险等级 is a choice
    late = api_for(township_chair).post(f"/api/v1/cases/{case_id}/actions",
                                        {"action": "close", "outcome": "x", "version": 1},
                                        content_type="application/json")
    assert late.status_code == 409 and "刚被其他人修改过" in late.json()["detail"]
    closed = chair.post(f"/api/v1/cases/{case_id}/actions", {"action": "close", "outcome": "申请了保护令",
                                                              "outcome_public": "保护令已批准", "version": 2},
                        content_type="application/json")
    assert closed.json()["status"] == "closed" and closed.json()["outcome_public"] == "保护令已批准"


@pytest.mark.django_db
def test_a_reused_token_with_other_content_is_a_conflict_not_a_strangers_case(tree):
    app = Client()
    first = ask(app, token="shared-token")
    stranger = ask(Client(), token="shared-token", description="我需要法律援助")
    assert stranger.status_code == 409 and first.json()["tracking_code"] not in stranger.content.decode()
    assert ask(app, token="shared-token").json()["tracking_code"] == first.json()["tracking_code"]
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_the_page_and_the_api_share_one_budget_per_address(tree, settings):
    from fulian.cases.tests.test_cases import public_help

    settings.HELP_REQUESTS_PER_HOUR = 2
    settings.HELP_MIN_SECONDS = 0
    client = Client()
    assert ask(client, token="a1", anonymous=True).status_code == 201
    public_help(client, anonymous="on", client_token="page-1")
    assert Case.objects.count() == 2
    assert ask(client, token="a2", anonymous=True).status_code == 429
    refused = public_help(client, anonymous="on", client_token="page-2")
    assert "太多" in refused.content.decode() and Case.objects.count() == 2


@pytest.mark.django_db
def test_a_stale_version_on_a_case_action_is_409(tree, unit, api_for, county_chair):
    case_id = Case.objects.get(tracking_code=ask(Client()).json()["tracking_code"]).pk
    api = api_for(county_chair)
    version = api.get(f"/api/v1/cases/{case_id}").json()["version"]
    body = {"action": "note", "text": "已电话联系", "version": version}
    assert api.post(f"/api/v1/cases/{case_id}/actions", body, content_type="application/json").status_code == 200
    again = api.post(f"/api/v1/cases/{case_id}/actions", body, content_type="application/json")
    assert again.status_code == 409
