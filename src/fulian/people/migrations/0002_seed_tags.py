from django.db import migrations

CODES = ["left_behind", "migrant", "poor", "single_mother", "disabled", "elderly_alone", "representative",
         "entrepreneur"]


def seed(apps, schema_editor):
    Tag = apps.get_model("people", "Tag")
    for code in CODES:
        Tag.objects.get_or_create(code=code)


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
