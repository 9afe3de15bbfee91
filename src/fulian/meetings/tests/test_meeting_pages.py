"""The meeting pages and API from the outside: the county chair records a standing committee meeting on its page,
votes a decision by name and issues a task from it; the quorum refusal and the stale edit as the API answers them;
the next county and a village below see none of it (404)."""

import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fulian.accounts.tests.factories import UserFactory
from fulian.core.policy import Role
from fulian.dispatch.models import Recipient
from fulian.meetings import services
from fulian.meetings.models import Decision, DecisionTask, Meeting

from .conftest import at


@pytest.fixture
def meeting(unit, county_chair, standing):
    _body, members = standing
    meeting = services.meeting_record(
        actor=county_chair, unit=unit("正定县"), kind="standing", held_at=at(5), place="县妇联会议室",
        present_member_ids=[m.pk for m in members[:5]], minutes="研究春季家庭教育宣讲工作。")
    services.decision_record(actor=county_chair, meeting=meeting, title="开展家庭教育宣讲",
                             votes={"for": 5, "against": 0, "abstain": 0})
    return meeting


def test_the_chair_records_a_standing_committee_meeting_votes_by_name_and_issues_a_task(
        unit, county_chair, standing, client_for):
    _body, members = standing
    client = client_for(county_chair)
    choose = client.get(reverse("meeting_new")).content.decode()
    assert "常委会" in choose and "联席会议" in choose
    form = client.get(reverse("meeting_new") + "?kind=standing").content.decode()
    assert '赵敏 <small class="muted">主席</small>' in form and "须过半数到会" in form
    assert 'type="datetime-local"' in form
    response = client.post(reverse("meeting_new"), {
        "kind": "standing", "held_at": "2026-03-05T09:30", "place": "县妇联会议室", "chair_name": "赵敏",
        "present": [str(m.pk) for m in members[:5]], f"reason_{members[5].pk}": "外出学习",
        "agenda": "春季工作\n三八节表彰", "minutes": "会议听取了春季工作汇报。", "observers": "王军",
        "client_token": "page-1"})
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.held_at == at(5).replace(minute=30) and meeting.present == 5 and meeting.has_quorum
    page = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert "会议听取了春季工作汇报。" in page and "钱红" in page and "外出学习" in page and "王军" in page
    assert "2026-03-05 09:30" in page  # the date-time round trip
    # the same form posted twice (a double tap) records one meeting
    client.post(reverse("meeting_new"), {"kind": "standing", "held_at": "2026-03-05T09:30",
                                         "present": [str(m.pk) for m in members[:5]], "client_token": "page-1"})
    assert Meeting.objects.count() == 1

    votes = {f"vote_{m.pk}": "for" for m in members[:4]} | {f"vote_{members[4].pk}": "against"}
    response = client.post(reverse("decision_add", args=[meeting.pk]), {
        "title": "开展家庭教育宣讲", "text": "各村(社区)妇联月底前开展一次。", **votes, "client_token": "d-1"})
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.passed and (decision.votes_for, decision.votes_against) == (4, 1)
    page = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert "赞成4票，反对1票，弃权0票（应到会7人）" in page and "钱红：赞成" in page and "据此下发任务" in page

    task_form = client.get(reverse("decision_task_new", args=[decision.pk])).content.decode()
    assert "各村(社区)妇联月底前开展一次。" in task_form
    response = client.post(reverse("decision_task_new", args=[decision.pk]), {
        "title": "开展家庭教育宣讲", "body": "各村(社区)妇联月底前开展一次。", "deadline": "2026-12-31T17:00",
        "period_start": "2026-03", "period_end": "2026-03", "level": "5", "units": "", "client_token": "k-1"})
    assert response.status_code == 302
    link = DecisionTask.objects.get()
    assert Recipient.objects.filter(dispatch_id=link.task_id).count() == 3
    page = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert reverse("task_detail", args=[link.task_id]) in page and "完成 0/3（0%）" in page


def test_the_page_refuses_a_decision_of_a_meeting_without_quorum(unit, county_chair, standing, client_for):
    _body, members = standing
    meeting = services.meeting_record(actor=county_chair, unit=unit("正定县"), kind="standing", held_at=at(5),
                                      present_member_ids=[m.pk for m in members[:3]])
    client = client_for(county_chair)
    page = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert "未达到法定人数" in page and "保存决定事项" not in page
    response = client.post(reverse("decision_add", args=[meeting.pk]), {"title": "x", "votes_for": "3",
                                                                         "votes_against": "0", "votes_abstain": "0"})
    assert response.status_code == 400 and "未达到法定人数" in response.content.decode()
    assert not Decision.objects.exists()


def test_the_api_records_a_committee_meeting_and_refuses_a_decision_without_quorum(
        unit, county_chair, standing, api_for):
    _body, members = standing
    api = api_for(county_chair)
    listed = api.get("/api/v1/meeting-members?kind=standing&on=2026-03-05").json()
    assert [m["name"] for m in listed["members"]] == ["赵敏", "钱红", "孙丽", "李娜", "周芳", "吴静", "郑洁"]
    answer = api.post("/api/v1/meetings", json.dumps({
        "kind": "standing", "held_at": "2026-03-05T09:00:00", "present_member_ids": [m["id"] for m in
                                                                                    listed["members"][:3]],
        "absence_reasons": {str(listed["members"][3]["id"]): "病假"}, "minutes": "纪要"}),
        content_type="application/json")
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["entitled"], body["present"], body["has_quorum"]) == (7, 3, False)
    refused = api.post(f"/api/v1/meetings/{body['id']}/decisions", json.dumps(
        {"title": "x", "votes_for": 3, "votes_against": 0, "votes_abstain": 0}), content_type="application/json")
    assert refused.status_code == 400 and "未达到法定人数" in refused.json()["detail"]

    answer = api.post("/api/v1/meetings", json.dumps({
        "kind": "standing", "held_at": "2026-03-06T09:00:00", "present_member_ids": [m.pk for m in members[:6]]}),
        content_type="application/json")
    meeting_id = answer.json()["id"]
    decided = api.post(f"/api/v1/meetings/{meeting_id}/decisions", json.dumps(
        {"title": "宣讲", "votes_by_name": {str(m.pk): "for" for m in members[:4]}}), content_type="application/json")
    assert decided.status_code == 201 and decided.json()["passed"] is True
    short = api.post(f"/api/v1/meetings/{meeting_id}/decisions", json.dumps(
        {"title": "调整", "votes_for": 3, "votes_against": 3, "votes_abstain": 0}), content_type="application/json")
    assert short.status_code == 201 and short.json()["passed"] is False
    issued = api.post(f"/api/v1/meetings/decisions/{decided.json()['id']}/tasks", json.dumps(
        {"deadline": "2026-12-31T17:00:00", "period_start": 202603, "period_end": 202603, "level": 4}),
        content_type="application/json")
    assert issued.status_code == 201, issued.content
    assert issued.json()["tasks"][0]["title"] == "宣讲" and issued.json()["tasks"][0]["totals"]["total"] == 2
    not_passed = api.post(f"/api/v1/meetings/decisions/{short.json()['id']}/tasks", json.dumps(
        {"deadline": "2026-12-31T17:00:00", "period_start": 202603, "period_end": 202603, "level": 4}),
        content_type="application/json")
    assert not_passed.status_code == 400
    got = api.get(f"/api/v1/meetings/{meeting_id}").json()
    assert [d["passed"] for d in got["decisions"]] == [True, False] and len(got["attendance"]) == 7
    assert api.get("/api/v1/meetings?kind=standing&year=2026").json()["count"] == 2
    assert api.get("/api/v1/meetings?kind=nonsense").status_code == 422


def test_a_stale_edit_is_a_conflict_on_the_page_and_in_the_api(unit, county_chair, meeting, client_for, api_for):
    vice = UserFactory(username="county-vice", unit=unit("正定县"), roles=[Role.VICE_CHAIR])
    first, second = client_for(county_chair), client_for(vice)
    assert 'name="version" value="1"' in first.get(reverse("meeting_edit", args=[meeting.pk])).content.decode()
    assert second.post(reverse("meeting_edit", args=[meeting.pk]), {"version": "1", "minutes": "副主席的修改"}
                       ).status_code == 302
    stale = first.post(reverse("meeting_edit", args=[meeting.pk]), {"version": "1", "minutes": "主席的修改"})
    assert stale.status_code == 409 and "已被他人修改" in stale.content.decode()
    meeting.refresh_from_db()
    assert meeting.minutes == "副主席的修改" and meeting.version == 2
    answer = api_for(county_chair).patch(f"/api/v1/meetings/{meeting.pk}", json.dumps(
        {"version": 1, "minutes": "API"}), content_type="application/json")
    assert answer.status_code == 409 and "已被他人修改" in answer.json()["detail"]
    answer = api_for(county_chair).patch(f"/api/v1/meetings/{meeting.pk}", json.dumps(
        {"version": 2, "minutes": "API"}), content_type="application/json")
    assert answer.status_code == 200 and answer.json()["version"] == 3


def test_the_list_filters_by_kind_and_year_and_exports(unit, county_chair, meeting, client_for):
    services.meeting_record(actor=county_chair, unit=unit("正定县"), kind="joint", held_at=at(7),
                            attendees=["张敏"], organisations=["县公安局", "县法院"])
    client = client_for(county_chair)
    page = client.get(reverse("meeting_list")).content.decode()
    assert "常委会" in page and "县公安局、县法院" in page
    page = client.get(reverse("meeting_list") + "?kind=joint&year=2026").content.decode()
    assert "县公安局" in page and "应到7人" not in page
    assert "没有符合条件" in client.get(reverse("meeting_list") + "?year=2025").content.decode()
    assert client.get(reverse("meeting_list") + "?kind=bad").status_code == 400
    assert client.get(reverse("meeting_list") + "?year=abc").status_code == 400
    export = client.get(reverse("meeting_export") + "?kind=standing")
    assert export.status_code == 200
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("召开时间", "会议类型") and len(rows) == 2 and rows[1][1] == "常委会"


def test_a_sibling_county_sees_none_of_it(unit, meeting, sibling_county_cadre, client_for, api_for):
    decision = meeting.decisions.get()
    client, api = client_for(sibling_county_cadre), api_for(sibling_county_cadre)
    for url in (reverse("meeting_detail", args=[meeting.pk]), reverse("meeting_edit", args=[meeting.pk]),
                reverse("decision_task_new", args=[decision.pk]),
                reverse("meeting_list") + f"?unit={unit('正定县').pk}",
                reverse("meeting_export") + f"?unit={unit('正定县').pk}"):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("decision_add", args=[meeting.pk]), {"title": "x"}).status_code == 404
    assert "开展家庭教育宣讲" not in client.get(reverse("meeting_list")).content.decode()
    assert api.get(f"/api/v1/meetings/{meeting.pk}").status_code == 404
    assert api.get("/api/v1/meetings").json()["count"] == 0
    assert api.post(f"/api/v1/meetings/{meeting.pk}/decisions", json.dumps({"title": "x"}),
                    content_type="application/json").status_code == 404
    assert api.post(f"/api/v1/meetings/decisions/{decision.pk}/tasks", json.dumps(
        {"deadline": "2026-12-31T17:00:00", "period_start": 202603, "period_end": 202603, "level": 4}),
        content_type="application/json").status_code == 404


def test_the_minutes_are_invisible_to_a_village_below_and_visible_above(
        unit, meeting, village_cadre, province_chair, client_for, api_for):
    client = client_for(village_cadre)
    assert client.get(reverse("meeting_detail", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("meeting_list") + f"?unit={unit('正定县').pk}").status_code == 404
    assert api_for(village_cadre).get(f"/api/v1/meetings/{meeting.pk}").status_code == 404
    assert api_for(village_cadre).get("/api/v1/meetings").json()["count"] == 0
    above = client_for(province_chair).get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert "研究春季家庭教育宣讲工作。" in above
    minutes = api_for(province_chair).get(f"/api/v1/meetings/{meeting.pk}").json()["minutes"]
    assert minutes == "研究春季家庭教育宣讲工作。"
    # her own village has no standing committee: its form says where to set one up
    assert "组织建设" in client.get(reverse("meeting_new") + "?kind=standing").content.decode()


def test_a_vote_short_of_the_majority_says_which_majority_it_missed(unit, county_chair, client_for, settings):
    """A joint meeting counts the votes against those present; the message names that base and the share the
    setting asks for (MEETING_MAJORITY), never a fixed 半数."""
    meeting = services.meeting_record(actor=county_chair, unit=unit("正定县"), kind="joint", held_at=at(6),
                                      attendees=["张敏", "刘伟", "陈静"], organisations=["县公安局"])
    settings.MEETING_MAJORITY = "two_thirds"
    client = client_for(county_chair)
    response = client.post(reverse("decision_add", args=[meeting.pk]), {
        "title": "联合走访", "votes_for": "1", "votes_against": "1", "votes_abstain": "1"}, follow=True)
    assert "赞成票未达到到会人数的三分之二及以上，未通过" in response.content.decode()
    assert not Decision.objects.get().passed
