from django.db import migrations

# a starting point for "经常性联系一定数量的妇女群众"; each province sets its own in data maintenance
QUOTAS = {1: 10, 2: 20, 3: 30, 4: 50, 5: 100}


def seed(apps, schema_editor):
    LevelQuota = apps.get_model("contacts", "LevelQuota")
    for level, quota in QUOTAS.items():
        LevelQuota.objects.get_or_create(level=level, defaults={"quota": quota})


class Migration(migrations.Migration):
    dependencies = [("contacts", "0002_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
