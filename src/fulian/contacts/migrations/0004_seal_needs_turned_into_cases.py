from django.db import migrations


def seal(apps, schema_editor):
    """Needs already turned into cases gave their text to the case's sealed record; clear the open copy."""
    Need = apps.get_model("contacts", "Need")
    Need.objects.filter(status="case").update(description="", resolution="")


class Migration(migrations.Migration):
    dependencies = [("contacts", "0003_seed_quotas"), ("cases", "0001_initial")]

    operations = [migrations.RunPython(seal, migrations.RunPython.noop)]
