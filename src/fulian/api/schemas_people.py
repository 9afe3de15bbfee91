import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema

from fulian.contacts.models import Channel, NeedCategory, NeedStatus
from fulian.core.models import ImportJob
from fulian.orgs.models import PostKind
from fulian.people.vocabularies import Occupation, TagCode

from .schemas import enum_of

Id = Annotated[int, Field(ge=1, le=2**53)]  # a record id: never zero, never more than a database integer holds


class WomanOut(Schema):
    id: int
    name: str
    id_masked: str = Field(description="ID number masked as 130***********123X; reveal with POST …/id-number")
    birth_date: dt.date | None
    phone: str
    home_unit_id: int
    home_unit_code: str
    home_unit_name: str
    ethnicity: str
    occupation: enum_of(Occupation, blank=True)
    tags: list[enum_of(TagCode)]
    consent_purpose: str
    consent_on: dt.date | None
    last_contact_on: dt.date | None
    next_follow_up_on: dt.date | None
    is_assigned: bool
    merged_into_id: int | None
    version: int = Field(description="send back unchanged with PUT; a newer version on the server means 409")

    @staticmethod
    def resolve_home_unit_code(obj) -> str:
        return obj.home_unit.code

    @staticmethod
    def resolve_home_unit_name(obj) -> str:
        return obj.home_unit.name

    @staticmethod
    def resolve_tags(obj) -> list[str]:
        return sorted(t.code for t in obj.tags.all())


class WomanIn(Schema):
    name: str
    id_number: str = Field("", description="18 characters (15-digit legacy ones upgraded); blank on PUT keeps it")
    phone: str = ""
    unit_code: str = Field(description="12-digit code of her village/community (or township) in your scope")
    ethnicity: str = ""
    occupation: enum_of(Occupation, blank=True) = ""
    tags: list[enum_of(TagCode)] = Field(default_factory=list)
    consent_purpose: str = ""
    consent_on: dt.date | None = None


class WomanUpdateIn(WomanIn):
    version: int


class IdNumberOut(Schema):
    id_number: str


class MergeIn(Schema):
    survivor_id: Id
    duplicate_id: Id


class ImportJobOut(Schema):
    id: int
    status: enum_of(ImportJob.Status)
    source_name: str
    total_rows: int
    processed_rows: int
    created_count: int
    updated_count: int
    unchanged_count: int
    error_count: int
    message: str
    has_error_file: bool

    @staticmethod
    def resolve_has_error_file(obj) -> bool:
        return bool(obj.error_file)


class AssignmentIn(Schema):
    cadre_id: Id


class AssignmentOut(Schema):
    id: int
    woman_id: int
    cadre_id: Id
    cadre_name: str
    assigned_on: dt.date
    ended_on: dt.date | None
    warning: str | None = None

    @staticmethod
    def resolve_cadre_name(obj) -> str:
        return str(obj.cadre)


class SpreadIn(Schema):
    cadre_ids: list[Id]


class SpreadOut(Schema):
    assigned: int
    skipped: int
    warnings: list[str]


class TransferOut(SpreadOut):
    ended: int


class NeedIn(Schema):
    category: enum_of(NeedCategory)
    description: str = ""


class ContactTrainingOutcomeIn(Schema):
    completion_id: Id = Field(description="her completed training (GET /api/v1/women/{id}/activities lists them)")
    kind: Literal["employed", "business", "income", "other"]
    amount: Decimal | None = Field(None, description="monthly income change in yuan (required for income)")
    note: str = Field("", max_length=300)


class ContactIn(Schema):
    contacted_on: dt.date
    channel: enum_of(Channel)
    views: str = ""
    help_given: str = ""
    follow_up_on: dt.date | None = None
    needs: list[NeedIn] = Field(default_factory=list)
    field_week_id: Id | None = None
    client_token: str | None = Field(None, max_length=40, description="resend the same token: one contact only")
    training_outcome: ContactTrainingOutcomeIn | None = Field(
        None, description="what a training of hers led to, recorded with this contact (refused: nothing is saved)")


class NeedOut(Schema):
    id: int
    woman_id: int
    contact_log_id: int
    category: enum_of(NeedCategory)
    description: str
    status: enum_of(NeedStatus)
    resolved_on: dt.date | None
    resolution: str


class ContactOut(Schema):
    id: int
    woman_id: int
    cadre_id: Id
    contacted_on: dt.date
    channel: enum_of(Channel)
    views: str
    help_given: str
    follow_up_on: dt.date | None
    field_week_id: Id | None
    needs: list[NeedOut]

    @staticmethod
    def resolve_needs(obj) -> list:
        return list(obj.needs.all())


class ResolveIn(Schema):
    resolution: str = ""


class FieldWeekIn(Schema):
    title: str
    starts_on: dt.date
    ends_on: dt.date
    participant_ids: list[Id] = Field(default_factory=list)


class FieldWeekOut(Schema):
    id: int
    unit_id: int
    title: str
    starts_on: dt.date
    ends_on: dt.date
    summary: str
    participant_ids: list[Id]

    @staticmethod
    def resolve_participant_ids(obj) -> list[int]:
        return sorted(p.pk for p in obj.participants.all())


class SummaryIn(Schema):
    summary: str


class NeedCountOut(Schema):
    category: enum_of(NeedCategory)
    total: int
    met: int
    open: int


class CoverageRowOut(Schema):
    unit_id: int
    unit_name: str
    women: int
    assigned: int
    recent: int
    follow_ups_overdue: int
    rate: float | None = Field(description="share of assigned women contacted in the recent window; null = no data")


class UnitCoverageOut(Schema):
    women: int
    assigned: int
    recent: int
    follow_ups_overdue: int
    rate: float | None
    children: list[CoverageRowOut]
    needs: list[NeedCountOut]


class CadreCoverageOut(Schema):
    assigned: int
    recent: int
    follow_ups_overdue: int
    quota: int = Field(description="her staff type's quota when she is on the named roster with a type that has one, "
                                   "else her level's")
    staff_kind: enum_of(PostKind) | None = Field(None, description="her staff type on the named roster, if listed")
    rate: float | None
    needs: list[NeedCountOut]


class TodayOut(Schema):
    follow_ups: list[WomanOut]
    overdue_contacts: list[WomanOut]


class FieldWeekMissingOut(Schema):
    unit_id: int = Field(validation_alias="pk")
    code: str
    name: str
    parent_name: str | None = Field(None, validation_alias="parent.name")
    last_week_on: dt.date | None = Field(description="the end of its latest field week, if it ever held one")
    reminded: bool = Field(description="already reminded for this window")


class FieldWeekRemindIn(Schema):
    level: int | None = Field(None, ge=1, le=5, description="default: the level below the caller's unit")
    window: str = Field("", description="the window's first month, YYYY-MM with an odd month; default: the last "
                                        "window completed")


class FieldWeekRemindOut(Schema):
    window_start: dt.date
    window_end: dt.date
    reminded: int = Field(description="units reminded now (those reminded before for this window are not again)")


class LevelQuotaOut(Schema):
    level: int
    quota: int


class StaffKindQuotaOut(Schema):
    kind: enum_of(PostKind)
    quota: int


class ContactQuotasOut(Schema):
    levels: list[LevelQuotaOut]
    staff_kinds: list[StaffKindQuotaOut] = Field(description="where her staff type (on the named roster) has one, it "
                                                             "replaces her level's quota")


class StaffKindQuotaIn(Schema):
    kind: enum_of(PostKind)
    quota: int | None = Field(None, ge=1, le=100000, description="null removes it: her level's quota applies")


class SyncItemIn(Schema):
    """One item a phone queued offline. Loose on purpose past its kind, channel and urgency (the page offers only
    those): a date, a text, a need category, a woman or need the server will not take is answered in the item's own
    result (`refused` with the reason), never by failing the request — the phone sends its queue in order, and one
    item must not hold back those after it."""

    token: str = Field(..., description="made on the phone (8–40 of A–Z a–z 0–9 _ -); the same item sent again "
                                        "changes nothing")
    kind: Literal["contact", "need_met", "help"]
    owner: str = Field("", description="the key the page filed it under (GET /me/offline): an item of another "
                                       "account is refused")
    on: str = Field(..., description="the day it happened (YYYY-MM-DD): not after today, at most 30 days ago")
    made_at: str = Field("", description="when the phone recorded it (ISO 8601)")
    woman: int | None = Field(None, description="contact and help: her id")
    unit: int | None = Field(None, description="her village when the phone cached her: a move is noted")
    channel: enum_of(Channel, blank=True) = Field("", description="contact: how she was reached")
    views: str = Field("", description="contact: 思想动态, at most 2,000 characters")
    help_given: str = Field("", description="contact: at most 2,000 characters")
    needs: list[str] = Field(default_factory=list, description="contact: need categories (employment, legal, …)")
    need_description: str = Field("", description="contact: at most 300 characters")
    follow_up_on: str = Field("", description="contact: YYYY-MM-DD")
    need: int | None = Field(None, description="need_met: the need's id")
    resolution: str = Field("", description="need_met: at most 300 characters")
    case_kind: str = Field("", description="help: the kind of help (no story: it is added online, on the case)")
    urgency: Literal["", "urgent", "high", "normal"] = Field("", description="help: how urgent (cases' urgency)")


class SyncIn(Schema):
    items: list[SyncItemIn] = Field(..., max_length=100)


class SyncResultOut(Schema):
    token: str
    state: Literal["applied", "noted", "refused"]
    message: str
    link: str = Field(description="the page to look at (the woman's record, or the case to add the story to)")
    code: str = Field(description="why it was refused (device_future, device_old, out_of_scope, other_user, …)")


class SyncOut(Schema):
    results: list[SyncResultOut]


class OfflineOut(Schema):
    owner: str = Field(description="the key a phone files her queued items under")
    max_items: int
    max_age_days: int
