import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from fulian.activities.models import ActivityKind, ActivityStatus, Audience, ProjectKind
from fulian.dispatch.models import DispatchStatus

from .schemas_people import Id

ActivityKindName = Literal[tuple(ActivityKind.values)]
ActivityStatusName = Literal[tuple(ActivityStatus.values)]
AudienceName = Literal[tuple(Audience.values)]
ProjectKindName = Literal[tuple(ProjectKind.values)]
CampaignKindName = Literal[(*ActivityKind.values, "")]
CampaignStatusName = Literal[tuple(DispatchStatus.values)]


class ActivitySessionIn(Schema):
    starts_at: dt.datetime = Field(description="with its time zone, e.g. 2026-06-17T09:00:00+08:00")
    ends_at: dt.datetime
    title: str = Field("", max_length=120)


class ActivityIn(Schema):
    kind: ActivityKindName
    title: str = Field(min_length=1, max_length=120)
    description: str = Field("", max_length=20000)
    home_id: Id | None = Field(None, description="a Women's Home of the unit's subtree or of a unit above it")
    address: str = Field("", max_length=200, description="required when there is no home")
    capacity: int | None = Field(None, ge=1, le=100000, description="null: no limit")
    audience: AudienceName = "open"
    organiser: str = Field("", max_length=100)
    partners: list[str] = Field([], max_length=20)
    for_families: bool = False
    project_id: Id | None = Field(None, description="a project of the unit or of a unit above it")
    campaign_id: Id | None = Field(None, description="a campaign launched by the unit or a unit above it")
    sessions: list[ActivitySessionIn] = Field(max_length=60, description="one or more; a course has several")


class ActivityCreateIn(ActivityIn):
    unit_id: Id | None = Field(None, description="the organising unit; default yours")
    client_token: str | None = Field(None, max_length=40, description="resend the same token: one activity only")


class ActivityUpdateIn(ActivityIn):
    version: int | None = Field(None, description="the version you saw: a stale one answers 409")


class ActivityCancelIn(Schema):
    reason: str = Field(min_length=1, max_length=200)


class ActivitySessionOut(Schema):
    id: int
    number: int
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    attended: int = Field(description="check-ins so far")
    checkin_path: str = Field(description="the organiser's check-in page of the session")


class ActivityOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    kind: ActivityKindName
    title: str
    description: str
    home_id: int | None
    address: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int | None
    audience: AudienceName
    organiser: str
    partners: list[str]
    for_families: bool
    project_id: int | None
    campaign_id: int | None
    status: ActivityStatusName
    signups_confirmed: int
    signups_waiting: int
    version: int

    @staticmethod
    def resolve_unit_name(obj):
        return obj["unit_name"] if isinstance(obj, dict) else obj.unit.name


class ActivityDetailOut(ActivityOut):
    sessions: list[ActivitySessionOut]


class ActivitySheetErrorOut(Schema):
    row: int
    column: str
    value: str
    message: str


class ActivitySheetOut(Schema):
    created: int = Field(description="attendances recorded now")
    unchanged: int = Field(description="rows already recorded (a re-import records nothing twice)")
    error_rows: int
    errors: list[ActivitySheetErrorOut]


class ActivityProjectTargetIn(Schema):
    figure: str = Field(min_length=1, max_length=60, description="a figure of the registry (GET /figures)")
    target: int = Field(ge=1, le=10**9)


class ActivityProjectIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    kind: ProjectKindName = "brand"
    description: str = Field("", max_length=20000)
    partners: list[str] = Field([], max_length=20)
    budget: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2, description="yuan")
    targets: list[ActivityProjectTargetIn] = Field([], max_length=12)
    starts_on: dt.date
    ends_on: dt.date


class ActivityProjectCreateIn(ActivityProjectIn):
    unit_id: Id | None = Field(None, description="the project's unit; default yours")


class ActivityProjectUpdateIn(ActivityProjectIn):
    version: int | None = Field(None, description="the version you saw: a stale one answers 409")


class ActivityProjectResultOut(Schema):
    figure: str
    label: str
    target: int
    own: int | None = Field(description="counted from the project's own activities; null where not countable so")
    own_percent: int | None
    unit_value: float | int | None = Field(description="the unit's figure over the project's period (all its work)")
    unit_percent: int | None


class ActivityProjectOut(Schema):
    id: int
    unit_id: int
    name: str
    kind: ProjectKindName
    description: str
    partners: list[str]
    budget: Decimal | None
    starts_on: dt.date
    ends_on: dt.date
    targets: list[ActivityProjectTargetIn]
    version: int


class ActivityProjectDetailOut(ActivityProjectOut):
    results: list[ActivityProjectResultOut]


class ActivityCampaignIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    body: str = Field("", max_length=20000)
    kind: CampaignKindName = Field("", description="the activity kind asked for; blank: any")
    starts_on: dt.date
    ends_on: dt.date
    deadline: dt.date = Field(description="each receiving unit marks its part done by the end of this day")
    level: int = Field(ge=2, le=5, description="every unit of this level below the launching unit receives it")
    activities_each: int = Field(1, ge=0, le=1000)
    unit_id: Id | None = Field(None, description="the launching unit; default yours")


class ActivityCampaignOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    title: str
    body: str
    kind: CampaignKindName
    starts_on: dt.date
    ends_on: dt.date
    deadline: dt.datetime
    status: CampaignStatusName
    activities_each: int
    recipient_count: int
    my_recipient_id: int | None = Field(None, description="your unit's copy, if your unit received it")
    my_state: str | None = None
    my_held: int | None = Field(None, description="activities your unit's subtree held under it so far")


class ActivityCampaignRollupRowOut(Schema):
    unit_id: int
    unit_name: str
    total: int = Field(description="receiving units under it")
    done: int
    held: int = Field(description="published activities under it that have begun")
    planned: int = Field(description="published activities under it")
    signups: int
    attendances: int
    people: int = Field(description="distinct phones that checked in")


class ActivityCampaignRollupOut(Schema):
    unit_id: int
    unit_name: str
    own: ActivityCampaignRollupRowOut = Field(description="what the unit itself held")
    rows: list[ActivityCampaignRollupRowOut]
    totals: ActivityCampaignRollupRowOut


class ActivityCampaignDoneIn(Schema):
    version: int | None = Field(None, description="your unit's copy's version you saw: a stale one answers 409")
