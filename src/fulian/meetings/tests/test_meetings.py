"""Meetings and decisions at the service level: the committee's quorum and majority counted against the body of
organisation building, a decision that issues a task down the tree, conflicts, double submits and the figures."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fulian.accounts.tests.factories import UserFactory
from fulian.core.errors import Conflict
from fulian.core.figures import figure_values, figures_counted
from fulian.core.models import AuditEvent
from fulian.core.policy import OutOfScope, Role
from fulian.dispatch.models import Recipient
from fulian.meetings import selectors, services
from fulian.meetings.models import Attendance, Decision, DecisionTask, Meeting
from fulian.work.selectors import tasks_to_do

from .conftest import at

NOW = timezone.make_aware(timezone.datetime(2026, 3, 20, 10, 0))


def standing_meeting(chair, unit, members, present: int, **extra):
    return services.meeting_record(
        actor=chair, unit=unit("正定县"), kind="standing", held_at=at(5), place="县妇联会议室", chair_name="赵敏",
        present_member_ids=[m.pk for m in members[:present]],
        absence_reasons={m.pk: "下乡调研" for m in members[present:]}, agenda="春季工作安排\n三八节表彰",
        minutes="会议研究了春季工作。", **extra)


def test_a_committee_meeting_without_quorum_is_recorded_but_cannot_record_a_decision(unit, county_chair, standing):
    _body, members = standing
    meeting = standing_meeting(county_chair, unit, members, present=3)
    assert (meeting.entitled, meeting.present, meeting.has_quorum) == (7, 3, False)
    absent = Attendance.objects.filter(meeting=meeting, present=False)
    assert absent.count() == 4 and set(absent.values_list("reason", flat=True)) == {"下乡调研"}
    with pytest.raises(ValidationError) as refused:
        services.decision_record(actor=county_chair, meeting=meeting, title="表彰三八红旗手",
                                 votes={"for": 3, "against": 0, "abstain": 0})
    assert "应到会委员7人，实到3人，未达到法定人数" in refused.value.messages[0]
    assert not Decision.objects.exists()


def test_with_quorum_a_majority_of_the_entitled_passes_and_a_minority_is_recorded_as_not_passed(
        unit, county_chair, standing):
    _body, members = standing
    meeting = standing_meeting(county_chair, unit, members, present=5)
    assert meeting.has_quorum
    passed = services.decision_record(
        actor=county_chair, meeting=meeting, title="开展巾帼建功活动", text="各乡镇妇联组织开展",
        votes_by_name={members[0].pk: "for", members[1].pk: "for", members[2].pk: "for", members[3].pk: "for",
                       members[4].pk: "abstain"})
    assert passed.passed and passed.by_name
    assert (passed.votes_for, passed.votes_against, passed.votes_abstain, passed.entitled) == (4, 0, 1, 7)
    # three of the five present is a majority of those present, not of the seven entitled: not passed
    failed = services.decision_record(actor=county_chair, meeting=meeting, title="调整办公用房",
                                      votes={"for": 3, "against": 1, "abstain": 1})
    assert not failed.passed
    assert [row["decision"].passed for row in selectors.decisions_of(meeting)] == [True, False]


def test_an_absent_member_cannot_vote_and_votes_cannot_exceed_those_present(unit, county_chair, standing):
    _body, members = standing
    meeting = standing_meeting(county_chair, unit, members, present=4)
    with pytest.raises(ValidationError, match="只有到会的委员才能表决"):
        services.decision_record(actor=county_chair, meeting=meeting, title="x",
                                 votes_by_name={members[6].pk: "for"})
    with pytest.raises(ValidationError, match="多于到会的4人"):
        services.decision_record(actor=county_chair, meeting=meeting, title="x",
                                 votes={"for": 4, "against": 1, "abstain": 0})
    with pytest.raises(ValidationError, match="须记录表决结果"):
        services.decision_record(actor=county_chair, meeting=meeting, title="x")


def test_the_quorum_share_is_a_setting(unit, county_chair, standing, settings):
    _body, members = standing
    settings.MEETING_QUORUM = "two_thirds"
    assert not standing_meeting(county_chair, unit, members, present=4).has_quorum
    assert standing_meeting(county_chair, unit, members, present=5).has_quorum
    with pytest.raises(ValidationError, match="须三分之二及以上委员到会"):
        services.decision_record(actor=county_chair, meeting=standing_meeting(county_chair, unit, members, present=4),
                                 title="x", votes={"for": 4, "against": 0, "abstain": 0})
    settings.MEETING_QUORUM = "more_than_half"
    assert standing_meeting(county_chair, unit, members, present=4).has_quorum


def test_without_a_current_body_the_meeting_is_refused_with_where_to_set_it_up(unit, county_chair, standing):
    with pytest.raises(ValidationError) as refused:
        services.meeting_record(actor=county_chair, unit=unit("正定县"), kind="executive", held_at=at(5))
    assert "组织建设" in refused.value.messages[0] and "执委会" in refused.value.messages[0]
    _body, members = standing
    with pytest.raises(ValidationError, match="组织建设"):  # the standing committee's term does not cover 2030
        services.meeting_record(actor=county_chair, unit=unit("正定县"), kind="standing",
                                held_at=timezone.make_aware(timezone.datetime(2030, 1, 5, 9, 0)),
                                present_member_ids=[m.pk for m in members])


def test_only_the_bodys_members_are_ticked(unit, county_chair, standing):
    with pytest.raises(ValidationError, match="委员名单中勾选"):
        services.meeting_record(actor=county_chair, unit=unit("正定县"), kind="standing", held_at=at(5),
                                present_member_ids=[999999])


def test_a_decision_issues_a_task_that_reaches_the_units_below(unit, county_chair, standing, village_cadre):
    _body, members = standing
    meeting = standing_meeting(county_chair, unit, members, present=6)
    decision = services.decision_record(actor=county_chair, meeting=meeting, title="开展家庭教育宣讲",
                                        text="各村(社区)妇联于月底前开展一次宣讲。",
                                        votes={"for": 6, "against": 0, "abstain": 0})
    task = services.decision_task_issue(actor=county_chair, decision=decision, title=decision.title,
                                        body=decision.text, deadline=NOW + timezone.timedelta(days=10),
                                        period_start=202603, period_end=202603, level=5, now=NOW)
    villages = set(Recipient.objects.filter(dispatch_id=task.pk).values_list("unit__name", flat=True))
    assert villages == {"恒东社区", "张家庄村", "西柏棠村"}
    assert [r.dispatch.title for r in tasks_to_do(village_cadre)] == ["开展家庭教育宣讲"]
    assert DecisionTask.objects.get().task == task
    row = selectors.decisions_of(meeting, now=NOW)[0]
    assert row["tasks"][0]["task"] == task and row["tasks"][0]["totals"]["total"] == 3
    assert row["tasks"][0]["totals"]["done"] == 0


def test_a_decision_not_passed_issues_no_task_and_staff_do_not_issue(unit, county_chair, standing):
    _body, members = standing
    meeting = standing_meeting(county_chair, unit, members, present=5)
    failed = services.decision_record(actor=county_chair, meeting=meeting, title="x",
                                      votes={"for": 2, "against": 3, "abstain": 0})
    with pytest.raises(ValidationError, match="未获通过"):
        services.decision_task_issue(actor=county_chair, decision=failed, title="x", body="", deadline=NOW,
                                     period_start=202603, period_end=202603, level=4)
    passed = services.decision_record(actor=county_chair, meeting=meeting, title="y",
                                      votes={"for": 5, "against": 0, "abstain": 0})
    staff = UserFactory(username="county-staff", unit=unit("正定县"), roles=[Role.STAFF])
    with pytest.raises(OutOfScope):
        services.decision_task_issue(actor=staff, decision=passed, title="y", body="", deadline=NOW,
                                     period_start=202603, period_end=202603, level=4)


def test_a_joint_meeting_names_the_outside_organisations(unit, county_chair):
    with pytest.raises(ValidationError, match="参会的单位或组织"):
        services.meeting_record(actor=county_chair, unit=unit("正定县"), kind="joint", held_at=at(6),
                                attendees=["张敏"])
    meeting = services.meeting_record(actor=county_chair, unit=unit("正定县"), kind="joint", held_at=at(6),
                                      attendees=["张敏", "刘伟"], absentees=[("陈静", "出差")],
                                      organisations=["县公安局", "县法院", "县公安局"], observers=["王军"])
    assert meeting.organisations == ["县公安局", "县法院"]
    assert (meeting.entitled, meeting.present, meeting.has_quorum) == (3, 2, True)
    decided = services.decision_record(actor=county_chair, meeting=meeting, title="建立反家暴联动机制")
    assert decided.passed and not decided.has_vote


def test_two_cadres_editing_one_meeting_the_second_gets_a_conflict(unit, county_chair, standing):
    _body, members = standing
    meeting = standing_meeting(county_chair, unit, members, present=5)
    other = UserFactory(username="county-vice", unit=unit("正定县"), roles=[Role.VICE_CHAIR])
    services.meeting_update(actor=county_chair, meeting=meeting, version=1, values={"minutes": "第一稿"})
    with pytest.raises(Conflict, match="已被他人修改"):
        services.meeting_update(actor=other, meeting=Meeting.objects.get(pk=meeting.pk), version=1,
                                values={"minutes": "第二稿"})
    meeting.refresh_from_db()
    assert (meeting.minutes, meeting.version) == ("第一稿", 2)


def test_a_double_submit_records_once(unit, county_chair, standing):
    _body, members = standing
    first = standing_meeting(county_chair, unit, members, present=5, client_token="t-1")
    again = standing_meeting(county_chair, unit, members, present=5, client_token="t-1")
    assert first.pk == again.pk and Meeting.objects.count() == 1
    args = {"actor": county_chair, "meeting": first, "title": "x", "votes": {"for": 5, "against": 0, "abstain": 0},
            "client_token": "d-1"}
    assert services.decision_record(**args).pk == services.decision_record(**args).pk
    decision = Decision.objects.get()
    task_args = {"actor": county_chair, "decision": decision, "title": "x", "body": "", "level": 4,
                 "deadline": NOW + timezone.timedelta(days=3), "period_start": 202603, "period_end": 202603,
                 "client_token": "k-1", "now": NOW}
    assert services.decision_task_issue(**task_args).pk == services.decision_task_issue(**task_args).pk
    assert DecisionTask.objects.count() == 1


def test_every_write_leaves_an_audit_row(unit, county_chair, standing):
    _body, members = standing
    meeting = standing_meeting(county_chair, unit, members, present=5)
    services.meeting_update(actor=county_chair, meeting=meeting, version=1, values={"place": "二楼"})
    decision = services.decision_record(actor=county_chair, meeting=meeting, title="x",
                                        votes={"for": 5, "against": 0, "abstain": 0})
    services.decision_task_issue(actor=county_chair, decision=decision, title="x", body="", level=4,
                                 deadline=NOW + timezone.timedelta(days=3), period_start=202603, period_end=202603,
                                 now=NOW)
    actions = set(AuditEvent.objects.filter(unit_path=unit("正定县").path).values_list("action", flat=True))
    assert {"meeting.record", "meeting.update", "decision.record", "decision.task_issue"} <= actions


def test_the_figures_count_meetings_decisions_and_decisions_turned_into_tasks(unit, county_chair, standing):
    _body, members = standing
    meeting = standing_meeting(county_chair, unit, members, present=5)
    services.meeting_record(actor=county_chair, unit=unit("正定县"), kind="party_group", held_at=at(9),
                            attendees=["张敏"])
    one = services.decision_record(actor=county_chair, meeting=meeting, title="a",
                                   votes={"for": 5, "against": 0, "abstain": 0})
    services.decision_record(actor=county_chair, meeting=meeting, title="b",
                             votes={"for": 1, "against": 4, "abstain": 0})
    for _ in range(2):  # two tasks of one decision: one decision turned into tasks
        services.decision_task_issue(actor=county_chair, decision=one, title="a", body="", level=4,
                                     deadline=NOW + timezone.timedelta(days=3), period_start=202603,
                                     period_end=202603, now=NOW)
    keys = ["meetings_held", "meetings_standing", "meetings_party_group", "meetings_joint", "decisions_made",
            "decisions_tasked"]
    expected = {"meetings_held": 2, "meetings_standing": 1, "meetings_party_group": 1, "meetings_joint": 0,
                "decisions_made": 2, "decisions_tasked": 1}
    for name in ("正定县", "河北省"):
        assert figure_values([unit(name).pk], keys, start=202603, end=202603)[unit(name).pk] == expected
    assert figure_values([unit("行唐县").pk], ["meetings_held"], start=202601, end=202612)[unit("行唐县").pk] == {
        "meetings_held": 0}
    counted = {(m, n) for path, period, m, n in figures_counted() if m.startswith(("meetings_", "decisions_"))}
    assert counted == {("meetings_held", 2), ("meetings_standing", 1), ("meetings_party_group", 1),
                       ("decisions_made", 2), ("decisions_tasked", 1)}


def test_a_committee_consultation_ends_in_a_vote_once_with_one_vote_per_member(unit, county_chair, standing):
    import datetime as dt

    from django.db import IntegrityError, transaction

    from fulian.consultations.drafts import consultation_create, consultation_open
    from fulian.meetings.models import Vote

    _body, members = standing
    today = timezone.localdate()
    draft = consultation_create(actor=county_chair, unit=unit("正定县"), kind="decision", title="县妇联2027年工作要点",
                                audience="committee", opens_on=today, closes_on=today + dt.timedelta(days=10),
                                sections=[{"heading": "一", "text": "深化妇联改革"}])
    meeting = standing_meeting(county_chair, unit, members, present=5)
    with pytest.raises(ValidationError, match="还没有发布"):
        services.decision_record(actor=county_chair, meeting=meeting, title="表决", consultation=draft,
                                 votes_by_name={m.pk: "for" for m in members[:5]})
    consultation_open(actor=county_chair, consultation=draft)
    decision = services.decision_record(actor=county_chair, meeting=meeting, title="表决工作要点",
                                        consultation=draft, votes_by_name={m.pk: "for" for m in members[:5]})
    assert decision.passed and decision.consultation == draft and decision.votes.count() == 5
    with transaction.atomic(), pytest.raises(IntegrityError):  # one vote per member, kept by the database
        Vote.objects.create(decision=decision, member_id=members[0].pk, name=members[0].name, choice="against")
    with pytest.raises(Conflict, match="已经表决通过"):
        services.decision_record(actor=county_chair, meeting=meeting, title="再表决", consultation=draft,
                                 votes_by_name={m.pk: "for" for m in members[:5]})
