"""Where the current request came from, so services can write "from where" without a request argument."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Origin:
    ip: str | None = None
    user_agent: str = ""
    channel: str = "system"  # web, api, command, task, system


_origin: ContextVar[Origin] = ContextVar("fulian_origin", default=Origin())  # noqa: B039  (frozen, immutable)


def current_origin() -> Origin:
    return _origin.get()


def set_origin(origin: Origin):
    """Returns a token for `reset_origin`."""
    return _origin.set(origin)


def reset_origin(token) -> None:
    _origin.reset(token)


def client_ip(request) -> str | None:
    """The client address; behind nginx trust X-Real-IP only when the proxy is configured to set it."""
    from django.conf import settings

    if getattr(settings, "TRUST_X_REAL_IP", False):
        forwarded = request.META.get("HTTP_X_REAL_IP")
        if forwarded:
            return forwarded.strip()
    return request.META.get("REMOTE_ADDR")
