import datetime as dt
from typing import Literal

from ninja import Field, Schema

from fulian.cases.models import CaseKind, CaseStatus
from fulian.incidents.models import ActionKind, IncidentStatus, Severity
from fulian.portal.models import ArticleStatus

from .schemas import enum_of
from .schemas_people import Id


class IncidentIn(Schema):
    title: str = Field(min_length=1, max_length=120, description="what happened, in a line")
    reported_at: dt.datetime = Field(description="first report: the clock starts here (no offset: Asia/Shanghai)")
    description: str = Field("", max_length=10000)
    severity: enum_of(Severity) = Severity.GENERAL
    place_unit_id: Id | None = Field(None, description="where: a unit of the incident unit's subtree")
    place_text: str = Field("", max_length=200)
    sources: list[str] = Field([], max_length=10, description="source links, http:// or https:// only")
    unit_id: Id | None = Field(None, description="the responsible unit; default yours")
    client_token: str | None = Field(None, max_length=40,
                                     description="the same token sent again returns the incident it made")


class IncidentUpdateIn(Schema):
    version: int = Field(ge=1, description="the version you read; a stale one is 409")
    title: str = Field(min_length=1, max_length=120)
    reported_at: dt.datetime
    description: str = Field("", max_length=10000)
    severity: enum_of(Severity) = Severity.GENERAL
    place_unit_id: Id | None = None
    place_text: str = Field("", max_length=200)
    sources: list[str] = Field([], max_length=10)


class IncidentActionIn(Schema):
    kind: enum_of(ActionKind)
    text: str = Field(min_length=1, max_length=4000)
    at: dt.datetime | None = Field(None, description="when it was done; default now; not before the first report")
    client_token: str | None = Field(None, max_length=40)


class ActionOut(Schema):
    id: int
    kind: enum_of(ActionKind)
    text: str
    at: dt.datetime
    hours_since_report: float


class CaseLinkIn(Schema):
    case: str = Field(min_length=1, max_length=40, description="the case's id or tracking code (one you may handle)")


class LinkedCaseOut(Schema):
    id: int
    tracking_code: str
    kind: enum_of(CaseKind)
    status: enum_of(CaseStatus)
    home_unit_name: str


class StatementIn(Schema):
    title: str = Field(min_length=1, max_length=120)
    body: str = Field(min_length=1, max_length=20000)
    category: Literal["notice", "bulletin"] = "notice"
    submit: bool = Field(True, description="send to review at once (the fast track); false keeps a draft")


class StatementOut(Schema):
    id: int
    article_id: int
    title: str
    status: enum_of(ArticleStatus)
    submitted_at: dt.datetime | None
    published_at: dt.datetime | None
    review_note: str


class ClockOut(Schema):
    text: str
    late: bool
    done: bool = Field(description="the first statement is published")
    hours: float = Field(description="done: hours from report to statement; else hours left (or late by)")


class CloseIn(Schema):
    version: int = Field(ge=1)
    outcome: str = Field(min_length=1, max_length=4000)


class IncidentRowOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    title: str
    severity: enum_of(Severity)
    status: enum_of(IncidentStatus)
    reported_at: dt.datetime
    statement_due: dt.datetime
    first_action_at: dt.datetime | None
    first_statement_at: dt.datetime | None
    case_count: int = Field(description="how many cases are linked (their details only on GET for their handlers)")

    @staticmethod
    def resolve_unit_name(obj):
        return obj["unit_name"] if isinstance(obj, dict) else obj.unit.name


class IncidentOut(IncidentRowOut):
    version: int
    description: str
    place_unit_id: int | None
    place_text: str
    sources: list[str]
    outcome: str
    closed_at: dt.datetime | None
    statement_clock: ClockOut
    actions: list[ActionOut]
    statements: list[StatementOut]
    cases: list[LinkedCaseOut] = Field(description="the linked cases you may handle (each read is logged)")
    cases_hidden: int = Field(description="linked cases you may not see")


class PendingStatementOut(Schema):
    statement: StatementOut
    incident_id: int
    incident_title: str
    unit_name: str
    statement_due: dt.datetime
    clock: ClockOut


class RollupFiguresOut(Schema):
    total: int
    by_status: dict[str, int]
    action_median: float | None = Field(description="median hours from first report to first action")
    action_avg: float | None
    statement_median: float | None = Field(description="median hours from first report to first statement")
    statement_avg: float | None
    statements_on_time: int
    statements_late: int = Field(description="published after the deadline, or not published and past it")


class RollupRowOut(RollupFiguresOut):
    unit_id: int
    unit_name: str


class RollupOut(Schema):
    unit_id: int
    start: int | None
    end: int | None
    statement_hours: int
    totals: RollupFiguresOut
    own: RollupFiguresOut | None = Field(description="incidents of the unit itself")
    rows: list[RollupRowOut] = Field(description="one per child unit with incidents")
