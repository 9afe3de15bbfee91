from django.db import migrations

# A starting point each province adjusts in data maintenance: urgent cases (domestic violence by default)
# must see a first action within 24 hours.
HOURS_DAYS = {"urgent": (24, 7), "high": (48, 15), "normal": (72, 30)}
KINDS = ["dv", "mediation", "legal_aid", "petition", "assistance", "other"]


def seed(apps, schema_editor):
    DeadlineRule = apps.get_model("cases", "DeadlineRule")
    for kind in KINDS:
        for urgency, (hours, days) in HOURS_DAYS.items():
            DeadlineRule.objects.get_or_create(kind=kind, urgency=urgency,
                                               defaults={"first_action_hours": hours, "resolve_days": days})


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
