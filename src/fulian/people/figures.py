"""How the registry's counted facts are counted from its records (for the recount; see core.figures)."""

from fulian.core.figures import figures_counter, period_rows

from .models import Woman


@figures_counter
def women_figures():
    yield from period_rows(Woman.objects.filter(merged_into__isnull=True), "unit_path", "created_at",
                           "women_registered")
