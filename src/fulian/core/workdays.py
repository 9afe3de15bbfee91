"""Working days (工作日) by the calendar a system administrator keeps (core.models.Holiday): Monday–Friday, less the
listed days off, plus the listed weekend working days (调休). Used wherever a period is set in working days."""

import datetime as dt

from .models import Holiday

MAX_SPAN_DAYS = 400  # no period asked of this module is longer; a calendar with no working day ends the search


def _calendar(start: dt.date, end: dt.date) -> dict[dt.date, bool]:
    return dict(Holiday.objects.filter(day__gte=start, day__lte=end).values_list("day", "is_workday"))


def is_workday(day: dt.date, *, calendar: dict | None = None) -> bool:
    calendar = _calendar(day, day) if calendar is None else calendar
    if day in calendar:
        return calendar[day]
    return day.weekday() < 5


def workdays_add(start: dt.date, n: int) -> dt.date:
    """The day on which a period of `n` working days that begins on `start` ends: `start` itself counts when it is
    a working day. n ≥ 1."""
    if n < 1:
        raise ValueError("n must be at least 1")
    calendar = _calendar(start, start + dt.timedelta(days=MAX_SPAN_DAYS))
    day, counted = start, 0
    for _ in range(MAX_SPAN_DAYS):
        if is_workday(day, calendar=calendar):
            counted += 1
            if counted == n:
                return day
        day += dt.timedelta(days=1)
    raise ValueError("the holiday calendar leaves no working days")


def workdays_between(start: dt.date, end: dt.date) -> int:
    """Working days from `start` to `end`, both included (0 if end < start)."""
    if end < start:
        return 0
    calendar = _calendar(start, end)
    return sum(1 for i in range((end - start).days + 1)
               if is_workday(start + dt.timedelta(days=i), calendar=calendar))
