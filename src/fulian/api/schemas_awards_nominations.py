import datetime as dt

from ninja import Field, Schema

from fulian.awards.models import Channel, DecisionKind, NominationState

from .schemas import enum_of


class AwardMemberIn(Schema):
    name: str = Field(max_length=30)
    relation: str = Field("", max_length=14, description="for a name typed: 本人, 丈夫, 婆婆 …")
    consent: bool = Field(False, description="she agreed that her name may be shown in public")


class AwardMemberOut(Schema):
    name: str
    relation: str = Field(description="as shown (a registry relation's label, or the words typed)")
    woman_id: int | None = Field(description="the registry woman, if she is one")
    consent: bool


class AwardNominationCreateIn(Schema):
    channel: enum_of(Channel) = Field(description="org (a registry family: family_id) or media (village_code, "
                                                  "family_name, media_source)")
    family_id: int | None = None
    village_code: str = Field("", max_length=24, description="the village's 12-digit division code (media)")
    family_name: str = Field("", max_length=60)
    family_phone: str = Field("", max_length=20)
    title: str = Field("", max_length=100)
    story: str = Field(max_length=5000)
    media_source: str = Field("", max_length=200, description="media: where it appeared, e.g. 《河北日报》2026-05-12")
    members: list[AwardMemberIn] = Field([], max_length=20, description="org: consent of the registry family's "
                                                                         "members by name (and members to add)")
    client_token: str | None = Field(None, max_length=40, description="the same token again returns the first "
                                                                      "nomination")


class AwardNominationOut(Schema):
    id: int
    campaign_id: int
    unit_id: int
    unit_name: str
    at_unit_id: int
    at_unit_name: str
    level_reached: int
    family_id: int | None
    family_name: str
    family_phone: str
    title: str
    channel: enum_of(Channel)
    media_source: str
    state: enum_of(NominationState) = Field(description="as you may see it: held shows as declined without "
                                                        "need-to-know")
    state_label: str
    reason: str
    tier: str
    merged_into_id: int | None
    created_at: dt.datetime
    version: int


class AwardDecisionOut(Schema):
    unit_name: str
    level: int
    kind: enum_of(DecisionKind)
    reason: str
    tier: str
    decided_at: dt.datetime
    undone: bool


class AwardMergedOut(Schema):
    id: int
    family_name: str
    channel: enum_of(Channel)
    media_source: str
    story: str
    photo_ids: list[int]


class AwardNominationDetailOut(AwardNominationOut):
    story: str
    members: list[AwardMemberOut]
    nominator_name: str
    photo_ids: list[int] = Field(description="GET /awards/photos/{award_photo_id}")
    history: list[AwardDecisionOut]
    merged: list[AwardMergedOut] = Field(description="nominations of the same family merged into this one")
    may_withdraw: bool


class AwardMergeIn(Schema):
    into_id: int = Field(description="the live nomination of the same family to merge this one into")
    version: int | None = None


class AwardWithdrawIn(Schema):
    reason: str = Field("", max_length=200)
    version: int | None = None


class AwardCheckOut(Schema):
    id: int
    nomination_id: int
    family_name: str
    campaign_name: str
    unit_name: str
    case_id: int
    found_at: dt.datetime
    wanted_kind: str = Field(description="the decision the holding unit wanted, carried out once cleared")
    wanted_unit_name: str


class AwardCheckDecideIn(Schema):
    clear: bool = Field(description="true: 核查通过 (the wanted decision goes on); false: 不予推荐")
    note: str = Field("", max_length=200)


class AwardPublicCodeIn(Schema):
    phone: str = Field(max_length=20, description="the nominator's mobile phone")


class AwardPublicNominationIn(Schema):
    village_code: str = Field(max_length=24, description="the family's village (12-digit division code)")
    family_name: str = Field(max_length=60)
    family_phone: str = Field("", max_length=20)
    title: str = Field("", max_length=100)
    story: str = Field(max_length=5000)
    members: list[AwardMemberIn] = Field([], max_length=20)
    is_self: bool = Field(description="true: her own family (自我推荐); false: another's (他人推荐)")
    nominator_name: str = Field(max_length=30)
    nominator_phone: str = Field(max_length=20)
    code: str = Field(max_length=12, description="the one-time code just sent to nominator_phone")
    client_token: str | None = Field(None, max_length=40)


class AwardPublicNominationOut(Schema):
    received: bool
    next_steps: str
