import datetime as dt
from typing import Literal

from ninja import Field, Schema

from fulian.portal.models import PracticeAction, PracticeStatus
from fulian.portal.practices import stage_label, trail

from .schemas import enum_of
from .schemas_people import Id


class PracticeIn(Schema):
    title: str = Field(min_length=1, max_length=120)
    body: str = Field(min_length=1, max_length=20000)
    unit_id: Id | None = Field(None, description="the writing unit; default yours")
    client_token: str | None = Field(None, max_length=40, description="your one-time id of this request: sent "
                                                                       "again, it answers the practice it made")


class PracticeEditIn(Schema):
    title: str = Field(min_length=1, max_length=120)
    body: str = Field(min_length=1, max_length=20000)
    version: int | None = Field(None, description="the version you read; a stale one answers 409")


class VersionIn(Schema):
    version: int | None = Field(None, description="the version you read; a stale one answers 409")


class PassUpIn(VersionIn):
    comment: str = Field("", max_length=500)


class ReturnIn(VersionIn):
    note: str = Field(min_length=1, max_length=500)


class PublishIn(VersionIn):
    category: Literal["practice", "bulletin"] = Field(
        "practice", description="practice: 典型做法; bulletin: 改革信息台")
    comment: str = Field("", max_length=500)


class PracticePhotoOut(Schema):
    id: int
    name: str
    size: int
    content_type: str


class PracticeStepOut(Schema):
    action: enum_of(PracticeAction)
    unit_id: int
    unit_name: str
    to_unit_id: int | None
    actor: str | None
    at: dt.datetime
    comment: str

    @staticmethod
    def resolve_unit_name(obj):
        return obj.unit.federation_name

    @staticmethod
    def resolve_actor(obj):
        return str(obj.actor) if obj.actor_id else None


class PracticeRowOut(Schema):
    id: int
    title: str
    unit_id: int
    unit_name: str
    status: enum_of(PracticeStatus)
    stage: str = Field(description="where it stands, in words (已发布 only once the article is out)")
    holder_id: int | None = Field(description="the unit holding it now (held only)")
    version: int
    updated_at: dt.datetime
    submitted_at: dt.datetime | None
    published_at: dt.datetime | None
    article_id: int | None

    @staticmethod
    def resolve_unit_name(obj):
        return obj.unit.federation_name

    @staticmethod
    def resolve_stage(obj):
        return stage_label(obj)


class PracticeOut(PracticeRowOut):
    body: str
    note: str = Field(description="the return note, while returned")
    photos: list[PracticePhotoOut]
    trail: list[PracticeStepOut]
    may_edit: bool
    may_decide: bool

    @staticmethod
    def resolve_photos(obj):
        return list(obj.photos.all())

    @staticmethod
    def resolve_trail(obj):
        return list(trail(obj))
