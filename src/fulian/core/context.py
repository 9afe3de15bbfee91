"""Where the current request came from, so services can write "from where" without a request argument."""

import ipaddress
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


def _address(value) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client address, the one the audit, the rate limits and the login lockout all use. X-Real-IP is believed
    only with TRUST_X_REAL_IP and only from a proxy in TRUSTED_PROXIES; a value that is no address is ignored."""
    from django.conf import settings

    remote = _address(request.META.get("REMOTE_ADDR"))
    if getattr(settings, "TRUST_X_REAL_IP", False) and remote in settings.TRUSTED_PROXIES:
        forwarded = _address(request.META.get("HTTP_X_REAL_IP"))
        if forwarded:
            return forwarded
    return remote
