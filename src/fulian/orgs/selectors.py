"""Reads of the federation tree, always scoped by core.policy."""

from django.db.models import Q
from django.http import Http404

from fulian.core.figures import STANDING, figures_read
from fulian.core.paging import count_capped
from fulian.core.params import is_ascii_digits
from fulian.core.pinyin import is_pinyin_query
from fulian.core.policy import Action, actions_of, allows, home_unit_path, scope_path, scope_q

from .models import Kind, Level, Unit


def access_unit_by_id(user, unit_id: int, *, need: str = Action.VIEW) -> Unit:
    """The unit, if she may `need` it; otherwise 404, the same as a unit that does not exist."""
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None or not allows(user, need, unit.path):
        raise Http404("unit not found")
    return unit


def unit_by_code_for(user, code: str, *, need: str = Action.VIEW) -> Unit | None:
    """The unit with this 12-digit code if she may `need` it there, else None."""
    unit = Unit.objects.filter(code=(code or "").strip()).first()
    return unit if unit is not None and allows(user, need, unit.path) else None


def unit_home_for(user) -> Unit | None:
    """The unit a cadre starts from: her own; for a superuser without one, the first province."""
    if getattr(user, "unit", None) is not None:
        return user.unit
    if home_unit_path(user) == "":  # everywhere: a superuser without a unit
        return Unit.objects.filter(level=Level.PROVINCE).order_by("path").first()
    return None


def units_for(user, *, q: str = "", under: Unit | None = None, level: int | None = None):
    """Units she may see, optionally under one unit, of one level, or matching a search.

    The search reads digits as a division code prefix, ASCII letters as pinyin (initials `zjz` or
    whole syllables `zhangjia`), anything else as part of the name.
    """
    units = Unit.objects.filter(scope_q(user))
    if under is not None:
        units = units.subtree(under)
    if level:
        units = units.filter(level=level)
    q = (q or "").strip()
    if q:
        if is_ascii_digits(q):
            units = units.filter(code__startswith=q)
        elif is_pinyin_query(q):
            q = q.lower()
            units = units.filter(Q(name_initials__startswith=q) | Q(name_pinyin__startswith=q))
        else:
            units = units.filter(name__contains=q)
    return units.order_by("path")


def units_count(user, *, q: str = "", under: Unit | None = None, level: int | None = None) -> tuple[int, bool]:
    """(count, more) of `units_for` with the same filters. A whole subtree (no search, no level) has its exact size
    in the tree's standing counts — one row at a village or at the province root; anything else is counted, capped."""
    if (q or "").strip() or level:
        return count_capped(units_for(user, q=q, under=under, level=level))
    if Action.VIEW not in actions_of(user) or scope_path(user) is None:
        return 0, False
    if under is not None:
        roots = [under]
    elif scope_path(user) == "":
        roots = list(Unit.objects.filter(parent__isnull=True))
    else:
        roots = [user.unit]
    figures = figures_read([u.pk for u in roots], [STANDING])
    total = 0
    for root in roots:  # the root itself and every unit under it
        values = figures.get(root.pk, {}).get(STANDING, {})
        total += 1 + sum(values.get(f"units_geo_{lv}", 0) for lv in Level) + values.get("units_org", 0)
    return total, False


def unit_ancestors(unit: Unit) -> list[Unit]:
    """Root first, for the breadcrumb."""
    return list(Unit.objects.ancestors_of(unit).only("id", "name", "path", "level"))


def unit_children_with_counts(unit: Unit) -> list[Unit]:
    """Children, each with `unit_count` (units under it, itself excluded) and `village_count`, read from the
    tree's standing counts (orgs.figures): one indexed read for the children, whatever lies beneath them."""
    children = list(unit.children.order_by("code"))
    if not children:
        return children
    counts = figures_read([c.pk for c in children], [STANDING])
    for child in children:
        values = counts.get(child.pk, {}).get(STANDING, {})
        units = sum(values.get(f"units_geo_{level}", 0) for level in Level) + values.get("units_org", 0)
        child.unit_count = units
        child.village_count = values.get(f"units_geo_{Level.VILLAGE}", 0)
    return children


def unit_summary(unit: Unit) -> dict:
    """Units under it by level and the village conversion coverage (组织覆盖: 村(社区)妇联改建率), from the tree's
    standing counts: the same few rows at a village and at the province root."""
    values = figures_read([unit.pk], [STANDING]).get(unit.pk, {}).get(STANDING, {})
    villages = values.get(f"units_geo_{Level.VILLAGE}", 0)
    converted = values.get("villages_converted", 0)
    return {
        "levels": [
            {"level": level, "label": level.label, "count": values[f"units_geo_{level}"]}
            for level in Level
            if values.get(f"units_geo_{level}") and level > unit.level
        ],
        "villages": villages,
        "villages_converted": converted,
        "conversion_rate": (converted / villages) if villages else None,
        "organisations": values.get("units_org", 0),
    }


def help_place_by_code(code: str) -> Unit | None:
    """A village or township named on the public help form (division codes are public)."""
    return Unit.objects.filter(code=(code or "").strip()[:12], level__in=(Level.TOWNSHIP, Level.VILLAGE),
                               kind=Kind.GEOGRAPHIC).first()


def access_building_record(user, model, record_id, *, unit: Unit | None = None, need: str = Action.EDIT):
    """A leadership body, election, volunteer, media account … by id, if she may `need` it (and of `unit` when the
    form is that unit's page); 404 otherwise."""
    from fulian.core.access import access_by_id

    rows = model._default_manager.filter(unit=unit) if unit is not None else None
    return access_by_id(user, model, record_id, need=need, queryset=rows)
