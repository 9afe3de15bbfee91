"""Numbers from query strings and forms: ASCII digits only, within bounds, or a clear 400 (never a 500).

`str.isdigit()` is true for '²' and for Arabic-Indic or other scripts' digits, which `int()` then refuses or
reads as a different number; every number a request carries goes through here instead.
"""

from django.core.exceptions import BadRequest

MAX_ID = 2**63 - 1


def is_ascii_digits(text: str) -> bool:
    return bool(text) and text.isascii() and text.isdigit()


def param_int(data, name: str, *, default=None, lo: int = 0, hi: int = MAX_ID):
    """`data[name]` as an int in [lo, hi]; `default` when absent or blank; BadRequest otherwise."""
    raw = (data.get(name) or "").strip()
    if not raw:
        return default
    if not is_ascii_digits(raw) or len(raw) > 19 or not lo <= int(raw) <= hi:
        raise BadRequest(f"parameter {name!r} must be a whole number from {lo} to {hi}")
    return int(raw)


def param_choice(data, name: str, choices, *, default: str = "") -> str:
    """A query parameter that must be one of `choices` (empty: `default`); anything else is a 400."""
    raw = (data.get(name) or "").strip()
    if not raw:
        return default
    if raw not in choices:
        raise BadRequest(f"parameter {name!r} is not one of the choices")
    return raw
