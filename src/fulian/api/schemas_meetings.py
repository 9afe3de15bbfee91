import datetime as dt

from ninja import Field, Schema

from fulian.meetings.models import AttendeeRole, MeetingKind, VoteChoice
from fulian.meetings.selectors import decisions_of
from fulian.orgs.models import MemberRole

from .schemas import enum_of
from .schemas_people import Id
from .schemas_work import TotalsOut

Month = int  # YYYYMM
Name = str


class AbsenteeIn(Schema):
    name: str = Field(min_length=1, max_length=30)
    reason: str = Field("", max_length=100)


class MeetingIn(Schema):
    kind: enum_of(MeetingKind)
    held_at: dt.datetime = Field(description="without an offset it is read in the server's time zone")
    place: str = Field("", max_length=200)
    chair_name: str = Field("", max_length=30, description="who chaired the meeting (主持人)")
    present_member_ids: list[Id] = Field([], max_length=500, description="committees (executive, standing): the "
                                         "members of the body present (GET /meeting-members); the rest are absent")
    absence_reasons: dict[int, str] = Field({}, description="committees: member id → why absent")
    attendees: list[Name] = Field([], max_length=200, description="other kinds: who attended, by name")
    absentees: list[AbsenteeIn] = Field([], max_length=200, description="other kinds: who was absent and why")
    observers: list[Name] = Field([], max_length=200, description="列席, by name")
    organisations: list[Name] = Field([], max_length=200, description="joint meetings (联席会议): the outside "
                                      "organisations that took part, by name (at least one)")
    agenda: str = Field("", max_length=50000, description="one agenda item per line")
    minutes: str = Field("", max_length=50000)
    unit_id: Id | None = Field(None, description="the meeting's unit; default yours")
    client_token: str | None = Field(None, max_length=40, description="the same token twice records once")


class MeetingPatch(Schema):
    version: int = Field(ge=1, description="the version you read; another's save in between answers 409")
    place: str | None = Field(None, max_length=200)
    chair_name: str | None = Field(None, max_length=30)
    agenda: str | None = Field(None, max_length=50000)
    minutes: str | None = Field(None, max_length=50000)
    organisations: list[Name] | None = Field(None, max_length=200)


class DecisionIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    text: str = Field("", max_length=50000)
    votes_for: int | None = Field(None, ge=0, le=10000, description="the vote as counts (all three, or none: "
                                  "decided without a vote, not for committees)")
    votes_against: int | None = Field(None, ge=0, le=10000)
    votes_abstain: int | None = Field(None, ge=0, le=10000)
    votes_by_name: dict[int, enum_of(VoteChoice)] | None = Field(
        None, description="committees: present member id → for / against / abstain (instead of counts)")
    client_token: str | None = Field(None, max_length=40)


class DecisionTaskIn(Schema):
    title: str = Field("", max_length=200, description="default the decision's title")
    body: str | None = Field(None, max_length=20000, description="default the decision's text")
    deadline: dt.datetime
    period_start: Month
    period_end: Month
    template_id: Id | None = None
    level: int | None = Field(None, ge=1, le=5)
    unit_ids: list[Id] | None = Field(None, max_length=5000)
    client_token: str | None = Field(None, max_length=40)


class AttendanceOut(Schema):
    name: str
    role: enum_of(AttendeeRole)
    member_id: int | None
    present: bool
    reason: str


class VoteOut(Schema):
    member_id: int
    name: str
    choice: enum_of(VoteChoice)


class DecisionTaskOut(Schema):
    task_id: int
    title: str
    deadline: dt.datetime
    totals: TotalsOut


class DecisionOut(Schema):
    id: int
    meeting_id: int
    title: str
    text: str
    votes_for: int | None
    votes_against: int | None
    votes_abstain: int | None
    by_name: bool
    entitled: int = Field(description="the count a majority is taken of: the committee's members (应到会), or "
                          "those present at other meetings")
    passed: bool
    votes: list[VoteOut]
    tasks: list[DecisionTaskOut]


class MeetingRowOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    kind: enum_of(MeetingKind)
    held_at: dt.datetime
    place: str
    entitled: int
    present: int
    has_quorum: bool
    organisations: list[str]
    decision_count: int

    @staticmethod
    def resolve_id(obj) -> int:
        return obj.pk

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_decision_count(obj) -> int:
        count = getattr(obj, "decision_count", None)
        return obj.decisions.count() if count is None else count


class MeetingOut(MeetingRowOut):
    chair_name: str
    body_id: int | None
    agenda: str
    minutes: str
    version: int
    attendance: list[AttendanceOut]
    decisions: list[DecisionOut]

    @staticmethod
    def resolve_attendance(obj) -> list:
        return list(obj.attendance.all())

    @staticmethod
    def resolve_decisions(obj) -> list[dict]:
        return [decision_out(row) for row in decisions_of(obj)]


class MemberOut(Schema):
    id: int
    name: str
    role: enum_of(MemberRole)


class MeetingMembersOut(Schema):
    body_id: int | None
    term_start: dt.date | None
    term_end: dt.date | None
    members: list[MemberOut]


def decision_out(row: dict) -> dict:
    """A row of meetings.selectors.decisions_of as DecisionOut."""
    d = row["decision"]
    return {"id": d.pk, "meeting_id": d.meeting_id, "title": d.title, "text": d.text, "votes_for": d.votes_for,
            "votes_against": d.votes_against, "votes_abstain": d.votes_abstain, "by_name": d.by_name,
            "entitled": d.entitled, "passed": d.passed,
            "votes": [{"member_id": v.member_id, "name": v.name, "choice": v.choice} for v in row["votes"]],
            "tasks": [{"task_id": t["task"].pk, "title": t["task"].dispatch.title,
                       "deadline": t["task"].dispatch.deadline, "totals": t["totals"]} for t in row["tasks"]]}
