"""操作审计 for programs: the audit trail and the read log of the caller's subtree (core.policy.audit_scope_q),
with the page's filters. A caller without audit rows in scope gets an empty list, like other lists; every search
that answers writes one `audit.search` row."""

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from fulian.core.forms_audit import audit_filters_from
from fulian.core.selectors_audit import audit_events_for, audit_search_record, read_logs_for, sees_audit

from .pagination import CappedPagination
from .schemas import ErrorOut
from .schemas_audit import AuditEventOut, ReadLogOut

router = Router(tags=["audit"])


class AuditFilterIn(Schema):
    since: str = Field("", max_length=10, description="local date, ISO (2026-03-08), inclusive")
    until: str = Field("", max_length=10, description="local date, ISO, inclusive")
    actor: str = ""
    object_type: str = ""
    unit: str = ""
    ip: str = ""


class AuditEventFilterIn(AuditFilterIn):
    action: str = ""
    action_prefix: str = ""


def _filters(params: Schema):
    return audit_filters_from({name: value for name, value in params.dict().items() if value})


@router.get("/audit/events", response={200: list[AuditEventOut], 400: ErrorOut})
@paginate(CappedPagination)
def audit_events_list(request, filters: Query[AuditEventFilterIn]):
    """Audit rows of your subtree, newest first. `since`/`until` are local dates (inclusive); `action` is an action
    name or a group (`group:auth`, `group:account`, `group:2fa`, `group:export`, `group:reveal`, `group:admin`,
    `group:audit`); `action_prefix` e.g. `case.`; `object_type` an app_label.model; `unit` a unit's code (its
    subtree); `ip` an address. A bad value is 400."""
    parsed = _filters(filters)
    if sees_audit(request.auth):
        audit_search_record(actor=request.auth, filters=parsed, tab="events")
    return audit_events_for(request.auth, parsed)


@router.get("/audit/reads", response={200: list[ReadLogOut], 400: ErrorOut})
@paginate(CappedPagination)
def audit_reads_list(request, filters: Query[AuditFilterIn]):
    """Read-log rows of your subtree (who saw which sensitive record: a case, a full ID number, a child), newest
    first, with the same filters as /audit/events (no action filters)."""
    parsed = _filters(filters)
    if sees_audit(request.auth):
        audit_search_record(actor=request.auth, filters=parsed, tab="reads")
    return read_logs_for(request.auth, parsed)
