from collections import Counter

from django.db import migrations, models

SEGMENT = 4


def standing_counts(apps, schema_editor):
    """The standing counts (period 0: units under each unit by level and kind, villages converted, women in the
    registry) for data loaded before they were kept; what `indicators_recount --fix` would write (orgs.figures,
    people.figures)."""
    Unit = apps.get_model("orgs", "Unit")
    Tally = apps.get_model("evaluation", "Tally")
    ids = dict(Unit.objects.values_list("path", "id").iterator(chunk_size=20000))
    counts = Counter()
    for path, kind, level, conversion in Unit.objects.values_list("path", "kind", "level", "conversion").iterator(
            chunk_size=20000):
        metrics = [f"units_geo_{level}" if kind == "geo" else "units_org"]
        if kind == "geo" and conversion == "federation":
            metrics.append("villages_converted")
        for i in range(SEGMENT, len(path), SEGMENT):  # every unit above it, not itself (orgs.figures)
            for metric in metrics:
                counts[(ids[path[:i]], metric)] += 1
    Woman = apps.get_model("people", "Woman")
    women = Woman.objects.filter(merged_into__isnull=True).values("unit_path").annotate(n=models.Count("id"))
    for row in women.order_by().iterator(chunk_size=5000):
        path = row["unit_path"]
        for i in range(SEGMENT, len(path) + 1, SEGMENT):
            if path[:i] in ids:
                counts[(ids[path[:i]], "women")] += row["n"]
    Tally.objects.filter(period=0).delete()
    Tally.objects.bulk_create((Tally(unit_id=u, period=0, metric=m, value=v) for (u, m), v in counts.items()),
                              batch_size=5000)


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0002_response_is_verified"), ("orgs", "0004_organisation_building"),
                    ("people", "0003_search_indexes")]

    operations = [migrations.RunPython(standing_counts, migrations.RunPython.noop)]
