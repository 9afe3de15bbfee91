"""Rows of 操作审计 as the API gives them (routers_audit)."""

import datetime as dt
from typing import Literal

from ninja import Field, Schema
from pydantic import JsonValue

from fulian.core.selectors_audit import action_label, unit_names

CHANNELS = ("web", "api", "command", "task", "system", "")
Channel = Literal[CHANNELS]


def _channel(obj) -> str:
    return obj.channel if obj.channel in CHANNELS else "system"


def _unit_of(obj, context) -> tuple[str, str]:
    """(code, name) of the row's unit; the names of one page are looked up once (kept on the request)."""
    path = obj.unit_path or ""
    if not path:
        return "", ""
    request = (context or {}).get("request")
    known = getattr(request, "_audit_units", None)
    if known is None or path not in known:
        known = {**(known or {}), **unit_names([path])}
        if request is not None:
            request._audit_units = known
    return known.get(path, ("", ""))


class AuditEventOut(Schema):
    id: int
    at: dt.datetime
    actor_id: int | None
    actor_label: str = Field(description="her username when it was written; 'system' or 'anonymous' for no one")
    action: str = Field(description="e.g. auth.login, auth.locked_out, account.update, 2fa.*, *.export, admin.change")
    action_label: str
    object_type: str = Field(description="app_label.model of the record, '' for none")
    object_id: str
    object_repr: str
    changes: dict[str, JsonValue] = Field(description="what changed: field → [old, new], or the facts of the event")
    ip: str | None
    channel: Channel = Field(description="where it came from: a page (web), a program (api), a command, a task or "
                                         "the system")
    unit_code: str = Field(description="code of the unit the row belongs to ('' for rows of the top only)")
    unit_name: str

    @staticmethod
    def resolve_action_label(obj) -> str:
        return action_label(obj.action)

    @staticmethod
    def resolve_channel(obj) -> str:
        return _channel(obj)

    @staticmethod
    def resolve_unit_code(obj, context) -> str:
        return _unit_of(obj, context)[0]

    @staticmethod
    def resolve_unit_name(obj, context) -> str:
        return _unit_of(obj, context)[1]


class ReadLogOut(Schema):
    id: int
    at: dt.datetime
    actor_id: int | None
    actor_label: str
    object_type: str
    object_id: str
    object_repr: str
    purpose: str = Field(description="why it was read (view, id_number, tracking …)")
    ip: str | None
    channel: Channel
    unit_code: str
    unit_name: str

    @staticmethod
    def resolve_channel(obj) -> str:
        return _channel(obj)

    @staticmethod
    def resolve_unit_code(obj, context) -> str:
        return _unit_of(obj, context)[0]

    @staticmethod
    def resolve_unit_name(obj, context) -> str:
        return _unit_of(obj, context)[1]
