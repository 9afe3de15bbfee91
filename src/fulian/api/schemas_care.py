"""Request and answer shapes of the care API (关爱帮扶、资源对接). Every name starts with Care: a schema's name is its
key in the OpenAPI components, unique across the whole API."""

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Schema

from fulian.care.models import (
    BatchState,
    CareGroup,
    ChildSituation,
    EndReason,
    GoalCategory,
    GoalState,
    HelpKind,
    LowIncomeKind,
    OfferOutcome,
    OfferState,
    PlanOutcome,
    PlanState,
    ProviderKind,
    ResourceKind,
    ResourceState,
    Skill,
    Visibility,
)

from .schemas import enum_of

Id = Annotated[int, Field(ge=1, le=2**53)]
Token = Field(None, max_length=40, description="the same token again returns the first record (a double submit)")
Lat = Annotated[float, Field(ge=-90, le=90)]
Lng = Annotated[float, Field(ge=-180, le=180)]
Grade = Literal[1, 2, 3, 4]


# --- the care registry ------------------------------------------------------------------------------------------

class CareMembershipIn(Schema):
    woman_id: Id = Field(description="a woman of the registry in your scope")
    group: enum_of(CareGroup)
    start_on: dt.date = Field(description="纳入日期; not after today")
    low_income_kind: enum_of(LowIncomeKind, blank=True) = Field("", description="low_income only: which kind")
    disability_grade: Grade | None = Field(None, description="disabled only: the certificate's grade, 1 most severe")
    note: str = Field("", max_length=200)
    client_token: str | None = Token


class CareMembershipEndIn(Schema):
    end_on: dt.date = Field(description="退出日期: after the start, not after today")
    reason: enum_of(EndReason)


class CareMembershipOut(Schema):
    id: int
    woman_id: int
    woman_name: str
    unit_name: str = Field(description="her village (社区)")
    group: enum_of(CareGroup)
    group_label: str
    low_income_kind: enum_of(LowIncomeKind, blank=True)
    disability_grade: int | None
    note: str
    start_on: dt.date
    end_on: dt.date | None = Field(description="exclusive; null while she is in the group")
    end_reason: enum_of(EndReason, blank=True)
    created_at: dt.datetime


class CareGroupCountOut(Schema):
    group: enum_of(CareGroup)
    label: str
    women: int


class CareCountsOut(Schema):
    unit_id: int
    unit_name: str
    on: dt.date
    women: int = Field(description="women in at least one group on the day")
    groups: list[CareGroupCountOut]


class CareChildIn(Schema):
    family_id: Id = Field(description="the family of the registry (in your scope) the child belongs to")
    name: str = Field(max_length=30)
    sex: Literal["f", "m"]
    birth_date: dt.date
    situation: enum_of(ChildSituation)
    situation_note: str = Field("", max_length=300)
    school: str = Field("", max_length=100)
    guardian_id: Id | None = Field(None, description="the mother or guardian, a woman of the family in the registry")
    guardian_name: str = Field("", max_length=30, description="required without guardian_id")
    guardian_relation: str = Field(max_length=20, description="母亲, 祖母 …")
    guardian_phone: str = Field("", max_length=20)
    consent_by: str = Field(max_length=30, description="who consented (PIPL art. 31): the parent or guardian")
    consent_on: dt.date
    consent_note: str = Field("", max_length=100, description="how: 书面, 当面口头 …")
    client_token: str | None = Token


class CareChildUpdateIn(Schema):
    version: int = Field(ge=1, le=2**31)
    name: str | None = Field(None, max_length=30)
    sex: Literal["f", "m"] | None = None
    birth_date: dt.date | None = None
    situation: enum_of(ChildSituation) | None = None
    situation_note: str | None = Field(None, max_length=300)
    school: str | None = Field(None, max_length=100)
    guardian_id: Id | None = Field(None, description="omit to keep; null to unlink the registry record")
    guardian_name: str | None = Field(None, max_length=30)
    guardian_relation: str | None = Field(None, max_length=20)
    guardian_phone: str | None = Field(None, max_length=20)


class CareChildEndIn(Schema):
    ended_on: dt.date


class CareChildOut(Schema):
    id: int
    family_id: int
    family_name: str
    name: str
    sex: Literal["f", "m"]
    birth_date: dt.date
    school: str
    situation: enum_of(ChildSituation)
    situation_note: str
    guardian_id: int | None
    guardian_name: str
    guardian_relation: str
    guardian_phone: str
    consent_by: str
    consent_on: dt.date
    consent_note: str
    ended_on: dt.date | None
    version: int
    created_at: dt.datetime


# --- help plans -------------------------------------------------------------------------------------------------

class CareGoalIn(Schema):
    category: enum_of(GoalCategory)
    text: str = Field(max_length=300)
    skills: list[enum_of(Skill)] = Field([], max_length=8)


class CareGoalCloseIn(Schema):
    state: Literal["met", "dropped"]
    resolution: str = Field("", max_length=300, description="met: what was done (closes its contact-log need)")


class CareGoalOut(Schema):
    id: int
    plan_id: int
    woman_id: int
    category: enum_of(GoalCategory)
    text: str
    skills: list[enum_of(Skill)]
    age: int | None
    need_id: int | None = Field(description="the contact log's need it came from")
    state: enum_of(GoalState)
    met_on: dt.date | None
    created_at: dt.datetime


class CareHelpIn(Schema):
    given_on: dt.date
    kind: enum_of(HelpKind)
    provider: str = Field(max_length=100)
    amount: float | None = Field(None, ge=0, le=999_999_999, description="yuan")
    hours: float | None = Field(None, ge=0, le=999_999)
    note: str = Field("", max_length=300)
    client_token: str | None = Token


class CareHelpOut(Schema):
    id: int
    plan_id: int
    given_on: dt.date
    kind: enum_of(HelpKind)
    amount: float | None
    hours: float | None
    provider: str
    note: str
    offer_id: int | None


class CarePlanIn(Schema):
    woman_id: Id
    family_id: Id | None = Field(None, description="her family (default: her first family of the registry)")
    title: str = Field(max_length=100)
    responsible_id: Id | None = Field(None, description="the responsible cadre (default: you)")
    review_on: dt.date = Field(description="复核日期, not before today")
    lat: Lat | None = None
    lng: Lng | None = None
    goals: list[CareGoalIn] = Field([], max_length=20)
    client_token: str | None = Token


class CarePlanUpdateIn(Schema):
    version: int = Field(ge=1, le=2**31)
    title: str = Field(max_length=100)
    responsible_id: Id
    review_on: dt.date
    lat: Lat | None = None
    lng: Lng | None = None


class CarePlanCloseIn(Schema):
    version: int = Field(ge=1, le=2**31)
    outcome: enum_of(PlanOutcome)
    note: str = Field("", max_length=300)


class CarePlanFromNeedIn(Schema):
    responsible_id: Id | None = Field(None, description="for a new plan (default: you)")
    review_on: dt.date | None = Field(None, description="for a new plan (default: in 90 days)")
    skills: list[enum_of(Skill)] = Field([], max_length=8)


class CarePlanOut(Schema):
    id: int
    woman_id: int
    woman_name: str
    family_id: int | None
    unit_name: str
    title: str
    responsible_id: int
    responsible_name: str
    review_on: dt.date
    lat: float | None
    lng: float | None
    state: enum_of(PlanState)
    outcome: enum_of(PlanOutcome, blank=True)
    outcome_note: str
    opened_on: dt.date
    closed_on: dt.date | None
    version: int
    created_at: dt.datetime


class CarePlanDetailOut(CarePlanOut):
    goals: list[CareGoalOut]
    help: list[CareHelpOut]


class CareVisitOut(Schema):
    id: int = Field(description="the contact log")
    contacted_on: dt.date
    cadre: str
    channel_label: str
    views: str
    help_given: str


# --- resources --------------------------------------------------------------------------------------------------

class CareResourceIn(Schema):
    unit_id: Id | None = Field(None, description="the publishing unit (default: yours)")
    kind: enum_of(ResourceKind)
    title: str = Field(max_length=100)
    description: str = Field("", max_length=5000)
    provider: str = Field(max_length=100)
    provider_kind: enum_of(ProviderKind)
    capacity: int | None = Field(None, ge=1, le=100000, description="places; a course seat takes the course's own")
    amount: float | None = Field(None, ge=0, le=999_999_999, description="yuan per place")
    activity_id: Id | None = Field(None, description="course_seat: the course of the activities module")
    groups: list[enum_of(CareGroup)] = Field([], max_length=7, description="empty: any woman")
    skills: list[enum_of(Skill)] = Field([], max_length=8, description="empty: no skill asked for")
    age_min: int | None = Field(None, ge=0, le=120)
    age_max: int | None = Field(None, ge=0, le=120)
    place_unit_id: Id | None = Field(None, description="where it is (default: the publishing unit)")
    address: str = Field("", max_length=200)
    lat: Lat | None = None
    lng: Lng | None = None
    starts_on: dt.date
    ends_on: dt.date
    visibility: enum_of(Visibility) = "subtree"
    client_token: str | None = Token


class CareResourceUpdateIn(Schema):
    version: int = Field(ge=1, le=2**31)
    title: str | None = Field(None, max_length=100)
    description: str | None = Field(None, max_length=5000)
    capacity: int | None = Field(None, ge=1, le=100000, description="never below the places already taken")
    ends_on: dt.date | None = None
    visibility: enum_of(Visibility) | None = None


class CareResourceOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    kind: enum_of(ResourceKind)
    title: str
    description: str
    provider: str
    provider_kind: enum_of(ProviderKind)
    capacity: int
    remaining: int
    amount: float | None
    activity_id: int | None
    groups: list[enum_of(CareGroup)]
    skills: list[enum_of(Skill)]
    age_min: int | None
    age_max: int | None
    place_unit_id: int
    place_unit_name: str
    address: str
    lat: float | None
    lng: float | None
    starts_on: dt.date
    ends_on: dt.date
    visibility: enum_of(Visibility)
    state: enum_of(ResourceState)
    version: int
    created_at: dt.datetime


class CareAgreementIn(Schema):
    name: str = Field(max_length=100)
    province_ids: list[Id] = Field(min_length=2, max_length=34, description="the provincial federations")
    starts_on: dt.date
    ends_on: dt.date | None = None


class CareProvinceOut(Schema):
    id: int
    name: str


class CareAgreementOut(Schema):
    id: int
    name: str
    provinces: list[CareProvinceOut]
    starts_on: dt.date
    ends_on: dt.date | None


# --- matching ---------------------------------------------------------------------------------------------------

class CareProposalOut(Schema):
    resource: CareResourceOut
    tree_distance: int = Field(description="steps in the federation tree from her village to the resource's place")
    km: float | None = Field(description="where both sides have coordinates")
    used: float = Field(description="share of the places taken")


class CareWomanProposalOut(Schema):
    goal: CareGoalOut
    woman_name: str
    unit_name: str
    tree_distance: int
    km: float | None


class CareOfferIn(Schema):
    goal_id: Id
    resource_id: Id
    client_token: str | None = Token


class CareOfferAnswerIn(Schema):
    accept: bool


class CareOfferOutcomeIn(Schema):
    outcome: enum_of(OfferOutcome)
    on: dt.date = Field(description="落实日期, not after today")
    note: str = Field("", max_length=300)


class CareOfferOut(Schema):
    id: int
    resource_id: int
    resource_title: str
    resource_kind: enum_of(ResourceKind)
    provider: str
    goal_id: int
    goal_text: str
    woman_id: int
    woman_name: str
    state: enum_of(OfferState)
    sent_at: dt.datetime
    answered_at: dt.datetime | None
    answered_by_self: bool
    signup_id: int | None = Field(description="a course seat: her sign-up on the course")
    outcome: enum_of(OfferOutcome, blank=True)
    outcome_on: dt.date | None
    outcome_note: str
    batch_id: int | None


class CareBatchIn(Schema):
    unit_id: Id | None = Field(None, description="the county (or any unit) whose open employment goals are matched "
                                                 "(default: yours)")


class CareBatchDecideIn(Schema):
    approve: bool = Field(description="true: the offers are sent; false: the proposal is discarded")


class CareBatchPairOut(Schema):
    goal_id: int
    resource_id: int
    km: float | None


class CareBatchOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    state: enum_of(BatchState)
    pairs: list[CareBatchPairOut]
    needs: int
    places: int
    matched: int
    mean_distance: float | None
    greedy_matched: int = Field(description="what a nearest-first pass matches (never more)")
    greedy_mean_distance: float | None
    created_at: dt.datetime
    decided_at: dt.datetime | None


class CareBatchDecidedOut(CareBatchOut):
    sent: int
    skipped: int = Field(description="pairs no longer possible (the goal met, the job filled)")


# --- figures ----------------------------------------------------------------------------------------------------

class CareFigureOut(Schema):
    key: str = Field(description="care_* figures; rate_benefit is the survey's 受益率 beside care_benefit")
    label: str
    value: float | None = Field(description="a rate is a fraction; null where nothing was counted")


class CareFiguresOut(Schema):
    unit_id: int
    unit_name: str
    start: int = Field(description="YYYYMM")
    end: int = Field(description="YYYYMM")
    figures: list[CareFigureOut]
