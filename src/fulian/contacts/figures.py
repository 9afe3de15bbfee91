"""How the contact network's counted facts are counted from its records (for the recount; see core.figures)."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fulian.core.figures import CURRENT, FLOW, figure_define, figures_counter, period_rows
from fulian.core.tree import subtree_q
from fulian.orgs.models import Unit

from .models import ContactLog, FieldWeek, Need, NeedStatus
from .services import CHECK_LEVELS, units_missing_field_week, window_before, window_of


@figures_counter
def contact_figures():
    yield from period_rows(ContactLog.objects.all(), "unit_path", "contacted_on", "contacts")
    yield from period_rows(Need.objects.all(), "unit_path", "contact_log__contacted_on", "needs_raised")
    yield from period_rows(Need.objects.filter(status=NeedStatus.MET, resolved_on__isnull=False), "unit_path",
                           "resolved_on", "needs_met")
    yield from period_rows(FieldWeek.objects.all(), "unit_path", "starts_on", "field_weeks_held")


def _units_without_field_week(unit_ids, start, end):
    """Cities, counties and townships under each unit (itself excluded) that held no field week in the two-month
    window of the period's last month — or, while that window is still open, in the last one completed."""
    last = dt.date(end // 100, end % 100, 1)
    today = timezone.localdate()
    window = window_before(today) if window_of(last)[0] >= window_of(today)[0] else window_of(last)
    units = Unit.objects.filter(pk__in=unit_ids).values_list("id", "path")
    return {uid: units_missing_field_week(Unit.objects.filter(subtree_q(path, include_self=False),
                                                              level__in=CHECK_LEVELS),
                                          start=window[0], end=window[1]).count()
            for uid, path in units}


figure_define("contacts", _("联系妇女(人次)"), kind=FLOW, source=_("联系网：期内联系记录"))
figure_define("needs_raised", _("收集诉求(条)"), kind=FLOW, source=_("联系网：期内记录的诉求"))
figure_define("needs_met", _("解决诉求(条)"), kind=FLOW, source=_("联系网：期内办结的诉求"))
figure_define("field_weeks_held", _("开展下基层工作周(次)"), kind=FLOW, source=_("联系网：期内开始的双月下基层工作周"))
figure_define("units_without_field_week", _("未开展下基层工作周的单位(个)"), kind=CURRENT,
              compute=_units_without_field_week, source=_("联系网：最近一个已结束的双月里没有工作周的市、县、乡镇妇联"))
