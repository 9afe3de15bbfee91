"""How the contact network's counted facts are counted from its records (for the recount; see core.figures)."""

from django.utils.translation import gettext_lazy as _

from fulian.core.figures import FLOW, figure_define, figures_counter, period_rows

from .models import ContactLog, Need, NeedStatus


@figures_counter
def contact_figures():
    yield from period_rows(ContactLog.objects.all(), "unit_path", "contacted_on", "contacts")
    yield from period_rows(Need.objects.all(), "unit_path", "contact_log__contacted_on", "needs_raised")
    yield from period_rows(Need.objects.filter(status=NeedStatus.MET, resolved_on__isnull=False), "unit_path",
                           "resolved_on", "needs_met")


figure_define("contacts", _("联系妇女(人次)"), kind=FLOW, source=_("联系网：期内联系记录"))
figure_define("needs_raised", _("收集诉求(条)"), kind=FLOW, source=_("联系网：期内记录的诉求"))
figure_define("needs_met", _("解决诉求(条)"), kind=FLOW, source=_("联系网：期内办结的诉求"))
