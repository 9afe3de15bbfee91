"""Schemas of the award campaign routes (api.routers_awards_campaigns): every class name starts with Award…"""

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from fulian.awards.models import AwardKind, CampaignStatus

from .schemas_people import Id

AwardKindName = Literal[tuple(AwardKind.values)]
AwardCampaignStatusName = Literal[tuple(CampaignStatus.values)]


class AwardCriterionIn(Schema):
    key: str = Field("", max_length=20, description="blank: c1, c2 … by position")
    label: str = Field(min_length=1, max_length=30)
    max: int = Field(ge=1, le=100, description="full points of this criterion")


class AwardCriterionOut(Schema):
    key: str
    label: str
    max: int


class AwardTierIn(Schema):
    name: str = Field(min_length=1, max_length=30, description="e.g. 十佳")
    quota: int = Field(ge=1, le=100000)


class AwardTierOut(Schema):
    name: str
    quota: int


class AwardCampaignIn(Schema):
    kind: AwardKindName
    name: str = Field(min_length=1, max_length=100)
    year: int = Field(ge=2000, le=2100)
    description: str = Field("", max_length=20000)
    criteria: list[AwardCriterionIn] = Field([], max_length=12, description="empty: the kind's default criteria")
    tiers: list[AwardTierIn] = Field([], max_length=6, description="empty: one honour with award_quota")
    award_quota: int | None = Field(None, ge=1, le=100000, description="without tiers; null: no limit")
    quotas: dict[str, int] = Field({}, description='{"<level>": n}: each unit of that level (below the launching '
                                                   'unit) recommends at most n to its parent, e.g. {"3": 5}')
    nominate_until: dt.date
    review_until: dt.date
    vote_from: dt.date | None = Field(None, description="the optional public vote on the shortlist")
    vote_until: dt.date | None = None
    notice_days: int = Field(5, ge=5, le=30, description="公示 in working days")
    portal_open: bool = Field(True, description="self and others' nominations on the portal")
    level: int | None = Field(None, ge=2, le=5, description="every unit of this level below receives it")
    unit_ids: list[Id] = Field([], max_length=5000, description="or only these units below (instead of level)")
    unit_id: Id | None = Field(None, description="the launching unit; default yours")
    parent_id: Id | None = Field(None, description="the campaign above, to run your unit's own round under it")
    client_token: str | None = Field(None, max_length=40, description="the same token again returns the first")


class AwardCampaignUpdateIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    description: str = Field("", max_length=20000)
    nominate_until: dt.date
    review_until: dt.date
    vote_from: dt.date | None = None
    vote_until: dt.date | None = None
    version: int | None = Field(None, description="the version you saw: a stale one answers 409")


class AwardCampaignCancelIn(Schema):
    reason: str = Field(min_length=1, max_length=200)
    version: int | None = Field(None, description="the version you saw: a stale one answers 409")


class AwardCampaignDoneIn(Schema):
    version: int | None = Field(None, description="your unit's copy's version you saw: a stale one answers 409")


class AwardCampaignOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    parent_id: int | None
    kind: AwardKindName
    name: str
    year: int
    description: str
    criteria: list[AwardCriterionOut]
    tiers: list[AwardTierOut]
    award_quota: int | None
    quotas: dict[str, int]
    nominate_until: dt.date
    review_until: dt.date
    vote_from: dt.date | None
    vote_until: dt.date | None
    notice_days: int
    notice_from: dt.date | None
    notice_until: dt.date | None
    portal_open: bool
    status: AwardCampaignStatusName
    stage: str = Field(description="where it is now, in words")
    recipient_count: int
    version: int
    my_recipient_id: int | None = Field(None, description="your unit's copy, if your unit received it")
    my_state: str | None = None
    my_waiting: int | None = Field(None, description="nominations waiting for your unit's decision")


class AwardStandingRowOut(Schema):
    unit_id: int
    unit_name: str
    total: int = Field(description="live nominations of families under it")
    org: int
    self: int
    others: int
    media: int
    waiting: int = Field(description="waiting for a decision at it or below")
    passed: int = Field(description="recommended beyond it")
    kept: int
    declined: int
    shortlisted: int
    awarded: int
    objections: int | None = Field(None, description="open objections (only for the awarding unit and above)")
    recommended: int | None = Field(None, description="its own live recommendations to its parent")
    quota: int | None = Field(None, description="its quota (null: no limit)")
    total_units: int = Field(0, description="receiving units under it")
    done_units: int = 0


class AwardTierUsedOut(Schema):
    name: str
    quota: int | None
    used: int


class AwardStandingOut(Schema):
    unit_id: int
    unit_name: str
    own: AwardStandingRowOut = Field(description="families of the unit itself")
    rows: list[AwardStandingRowOut]
    totals: AwardStandingRowOut
    recommended: int | None = Field(None, description="the unit's own recommendations (not at the awarding unit)")
    quota: int | None = None
    tiers: list[AwardTierUsedOut] | None = Field(None, description="at the awarding unit: honours used of quota")
