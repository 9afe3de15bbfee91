"""How the service network's counted facts are counted from its records (for the recount; see core.figures).
Cases count where the woman lives (home unit), in the month each fact happened."""

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from fulian.core.figures import FLOW, RATE, figure_define, figures_counter, period_rows

from .models import Case, CaseStatus


@figures_counter
def case_figures():
    cases = Case.objects.all()
    yield from period_rows(cases, "home_unit__path", "created_at", "cases_opened")
    yield from period_rows(cases.filter(status=CaseStatus.CLOSED), "home_unit__path", "closed_at", "cases_closed")
    acted = cases.filter(first_action_at__isnull=False)
    yield from period_rows(acted, "home_unit__path", "created_at", "cases_acted")
    on_time = acted.filter(first_action_at__lte=F("first_action_due"), escalations=0)
    yield from period_rows(on_time, "home_unit__path", "created_at", "cases_acted_on_time")
    rated = cases.filter(satisfaction__isnull=False, closed_at__isnull=False)
    yield from period_rows(rated, "home_unit__path", "closed_at", "cases_rated")
    yield from period_rows(rated.filter(satisfaction__gte=4), "home_unit__path", "closed_at", "cases_satisfied")


figure_define("cases_opened", _("受理求助(件)"), kind=FLOW, source=_("维权服务：期内登记的求助"))
figure_define("cases_closed", _("办结求助(件)"), kind=FLOW, source=_("维权服务：期内办结的求助"))
figure_define("cases_acted_on_time", _("按时响应求助(件)"), kind=FLOW, source=_("维权服务：期内按时首次响应"))
figure_define("cases_on_time_rate", _("求助按时响应率"), kind=RATE, metric="cases_acted_on_time", per="cases_acted",
              source=_("维权服务：按时响应 ÷ 已响应"))
