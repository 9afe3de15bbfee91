"""Counting for pagers that must stay fast at a province with a million rows."""

COUNT_CAP = 10_000


def count_capped(queryset, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """(count, more): exact up to `cap`; beyond it the database stops counting at cap + 1."""
    n = queryset.order_by()[: cap + 1].count()
    return min(n, cap), n > cap


def page_of(request, rows, per_page: int, *, name: str = "page"):
    """A page of `rows` counted at most to the cap (a province has a great many); ?page= checked (a bad one is a
    400), past the last page the last."""
    from django.core.paginator import Page, Paginator

    from .params import param_int

    count, _more = count_capped(rows)
    number = param_int(request.GET, name, default=1, lo=1, hi=10**6)
    number = min(number, max(1, (count + per_page - 1) // per_page))
    paginator = Paginator(rows, per_page)
    paginator.count = count
    return Page(list(rows[(number - 1) * per_page: number * per_page]), number, paginator)
