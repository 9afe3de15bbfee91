"""How the contact network's counted facts are counted from its records (for the recount; see core.figures)."""

from fulian.core.figures import figures_counter, period_rows

from .models import ContactLog, Need, NeedStatus


@figures_counter
def contact_figures():
    yield from period_rows(ContactLog.objects.all(), "unit_path", "contacted_on", "contacts")
    yield from period_rows(Need.objects.all(), "unit_path", "contact_log__contacted_on", "needs_raised")
    yield from period_rows(Need.objects.filter(status=NeedStatus.MET, resolved_on__isnull=False), "unit_path",
                           "resolved_on", "needs_met")
