import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Schema

from fulian.awards.models import Channel, DecisionKind, NominationState

from .schemas import enum_of

REVIEW_DECISIONS = (DecisionKind.RECOMMEND, DecisionKind.KEEP, DecisionKind.DECLINE, DecisionKind.SHORTLIST)

Points = Annotated[float, Field(ge=0, le=100)]


class AwardScoreIn(Schema):
    points: dict[str, Points] = Field(max_length=20, description="criterion key → points (0..its max, at most one "
                                                                 "decimal place); every criterion of the campaign")
    comment: str = Field("", max_length=500)


class AwardScoreOut(Schema):
    nomination_id: int
    level: int = Field(description="the level of the unit that held the nomination when she scored it")
    points: dict[str, float]
    total: float
    comment: str
    scored_at: dt.datetime


class AwardReviewerScoreOut(Schema):
    reviewer_id: int
    reviewer_name: str
    points: dict[str, float]
    total: float
    comment: str
    scored_at: dt.datetime
    outlier: bool = Field(description="total further than `outlier_limit` from the median (with 3+ reviewers)")


class AwardCriterionAverageOut(Schema):
    key: str
    label: str
    max: int
    average: float | None


class AwardScoresOut(Schema):
    nomination_id: int
    level: int
    count: int
    full_marks: float
    average: float | None
    average_without_outliers: float | None
    median: float | None
    outlier_limit: float
    votes: int = Field(description="live public votes: shown beside the scores, never decisive on their own")
    reviewers: list[AwardReviewerScoreOut]
    criteria: list[AwardCriterionAverageOut]


class AwardDecisionIn(Schema):
    kind: Literal[tuple(REVIEW_DECISIONS)] = Field(description="recommend / keep / decline below the awarding "
                                                               "unit; shortlist / decline at it")
    reason: str = Field("", max_length=200, description="required to decline")
    tier: str = Field("", max_length=30, description="shortlist: one of the campaign's tiers (when it has any)")
    version: int | None = Field(None, ge=1, le=2**31, description="the version you saw (409 when it changed)")


class AwardUndoIn(Schema):
    version: int | None = Field(None, ge=1, le=2**31)


class AwardReviewedOut(Schema):
    id: int
    campaign_id: int
    family_name: str
    village_id: int
    village_name: str
    state: enum_of(NominationState) = Field(description="as you may see it (a nomination being checked reads "
                                                        "declined)")
    state_label: str
    reason: str
    at_unit_id: int
    at_unit_name: str
    level_reached: int
    tier: str
    version: int


class AwardQuotaOut(Schema):
    quota: int | None = Field(description="null: no limit")
    used: int
    left: int | None


class AwardTierUseOut(Schema):
    name: str = Field(description='"" for a campaign without tiers')
    quota: int | None
    used: int
    left: int | None


class AwardQueueRowOut(Schema):
    nomination_id: int
    family_name: str
    village_name: str
    channel: enum_of(Channel)
    title: str
    state: enum_of(NominationState)
    state_label: str
    tier: str
    average: float | None = Field(description="average total at this unit's level")
    reviewers: int
    outliers: int
    votes: int
    version: int
    undoable: bool = Field(description="this unit may still take its decision back")


class AwardReviewQueueOut(Schema):
    campaign_id: int
    unit_id: int
    unit_name: str
    awarding: bool = Field(description="this unit is the campaign's awarding unit (it shortlists)")
    closed: str = Field(description="why you may not decide now; empty when you may")
    quota: AwardQuotaOut | None
    tiers: list[AwardTierUseOut]
    waiting: list[AwardQueueRowOut]
    sent: list[AwardQueueRowOut] = Field(description="recommended up by this unit")
    decided: list[AwardQueueRowOut] = Field(description="kept, declined or shortlisted at this unit")


class AwardShortlistTierOut(AwardTierUseOut):
    nominations: list[AwardQueueRowOut]


class AwardShortlistOut(Schema):
    campaign_id: int
    tiers: list[AwardShortlistTierOut]
