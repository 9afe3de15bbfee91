"""The care API's registry, children and figures, from the outside (bearer tokens): memberships in and out with
counts for a past date, children only for those with need-to-know (each read logged), figures, and bad parameters
answered 400, never 500."""

import datetime as dt

import pytest
from django.utils import timezone

from fulian.accounts.tests.factories import UserFactory
from fulian.care import registry
from fulian.care.models import Child
from fulian.core.models import ReadLog
from fulian.core.policy import Role

pytestmark = pytest.mark.django_db


def _child(api, family, woman, **extra):
    today = timezone.localdate()
    body = {"family_id": family.pk, "name": "王小雨", "sex": "f", "birth_date": str(today - dt.timedelta(days=3000)),
            "situation": "left_behind", "guardian_id": woman.pk, "guardian_relation": "母亲", "consent_by": "王秀梅",
            "consent_on": str(today), **extra}
    return api.post("/api/v1/care/children", body, content_type="application/json")


def test_a_membership_in_and_out_with_counts_on_a_past_day(api_for, village_cadre, mother):
    api = api_for(village_cadre)
    today = timezone.localdate()
    start = today - dt.timedelta(days=100)
    made = api.post("/api/v1/care/memberships", {"woman_id": mother.pk, "group": "low_income", "start_on": str(start),
                                                 "low_income_kind": "dibao", "client_token": "t-1"},
                    content_type="application/json")
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["group"], body["low_income_kind"], body["woman_name"]) == ("low_income", "dibao", "王秀梅")
    again = api.post("/api/v1/care/memberships", {"woman_id": mother.pk, "group": "low_income",
                                                  "start_on": str(start), "low_income_kind": "dibao",
                                                  "client_token": "t-1"}, content_type="application/json")
    assert (again.status_code, again.json()["id"]) == (200, body["id"])  # a double submit: the first one
    twice = api.post("/api/v1/care/memberships", {"woman_id": mother.pk, "group": "low_income",
                                                  "start_on": str(start), "low_income_kind": "dibao"},
                     content_type="application/json")
    assert twice.status_code == 409 and "已在" in twice.json()["detail"]
    no_kind = api.post("/api/v1/care/memberships", {"woman_id": mother.pk, "group": "low_income",
                                                    "start_on": str(start)}, content_type="application/json")
    assert no_kind.status_code == 400 and "低收入类别" in no_kind.json()["detail"]

    end_on = today - dt.timedelta(days=10)
    ended = api.post(f"/api/v1/care/memberships/{body['id']}/end", {"end_on": str(end_on), "reason": "no_longer"},
                     content_type="application/json")
    assert ended.status_code == 200 and ended.json()["end_on"] == str(end_on)
    assert api.post(f"/api/v1/care/memberships/{body['id']}/end", {"end_on": str(end_on), "reason": "no_longer"},
                    content_type="application/json").status_code == 409

    past = api.get("/api/v1/care/memberships/counts", {"on": str(today - dt.timedelta(days=50))}).json()
    now = api.get("/api/v1/care/memberships/counts").json()
    low = {c["group"]: c["women"] for c in past["groups"]}["low_income"]
    assert (low, past["women"], now["women"]) == (1, 1, 0)
    listed = api.get("/api/v1/care/memberships", {"group": "low_income",
                                                  "on": str(today - dt.timedelta(days=50))}).json()
    assert [m["id"] for m in listed["items"]] == [body["id"]] and listed["count"] == 1
    assert api.get("/api/v1/care/memberships", {"on": str(today)}).json()["count"] == 0


def test_a_membership_of_a_woman_next_door_is_404(api_for, sibling_county_cadre, village_cadre, mother):
    made = registry.membership_add(actor=village_cadre, woman=mother, group="left_behind",
                                   start_on=timezone.localdate(), today=timezone.localdate())
    api = api_for(sibling_county_cadre)
    assert api.get(f"/api/v1/care/memberships/{made.pk}").status_code == 404
    assert api.post("/api/v1/care/memberships", {"woman_id": mother.pk, "group": "migrant",
                                                 "start_on": str(timezone.localdate())},
                    content_type="application/json").status_code == 404
    assert api.get("/api/v1/care/memberships").json()["count"] == 0


@pytest.mark.parametrize("url", [
    "/api/v1/care/memberships?group=nobody", "/api/v1/care/children?situation=orphan",
    "/api/v1/care/figures?start=202613&end=202614", "/api/v1/care/figures?start=202610&end=202601",
    "/api/v1/care/figures?start=200001&end=202612", "/api/v1/care/plans?state=lost",
    "/api/v1/care/resources?kind=gold", "/api/v1/care/offers?state=maybe",
    "/api/v1/care/exports/offers.xlsx?state=maybe", "/api/v1/care/exports/memberships.xlsx?group=x",
])
def test_a_bad_parameter_is_a_400(api_for, county_chair, url):
    answer = api_for(county_chair).get(url)
    assert answer.status_code == 400, (url, answer.status_code, answer.content[:200])
    assert answer.json()["detail"]


def test_children_are_for_those_with_need_to_know_and_every_read_is_logged(api_for, unit, village_cadre,
                                                                          county_chair, mother, mother_family):
    made = _child(api_for(village_cadre), mother_family, mother, client_token="c-1")
    assert made.status_code == 201, made.content
    child_id = made.json()["id"]
    assert _child(api_for(village_cadre), mother_family, mother, client_token="c-1").json()["id"] == child_id

    volunteer = UserFactory(username="volunteer", unit=unit("恒东社区"), roles=[Role.VOLUNTEER])
    next_village = UserFactory(username="zjz-cadre", unit=unit("张家庄村"), roles=[Role.STAFF])
    colleague = UserFactory(username="colleague", unit=unit("恒东社区"), roles=[Role.STAFF])  # not her carer
    for outsider in (volunteer, next_village, colleague):
        api = api_for(outsider)
        assert api.get(f"/api/v1/care/children/{child_id}").status_code == 404, outsider.username
        assert api.get("/api/v1/care/children").json()["items"] == []
        assert api.put(f"/api/v1/care/children/{child_id}", {"version": 1, "school": "x"},
                       content_type="application/json").status_code == 404
        assert api.post(f"/api/v1/care/children/{child_id}/end", {"ended_on": str(timezone.localdate())},
                        content_type="application/json").status_code == 404
    assert not ReadLog.objects.filter(object_type="care.child", actor__in=[volunteer, next_village, colleague])

    before = ReadLog.objects.filter(object_type="care.child", actor=county_chair).count()
    chair = api_for(county_chair)  # a chair above reads it
    got = chair.get(f"/api/v1/care/children/{child_id}")
    assert got.status_code == 200 and got.json()["name"] == "王小雨"
    listed = chair.get("/api/v1/care/children")
    assert [c["id"] for c in listed.json()["items"]] == [child_id]
    assert ReadLog.objects.filter(object_type="care.child", object_id=str(child_id),
                                  actor=county_chair).count() == before + 2


def test_a_child_edit_takes_the_version_and_a_child_needs_consent(api_for, village_cadre, mother, mother_family):
    api = api_for(village_cadre)
    assert _child(api, mother_family, mother, consent_by="").status_code == 400
    assert not Child.objects.exists()
    child_id = _child(api, mother_family, mother).json()["id"]
    changed = api.put(f"/api/v1/care/children/{child_id}", {"version": 1, "school": "恒东小学三年级"},
                      content_type="application/json")
    assert changed.status_code == 200 and changed.json()["school"] == "恒东小学三年级"
    assert changed.json()["version"] == 2 and changed.json()["guardian_id"] == mother.pk
    stale = api.put(f"/api/v1/care/children/{child_id}", {"version": 1, "school": "别的学校"},
                    content_type="application/json")
    assert stale.status_code == 409
    assert Child.objects.get(pk=child_id).school == "恒东小学三年级"
    ended = api.post(f"/api/v1/care/children/{child_id}/end", {"ended_on": str(timezone.localdate())},
                     content_type="application/json")
    assert ended.status_code == 200 and ended.json()["ended_on"] == str(timezone.localdate())


def test_figures_have_the_care_figures_and_the_surveys_benefit_rate_beside_the_records(api_for, county_chair,
                                                                                        village_cadre, mother):
    from fulian.evaluation.tallies import figures_fold

    today = timezone.localdate()
    registry.membership_add(actor=village_cadre, woman=mother, group="single_mother", today=today,
                            start_on=today - dt.timedelta(days=5))
    figures_fold()
    period = today.year * 100 + today.month
    answer = api_for(county_chair).get("/api/v1/care/figures", {"start": period, "end": period})
    assert answer.status_code == 200, answer.content
    keys = [f["key"] for f in answer.json()["figures"]]
    values = {f["key"]: f["value"] for f in answer.json()["figures"]}
    assert keys.index("rate_benefit") == keys.index("care_benefit") + 1
    assert (values["care_in_single_mother"], values["care_women"], values["care_benefit"]) == (1, 1, 0)
    assert all(k.startswith("care_") for k in keys if k != "rate_benefit")
