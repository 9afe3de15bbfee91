"""The audit API every module calls: `audit_record` after a write, `read_record` when showing sensitive data.

Both are called inside the writer's transaction, so an audit row exists exactly when the change does.
"""

from django.utils import timezone

from .context import current_origin
from .models import AuditEvent, ReadLog
from .writes import key_text, write_later


def _actor_fields(actor) -> dict:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor": None, "actor_label": "system" if actor is None else "anonymous"}
    return {"actor": actor, "actor_label": actor.get_username()}


def _object_fields(obj) -> dict:
    if obj is None:
        return {"object_type": "", "object_id": "", "object_repr": ""}
    return {
        "object_type": obj._meta.label_lower,
        "object_id": key_text(obj),
        "object_repr": str(obj)[:200],
    }


def _unit_path(obj, actor) -> str | None:
    """The path of the unit the record belongs to, else of the actor's unit; None for neither (top only)."""
    path = getattr(obj, "unit_path", None) if obj is not None else None
    if not path and obj is not None and obj._meta.label_lower == "orgs.unit":
        path = obj.path
    if not path and obj is not None and getattr(obj, "unit_id", None):
        path = obj.unit.path
    if not path and getattr(actor, "unit_id", None):
        path = actor.unit.path
    return path or None


def audit_record(*, actor, action: str, obj=None, changes: dict | None = None, now=None) -> AuditEvent:
    """One audit row, built now (what the record is at this moment) and written at once, or with the rest of
    the write path's rows when it ends (`core.writes`)."""
    origin = current_origin()
    event = AuditEvent(
        at=now or timezone.now(),
        action=action,
        changes=changes or {},
        ip=origin.ip,
        user_agent=origin.user_agent,
        channel=origin.channel,
        unit_path=_unit_path(obj, actor),
        **_actor_fields(actor),
        **_object_fields(obj),
    )
    write_later(event)
    return event


def read_record(*, actor, obj, purpose: str = "", now=None) -> ReadLog:
    origin = current_origin()
    fields = _object_fields(obj)
    fields.pop("object_repr")
    return ReadLog.objects.create(
        at=now or timezone.now(),
        object_repr=str(obj)[:200],
        purpose=purpose[:200],
        ip=origin.ip,
        channel=origin.channel,
        unit_path=_unit_path(obj, actor),
        **_actor_fields(actor),
        **fields,
    )


def changed_fields(obj, values: dict) -> dict:
    """{field: [old, new]} for the values that differ, for an audit row's `changes`."""
    return {
        name: [_plain(getattr(obj, name)), _plain(value)]
        for name, value in values.items()
        if getattr(obj, name) != value
    }


def _plain(value):
    """A value as the audit row keeps it: plain JSON values as they are (a list of roles stays a list, searchable),
    anything else as its text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple) and all(v is None or isinstance(v, bool | int | float | str) for v in value):
        return list(value)
    return str(value)
