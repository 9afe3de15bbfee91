"""减负统计: minutes of data entry per week and per form (a chair or vice-chair sees her subtree per child unit,
a cadre her own minutes), and the share of report fields the system filled vs the share typed. The scoping is
selectors.burden's; this view only parses and renders."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from fulian.core.params import param_int

from . import selectors

WEEK_CHOICES = (4, 8, 13, 26)


@login_required
def burden(request):
    weeks = param_int(request.GET, "weeks", default=8, lo=1, hi=52)
    data = selectors.burden(request.user, weeks=weeks)
    by_week: dict = {}
    by_form: dict = {}
    for row in data["per_form"]:
        week = by_week.setdefault(row["week"], {"week": row["week"], "minutes": 0.0, "forms": []})
        week["minutes"] = round(week["minutes"] + row["minutes"], 1)
        week["forms"].append(row)
        by_form[row["form"]] = round(by_form.get(row["form"], 0.0) + row["minutes"], 1)
    weeks_rows = sorted(by_week.values(), key=lambda w: w["week"], reverse=True)
    top = max((w["minutes"] for w in weeks_rows), default=0) or 1
    for w in weeks_rows:
        w["bar"] = round(100 * w["minutes"] / top)
    forms_rows = sorted(({"form": f, "minutes": m} for f, m in by_form.items()), key=lambda r: -r["minutes"])
    share = data["computed_share"]
    return render(request, "work/burden.html", {
        "board": data, "weeks": weeks, "week_choices": WEEK_CHOICES, "by_week": weeks_rows, "by_form": forms_rows,
        "computed_percent": None if share is None else round(100 * share),
        "typed_percent": None if share is None else 100 - round(100 * share),
    })
