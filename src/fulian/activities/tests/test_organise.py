"""The organising pages: a cadre makes a course of several sessions from the form (times round-trip as ISO), finds it
in her list by its filters, sees its sign-ups and the check-ins of each session with the link to the check-in page,
publishes and cancels it; the participants' Excel masks phones and is audited; the next county gets 404."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from fulian.activities import services
from fulian.activities.checkin import attendance_record
from fulian.activities.models import Activity, ActivityStatus
from fulian.activities.signups import signup_create
from fulian.core.models import AuditEvent

from .conftest import at

pytestmark = pytest.mark.django_db


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _form(place, **overrides) -> dict:
    data = {"kind": "course", "title": "龙妹家政培训班", "description": "月嫂、育婴", "home": str(place.pk),
            "address": "", "capacity": "20", "audience": "open", "organiser": "正定县妇联",
            "partners": "县人社局\n县家政协会", "client_token": "tok-new-1",
            "session-TOTAL_FORMS": "3", "session-INITIAL_FORMS": "0",
            "session-0-starts_at": _local(at(5)), "session-0-ends_at": _local(at(5, 11)), "session-0-title": "第一课",
            "session-1-starts_at": _local(at(6)), "session-1-ends_at": _local(at(6, 11)), "session-1-title": "第二课",
            "session-2-starts_at": "", "session-2-ends_at": "", "session-2-title": ""}
    data.update(overrides)
    return data


def test_a_course_of_several_sessions_is_made_from_the_form_and_its_times_round_trip(client_for, county_chair, home):
    client = client_for(county_chair)
    page = client.get("/activities/new/")
    assert page.status_code == 200 and 'name="_entry"' in page.content.decode()
    answer = client.post("/activities/new/", _form(home))
    activity = Activity.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/activities/{activity.pk}/"
    assert activity.status == ActivityStatus.DRAFT and activity.partners == ["县人社局", "县家政协会"]
    assert [(s.number, s.title) for s in activity.sessions.all()] == [(1, "第一课"), (2, "第二课")]
    edit = client.get(f"/activities/{activity.pk}/edit/").content.decode()
    assert f'value="{_local(at(5))}"' in edit and f'value="{_local(at(6, 11))}"' in edit
    again = client.post("/activities/new/", _form(home))  # a double submit: the same client token
    assert again.status_code == 302 and Activity.objects.count() == 1


def test_a_session_with_only_a_start_or_no_place_is_refused_on_the_form(client_for, county_chair, home):
    client = client_for(county_chair)
    half = client.post("/activities/new/", _form(home, **{"session-1-ends_at": ""}))
    assert half.status_code == 200 and "同时填写" in half.content.decode()
    nowhere = client.post("/activities/new/", _form(home, home="", address=""))
    assert nowhere.status_code == 200 and "活动地点" in nowhere.content.decode()
    assert not Activity.objects.exists()


def test_the_list_filters_by_kind_month_and_status(client_for, county_chair, activity, unit):
    lecture = services.activity_save(actor=county_chair, unit=unit("正定县"), values={
        "title": "家风讲坛", "kind": "lecture", "address": "县文化馆"}, sessions=[(at(40), at(40, 11))])
    client = client_for(county_chair)
    page = client.get("/activities/").content.decode()
    assert activity.title in page and lecture.title in page
    only = client.get("/activities/", {"kind": "lecture"}).content.decode()
    assert lecture.title in only and activity.title not in only
    month = timezone.localtime(at(40)).strftime("%Y-%m")
    in_month = client.get("/activities/", {"month": month, "status": "draft"}).content.decode()
    assert lecture.title in in_month and activity.title not in in_month
    assert "没有符合条件" in client.get("/activities/", {"status": "cancelled"}).content.decode()


def test_the_village_sees_only_her_subtree_in_the_list(client_for, village_cadre, activity):
    assert activity.title not in client_for(village_cadre).get("/activities/").content.decode()


def test_the_page_shows_sign_ups_and_check_ins_per_session_with_the_check_in_link(client_for, county_chair,
                                                                                 activity):
    signup_create(activity=activity, name="王秀兰", phone="13812345678", channel="cadre", actor=county_chair)
    first, second = activity.sessions.order_by("number")
    attendance_record(session=first, phone="13812345678", method="tick", actor=county_chair, now=first.starts_at)
    page = client_for(county_chair).get(f"/activities/{activity.pk}/").content.decode()
    assert f'href="/activities/sessions/{first.pk}/checkin/"' in page
    assert f'href="/activities/sessions/{second.pk}/checkin/"' in page
    rows = page.split('id="sessions"')[1]
    assert '<td class="num">1</td>' in rows and '<td class="num">0</td>' in rows
    assert "已报名" in page and page.split('id="signups"')[1].split("</dd>")[0].endswith("1")


def test_publish_then_cancel_with_a_reason_from_the_page(client_for, county_chair, unit):
    draft = services.activity_save(actor=county_chair, unit=unit("正定县"), values={
        "title": "亲子阅读", "kind": "reading", "address": "县图书馆"}, sessions=[(at(3), at(3, 11))])
    client = client_for(county_chair)
    assert "发布" in client.get(f"/activities/{draft.pk}/").content.decode()
    client.post(f"/activities/{draft.pk}/publish/")
    assert Activity.objects.get(pk=draft.pk).status == ActivityStatus.PUBLISHED
    client.post(f"/activities/{draft.pk}/cancel/", {"reason": ""})
    assert Activity.objects.get(pk=draft.pk).status == ActivityStatus.PUBLISHED
    client.post(f"/activities/{draft.pk}/cancel/", {"reason": "场地维修"})
    assert Activity.objects.get(pk=draft.pk).status == ActivityStatus.CANCELLED


def test_a_stale_edit_says_so_and_changes_nothing(client_for, county_chair, activity, home):
    client = client_for(county_chair)
    data = _form(home, title="改过的名称", version=str(activity.version - 1), client_token="",
                 **{"session-TOTAL_FORMS": "2", "session-INITIAL_FORMS": "2",
                    "session-0-starts_at": _local(at(2)), "session-0-ends_at": _local(at(2, 11)),
                    "session-1-starts_at": _local(at(3)), "session-1-ends_at": _local(at(3, 11))})
    answer = client.post(f"/activities/{activity.pk}/edit/", data)
    assert answer.status_code == 200 and "已被他人修改" in answer.content.decode()
    saved = client.post(f"/activities/{activity.pk}/edit/", {**data, "version": str(activity.version)})
    assert saved.status_code == 302 and Activity.objects.get(pk=activity.pk).title == "改过的名称"


def test_the_participants_excel_masks_phones_and_is_audited(client_for, county_chair, activity):
    signup_create(activity=activity, name="王秀兰", phone="13812345678", channel="cadre", actor=county_chair)
    first = activity.sessions.order_by("number").first()
    attendance_record(session=first, name="李梅", phone="13900001111", method="walk_in", actor=county_chair,
                      now=first.starts_at)
    answer = client_for(county_chair).post(f"/activities/{activity.pk}/participants.xlsx")
    sheet = load_workbook(io.BytesIO(answer.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert [(r[0], r[1]) for r in rows] == [("王秀兰", "138****5678"), ("李梅", "139****1111")]
    assert rows[1][7] == "1" and rows[1][2] == "现场登记"
    assert "13812345678" not in str(rows)
    assert AuditEvent.objects.filter(action="activity.participants_export", actor=county_chair).exists()


def test_the_next_county_gets_404_on_every_page_of_the_activity(client_for, sibling_county_cadre, activity):
    client = client_for(sibling_county_cadre)
    for path in ("", "edit/", "attendance-sheet/", "attendance-sheet/template.xlsx", "attendance-sheet/errors.xlsx"):
        assert client.get(f"/activities/{activity.pk}/{path}").status_code == 404, path
    for path in ("publish/", "cancel/", "participants.xlsx"):
        assert client.post(f"/activities/{activity.pk}/{path}", {"reason": "x"}).status_code == 404, path
    assert Activity.objects.get(pk=activity.pk).status == ActivityStatus.PUBLISHED


def test_a_volunteer_sees_the_activity_but_may_not_organise(client_for, unit, activity):
    from fulian.accounts.tests.factories import UserFactory
    from fulian.core.policy import Role

    volunteer = UserFactory(username="vol", unit=unit("正定县"), roles=[Role.VOLUNTEER])
    client = client_for(volunteer)
    page = client.get(f"/activities/{activity.pk}/").content.decode()
    assert activity.title in page and "取消活动" not in page
    assert client.get("/activities/new/").status_code == 404
    assert client.post(f"/activities/{activity.pk}/cancel/", {"reason": "x"}).status_code == 404
