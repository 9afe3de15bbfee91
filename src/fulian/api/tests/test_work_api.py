"""Tasks and reports through the API: the journey from issue to close, a sibling county that sees nothing, and
bad input refused with a message and nothing saved."""

import datetime as dt

import pytest
from django.utils import timezone

from fulian.core.figures import figures_add
from fulian.core.models import Outbox
from fulian.dispatch.models import Recipient, RecipientState
from fulian.work.models import Report, ReportTemplate, Task

FIELDS = [
    {"key": "women", "label": "登记妇女", "kind": "computed", "figure": "women_registered"},
    {"key": "contacts", "label": "联系妇女人次", "kind": "computed", "figure": "contacts"},
    {"key": "trainings", "label": "培训场次", "kind": "number", "required": True},
    {"key": "note", "label": "情况说明", "kind": "text"},
]


def _deadline():
    return (timezone.now() + dt.timedelta(days=7)).isoformat()


@pytest.fixture
def records(unit):
    figures_add([(unit("恒东社区").path, 202603, "women_registered", 5),
                 (unit("西柏棠村").path, 202605, "women_registered", 2),
                 (unit("南关村").path, 202604, "women_registered", 3),
                 (unit("恒东社区").path, 202604, "contacts", 7)])


@pytest.fixture
def issued(api_for, province_chair, records):
    """A province task to every county (level 3) with a report form, issued through the API."""
    province = api_for(province_chair)
    template = province.post("/api/v1/report-templates", {"name": "上半年工作情况", "fields": FIELDS},
                             content_type="application/json")
    assert template.status_code == 201, template.json()
    task = province.post("/api/v1/tasks", {
        "title": "上半年妇联工作报表", "body": "请按时填报", "deadline": _deadline(), "period_start": 202601,
        "period_end": 202606, "template_id": template.json()["id"], "level": 3}, content_type="application/json")
    assert task.status_code == 201, task.json()
    return province, task.json()


def copy_id(task, unit):
    return Recipient.objects.get(dispatch_id=task["id"], unit=unit).pk


@pytest.mark.django_db
def test_the_figure_registry_lists_what_a_report_field_may_name(api_for, county_chair):
    figures = {f["key"]: f for f in api_for(county_chair).get("/api/v1/figures").json()}
    assert figures["tasks_on_time_rate"]["kind"] == "rate" and figures["tasks_done"]["kind"] == "flow"
    assert {"tasks_done", "contacts"} <= set(figures) and all(f["data_source"] for f in figures.values())


@pytest.mark.django_db
def test_a_task_from_issue_to_close_through_the_api(issued, api_for, unit, county_chair, sibling_county_cadre):
    province, task = issued
    assert task["recipient_count"] == 2 and task["totals"]["total"] == 2 and task["template"]["fields"][0][
        "figure"] == "women_registered"
    assert [t["id"] for t in province.get("/api/v1/tasks").json()["items"]] == [task["id"]]

    county = api_for(county_chair)
    received = county.get("/api/v1/tasks/received", {"open": True}).json()
    assert received["count"] == 1 and received["items"][0]["state"] == "received"
    recipient_id = received["items"][0]["id"]
    copy = county.get(f"/api/v1/tasks/received/{recipient_id}").json()
    filled = {row["key"]: row for row in copy["prefill"]}
    assert filled["women"]["value"] == 7 and filled["contacts"]["value"] == 7 and filled["women"]["data_source"]
    assert filled["trainings"]["value"] is None and filled["trainings"]["required"]
    assert county.post(f"/api/v1/tasks/received/{recipient_id}/acknowledge").json()["state"] == "acknowledged"

    answer = county.post(f"/api/v1/tasks/received/{recipient_id}/report",
                         {"entered": {"trainings": 3, "note": "按时完成"}}, content_type="application/json")
    assert answer.status_code == 201, answer.json()
    report = answer.json()
    assert report["computed"] == {"women": 7, "contacts": 7} and report["entered"]["trainings"] == 3
    assert county.get(f"/api/v1/tasks/received/{recipient_id}/report").json()["differences"] == []
    figures_add([(unit("张家庄村").path, 202604, "women_registered", 3)])  # a record arrives afterwards
    later = county.get(f"/api/v1/tasks/received/{recipient_id}/report").json()
    assert later["computed"]["women"] == 7 and later["differences"] == [
        {"key": "women", "label": "登记妇女", "submitted": 7, "now": 10}]

    standing = province.get(f"/api/v1/tasks/{task['id']}").json()["totals"]
    assert (standing["done"], standing["total"]) == (1, 2)
    completion = province.get(f"/api/v1/tasks/{task['id']}/completion").json()
    assert [(r["unit_name"], r["done"], r["total"]) for r in completion["rows"]] == [("石家庄市", 1, 2)]
    city = province.get(f"/api/v1/tasks/{task['id']}/completion", {"unit_id": unit("石家庄市").pk}).json()
    assert [(r["unit_name"], r["done"], r["recipient_id"] is not None) for r in city["rows"]] == [
        ("正定县", 1, True), ("行唐县", 0, True)]

    assert province.post(f"/api/v1/tasks/{task['id']}/remind").json() == {"reminded": 1}
    assert list(Outbox.objects.filter(subject__startswith="催办").values_list("user__username", flat=True)) == [
        "sibling-cadre"]
    closed = province.post(f"/api/v1/tasks/{task['id']}/close")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    again = province.post(f"/api/v1/tasks/{task['id']}/close")
    assert again.status_code == 409 and again.json()["detail"]


@pytest.mark.django_db
def test_a_county_that_received_a_task_reads_it_but_not_how_the_province_stands(issued, api_for,
                                                                               sibling_county_cadre):
    _province, task = issued
    seen = api_for(sibling_county_cadre).get(f"/api/v1/tasks/{task['id']}")
    assert seen.status_code == 200 and seen.json()["totals"] is None
    assert api_for(sibling_county_cadre).get(f"/api/v1/tasks/{task['id']}/completion").status_code == 404
    assert api_for(sibling_county_cadre).post(f"/api/v1/tasks/{task['id']}/remind").status_code == 404


@pytest.mark.django_db
def test_a_sibling_county_gets_404_on_the_other_countys_copy_and_report(issued, api_for, unit, county_chair,
                                                                        sibling_county_cadre):
    _province, task = issued
    theirs = copy_id(task, unit("正定县"))
    api_for(county_chair).post(f"/api/v1/tasks/received/{theirs}/report", {"entered": {"trainings": 1}},
                               content_type="application/json")
    sibling = api_for(sibling_county_cadre)
    for method, path in [("get", ""), ("get", "/report"), ("post", "/acknowledge"), ("post", "/complete"),
                         ("post", "/delegate"), ("post", "/report")]:
        answer = getattr(sibling, method)(f"/api/v1/tasks/received/{theirs}{path}", {"entered": {}} if path else {},
                                          content_type="application/json")
        assert answer.status_code == 404, (path, answer.status_code)
    assert sibling.get(f"/api/v1/tasks/received/{copy_id(task, unit('行唐县'))}").status_code == 200


@pytest.mark.django_db
def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(issued, api_for, unit, county_chair):
    province, task = issued
    county = api_for(county_chair)
    mine = copy_id(task, unit("正定县"))

    def report(entered):
        return county.post(f"/api/v1/tasks/received/{mine}/report", {"entered": entered},
                           content_type="application/json")

    negative = report({"trainings": -3})
    assert negative.status_code == 400 and "负数" in negative.json()["detail"]
    missing = report({})
    assert missing.status_code == 400 and "培训场次" in missing.json()["detail"]
    wrong_type = county.post(f"/api/v1/tasks/received/{mine}/report", {"entered": {"trainings": [1]}},
                             content_type="application/json")
    assert wrong_type.status_code == 422 and wrong_type.json()["errors"]

    upward = county.post(f"/api/v1/tasks/received/{mine}/delegate", {"level": 3}, content_type="application/json")
    assert upward.status_code == 400 and "本级以下" in upward.json()["detail"]
    itself = county.post(f"/api/v1/tasks/received/{mine}/delegate", {"unit_ids": [unit("正定县").pk]},
                         content_type="application/json")
    assert itself.status_code == 400 and "本单位以下" in itself.json()["detail"]
    elsewhere = county.post(f"/api/v1/tasks/received/{mine}/delegate", {"unit_ids": [unit("龙州镇").pk]},
                            content_type="application/json")
    assert elsewhere.status_code == 404  # a unit outside her scope is not named to her
    with_report = county.post(f"/api/v1/tasks/received/{mine}/complete", {}, content_type="application/json")
    assert with_report.status_code == 400 and "填报" in with_report.json()["detail"]
    assert not Report.objects.exists() and not Recipient.objects.filter(parent_id=mine).exists()
    assert Recipient.objects.get(pk=mine).state == RecipientState.RECEIVED

    province.post(f"/api/v1/tasks/{task['id']}/close")
    closed = report({"trainings": 1})
    assert closed.status_code == 400 and "已关闭" in closed.json()["detail"]
    assert province.post(f"/api/v1/tasks/{task['id']}/remind").status_code == 400
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_a_report_sent_twice_or_from_a_stale_version_is_a_conflict(issued, api_for, unit, county_chair):
    _province, task = issued
    county = api_for(county_chair)
    mine = copy_id(task, unit("正定县"))
    stale = county.post(f"/api/v1/tasks/received/{mine}/report", {"entered": {"trainings": 1}, "version": 99},
                        content_type="application/json")
    assert stale.status_code == 409 and not Report.objects.exists()
    first = county.post(f"/api/v1/tasks/received/{mine}/report", {"entered": {"trainings": 1}},
                        content_type="application/json")
    second = county.post(f"/api/v1/tasks/received/{mine}/report", {"entered": {"trainings": 1}},
                         content_type="application/json")
    assert (first.status_code, second.status_code) == (201, 409) and Report.objects.count() == 1


@pytest.mark.django_db
def test_a_county_delegates_to_its_townships_and_reports_their_sum(issued, api_for, unit, county_chair):
    from fulian.accounts.tests.factories import UserFactory
    from fulian.core.policy import Role

    _province, task = issued
    county = api_for(county_chair)
    mine = copy_id(task, unit("正定县"))
    delegated = county.post(f"/api/v1/tasks/received/{mine}/delegate", {"level": 4}, content_type="application/json")
    assert delegated.status_code == 200 and delegated.json()["sent"] == 2
    assert delegated.json()["recipient"]["state"] == "delegated"
    assert county.post(f"/api/v1/tasks/received/{mine}/remind").json() == {"reminded": 2}  # 催办下级
    assert county.post(f"/api/v1/tasks/received/{mine}/remind").json() == {"reminded": 0}  # not twice in an hour
    for name, trainings in (("正定镇", 4), ("新安镇", 6)):
        cadre = api_for(UserFactory(username=f"cadre-{trainings}", unit=unit(name), roles=[Role.STAFF]))
        answer = cadre.post(f"/api/v1/tasks/received/{copy_id(task, unit(name))}/report",
                            {"entered": {"trainings": trainings}}, content_type="application/json")
        assert answer.status_code == 201
    copy = county.get(f"/api/v1/tasks/received/{mine}").json()
    assert copy["children_reported"] == 2 and [c["reported"] for c in copy["delegated_copies"]] == [True, True]
    assert {r["key"]: r["value"] for r in copy["prefill"]}["trainings"] == 10
    report = county.post(f"/api/v1/tasks/received/{mine}/report", {"entered": {"trainings": 999}},
                         content_type="application/json").json()
    assert report["entered"]["trainings"] == 10


@pytest.mark.django_db
def test_a_task_without_a_report_is_completed_and_only_a_leader_issues(api_for, unit, county_chair, village_cadre):
    county = api_for(county_chair)
    task = county.post("/api/v1/tasks", {"title": "学习会议精神", "deadline": _deadline(), "period_start": 202601,
                                         "period_end": 202606, "level": 5}, content_type="application/json")
    assert task.status_code == 201 and task.json()["template"] is None
    village = api_for(village_cadre)
    mine = village.get("/api/v1/tasks/received").json()["items"][0]
    done = village.post(f"/api/v1/tasks/received/{mine['id']}/complete", {"version": mine["version"]},
                        content_type="application/json")
    assert done.status_code == 200 and done.json()["state"] == "done" and done.json()["prefill"] == []
    assert village.get("/api/v1/tasks/received", {"open": True}).json()["count"] == 0
    refused = village.post("/api/v1/tasks", {"title": "x", "deadline": _deadline(), "period_start": 202601,
                                             "period_end": 202606, "level": 5}, content_type="application/json")
    assert refused.status_code == 404 and Task.objects.count() == 1


@pytest.mark.django_db
def test_bad_templates_and_tasks_are_refused_with_a_message(api_for, county_chair, unit):
    county = api_for(county_chair)
    unknown = county.post("/api/v1/report-templates", {"name": "x", "fields": [
        {"key": "a", "kind": "computed", "figure": "no_such_figure"}]}, content_type="application/json")
    assert unknown.status_code == 400 and "no_such_figure" in unknown.json()["detail"]
    bad_key = county.post("/api/v1/report-templates", {"name": "x", "fields": [{"key": "A b", "kind": "number"}]},
                          content_type="application/json")
    assert bad_key.status_code == 400 and not ReportTemplate.objects.exists()
    past = county.post("/api/v1/tasks", {"title": "x", "deadline": "2020-01-01T00:00:00+08:00",
                                         "period_start": 202601, "period_end": 202606, "level": 5},
                       content_type="application/json")
    assert past.status_code == 400 and "截止时间" in past.json()["detail"]
    backwards = county.post("/api/v1/tasks", {"title": "x", "deadline": _deadline(), "period_start": 202606,
                                              "period_end": 202601, "level": 5}, content_type="application/json")
    assert backwards.status_code == 400 and "统计期间" in backwards.json()["detail"]
    naive = county.post("/api/v1/tasks", {"title": "x", "deadline": "2020-01-01T00:00:00", "period_start": 202601,
                                          "period_end": 202606, "level": 5}, content_type="application/json")
    assert naive.status_code == 400 and "截止时间" in naive.json()["detail"]  # read in local time, not a 500
    assert not Task.objects.exists()
