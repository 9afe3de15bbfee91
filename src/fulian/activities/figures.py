"""Activities' counted facts (core.figures): what happened, not what was typed afterwards.

Flows, by the month they happened, at the activity's unit (and so every unit above it):
activities_held (published, by its first session's month), activity_signups (live sign-ups, confirmed or waiting,
by sign-up month), activity_attendances (check-ins), women_reached and families_reached (a person — by phone — or
a family counted once per activity unit and month: her first check-in there that month), women_reached_year (once
per unit and year, in the month of her first check-in there that year), trainings_completed (by
the month of completion) and outcomes_employed / outcomes_business / outcomes_income (by the outcome's recorded_on;
activities.outcomes). Writers call `figures_add` with these names in their write path; the counter below recounts
them from the records for `indicators_recount`."""

from django.db.models import Min
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils.translation import gettext_lazy as _

from fulian.core.figures import FLOW, figure_define, figures_counter, period_of, period_rows

from .models import Activity, ActivityStatus, Attendance, Completion, Outcome, SignUp, SignUpState

REACHED = "women_reached"
FAMILIES_REACHED = "families_reached"
# each woman once a year at each organising unit, in the month of her first check-in there that year: summed over a
# year's months it is how many women took part that year (women_reached, summed, counts her once a month)
REACHED_YEAR = "women_reached_year"


@figures_counter
def activity_figures():
    held = Activity.objects.filter(status=ActivityStatus.PUBLISHED)
    yield from period_rows(held, "unit_path", "starts_at", "activities_held")
    live = SignUp.objects.exclude(state=SignUpState.CANCELLED)
    yield from period_rows(live, "unit_path", "created_at", "activity_signups")
    yield from period_rows(Attendance.objects.all(), "unit_path", "checked_at", "activity_attendances")
    yield from _reached("phone", REACHED, Attendance.objects.all())
    yield from _reached("family_id", FAMILIES_REACHED, Attendance.objects.filter(family__isnull=False))
    yield from _reached("phone", REACHED_YEAR, Attendance.objects.all(), by_year=True)
    yield from period_rows(Completion.objects.all(), "unit_path", "completed_at", "trainings_completed")
    for kind in ("employed", "business", "income"):
        yield from period_rows(Outcome.objects.filter(kind=kind), "unit_path", "recorded_on", f"outcomes_{kind}")


def _reached(key: str, metric: str, rows, *, by_year: bool = False):
    """One per (unit, person or family, month — or year): the first check-in of each in each month (year), counted
    in the month it happened."""
    rows = rows.annotate(y=ExtractYear("checked_at"), m=ExtractMonth("checked_at"))
    firsts = (rows.values("unit_path", key, "y") if by_year else rows.values("unit_path", key, "y", "m")) \
        .annotate(first=Min("checked_at")).order_by()
    counts: dict[tuple[str, int], int] = {}
    for row in firsts:
        # ExtractYear/Month are in the current time zone (USE_TZ), as period_of is
        period = period_of(row["first"])
        counts[(row["unit_path"], period)] = counts.get((row["unit_path"], period), 0) + 1
    for (path, period), n in counts.items():
        yield path, period, metric, n


figure_define("activities_held", _("开展活动(场)"), kind=FLOW, source=_("活动：已发布的活动"))
figure_define("activity_signups", _("活动报名(人次)"), kind=FLOW, source=_("活动：报名记录"))
figure_define("activity_attendances", _("活动签到(人次)"), kind=FLOW, source=_("活动：签到记录"))
figure_define(REACHED, _("参加活动的妇女(人)"), kind=FLOW,
              source=_("活动：签到记录，每人每月在每个主办单位计一次"))
figure_define(FAMILIES_REACHED, _("参加活动的家庭(户)"), kind=FLOW,
              source=_("活动：家庭签到记录，每户每月在每个主办单位计一次"))
figure_define(REACHED_YEAR, _("参加活动的妇女(人，按年去重)"), kind=FLOW,
              source=_("活动：签到记录，每人每年在每个主办单位计一次，计入当年首次签到的月份"))
figure_define("trainings_completed", _("培训结业(人)"), kind=FLOW, source=_("活动：结业记录"))
figure_define("outcomes_employed", _("培训后实现就业(人)"), kind=FLOW, source=_("活动：培训成效记录"))
figure_define("outcomes_business", _("培训后自主创业(人)"), kind=FLOW, source=_("活动：培训成效记录"))
figure_define("outcomes_income", _("培训后收入增加(人)"), kind=FLOW, source=_("活动：培训成效记录"))
