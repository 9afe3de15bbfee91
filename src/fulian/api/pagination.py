from typing import Any

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

from fulian.core.paging import COUNT_CAP, count_capped


class CappedPagination(LimitOffsetPagination):
    """`count` is exact up to 10,000; past that it says 10,000 and `count_capped` is true, so a list at a
    province root does not count a million rows on every page. A route that knows its total exactly (a whole list:
    the standing figure) puts (count, capped) in `request.known_count` and nothing is counted."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=500)
        offset: int = Field(0, ge=0, le=10**9)

    class Output(Schema):
        items: list[Any]
        count: int
        count_capped: bool = Field(description=f"true when there are more than {COUNT_CAP} rows")

    def paginate_queryset(self, queryset, pagination, request, **params):
        offset = pagination.offset
        limit = min(pagination.limit, self.max_limit)
        known = getattr(request, "known_count", None)
        count, more = known if known is not None else count_capped(queryset)
        return {"items": queryset[offset: offset + limit], "count": count, "count_capped": more}
