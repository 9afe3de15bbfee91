"""Population entered per unit and year (常住人口), which the per-head rule by population weighs (allocations._weigh):
a unit above enters its children's figures; one row per (year, unit), entered again to change it, every change
audited."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.core.audit import audit_record
from fulian.core.errors import Conflict
from fulian.core.policy import OutOfScope, may_keep_funds
from fulian.core.writes import write_path
from fulian.orgs.models import Kind, SourceStatus, Unit

from .models import Population

OLDEST_YEAR = 2000
MAX_POPULATION = 200_000_000  # more than any province


def population_clean(value, *, label: str) -> int | None:
    """A population as typed: ASCII digits (a comma or space between thousands allowed), or None when blank."""
    text = str(value if value is not None else "").strip().replace(",", "").replace("，", "").replace(" ", "")
    if not text:
        return None
    if not (text.isascii() and text.isdigit()) or len(text) > 10 or int(text) > MAX_POPULATION:
        raise ValidationError(_("%(label)s的人口数要是不超过2亿的整数。") % {"label": label}, code="population")
    return int(text)


def population_set(*, actor, unit: Unit, year: int, population: int, now=None) -> Population:
    """Enter (or change) `unit`'s population for `year`: a cadre who may keep the unit's funds (hers or below)."""
    now = now or timezone.now()
    if not may_keep_funds(actor, unit.path):
        raise OutOfScope("not her unit")
    if not OLDEST_YEAR <= int(year) <= timezone.localdate(now).year + 1:
        raise ValidationError(_("年度不正确。"), code="year")
    if not isinstance(population, int) or not 0 <= population <= MAX_POPULATION:
        raise ValidationError(_("人口数要是不超过2亿的整数。"), code="population")
    try:
        return _write(actor, unit, int(year), population, now)
    except IntegrityError:  # entered by someone else at the same moment
        raise Conflict(_("%(name)s的人口数刚被别人填报过，请刷新后再看。") % {"name": unit.name},
                       code="population_taken") from None


def _write(actor, unit: Unit, year: int, population: int, now) -> Population:
    with write_path():
        before = Population.objects.select_for_update().filter(year=year, unit_path=unit.path).first()
        if before is not None:
            if before.population == population:
                return before
            old = before.population
            before.population, before.updated_by, before.updated_at = population, actor, now
            before.save(update_fields=["population", "updated_by", "updated_at"])
            row = before
        else:
            old = None
            row = Population.objects.create(unit=unit, unit_path=unit.path, year=year, population=population,
                                            updated_by=actor, updated_at=now)
        audit_record(actor=actor, action="funding.population", obj=row, now=now,
                     changes={"year": year, "population": population, "before": old})
    return row


def populations_of(units: list[Unit], year: int) -> dict[int, int]:
    """{unit id: population entered for `year`} of the given units (the caller has checked she may see them)."""
    rows = Population.objects.filter(unit_path__in=[u.path for u in units], year=year).values_list("unit_id",
                                                                                                    "population")
    return dict(rows)


def units_to_enter(unit: Unit) -> list[Unit]:
    """The geographic children of `unit` whose population its page enters (the caller has checked her access)."""
    return list(Unit.objects.filter(parent=unit, kind=Kind.GEOGRAPHIC).exclude(source_status=SourceStatus.REMOVED)
                .order_by("code").only("id", "name", "path", "level", "code"))


def year_range(today: dt.date | None = None) -> range:
    """The years a page offers: the first year kept to next year."""
    today = today or timezone.localdate()
    return range(OLDEST_YEAR, today.year + 2)
