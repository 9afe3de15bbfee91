import datetime as dt
from typing import Literal

from ninja import Field, Schema

from fulian.core.figures import CURRENT, FLOW, RATE, STOCK
from fulian.dispatch.models import DispatchStatus, RecipientState
from fulian.work.models import Aggregate, FieldKind

from .schemas import enum_of
from .schemas_people import Id

Month = int  # YYYYMM
Value = int | float | None
Typed = int | float | str | None


class FigureOut(Schema):
    key: str = Field(description="what a computed report field names as its `figure`")
    label: str
    kind: Literal[FLOW, STOCK, CURRENT, RATE] = Field(description="flow: within the period; stock: as of its end; "
                                                                  "current: as it is now; rate: a share")
    data_source: str = Field(description="where the number comes from, in words")


class ReportFieldIn(Schema):
    key: str = Field(min_length=1, max_length=40, description="lower-case letters, digits, _; unique in the form")
    label: str = Field("", max_length=100)
    kind: enum_of(FieldKind)
    figure: str = Field("", max_length=60, description="computed fields: the key of a figure (GET /figures)")
    aggregate: enum_of(Aggregate) | None = Field(None, description="how a unit above sums its children's numbers; "
                                                                    "default sum for numbers, none otherwise")
    required: bool = Field(False, description="numbers and text only: a photo or file is never required")


class ReportFieldOut(Schema):
    key: str
    label: str
    kind: enum_of(FieldKind)
    figure: str
    aggregate: enum_of(Aggregate)
    required: bool


class ReportTemplateIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    fields: list[ReportFieldIn] = Field(min_length=1, max_length=100)
    unit_id: Id | None = Field(None, description="the unit that keeps it (usable by units below); default yours")


class ReportTemplateOut(Schema):
    id: int
    name: str
    unit_id: int
    created_at: dt.datetime
    fields: list[ReportFieldOut]

    @staticmethod
    def resolve_fields(obj):
        return list(obj.fields.all())


class TaskIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    body: str = Field("", max_length=20000)
    deadline: dt.datetime
    period_start: Month = Field(description="first month the report counts, YYYYMM")
    period_end: Month = Field(description="last month the report counts, YYYYMM")
    template_id: Id | None = Field(None, description="the report form (GET /report-templates); none: no report")
    level: int | None = Field(None, ge=1, le=5, description="send to every unit of this level below the issuer")
    unit_ids: list[Id] | None = Field(None, max_length=5000, description="or to these units (all below the issuer)")
    unit_id: Id | None = Field(None, description="the issuing unit; default yours")


class TotalsOut(Schema):
    total: int
    done: int
    done_late: int
    open: int
    late: int = Field(description="done after the deadline, or not done and the deadline passed")
    percent: int


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    content_type: str
    field_key: str = Field("", description="a report's file: the field it belongs to")


class TaskRowOut(Schema):
    id: int
    title: str
    unit_id: int = Field(description="the issuing unit")
    unit_name: str
    status: enum_of(DispatchStatus)
    deadline: dt.datetime
    target_level: int | None
    recipient_count: int
    period_start: Month
    period_end: Month
    template_id: int | None
    created_at: dt.datetime

    @staticmethod
    def resolve_id(obj) -> int:
        return obj.pk

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.dispatch.title

    @staticmethod
    def resolve_unit_id(obj) -> int:
        return obj.dispatch.unit_id

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.dispatch.unit.name

    @staticmethod
    def resolve_status(obj) -> str:
        return obj.dispatch.status

    @staticmethod
    def resolve_deadline(obj):
        return obj.dispatch.deadline

    @staticmethod
    def resolve_target_level(obj):
        return obj.dispatch.target_level

    @staticmethod
    def resolve_recipient_count(obj) -> int:
        return obj.dispatch.recipient_count

    @staticmethod
    def resolve_created_at(obj):
        return obj.dispatch.created_at


class TaskOut(TaskRowOut):
    body: str
    template: ReportTemplateOut | None
    attachments: list[AttachmentOut] = Field(description="download them from the task's page")
    totals: TotalsOut | None = Field(description="how the first recipients stand, at the issuing unit; null when "
                                                 "you only received the task")

    @staticmethod
    def resolve_attachments(obj):
        return list(obj.attachments.all())


class CompletionRowOut(TotalsOut):
    unit_id: int
    unit_name: str
    rollup: bool = Field(description="true: a unit in between (its totals are its recipients'); false: a recipient")
    recipient_id: int | None = Field(description="the recipient's copy (GET /tasks/received/{recipient_id})")


class CompletionOut(Schema):
    task_id: int
    unit_id: int = Field(description="the unit it is read at")
    totals: TotalsOut
    rows: list[CompletionRowOut] = Field(description="one row per child unit")


class RemindOut(Schema):
    reminded: int = Field(description="units reminded now (those reminded within the hour are not reminded twice)")


class RecipientRowOut(Schema):
    id: int
    task_id: int
    title: str
    issuer_unit_id: int
    issuer_unit_name: str
    unit_id: int = Field(description="the receiving unit")
    state: enum_of(RecipientState)
    status: enum_of(DispatchStatus) = Field(description="the task's: closed takes no more reports")
    deadline: dt.datetime
    done_at: dt.datetime | None
    reminders: int
    version: int = Field(description="send it back with a report or completion: a newer one answers 409")

    @staticmethod
    def resolve_task_id(obj) -> int:
        return obj.dispatch_id

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.dispatch.title

    @staticmethod
    def resolve_issuer_unit_id(obj) -> int:
        return obj.dispatch.unit_id

    @staticmethod
    def resolve_issuer_unit_name(obj) -> str:
        return obj.dispatch.unit.name

    @staticmethod
    def resolve_status(obj) -> str:
        return obj.dispatch.status


class PrefillRowOut(Schema):
    key: str
    label: str
    kind: enum_of(FieldKind)
    required: bool
    value: Value = Field(description="computed: from the records for the unit's subtree and the task's period; "
                                     "a delegated number: its children's reports aggregated")
    data_source: str = Field(description="computed fields: where the number comes from")
    from_children: bool = Field(description="filled from the children's reports: what is typed for it is ignored")


class TaskCopyOut(Schema):
    recipient_id: int
    unit_id: int
    unit_name: str
    state: enum_of(RecipientState)
    late: bool
    reported: bool


class RecipientOut(RecipientRowOut):
    body: str
    period_start: Month
    period_end: Month
    attachments: list[AttachmentOut]
    prefill: list[PrefillRowOut] = Field(description="the report form as it opens (empty: the task asks no report)")
    as_of: dt.datetime = Field(description="when the computed values were read")
    delegated: bool
    children_sent: int
    children_reported: int
    delegated_copies: list[TaskCopyOut] = Field(description="the copies it delegated, with their state")
    report_id: int | None = Field(description="its submitted report (GET …/report)")


class DelegateIn(Schema):
    level: int | None = Field(None, ge=1, le=5, description="every unit of this level below the receiving unit")
    unit_ids: list[Id] | None = Field(None, max_length=5000, description="or these units below it")


class DelegateOut(Schema):
    sent: int = Field(description="new recipients")
    recipient: RecipientRowOut


class ReportIn(Schema):
    entered: dict[str, Typed] = Field(default_factory=dict, description="field key → what she types (numbers and "
                                      "text); computed fields and numbers from children are ignored here")
    version: int | None = Field(None, description="the version you read; a newer one answers 409, nothing written")


class CompleteIn(Schema):
    version: int | None = Field(None, description="the version you read; a newer one answers 409, nothing written")


class DifferenceOut(Schema):
    key: str
    label: str
    submitted: Value
    now: Value


class ReportOut(Schema):
    id: int
    recipient_id: int
    task_id: int
    unit_id: int
    as_of: dt.datetime = Field(description="the computed values are those of this moment, frozen")
    submitted_at: dt.datetime
    computed: dict[str, Value]
    entered: dict[str, Typed]
    files: list[AttachmentOut]
    differences: list[DifferenceOut] = Field(description="computed fields whose records changed since: then vs now")


class PriorityItemIn(Schema):
    text: str = Field(max_length=200)
    task_id: Id | None = Field(None, description="a task issued by the unit or a unit above it")


class PrioritiesIn(Schema):
    year: int = Field(ge=2000, le=2100)
    version: int | None = Field(None, ge=1, description="the version edited (null for the first); a stale one is 409")
    items: list[PriorityItemIn] = Field(max_length=20, description="in order; at least one with text")


class PriorityItemOut(Schema):
    position: int
    text: str
    task_id: int | None
    task_title: str | None = Field(None, validation_alias="task.dispatch.title")


class PrioritiesOut(Schema):
    id: int
    unit_id: int
    unit_name: str = Field(validation_alias="unit.name")
    year: int
    target_level: int = Field(description="the level they are for: the setting unit's level + 1")
    version: int
    updated_at: dt.datetime
    items: list[PriorityItemOut]

    @staticmethod
    def resolve_items(obj) -> list:
        return list(obj.items.all())
