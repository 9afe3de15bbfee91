"""Care's counted facts (core.figures), live from the records and rolled up the tree by the keeper:

care_in_<group> — women in a care group (a stock: +1 in the month she came in, −1 in the month she left);
care_children_<situation> — children in care (a stock, by the month registered and the month care ended);
care_plans_opened / care_plans_closed — help plans, by month; care_plans_live — open plans (a stock);
care_help_given — help records, care_help_amount — their yuan, by the month given; care_offers — offers sent;
care_needs_matched — offers accepted; care_outcomes — offers that ended in a job, a training or help received;
care_goals_met — plan goals met; care_resources / care_resource_places — resources published and their places.
care_women (women in at least one group on the period's last day) and care_benefit (受益率: of them, those helped
within the period) are counted straight from the records. Writers call `figures_add` inside their write path.
"""

import datetime as dt

from django.db.models import Count, Q, Sum
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from fulian.core.figures import FLOW, RATE, STOCK, figure_define, figures_counter, period_rows
from fulian.core.tree import subtree_q
from fulian.orgs.models import Unit

from .models import (
    CareGroup,
    CareMembership,
    Child,
    ChildSituation,
    HelpGiven,
    HelpGoal,
    HelpPlan,
    Offer,
    OfferOutcome,
    Resource,
)


def _negated(rows):
    for path, period, metric, n in rows:
        yield path, period, metric, -n


@figures_counter
def care_figures():
    for group in CareGroup.values:
        rows = CareMembership.objects.filter(group=group)
        yield from period_rows(rows, "unit_path", "start_on", f"care_in_{group}")
        yield from _negated(period_rows(rows.filter(end_on__isnull=False), "unit_path", "end_on", f"care_in_{group}"))
    for situation in ChildSituation.values:
        rows = Child.objects.filter(situation=situation)
        yield from period_rows(rows, "unit_path", "created_at", f"care_children_{situation}")
        yield from _negated(period_rows(rows.filter(ended_on__isnull=False), "unit_path", "ended_on",
                                        f"care_children_{situation}"))
    yield from period_rows(HelpPlan.objects.all(), "unit_path", "opened_on", "care_plans_opened")
    closed = HelpPlan.objects.filter(closed_on__isnull=False)
    yield from period_rows(closed, "unit_path", "closed_on", "care_plans_closed")
    yield from period_rows(HelpPlan.objects.all(), "unit_path", "opened_on", "care_plans_live")
    yield from _negated(period_rows(closed, "unit_path", "closed_on", "care_plans_live"))
    yield from period_rows(HelpGiven.objects.all(), "unit_path", "given_on", "care_help_given")
    yield from _amounts()
    yield from period_rows(Offer.objects.all(), "unit_path", "sent_at", "care_offers")
    yield from period_rows(Offer.objects.filter(state="accepted"), "unit_path", "answered_at", "care_needs_matched")
    yield from period_rows(Offer.objects.exclude(outcome="").exclude(outcome=OfferOutcome.NOT_TAKEN), "unit_path",
                           "outcome_on", "care_outcomes")
    yield from period_rows(HelpGoal.objects.filter(state="met"), "unit_path", "met_on", "care_goals_met")
    yield from period_rows(Resource.objects.all(), "unit_path", "created_at", "care_resources")
    yield from period_rows(Resource.objects.all(), "unit_path", "created_at", "care_resource_places",
                           value=Sum("capacity"))


def _amounts():
    # each record's whole yuan, as the writer adds them (int(amount)), summed per unit and month
    totals: dict = {}
    for path, given_on, amount in HelpGiven.objects.filter(amount__gt=0).values_list("unit_path", "given_on",
                                                                                      "amount").iterator():
        key = (path, given_on.year * 100 + given_on.month)
        totals[key] = totals.get(key, 0) + int(amount)
    for (path, period), n in totals.items():
        if n:
            yield path, period, "care_help_amount", n


def _period_end(end: int) -> dt.date:
    year, month = divmod(end, 100)
    first_next = dt.date(year + (month == 12), month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def _period_start(start: int) -> dt.date:
    return dt.date(start // 100, start % 100, 1)


def _in_care_on(day: dt.date):
    return CareMembership.objects.filter(start_on__lte=day).filter(Q(end_on__isnull=True) | Q(end_on__gt=day))


def women_in_care(unit_ids, start, end) -> dict:
    day = _period_end(end)
    out = {}
    for unit in Unit.objects.filter(pk__in=unit_ids).only("pk", "path"):
        out[unit.pk] = _in_care_on(day).filter(subtree_q(unit.path, "unit_path")).values("woman_id").distinct().count()
    return out


def benefit_rate(unit_ids, start, end) -> dict:
    """Of the women in care on the period's last day, the share helped within the period (a help record of a plan
    of hers, or an offer she accepted that came to something)."""
    day, first = _period_end(end), _period_start(start)
    out = {}
    for unit in Unit.objects.filter(pk__in=unit_ids).only("pk", "path"):
        women = set(_in_care_on(day).filter(subtree_q(unit.path, "unit_path")).values_list("woman_id", flat=True))
        if not women:
            out[unit.pk] = None
            continue
        helped = set(HelpGiven.objects.filter(plan__woman_id__in=women, given_on__gte=first, given_on__lte=day)
                     .values_list("plan__woman_id", flat=True))
        helped |= set(Offer.objects.filter(woman_id__in=women, outcome_on__gte=first, outcome_on__lte=day)
                      .exclude(outcome__in=["", OfferOutcome.NOT_TAKEN]).values_list("woman_id", flat=True))
        out[unit.pk] = len(helped) / len(women)
    return out


def groups_by_unit(units, day: dt.date) -> dict:
    """{unit id: {group: women}} on `day` for each unit's subtree (the provincial bar chart by county)."""
    out = {}
    for unit in units:
        counts = {g: 0 for g in CareGroup.values}
        rows = _in_care_on(day).filter(subtree_q(unit.path, "unit_path")).values("group").annotate(n=Count("id"))
        for row in rows.order_by():
            counts[row["group"]] = row["n"]
        out[unit.pk] = counts
    return out


for _group, _label in CareGroup.choices:
    figure_define(f"care_in_{_group}", format_lazy(_("关爱对象：{group}(人)"), group=_label), kind=STOCK,
                  source=_("关爱帮扶：关爱对象登记(纳入、退出日期)"))
for _situation, _label in ChildSituation.choices:
    figure_define(f"care_children_{_situation}", format_lazy(_("关爱儿童：{situation}(人)"), situation=_label),
                  kind=STOCK, source=_("关爱帮扶：儿童登记"))
figure_define("care_women", _("关爱对象(人，去重)"), kind=STOCK, source=_("关爱帮扶：期末在册的关爱对象"),
              compute=women_in_care)
figure_define("care_benefit", _("关爱对象受益率(记录)"), kind=RATE, per="care_women",
              source=_("关爱帮扶：期末在册关爱对象中期内得到帮扶的比例"), compute=benefit_rate)
figure_define("care_plans_opened", _("新建帮扶台账(份)"), kind=FLOW, source=_("关爱帮扶：帮扶台账"))
figure_define("care_plans_closed", _("结案帮扶台账(份)"), kind=FLOW, source=_("关爱帮扶：帮扶台账"))
figure_define("care_plans_live", _("帮扶中的台账(份)"), kind=STOCK, source=_("关爱帮扶：帮扶台账"))
figure_define("care_help_given", _("帮扶记录(次)"), kind=FLOW, source=_("关爱帮扶：帮扶记录"))
figure_define("care_help_amount", _("帮扶资金物资(元)"), kind=FLOW, source=_("关爱帮扶：帮扶记录的金额"))
figure_define("care_offers", _("资源对接推荐(次)"), kind=FLOW, source=_("关爱帮扶：发出的对接"))
figure_define("care_needs_matched", _("对接成功(次)"), kind=FLOW, source=_("关爱帮扶：接受的对接"))
figure_define("care_outcomes", _("对接落实(次)"), kind=FLOW, source=_("关爱帮扶：就业、培训、受助"))
figure_define("care_goals_met", _("帮扶目标达成(个)"), kind=FLOW, source=_("关爱帮扶：帮扶目标"))
figure_define("care_resources", _("发布帮扶资源(条)"), kind=FLOW, source=_("关爱帮扶：帮扶资源"))
figure_define("care_resource_places", _("帮扶资源名额(份)"), kind=FLOW, source=_("关爱帮扶：帮扶资源"))
