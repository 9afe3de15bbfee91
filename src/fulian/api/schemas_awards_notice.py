import datetime as dt

from ninja import Field, Schema

from fulian.awards.models import CampaignStatus, ObjectionOutcome

from .schemas import enum_of


class AwardNoticeStartIn(Schema):
    version: int | None = Field(None, ge=1, le=2**31, description="the campaign's version read; stale: 409")


class AwardNoticeOut(Schema):
    campaign_id: int
    status: enum_of(CampaignStatus)
    version: int
    notice_days: int = Field(description="working days")
    notice_from: dt.date | None
    notice_until: dt.date | None
    notice_open: bool
    may_start: bool = Field(description="the caller may start 公示 now")
    refusal: str = Field(description="why 公示 may not start now ('' when it may, or when it has started)")
    open_objections: int


class AwardObjectionOut(Schema):
    id: int
    campaign_id: int
    nomination_id: int
    family_name: str
    text: str
    anonymous: bool
    name: str
    contact: str
    lodged_at: dt.datetime
    outcome: enum_of(ObjectionOutcome, blank=True) = Field(description="'' until the finding is recorded")
    finding: str
    found_by: str
    found_at: dt.datetime | None
    may_find: bool = Field(description="the caller may record the finding now")


class AwardFindingIn(Schema):
    outcome: enum_of(ObjectionOutcome) = Field(description="upheld: the family is declined (public reason neutral); "
                                                            "dismissed: it may be awarded")
    finding: str = Field(min_length=1, max_length=2000)
