from collections import Counter

from django.db import migrations

SEGMENT = 4


def standing_counts(apps, schema_editor):
    """The tree's standing counts (period 0: units under each unit by level and kind, villages converted) for a
    tree loaded before they were kept; the same as `indicators_recount --fix` would write (orgs.figures)."""
    Unit = apps.get_model("orgs", "Unit")
    Tally = apps.get_model("evaluation", "Tally")
    ids = dict(Unit.objects.values_list("path", "id").iterator(chunk_size=20000))
    counts = Counter()
    for path, kind, level, conversion in Unit.objects.values_list("path", "kind", "level", "conversion").iterator(
            chunk_size=20000):
        metrics = [f"units_geo_{level}" if kind == "geo" else "units_org"]
        if kind == "geo" and conversion == "federation":
            metrics.append("villages_converted")
        for i in range(SEGMENT, len(path) + 1, SEGMENT):
            for metric in metrics:
                counts[(ids[path[:i]], metric)] += 1
    Tally.objects.filter(period=0).delete()
    Tally.objects.bulk_create((Tally(unit_id=u, period=0, metric=m, value=v) for (u, m), v in counts.items()),
                              batch_size=5000)


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0002_response_is_verified"), ("orgs", "0004_organisation_building")]

    operations = [migrations.RunPython(standing_counts, migrations.RunPython.noop)]
