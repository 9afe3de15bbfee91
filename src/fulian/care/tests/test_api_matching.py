"""The care API's plans, resources, matching and batches, from the outside: a plan with a goal, a resource
proposed for it, the offer accepted (a place taken), the outcome meeting the goal; versions answered 409 when
stale; a resource's women only those of the caller's scope; a batch proposed, approved once."""

import datetime as dt

import pytest
from django.utils import timezone

from fulian.care import plans, resources
from fulian.care.models import GoalState, HelpGoal, Resource

pytestmark = pytest.mark.django_db


def _post(api, url, body=None):
    return api.post(url, body or {}, content_type="application/json")


def _put(api, url, body):
    return api.put(url, body, content_type="application/json")


def _job_body(**extra):
    today = timezone.localdate()
    return {"kind": "job", "title": "家政服务员", "provider": "正定县某家政公司", "provider_kind": "enterprise",
            "capacity": 1, "starts_on": str(today), "ends_on": str(today + dt.timedelta(days=60)), **extra}


def test_from_plan_to_outcome_through_the_api(api_for, unit, village_cadre, county_staff, mother, mother_family):
    cadre, county = api_for(village_cadre), api_for(county_staff)
    today = timezone.localdate()
    made = _post(cadre, "/api/v1/care/plans", {
        "woman_id": mother.pk, "title": "就业帮扶", "review_on": str(today + dt.timedelta(days=30)),
        "goals": [{"category": "employment", "text": "希望就近就业", "skills": ["domestic"]}], "client_token": "p-1"})
    assert made.status_code == 201, made.content
    plan = made.json()
    assert plan["family_id"] == mother_family.pk and plan["responsible_id"] == village_cadre.pk
    assert _post(cadre, "/api/v1/care/plans", {
        "woman_id": mother.pk, "title": "就业帮扶", "review_on": str(today + dt.timedelta(days=30)),
        "client_token": "p-1"}).status_code == 200
    goal = plan["goals"][0]
    assert (goal["category"], goal["skills"], goal["state"]) == ("employment", ["domestic"], "open")

    job = _post(county, "/api/v1/care/resources", _job_body(skills=["domestic"], client_token="r-1"))
    assert job.status_code == 201, job.content
    job = job.json()
    assert (job["unit_name"], job["remaining"], job["visibility"]) == ("正定县", 1, "subtree")
    proposed = cadre.get(f"/api/v1/care/goals/{goal['id']}/proposals").json()
    assert [(p["resource"]["id"], p["tree_distance"]) for p in proposed] == [(job["id"], 2)]
    women = county.get(f"/api/v1/care/resources/{job['id']}/women").json()
    assert [(w["goal"]["id"], w["woman_name"], w["unit_name"]) for w in women] == [(goal["id"], "王秀梅", "恒东社区")]

    offer = _post(cadre, "/api/v1/care/offers", {"goal_id": goal["id"], "resource_id": job["id"]})
    assert offer.status_code == 201, offer.content
    offer = offer.json()
    assert _post(cadre, "/api/v1/care/offers", {"goal_id": goal["id"], "resource_id": job["id"]}).status_code == 409
    accepted = _post(cadre, f"/api/v1/care/offers/{offer['id']}/answer", {"accept": True})
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    assert Resource.objects.get(pk=job["id"]).remaining == 0
    assert _post(cadre, f"/api/v1/care/offers/{offer['id']}/answer", {"accept": False}).status_code == 409
    assert _post(cadre, f"/api/v1/care/offers/{offer['id']}/withdraw").status_code == 409
    done = _post(cadre, f"/api/v1/care/offers/{offer['id']}/outcome", {"outcome": "employed", "on": str(today)})
    assert done.status_code == 200 and done.json()["outcome"] == "employed"
    assert HelpGoal.objects.get(pk=goal["id"]).state == GoalState.MET
    detail = cadre.get(f"/api/v1/care/plans/{plan['id']}").json()
    assert [h["kind"] for h in detail["help"]] == ["job"] and detail["goals"][0]["state"] == "met"
    assert [o["id"] for o in cadre.get("/api/v1/care/offers", {"state": "accepted"}).json()["items"]] == [
        offer["id"]]


def test_plan_edits_take_the_version(api_for, village_cadre, mother, mother_family):
    api = api_for(village_cadre)
    today = timezone.localdate()
    plan = _post(api, "/api/v1/care/plans", {"woman_id": mother.pk, "title": "帮扶",
                                             "review_on": str(today + dt.timedelta(days=30))}).json()
    body = {"version": 1, "title": "生活帮扶", "responsible_id": village_cadre.pk,
            "review_on": str(today + dt.timedelta(days=60))}
    changed = _put(api, f"/api/v1/care/plans/{plan['id']}", body)
    assert changed.status_code == 200 and (changed.json()["title"], changed.json()["version"]) == ("生活帮扶", 2)
    assert _put(api, f"/api/v1/care/plans/{plan['id']}", {**body, "title": "旧的"}).status_code == 409
    goal = _post(api, f"/api/v1/care/plans/{plan['id']}/goals", {"category": "hardship", "text": "冬季取暖"})
    assert goal.status_code == 201
    helped = _post(api, f"/api/v1/care/plans/{plan['id']}/help", {
        "given_on": str(today), "kind": "money", "provider": "县妇联", "amount": 500, "client_token": "h-1"})
    assert helped.status_code == 201 and helped.json()["amount"] == 500.0
    assert _post(api, f"/api/v1/care/plans/{plan['id']}/help", {
        "given_on": str(today), "kind": "money", "provider": "县妇联", "amount": 500,
        "client_token": "h-1"}).json()["id"] == helped.json()["id"]
    assert _post(api, f"/api/v1/care/goals/{goal.json()['id']}/close", {"state": "met"}).status_code == 200
    assert _post(api, f"/api/v1/care/goals/{goal.json()['id']}/close", {"state": "met"}).status_code == 409
    assert _post(api, f"/api/v1/care/plans/{plan['id']}/close", {"version": 1, "outcome": "goal_met"}).status_code \
        == 409
    closed = _post(api, f"/api/v1/care/plans/{plan['id']}/close", {"version": 2, "outcome": "goal_met"})
    assert closed.status_code == 200 and closed.json()["state"] == "closed"
    assert api.get(f"/api/v1/care/plans/{plan['id']}/visits").status_code == 200


def test_a_need_opens_a_plan_once(api_for, village_cadre, mother):
    from fulian.contacts.models import Need
    from fulian.contacts.services import contact_log_create

    today = timezone.localdate()
    log = contact_log_create(actor=village_cadre, woman=mother, contacted_on=today, channel="home_visit",
                             today=today, needs=[("employment", "想学家政")])
    need = Need.objects.get(contact_log=log)
    api = api_for(village_cadre)
    first = _post(api, f"/api/v1/care/needs/{need.pk}/plan", {"skills": ["domestic"]})
    assert first.status_code == 200 and (first.json()["need_id"], first.json()["text"]) == (need.pk, "想学家政")
    assert _post(api, f"/api/v1/care/needs/{need.pk}/plan").json()["id"] == first.json()["id"]


def test_resource_edits_take_the_version_and_close_once(api_for, county_staff):
    api = api_for(county_staff)
    job = _post(api, "/api/v1/care/resources", _job_body(capacity=3)).json()
    changed = _put(api, f"/api/v1/care/resources/{job['id']}", {"version": 1, "capacity": 5, "title": "保洁员"})
    assert changed.status_code == 200 and (changed.json()["capacity"], changed.json()["remaining"]) == (5, 5)
    assert _put(api, f"/api/v1/care/resources/{job['id']}", {"version": 1, "capacity": 2}).status_code == 409
    assert _post(api, f"/api/v1/care/resources/{job['id']}/close").json()["state"] == "closed"
    assert _post(api, f"/api/v1/care/resources/{job['id']}/close").status_code == 409
    assert [r["id"] for r in api.get("/api/v1/care/resources", {"state": "closed"}).json()["items"]] == [job["id"]]
    assert _post(api, "/api/v1/care/resources", _job_body(capacity=None)).status_code == 400


def test_a_province_wide_resource_shows_each_county_only_its_own_women(api_for, unit, village_cadre, county_chair,
                                                                        sibling_county_cadre, mother):
    today = timezone.localdate()
    plan = plans.plan_open(actor=village_cadre, woman=mother, title="就业", responsible=village_cadre, today=today,
                           review_on=today + dt.timedelta(days=9), goals=[{"category": "employment", "text": "就业"}])
    job = resources.resource_create(actor=county_chair, unit=unit("正定县"), kind="job",
                                    title="全省岗位", provider="某企业", provider_kind="enterprise", capacity=3,
                                    starts_on=today, ends_on=today, visibility="province")
    assert [w["goal"]["id"] for w in api_for(county_chair).get(
        f"/api/v1/care/resources/{job.pk}/women").json()] == [plan.goals.get().pk]
    next_door = api_for(sibling_county_cadre)
    assert next_door.get(f"/api/v1/care/resources/{job.pk}").status_code == 200  # seen province-wide …
    assert next_door.get(f"/api/v1/care/resources/{job.pk}/women").json() == []  # … but not 正定县's women
    assert next_door.put(f"/api/v1/care/resources/{job.pk}", {"version": 1, "title": "x"},
                         content_type="application/json").status_code == 404


def test_a_batch_is_proposed_and_decided_once(api_for, unit, village_cadre, county_chair, mother):
    today = timezone.localdate()
    plans.plan_open(actor=village_cadre, woman=mother, title="就业", responsible=village_cadre, today=today,
                    review_on=today + dt.timedelta(days=9), goals=[{"category": "employment", "text": "就业"}])
    resources.resource_create(actor=county_chair, unit=unit("正定县"), kind="job", title="岗位", provider="某企业",
                              provider_kind="enterprise", capacity=1, starts_on=today, ends_on=today)
    api = api_for(county_chair)
    batch = _post(api, "/api/v1/care/batches", {})
    assert batch.status_code == 201, batch.content
    batch = batch.json()
    assert (batch["needs"], batch["matched"], batch["greedy_matched"], batch["state"]) == (1, 1, 1, "proposed")
    assert api.get(f"/api/v1/care/batches/{batch['id']}").json()["pairs"][0]["goal_id"] == batch["pairs"][0][
        "goal_id"]
    decided = _post(api, f"/api/v1/care/batches/{batch['id']}/decide", {"approve": True})
    assert decided.status_code == 200 and (decided.json()["sent"], decided.json()["state"]) == (1, "approved")
    assert _post(api, f"/api/v1/care/batches/{batch['id']}/decide", {"approve": False}).status_code == 409
    assert [b["id"] for b in api.get("/api/v1/care/batches").json()] == [batch["id"]]
    assert _post(api_for(village_cadre), "/api/v1/care/batches", {"unit_id": unit("正定县").pk}).status_code == 404
