"""Standing counts of the tree (units under each unit, by level and kind; villages converted), kept as figures
so the tree page reads them for its children instead of counting a subtree: O(children) at the province root.

They are figures of period `STANDING` (not of a month): each unit counts 1 at every unit above it (its parent and
the parent's ancestors — never at itself, so the 600,000 villages carry no rows of their own) under
`units_geo_<level>` (geographic) or `units_org` (organisations), and a converted village under
`villages_converted`. The loader and the services add them; the recount counts them from the units.
"""

from django.db.models import Count

from fulian.core.figures import STANDING, figures_add, figures_counter
from fulian.core.tree import SEGMENT

from .models import Conversion, Kind, Unit


def unit_metrics(kind: str, level: int, conversion: str) -> list[str]:
    metrics = [f"units_geo_{level}" if kind == Kind.GEOGRAPHIC else "units_org"]
    if kind == Kind.GEOGRAPHIC and conversion == Conversion.FEDERATION:
        metrics.append("villages_converted")
    return metrics


def units_counted(rows, sign: int = 1) -> None:
    """Announce units added (+1) or removed (-1): rows of (path, kind, level, conversion)."""
    figures_add([(path[:-SEGMENT], STANDING, metric, sign) for path, kind, level, conversion in rows
                 if len(path) > SEGMENT for metric in unit_metrics(kind, level, conversion)])


def conversions_counted(villages, sign: int) -> None:
    """Villages converted (+1) or their conversion taken back (-1)."""
    figures_add([(v.path[:-SEGMENT], STANDING, "villages_converted", sign) for v in villages])


@figures_counter
def unit_figures():
    rows = (Unit.objects.filter(parent__isnull=False).values("parent__path", "kind", "level", "conversion")
            .annotate(n=Count("id")).order_by())
    for r in rows.iterator(chunk_size=20000):
        for metric in unit_metrics(r["kind"], r["level"], r["conversion"]):
            yield r["parent__path"], STANDING, metric, r["n"]
