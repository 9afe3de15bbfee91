from django.db import migrations, models


class Migration(migrations.Migration):
    """Answers already counted stay counted (the figures were built from them); new ones start unverified."""

    dependencies = [("evaluation", "0001_initial")]

    operations = [
        migrations.AddField(model_name="response", name="is_verified",
                            field=models.BooleanField(default=True, verbose_name="已验证")),
        migrations.AlterField(model_name="response", name="is_verified",
                              field=models.BooleanField(default=False, verbose_name="已验证")),
    ]
