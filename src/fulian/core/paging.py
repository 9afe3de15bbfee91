"""Counting for pagers that must stay fast at a province with a million rows."""

COUNT_CAP = 10_000


def count_capped(queryset, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """(count, more): exact up to `cap`; beyond it the database stops counting at cap + 1."""
    n = queryset.order_by()[: cap + 1].count()
    return min(n, cap), n > cap
