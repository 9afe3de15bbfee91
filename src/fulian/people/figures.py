"""How the registry's counted facts are counted from its records (for the recount; see core.figures)."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from fulian.core.figures import FLOW, STANDING, STOCK, figure_define, figures_counter, period_rows

from .models import Woman


@figures_counter
def women_figures():
    yield from period_rows(Woman.objects.filter(merged_into__isnull=True), "unit_path", "created_at",
                           "women_registered")
    standing = Woman.objects.filter(merged_into__isnull=True).values("unit_path").annotate(n=Count("id")).order_by()
    for row in standing.iterator(chunk_size=5000):
        yield row["unit_path"], STANDING, "women", row["n"]


figure_define("women_registered", _("登记妇女人数(期末)"), kind=STOCK, source=_("妇女名册：截至期末在册的登记人数"))
figure_define("women_new", _("新登记妇女(人)"), kind=FLOW, metric="women_registered", source=_("妇女名册：期内新登记"))
