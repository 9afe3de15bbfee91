import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from fulian.activities.models import ActivityKind, OutcomeKind, SignUpState

from .schemas import enum_of


class TrainingOutcomeOut(Schema):
    id: int
    kind: enum_of(OutcomeKind)
    amount: Decimal | None = Field(description="monthly income increase in yuan (income); optional otherwise")
    note: str
    recorded_on: dt.date
    contact_log_id: int | None


class TrainingCertificateOut(Schema):
    number: str
    code: str = Field(description="the verification code printed on the certificate")
    verify_url: str = Field(description="the public check (also GET /api/v1/public/certificates/{code})")
    holder: str
    title: str
    unit_name: str
    issued_at: dt.datetime
    is_valid: bool


class TrainingCompletionOut(Schema):
    id: int
    activity_id: int
    activity_title: str
    signup_id: int
    woman_id: int | None
    name: str
    completed_at: dt.datetime
    certificate: TrainingCertificateOut | None
    outcomes: list[TrainingOutcomeOut]


class TrainingParticipantOut(Schema):
    signup_id: int
    name: str
    woman_id: int | None
    attended: int = Field(description="distinct sessions she checked in to")
    needed: int = Field(description="sessions completion needs (two thirds of all, at least one)")
    total: int
    eligible: bool
    completion_id: int | None


class TrainingOutcomeIn(Schema):
    kind: enum_of(OutcomeKind)
    amount: Decimal | None = Field(None, gt=0, lt=1000000, max_digits=10, decimal_places=2,
                                   description="required for income: the monthly increase in yuan")
    note: str = Field("", max_length=300, description="required for other")
    recorded_on: dt.date = Field(description="not after today, not before the completion")


class WomanActivityOut(Schema):
    activity_id: int
    title: str
    kind: enum_of(ActivityKind)
    starts_at: dt.datetime
    unit_id: int
    signup_id: int | None
    signup_state: enum_of(SignUpState, blank=True) = Field(description="blank: a walk-in without a sign-up")
    attended: int = Field(description="sessions she checked in to (by her registry link)")
    completion: TrainingCompletionOut | None
