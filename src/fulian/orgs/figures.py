"""Standing counts of the tree (units under each unit, by level and kind; villages converted), kept as figures
so the tree page reads them for its children instead of counting a subtree: O(children) at the province root.

They are figures of period `STANDING` (not of a month): each unit counts 1 at every unit above it (its parent and
the parent's ancestors — never at itself, so the 600,000 villages carry no rows of their own) under
`units_geo_<level>` (geographic) or `units_org` (organisations), and a converted village under
`villages_converted`. The loader and the services add them; the recount counts them from the units.
"""

import datetime as dt

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fulian.core.figures import CURRENT, FLOW, STANDING, STOCK, figure_define, figures_add, figures_counter
from fulian.core.tree import SEGMENT, subtree_q

from .models import Conversion, Election, Kind, PostKind, StaffMember, Unit, Volunteer, WomensHome, staff_current_q


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


def _subtree_count(model, **filters):
    """A figure counted straight from the records under each unit (a report reads one unit at a time)."""

    def compute(unit_ids, start, end):
        units = Unit.objects.filter(pk__in=unit_ids).values_list("id", "path")
        return {uid: model.objects.filter(subtree_q(path, "unit_path"), **filters).count() for uid, path in units}

    return compute


def _elections_held(unit_ids, start, end):
    first = dt.date(start // 100, start % 100, 1)
    last = dt.date(end // 100 + (end % 100 == 12), end % 100 % 12 + 1, 1)
    units = Unit.objects.filter(pk__in=unit_ids).values_list("id", "path")
    return {uid: Election.objects.filter(subtree_q(path, "unit_path"), held_on__gte=first, held_on__lt=last).count()
            for uid, path in units}


figure_define("villages_converted", _("已改建村(社区)妇联(个)"), kind=CURRENT, source=_("组织树：改建状态"))
figure_define("units_org", _("新领域妇女组织(个)"), kind=CURRENT, source=_("组织树：两新组织、机关妇委会"))
figure_define("womens_homes", _("妇女之家(个)"), kind=CURRENT, compute=_subtree_count(WomensHome),
              source=_("妇女之家名录"))
figure_define("volunteers", _("巾帼志愿者(人)"), kind=CURRENT, compute=_subtree_count(Volunteer),
              source=_("志愿者名册"))
figure_define("elections_held", _("完成换届(个)"), kind=FLOW, compute=_elections_held, source=_("组织建设：换届记录"))


def _staff_of_kind(kind: str):
    """人员花名册 members of `kind` in post on the period's last day (today for a period not yet over), under each
    unit: a stock read from the roster, so it can never differ from the names listed."""

    def compute(unit_ids, start, end):
        last = dt.date(end // 100 + (end % 100 == 12), end % 100 % 12 + 1, 1) - dt.timedelta(days=1)
        day = min(last, timezone.localdate())
        units = Unit.objects.filter(pk__in=unit_ids).values_list("id", "path")
        return {uid: StaffMember.objects.filter(subtree_q(path, "unit_path"), staff_current_q(day), kind=kind).count()
                for uid, path in units}

    return compute


STAFF_FIGURES = ((PostKind.FULL_TIME, _("在岗专职干部(人)")), (PostKind.SECONDED, _("在岗挂职干部(人)")),
                 (PostKind.PART_TIME, _("在岗兼职干部(人)")), (PostKind.SOCIAL_WORKER, _("在岗妇女社会工作者(人)")))
for _kind, _label in STAFF_FIGURES:
    figure_define(f"staff_{_kind.value}", _label, kind=STOCK, compute=_staff_of_kind(_kind.value),
                  source=_("人员花名册：期末在岗人员"))
