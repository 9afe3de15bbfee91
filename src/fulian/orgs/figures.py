"""Standing counts of the tree (units under each unit, by level and kind; villages converted), kept as figures
so the tree page reads them for its children instead of counting a subtree: O(children) at the province root.

They are figures of period `STANDING` (not of a month): each unit counts 1 at itself and every ancestor under
`units_geo_<level>` (geographic) or `units_org` (organisations), and a converted village under
`villages_converted`. The loader and the services add them; the recount counts them from the units.
"""

from fulian.core.figures import STANDING, figures_add, figures_counter

from .models import Conversion, Kind, Unit


def unit_metrics(kind: str, level: int, conversion: str) -> list[str]:
    metrics = [f"units_geo_{level}" if kind == Kind.GEOGRAPHIC else "units_org"]
    if kind == Kind.GEOGRAPHIC and conversion == Conversion.FEDERATION:
        metrics.append("villages_converted")
    return metrics


def units_counted(rows, sign: int = 1) -> None:
    """Announce units added (+1) or removed (-1): rows of (path, kind, level, conversion)."""
    figures_add([(path, STANDING, metric, sign) for path, kind, level, conversion in rows
                 for metric in unit_metrics(kind, level, conversion)])


@figures_counter
def unit_figures():
    rows = Unit.objects.values_list("path", "kind", "level", "conversion").order_by()
    for path, kind, level, conversion in rows.iterator(chunk_size=20000):
        for metric in unit_metrics(kind, level, conversion):
            yield path, STANDING, metric, 1
