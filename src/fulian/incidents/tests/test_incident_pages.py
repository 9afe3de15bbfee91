"""维权事件 from the outside: pages and API, scope (a sibling county gets 404), need-to-know on linked cases with the
read log, the statement's fast track through the portal's review page, bad links, stale edits, export."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from fulian.accounts.tests.factories import UserFactory
from fulian.cases.services import case_intake
from fulian.core.models import AuditEvent, Outbox, ReadLog
from fulian.core.policy import Role
from fulian.incidents import services
from fulian.incidents.models import Incident, IncidentAction

H = dt.timedelta(hours=1)


@pytest.fixture
def staff(unit):
    return UserFactory(username="county-staff", unit=unit("正定县"), roles=[Role.STAFF])


@pytest.fixture
def incident(staff, unit):
    return services.incident_create(actor=staff, unit=unit("正定县"), title="某村妇女遭家暴视频流传",
                                    reported_at=timezone.now() - 2 * H, place_unit=unit("恒东社区"),
                                    sources=["https://example.com/news?a=1&b=<2>"])


@pytest.fixture
def case(unit):
    return case_intake(kind="dv", home_unit=unit("恒东社区"), description="她不愿公开的经过", source="portal",
                       anonymous=True)


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_a_cadre_records_an_incident_and_an_action_on_the_page(client_for, staff):
    client = client_for(staff)
    page = client.get("/incidents/new/")
    assert page.status_code == 200 and 'type="datetime-local"' in page.content.decode()
    token = page.context["form"]["token"].value()
    form = {"title": "女职工被辞退事件", "reported_at": _local(timezone.now() - 3 * H), "severity": "serious",
            "place_text": "某工业园", "sources": "https://example.com/a", "token": token}
    response = client.post("/incidents/new/", form)
    again = client.post("/incidents/new/", form)  # the same form twice: one incident
    incident = Incident.objects.get()
    assert response.status_code == again.status_code == 302 and response.url == f"/incidents/{incident.pk}/"
    page = client.get(f"/incidents/{incident.pk}/")
    assert page.status_code == 200 and "距声明时限还剩" in page.content.decode()
    action_token = page.context["action_form"]["token"].value()
    post = {"kind": "visit", "text": "走访当事人", "at": _local(timezone.now() - H), "token": action_token}
    assert client.post(f"/incidents/{incident.pk}/actions/", post).status_code == 302
    assert client.post(f"/incidents/{incident.pk}/actions/", post).status_code == 302
    assert IncidentAction.objects.count() == 1
    html = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert "走访当事人" in html and "报告后 2.0 小时" in html
    assert AuditEvent.objects.filter(action__in=["incident.create", "incident.action_add"]).count() == 2


def test_a_bad_source_link_is_shown_on_the_form_and_answered_400_by_the_api(client_for, api_for, staff):
    form = {"title": "x", "reported_at": _local(timezone.now() - H), "severity": "general",
            "sources": "javascript:alert(1)"}
    page = client_for(staff).post("/incidents/new/", form)
    assert page.status_code == 200 and "不是有效的网址" in page.content.decode()
    response = api_for(staff).post("/api/v1/incidents", {
        "title": "x", "reported_at": timezone.now().isoformat(), "sources": ["data:text/html,<b>x</b>"]},
        content_type="application/json")
    assert response.status_code == 400 and "不是有效的网址" in response.json()["detail"]
    assert not Incident.objects.exists()


def test_source_links_are_escaped_links_that_open_without_an_opener(client_for, staff, incident):
    html = client_for(staff).get(f"/incidents/{incident.pk}/").content.decode()
    assert ('<a href="https://example.com/news?a=1&amp;b=&lt;2&gt;" rel="noopener noreferrer nofollow" '
            'target="_blank">') in html


def test_a_sibling_county_gets_404_on_every_incident_page_and_route(client_for, api_for, sibling_county_cadre,
                                                                    incident):
    client = client_for(sibling_county_cadre)
    for path in ("", "edit/"):
        assert client.get(f"/incidents/{incident.pk}/{path}").status_code == 404
    for path in ("actions/", "statement/", "cases/", "close/", "edit/"):
        assert client.post(f"/incidents/{incident.pk}/{path}", {"text": "x", "outcome": "x"}).status_code == 404
    assert incident.title not in client.get("/incidents/").content.decode()
    api = api_for(sibling_county_cadre)
    assert api.get(f"/api/v1/incidents/{incident.pk}").status_code == 404
    assert api.get("/api/v1/incidents").json()["count"] == 0
    for path, body in (("/actions", {"kind": "visit", "text": "x"}), ("/cases", {"case": "1"}),
                       ("/statement", {"title": "x", "body": "y"}), ("/close", {"version": 1, "outcome": "x"})):
        assert api.post(f"/api/v1/incidents/{incident.pk}{path}", body,
                        content_type="application/json").status_code == 404
    assert api.patch(f"/api/v1/incidents/{incident.pk}", {"version": 1, "title": "x",
                                                          "reported_at": timezone.now().isoformat()},
                     content_type="application/json").status_code == 404
    assert api.get("/api/v1/incidents-rollup", {"unit_id": incident.unit_id}).status_code == 404
    assert client.get("/incidents/rollup/", {"unit": incident.unit_id}).status_code == 404


def test_a_cadre_who_may_not_handle_the_case_sees_only_the_count_and_leaves_no_read(client_for, api_for, staff,
                                                                                     county_chair, incident, case):
    assert client_for(staff).post(f"/incidents/{incident.pk}/cases/", {"case": case.tracking_code}).status_code == 400
    assert client_for(county_chair).post(f"/incidents/{incident.pk}/cases/",
                                         {"case": case.tracking_code}).status_code == 302
    ReadLog.objects.all().delete()
    html = client_for(staff).get(f"/incidents/{incident.pk}/").content.decode()
    assert "关联个案 1 件" in html and case.tracking_display not in html
    body = api_for(staff).get(f"/api/v1/incidents/{incident.pk}").json()
    assert body["cases"] == [] and body["case_count"] == 1 and body["cases_hidden"] == 1
    assert not ReadLog.objects.exists()

    html = client_for(county_chair).get(f"/incidents/{incident.pk}/").content.decode()
    assert case.tracking_display in html
    log = ReadLog.objects.get()
    assert (log.actor, log.object_type, log.object_id, log.purpose) == (county_chair, "cases.case", str(case.pk),
                                                                        "incident")
    body = api_for(county_chair).get(f"/api/v1/incidents/{incident.pk}").json()
    assert [c["id"] for c in body["cases"]] == [case.pk]
    assert ReadLog.objects.filter(purpose="incident_api").count() == 1


def test_statement_fast_track_on_the_pages_submitted_reviewed_published_on_time(client_for, staff, county_chair,
                                                                                 incident):
    response = client_for(staff).post(f"/incidents/{incident.pk}/statement/", {
        "category": "notice", "title": "关于家暴事件的声明", "body": "坚决反对家庭暴力。", "submit": "review"})
    assert response.status_code == 302
    assert Outbox.objects.filter(user=county_chair, channel="in_app", subject__contains="维权事件声明待审").exists()
    assert Outbox.objects.filter(user=county_chair, channel="sms").exists()
    queue = client_for(county_chair).get("/incidents/statements/").content.decode()
    assert "关于家暴事件的声明" in queue and "距声明时限还剩" in queue
    assert "关于家暴事件的声明" not in client_for(staff).get("/incidents/statements/").content.decode()
    article_id = incident.statements.get().article_id
    page = client_for(staff).get(f"/incidents/{incident.pk}/").content.decode()
    assert "待审核" in page and "声明正在审核" in page
    assert client_for(county_chair).post(f"/publish/{article_id}/", {"action": "publish"}).status_code == 302
    page = client_for(staff).get(f"/incidents/{incident.pk}/").content.decode()
    incident.refresh_from_db()
    assert incident.first_statement_at is not None and "（按时）" in page
    assert AuditEvent.objects.filter(action="incident.statement_published").count() == 1


def test_a_statement_after_the_deadline_shows_late(client_for, staff, county_chair, unit):
    incident = services.incident_create(actor=staff, unit=unit("正定县"), title="迟到的声明",
                                        reported_at=timezone.now() - 30 * H)
    assert "声明已逾期" in client_for(staff).get(f"/incidents/{incident.pk}/").content.decode()
    statement = services.statement_save(actor=staff, incident=incident, title="声明", body="正文")
    client_for(county_chair).post(f"/publish/{statement.article_id}/", {"action": "publish"})
    assert "（逾期）" in client_for(staff).get(f"/incidents/{incident.pk}/").content.decode()


def test_the_api_records_acts_publishes_and_rolls_up(api_for, staff, county_chair, unit):
    api = api_for(staff)
    reported = (timezone.now() - 5 * H).isoformat()
    created = api.post("/api/v1/incidents", {"title": "API事件", "reported_at": reported, "severity": "major",
                                             "place_unit_id": unit("恒东社区").pk, "client_token": "abc"},
                       content_type="application/json")
    assert created.status_code == 201
    body = created.json()
    assert api.post("/api/v1/incidents", {"title": "API事件", "reported_at": reported, "client_token": "abc"},
                    content_type="application/json").json()["id"] == body["id"]
    iid = body["id"]
    action = api.post(f"/api/v1/incidents/{iid}/actions", {"kind": "legal_aid", "text": "联系律师",
                                                           "at": (timezone.now() - 2 * H).isoformat()},
                      content_type="application/json")
    assert action.status_code == 201 and action.json()["hours_since_report"] == 3.0
    statement = api.post(f"/api/v1/incidents/{iid}/statement", {"title": "声明", "body": "正文"},
                         content_type="application/json")
    assert statement.status_code == 201 and statement.json()["status"] == "review"
    pending = api_for(county_chair).get("/api/v1/incident-statements/pending").json()
    assert [p["incident_id"] for p in pending] == [iid]
    stale = api.patch(f"/api/v1/incidents/{iid}", {"version": 1, "title": "改", "reported_at": reported},
                      content_type="application/json")
    assert stale.status_code == 200
    again = api.patch(f"/api/v1/incidents/{iid}", {"version": 1, "title": "再改", "reported_at": reported},
                      content_type="application/json")
    assert again.status_code == 409
    rollup = api_for(county_chair).get("/api/v1/incidents-rollup").json()
    assert rollup["totals"]["total"] == 1 and rollup["totals"]["action_median"] == 3.0
    assert rollup["statement_hours"] == 24
    assert api.get("/api/v1/incidents-rollup", {"start": 202613}).status_code == 400
    listed = api.get("/api/v1/incidents", {"status": "responding"}).json()
    assert listed["count"] == 1 and listed["items"][0]["unit_name"] == "正定县"
    assert api.get("/api/v1/incidents", {"status": "nope"}).status_code == 400
    closed = api.post(f"/api/v1/incidents/{iid}/close", {"version": 2, "outcome": "已处置"},
                      content_type="application/json")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"


def test_a_stale_edit_on_the_page_says_so(client_for, staff, incident):
    client = client_for(staff)
    form = {"title": "新标题", "reported_at": _local(incident.reported_at), "severity": "general",
            "version": incident.version}
    assert client.post(f"/incidents/{incident.pk}/edit/", form).status_code == 302
    page = client.post(f"/incidents/{incident.pk}/edit/", {**form, "title": "又一个"})
    assert page.status_code == 200 and "已被别人修改" in page.content.decode()


def test_the_export_has_times_and_counts_but_no_case_details(client_for, county_chair, incident, case):
    services.case_link(actor=county_chair, incident=incident, case=case)
    response = client_for(county_chair).get("/incidents/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming
                                     else response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][1] == "某村妇女遭家暴视频流传" and rows[1][12] == 1
    flat = " ".join(str(v) for r in rows for v in r if v is not None)
    assert case.tracking_code not in flat and case.tracking_display not in flat
    assert AuditEvent.objects.filter(action="incident.export").exists()


def test_rollup_page_and_bad_months(client_for, county_chair, incident):
    client = client_for(county_chair)
    page = client.get("/incidents/rollup/")
    assert page.status_code == 200 and "维权事件响应统计" in page.content.decode()
    assert client.get("/incidents/rollup/", {"start": "2026-13"}).status_code == 400
    assert client.get("/incidents/", {"status": "x"}).status_code == 400


def test_the_workbench_shows_the_statement_to_review_and_the_incident_still_silent(client_for, staff, county_chair,
                                                                                    incident, sibling_county_cadre):
    services.statement_save(actor=staff, incident=incident, title="待审的声明", body="正文")
    html = client_for(county_chair).get("/work/").content.decode()
    assert "待审的声明" in html and "尚未发声的事件" in html and incident.title in html
    assert incident.title not in client_for(sibling_county_cadre).get("/work/").content.decode()


def test_the_place_is_picked_from_her_subtree_and_a_stranger_unit_is_refused(client_for, unit):
    village_staff = UserFactory(username="village-staff", unit=unit("恒东社区"), roles=[Role.STAFF])
    client = client_for(village_staff)
    form = {"title": "x", "reported_at": _local(timezone.now() - H), "severity": "general"}
    assert client.post("/incidents/new/", {**form, "place_unit": unit("南关村").pk}).status_code == 200
    assert not Incident.objects.exists()
    assert client.post("/incidents/new/", {**form, "place_unit": unit("恒东社区").pk}).status_code == 302
    assert Incident.objects.get().place_unit == unit("恒东社区")
