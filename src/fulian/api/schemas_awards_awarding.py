import datetime as dt

from ninja import Field, Schema

from fulian.awards.models import AwardKind, CampaignStatus, NominationState, VenueKind

from .schemas import enum_of


class AwardCertificateOut(Schema):
    number: str
    code: str = Field(description="the verification code printed on the certificate")
    verify_url: str = Field(description="the public check (also GET /api/v1/public/certificates/{code})")
    holder: str = Field(description="the family's name")
    title: str = Field(description="e.g. 2026年度石家庄市最美家庭（十佳）")
    unit_name: str
    issued_at: dt.datetime
    is_valid: bool


class AwardAwardingRowOut(Schema):
    nomination_id: int
    family_name: str
    unit_name: str = Field(description="the family's village or community")
    tier: str
    state: enum_of(NominationState) = Field(description="shortlisted or awarded")
    version: int
    blockers: list[str] = Field(description="why it may not be awarded yet (公示 not over, an open objection); "
                                            "empty: it may")
    certificate: AwardCertificateOut | None


class AwardAwardingOut(Schema):
    campaign_id: int
    status: enum_of(CampaignStatus)
    may_award: bool = Field(description="whether the caller may award (a leader of the campaign's unit)")
    rows: list[AwardAwardingRowOut]


class AwardNominationAwardIn(Schema):
    version: int | None = Field(None, ge=1, description="the nomination's version as read; a change made in "
                                                         "between answers 409")


class AwardBlockedOut(Schema):
    nomination_id: int
    family_name: str
    reasons: list[str]


class AwardAllOut(Schema):
    awarded: list[int] = Field(description="nominations awarded now")
    blocked: list[AwardBlockedOut]
    campaign_awarded: bool = Field(description="no shortlisted family is left: the campaign is 已表彰")


class AwardRelayOut(Schema):
    id: int
    nomination_id: int
    unit_id: int
    unit_name: str
    venue: enum_of(VenueKind)
    activity_id: int | None = Field(description="the activity it was passed on at; null: recorded by name, link "
                                                "it later")
    title: str
    held_on: dt.date


class AwardRelayIn(Schema):
    venue: enum_of(VenueKind, blank=True) = Field("", description="blank: guessed from the activity's (or her) "
                                                                  "unit")
    activity_id: int | None = Field(None, ge=1, description="an activity of her subtree (GET "
                                                             "/awards/relay-activities); or give title and held_on")
    title: str = Field("", max_length=100)
    held_on: dt.date | None = None


class AwardRelayLinkIn(Schema):
    activity_id: int = Field(ge=1)


class AwardRelayActivityOut(Schema):
    id: int
    title: str
    unit_path: str
    starts_on: dt.date


class AwardWomanNominationOut(Schema):
    nomination_id: int
    campaign_id: int
    campaign_name: str
    year: int
    family_id: int | None
    family_name: str
    state: enum_of(NominationState) = Field(description="as the caller may see it (未推荐 for everything that "
                                                        "looks declined)")
    state_label: str
    reason: str
    tier: str
    awarded_at: dt.datetime | None
    certificate: AwardCertificateOut | None


class AwardShowcaseFamilyOut(Schema):
    nomination_id: int
    family_name: str
    unit_name: str
    tier: str
    title: str
    story: str
    members: list[str] = Field(description="names of the members who consented to be shown")
    photo_urls: list[str]
    relays: list[AwardRelayOut]


class AwardShowcaseTierOut(Schema):
    name: str = Field(description="the tier (十佳, 百优 …); blank for a campaign without tiers")
    families: list[AwardShowcaseFamilyOut]


class AwardShowcaseSectionOut(Schema):
    campaign_id: int
    campaign_name: str
    unit_name: str
    level: int
    tiers: list[AwardShowcaseTierOut]


class AwardShowcaseOut(Schema):
    campaign_id: int
    name: str
    year: int
    kind: enum_of(AwardKind)
    status: enum_of(CampaignStatus)
    unit_name: str
    parent_id: int | None = Field(description="the campaign above, when this is a lower unit's own round")
    sections: list[AwardShowcaseSectionOut] = Field(description="the campaign's own awards, then the rounds under "
                                                                "it, top level first")
