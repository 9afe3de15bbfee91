"""Request and answer shapes of the consultations API (议事协商, 征求基层意见, 提案建议). Every name starts with
Consultation, Inquiry or Proposal: a schema's name is its key in the OpenAPI components, unique across the API."""

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from fulian.consultations.models import (
    Addressee,
    Audience,
    CommentChannel,
    CommentState,
    ConsultationState,
    DraftKind,
    Outcome,
    ProposalKind,
    ProposalOutcome,
    Stance,
)
from fulian.dispatch.models import RecipientState

from .schemas import enum_of

Id = Annotated[int, Field(ge=1, le=2**53)]
Token = Field(None, max_length=40, description="the same token again returns the first record (a double submit)")
Version = Annotated[int, Field(ge=1, le=2**31)]
Month = Annotated[int, Field(ge=200001, le=210012, description="YYYYMM, e.g. 202601")]
DECIDED = Literal[tuple(v for v in Outcome.values if v)]
REPLIED = Literal[tuple(v for v in ProposalOutcome.values if v)]


# --- consultations ------------------------------------------------------------------------------------------------

class ConsultationSectionIn(Schema):
    heading: str = Field("", max_length=100, description="e.g. 第一条")
    text: str = Field(max_length=5000)


class ConsultationIn(Schema):
    unit_id: Id | None = Field(None, description="the organising unit (default: yours)")
    kind: enum_of(DraftKind)
    title: str = Field(max_length=120)
    intro: str = Field("", max_length=2000)
    audience: enum_of(Audience) = Field(description="subtree: the women registered under the unit; committee: its "
                                                    "executive committee (comments gathered by cadres); public")
    opens_on: dt.date
    closes_on: dt.date
    sections: list[ConsultationSectionIn] = Field(max_length=200, description="the draft's text, in order")
    client_token: str | None = Token


class ConsultationUpdateIn(Schema):
    version: Version
    title: str = Field(max_length=120)
    intro: str = Field("", max_length=2000)
    audience: enum_of(Audience)
    opens_on: dt.date
    closes_on: dt.date
    sections: list[ConsultationSectionIn] = Field(max_length=200, description="replace the sections (drafts only)")


class ConsultationVersionIn(Schema):
    version: Version | None = Field(None, description="the version you saw: 409 if it changed since")


class ConsultationPublishIn(Schema):
    note: str = Field("", max_length=5000, description="采纳情况说明: what was adopted, shown with the final text")
    version: Version | None = None


class ConsultationDecisionIn(Schema):
    outcome: DECIDED = Field(description="adopted (the text stands), changed (give final_text), not_adopted")
    reason: str = Field("", max_length=2000, description="required unless adopted")
    final_text: str = Field("", max_length=5000, description="changed: the section as adopted")


class ConsultationSectionOut(Schema):
    id: int
    number: int
    heading: str
    text: str
    outcome: enum_of(Outcome) = Field(description="'' while not decided")
    reason: str
    final_text: str
    decided_at: dt.datetime | None


class ConsultationOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    kind: enum_of(DraftKind)
    title: str
    intro: str
    audience: enum_of(Audience)
    opens_on: dt.date
    closes_on: dt.date
    state: enum_of(ConsultationState)
    opened_at: dt.datetime | None
    closed_at: dt.datetime | None
    published_at: dt.datetime | None
    comments_approved: int
    comments_pending: int
    version: int
    created_at: dt.datetime


class ConsultationDetailOut(ConsultationOut):
    sections: list[ConsultationSectionOut]
    final_text: str
    final_note: str


class ConsultationCommentOut(Schema):
    """A comment as its organiser sees it (her phone is never shown)."""

    id: int
    consultation_id: int
    section_id: int | None = Field(description="null: on the draft as a whole")
    section_number: int | None
    text: str
    name: str
    anonymous: bool = Field(description="shown as 匿名 when published")
    channel: enum_of(CommentChannel)
    state: enum_of(CommentState)
    review_note: str
    answer: str
    created_at: dt.datetime
    reviewed_at: dt.datetime | None


class ConsultationReviewIn(Schema):
    approve: bool = Field(description="true: published (先审后发); false: never shown, give the note")
    note: str = Field("", max_length=200)


class ConsultationAnswerIn(Schema):
    answer: str = Field(max_length=2000)


class ConsultationGatheredIn(Schema):
    """A comment a cadre gathered on a visit: from a woman of the registry, or a name."""

    text: str = Field(max_length=2000)
    section_id: Id | None = Field(None, description="a section of this consultation (none: the whole draft)")
    woman_id: Id | None = Field(None, description="a woman of the registry in your scope")
    name: str = Field("", max_length=30, description="without woman_id: who said it")
    anonymous: bool = False
    client_token: str | None = Token


# --- consultations on the portal -----------------------------------------------------------------------------------

class ConsultationPublicOut(Schema):
    id: int
    unit_name: str = Field(description="the organising federation")
    kind: enum_of(DraftKind)
    title: str
    intro: str
    audience: Literal["subtree", "public"] = Field(description="subtree: women registered under the unit may comment")
    opens_on: dt.date
    closes_on: dt.date
    state: Literal["open", "closed", "final"]
    taking_comments: bool = Field(description="open and within its period today")
    comments_approved: int


class ConsultationPublicSectionOut(Schema):
    id: int
    number: int
    heading: str
    text: str
    outcome: enum_of(Outcome) = Field(description="once the final text is published; '' before")
    reason: str
    final_text: str


class ConsultationPublicCommentOut(Schema):
    id: int
    section_id: int | None
    section_number: int | None
    name: str = Field(description="her name, or 匿名")
    text: str
    answer: str = Field(description="the organiser's answer, '' if none")
    created_at: dt.datetime


class ConsultationPublicDetailOut(ConsultationPublicOut):
    sections: list[ConsultationPublicSectionOut]
    comments: list[ConsultationPublicCommentOut] = Field(description="published comments only, oldest first")
    final_text: str
    final_note: str
    published_at: dt.datetime | None


class ConsultationCodeIn(Schema):
    phone: str = Field(max_length=20)


class ConsultationCommentIn(Schema):
    text: str = Field(min_length=1, max_length=2000)
    section_id: Id | None = Field(None, description="a section of the draft (none: the whole draft)")
    name: str = Field("", max_length=30)
    anonymous: bool = Field(False, description="published without her name")
    phone: str = Field(max_length=20)
    code: str = Field(max_length=6, description="the one-time code sent by POST /public/consultations/{id}/code")
    client_token: str | None = Token


class ConsultationCommentReceivedOut(Schema):
    id: int
    state: enum_of(CommentState) = Field(description="pending: shown once the organiser approves it")
    message: str


# --- inquiries ----------------------------------------------------------------------------------------------------

class InquiryIn(Schema):
    unit_id: Id | None = Field(None, description="the asking unit (default: yours); a chair or vice-chair sends")
    question: str = Field(max_length=2000)
    deadline: dt.datetime
    level: int | None = Field(None, ge=2, le=5, description="every unit of this level below the asking unit")
    unit_ids: list[Id] = Field([], max_length=5000, description="or these units below it (instead of a level)")
    consultation_id: Id | None = Field(None, description="a consultation of the asking unit it is about")
    client_token: str | None = Token


class InquiryStanceOut(Schema):
    stance: enum_of(Stance)
    label: str
    count: int


class InquiryTallyOut(Schema):
    asked: int
    answered: int
    stances: list[InquiryStanceOut]


class InquiryAnswerOut(Schema):
    unit_id: int
    unit_name: str
    stance: enum_of(Stance)
    text: str
    answered_at: dt.datetime


class InquiryUnitOut(Schema):
    unit_id: int
    unit_name: str


class InquiryOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    question: str
    consultation_id: int | None
    deadline: dt.datetime
    recipient_count: int
    summary: str
    summarised_at: dt.datetime | None
    created_at: dt.datetime


class InquiryDetailOut(InquiryOut):
    tally: InquiryTallyOut
    answers: list[InquiryAnswerOut] = Field(description="the first 500, by unit")
    waiting: list[InquiryUnitOut] = Field(description="units not answered yet, the first 200")


class InquiryCopyOut(Schema):
    """A receiving unit's copy of an inquiry."""

    id: int
    unit_id: int
    unit_name: str
    asking_unit_name: str
    question: str
    deadline: dt.datetime
    state: enum_of(RecipientState)
    answer: InquiryAnswerOut | None


class InquiryAnswerIn(Schema):
    stance: enum_of(Stance)
    text: str = Field("", max_length=5000, description="required for changes and disagree")


class InquirySummaryIn(Schema):
    summary: str = Field(max_length=10000)


# --- proposals ----------------------------------------------------------------------------------------------------

class ProposalEvidenceIn(Schema):
    """A registry figure of a unit over months: numbers only, no other key is taken."""

    model_config = ConfigDict(extra="forbid")

    figure: str = Field(max_length=60, description="a figure key of the registry (e.g. cases_opened)")
    unit_id: Id = Field(description="a unit of your scope")
    start: Month
    end: Month


class ProposalEvidenceOut(Schema):
    figure: str
    label: str
    unit_id: int
    unit: str
    start: int
    end: int
    value: float | int | str | None = Field(description="read when the proposal was saved; a rate is a fraction, "
                                                        "money its exact text")


class ProposalIn(Schema):
    unit_id: Id | None = Field(None, description="the proposing unit (default: yours)")
    kind: enum_of(ProposalKind)
    addressee: enum_of(Addressee)
    addressee_name: str = Field("", max_length=100)
    subject: str = Field(max_length=150)
    submitted_on: dt.date
    text: str = Field(max_length=20000)
    evidence: list[ProposalEvidenceIn] = Field([], max_length=20)
    consultation_id: Id | None = Field(None, description="a consultation of the unit's subtree it grew from")
    client_token: str | None = Token


class ProposalOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    kind: enum_of(ProposalKind)
    addressee: enum_of(Addressee)
    addressee_name: str
    subject: str
    submitted_on: dt.date
    text: str
    evidence: list[ProposalEvidenceOut]
    consultation_id: int | None
    reply: str
    replied_on: dt.date | None
    outcome: enum_of(ProposalOutcome) = Field(description="'' while waiting for the reply")
    public: bool
    version: int
    created_at: dt.datetime


class ProposalReplyIn(Schema):
    version: Version
    reply: str = Field(max_length=20000)
    replied_on: dt.date
    outcome: REPLIED
    public: bool = Field(False, description="shown on the portal (adopted or partly adopted only)")


class ProposalPublicOut(Schema):
    id: int
    unit_name: str
    kind: enum_of(ProposalKind)
    addressee: enum_of(Addressee)
    addressee_name: str
    subject: str
    submitted_on: dt.date
    text: str
    reply: str
    replied_on: dt.date
    outcome: Literal["adopted", "partly"]
