"""Materialized paths: the one way this code base asks "this unit and everything under it".

A unit's path is its parent's path plus a fixed-width sibling number (`SEGMENT` digits), so a subtree is
the half-open range [path, next_path(path)) of an ordinary B-tree index. A range, not LIKE 'p%', because
SQLite only uses an index for LIKE under conditions Django does not meet, and digits-only strings
order the same under every collation PostgreSQL may be created with.
"""

from django.db.models import Q

SEGMENT = 4
MAX_SIBLINGS = 10**SEGMENT - 1


def segment(number: int) -> str:
    if not 1 <= number <= MAX_SIBLINGS:
        raise ValueError(f"sibling number {number} is outside 1..{MAX_SIBLINGS}")
    return f"{number:0{SEGMENT}d}"


def next_path(path: str) -> str | None:
    """The smallest digit string of the same length greater than every path below `path`."""
    digits = list(path)
    for i in range(len(digits) - 1, -1, -1):
        if digits[i] != "9":
            digits[i] = str(int(digits[i]) + 1)
            return "".join(digits[: i + 1]) + "0" * (len(digits) - i - 1)
        digits[i] = "0"
    return None


def subtree_q(path: str, field: str = "path", *, include_self: bool = True) -> Q:
    """Q for rows whose `field` (a path, or a related path such as `unit__path`) lies under `path`."""
    upper = next_path(path)
    q = Q(**{f"{field}__gte": path}) if include_self else Q(**{f"{field}__gt": path})
    if upper is not None:
        q &= Q(**{f"{field}__lt": upper})
    return q


def ancestor_paths(path: str) -> list[str]:
    """Paths of every ancestor, root first, then the path itself."""
    return [path[: i + SEGMENT] for i in range(0, len(path), SEGMENT)]


def depth(path: str) -> int:
    return len(path) // SEGMENT
