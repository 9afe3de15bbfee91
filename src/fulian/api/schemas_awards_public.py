import datetime as dt

from ninja import Field, Schema

from fulian.awards.models import AwardKind, CampaignStatus

from .schemas import enum_of


class AwardPublicCampaignOut(Schema):
    id: int
    name: str
    kind: enum_of(AwardKind)
    year: int
    unit_name: str = Field(description="the awarding federation")
    description: str
    status: enum_of(CampaignStatus)
    stage: str = Field(description="where it is now, in words (推荐中, 网络投票中, 公示中 …)")
    portal_open: bool = Field(description="families may be nominated on the portal")
    vote_from: dt.date | None
    vote_until: dt.date | None
    vote_open: bool = Field(description="a vote is taken today")
    notice_from: dt.date | None
    notice_until: dt.date | None
    notice_open: bool = Field(description="公示 runs today: objections are taken")


class AwardPublicFamilyOut(Schema):
    id: int = Field(description="the nomination: what a vote or an objection names")
    family_name: str
    village: str
    tier: str
    title: str
    story: str
    members: list[str] = Field(description="the names of the members who consented to be shown")
    photo_urls: list[str]
    votes: int | None = Field(description="live count while the vote runs; null otherwise")


class AwardVoterCodeIn(Schema):
    phone: str = Field(max_length=20)


class AwardVoterPassIn(Schema):
    phone: str = Field(max_length=20)
    code: str = Field(max_length=6)


class AwardVoterPassOut(Schema):
    voter_pass: str = Field(description="send it with each vote; good for two hours and never past today")
    expires_at: dt.datetime


class AwardVoteIn(Schema):
    nomination_id: int = Field(ge=1, le=2**53)
    voter_pass: str = Field(max_length=400)


class AwardVoteOut(Schema):
    counted: bool = Field(description="false: this phone voted in the campaign today already (that vote stands)")
    message: str


class AwardObjectionIn(Schema):
    nomination_id: int = Field(ge=1, le=2**53)
    text: str = Field(min_length=1, max_length=2000)
    anonymous: bool = Field(False, description="keep no name and no contact")
    name: str = Field("", max_length=30)
    contact: str = Field("", max_length=40, description="for follow-up only; never shown")
    client_token: str | None = Field(None, max_length=40, description="the same token again gives one objection")


class AwardObjectionReceivedOut(Schema):
    received: bool
    message: str
