"""Dashboards and rankings, read from the live figures: the same few rows at a province as at a village."""

from django.http import Http404

from fulian.core.figures import figure_values
from fulian.core.policy import Action, allows, scope_q
from fulian.core.tree import ancestor_paths, subtree_q
from fulian.orgs.models import Level, Unit

from .models import Rate, Response, Survey
from .tallies import figures_for, rates_of

DEFAULT_WEIGHTS = {r.value: 25 for r in Rate}
RANKING_MAX_UNITS = 5000
# the survey's 参与率 and the records' share of registered women who took part are flagged when further apart
PARTICIPATION_GAP = 0.10


def score_of(rates: dict[str, float | None], weights: dict[str, float]) -> float | None:
    """Weighted mean of the rates that have data (weights renormalised); None when none has."""
    pairs = [(rates[r], w) for r, w in weights.items() if w and rates.get(r) is not None]
    total = sum(w for _v, w in pairs)
    return sum(v * w for v, w in pairs) / total if total else None


def _ranked(units: list[Unit], year: int, weights: dict[str, float]) -> list[dict]:
    data = figures_for([u.pk for u in units], [year * 100])
    rows = []
    for u in units:
        values = data.get(u.pk, {}).get(year * 100, {})
        rates = rates_of(values)
        rows.append({"unit": u, "values": values, "rates": rates, "score": score_of(rates, weights)})
    rows.sort(key=lambda r: (r["score"] is None, -(r["score"] or 0), r["unit"].code))
    for n, row in enumerate(rows, start=1):
        row["rank"] = n if row["score"] is not None else None
    return rows


def dashboard(unit: Unit, *, year: int, weights: dict[str, float] | None = None) -> dict:
    weights = weights or DEFAULT_WEIGHTS
    periods = [year * 100 + m for m in range(1, 13)]
    data = figures_for([unit.pk], [*periods, year * 100]).get(unit.pk, {})
    totals = data.get(year * 100, {})
    months = []
    for period in periods:
        values = data.get(period, {})
        months.append({"period": period, "month": period % 100, "values": values, "rates": rates_of(values)})
    rates = rates_of(totals)
    children = _ranked(list(unit.children.order_by("code")), year, weights)
    taken_part = participation_from_records([unit.pk, *(row["unit"].pk for row in children)], year=year)
    for row in children:
        row["took_part"] = taken_part[row["unit"].pk]
    took_part = taken_part[unit.pk]
    survey, records = rates[Rate.PARTICIPATION], took_part["rate"]
    return {
        "unit": unit, "year": year, "totals": totals, "rates": rates, "months": months, "children": children,
        "took_part": took_part,
        "participation_gap": survey is not None and records is not None and abs(survey - records) > PARTICIPATION_GAP,
    }


def participation_from_records(unit_ids: list[int], *, year: int) -> dict[int, dict]:
    """{unit_id: {reached, registered, rate}}: women who took part in activities in the year (women_reached_year:
    each woman once a year at each organising unit) ÷ women registered at the year's end — the records' answer to
    the survey's 参与率 (core.figures: evaluation reads the activities' figures by name only)."""
    values = figure_values(unit_ids, ["women_reached_year", "women_registered"], start=year * 100 + 1,
                           end=year * 100 + 12)
    out = {}
    for unit_id in unit_ids:
        reached = values.get(unit_id, {}).get("women_reached_year") or 0
        registered = values.get(unit_id, {}).get("women_registered") or 0
        out[unit_id] = {"reached": reached, "registered": registered,
                        "rate": reached / registered if registered else None}
    return out


def normalised_weights(weights: dict[str, float]) -> dict[str, float]:
    """The weights as shares adding up to 1 (what the score uses; the page shows them when they did not add to
    100); all zero → all zero."""
    total = sum(weights.values())
    return {r: (w / total if total else 0.0) for r, w in weights.items()}


def rankings(user, *, level: int, year: int, weights: dict[str, float], under: Unit | None = None) -> list[dict]:
    """All units of one level in her scope (or under a unit), ranked by the weighted four rates. Each row also
    names the city and county it belongs to (`areas`: {level: Unit}), for the 市 / 县 columns."""
    units = Unit.objects.filter(scope_q(user), level=level)
    if under is not None:
        units = units.subtree(under)
    if units.count() > RANKING_MAX_UNITS:
        raise ValueError("too many units")
    rows = _ranked(list(units.order_by("code")), year, weights)
    wanted = {p for row in rows for p in ancestor_paths(row["unit"].path)[:-1]}
    above = {u.path: u for u in Unit.objects.filter(path__in=wanted, level__in=(Level.CITY, Level.COUNTY))}
    for row in rows:
        row["areas"] = {u.level: u for p in ancestor_paths(row["unit"].path)[:-1] if (u := above.get(p))}
    return rows


def ranking_areas(user):
    """The cities and counties she may rank within (her subtree): the ranking page's 市/县 chooser."""
    return Unit.objects.filter(scope_q(user), level__in=(Level.CITY, Level.COUNTY), kind="geo").order_by("code")


def survey_by_token(token: str, *, open_only: bool = False) -> Survey:
    """A survey by its public token (the link women answer through); 404 when there is none."""
    surveys = Survey.objects.filter(public_token=(token or "")[:40])
    if open_only:
        surveys = surveys.filter(status=Survey.Status.OPEN)
    survey = surveys.first()
    if survey is None:
        raise Http404("survey not found")
    return survey


def survey_answer_unit(scope: Unit, code: str) -> Unit | None:
    """The village or township of `scope`'s subtree a survey link names (answers are collected per village)."""
    return Unit.objects.filter(subtree_q(scope.path), code=(code or "").strip()[:12],
                               level__in=(Level.TOWNSHIP, Level.VILLAGE)).first()


def survey_villages(township: Unit):
    """The villages and communities a township's survey links go to."""
    return Unit.objects.filter(parent=township, level=Level.VILLAGE, kind="geo").order_by("code")


def survey_response_count(survey: Survey, *, under: Unit) -> int:
    return Response.objects.filter(subtree_q(under.path, "unit_path"), survey=survey).count()


def surveys_open(*, today):
    """Open surveys answered today (the portal lists them)."""
    return (Survey.objects.filter(status=Survey.Status.OPEN, starts_on__lte=today, ends_on__gte=today)
            .select_related("unit").order_by("-starts_on"))


def surveys_open_for_unit(unit_path: str, *, today):
    """Open surveys whose subtree holds the unit at `unit_path` (a cadre answers them for a woman there)."""
    return surveys_open(today=today).filter(unit_path__in=ancestor_paths(unit_path))


def surveys_for(user):
    """Surveys issued by her unit or above it (she collects answers), or below it (she oversees them)."""
    from django.db.models import Q

    from fulian.core.tree import ancestor_paths

    visible = scope_q(user, field="unit_path")
    if getattr(user, "unit", None) is not None:
        visible |= Q(unit_path__in=ancestor_paths(user.unit.path))
    return Survey.objects.filter(visible).select_related("unit").order_by("-starts_on", "-id")


def access_survey_by_id(user, survey_id: int, *, need: str = Action.VIEW) -> Survey:
    survey = surveys_for(user).filter(pk=survey_id).first()
    if survey is None or (need != Action.VIEW and not allows(user, need, survey.unit_path)):
        raise Http404("survey not found")
    return survey
