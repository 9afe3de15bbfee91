"""How the registry's counted facts are counted from its records (for the recount; see core.figures)."""

from django.db.models import Count

from fulian.core.figures import STANDING, figures_counter, period_rows

from .models import Woman


@figures_counter
def women_figures():
    yield from period_rows(Woman.objects.filter(merged_into__isnull=True), "unit_path", "created_at",
                           "women_registered")
    standing = Woman.objects.filter(merged_into__isnull=True).values("unit_path").annotate(n=Count("id")).order_by()
    for row in standing.iterator(chunk_size=5000):
        yield row["unit_path"], STANDING, "women", row["n"]
