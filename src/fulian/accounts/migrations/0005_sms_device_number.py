from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def number_from_account(apps, schema_editor):
    """Devices enrolled before the number was kept send to the phone the account has now (as they did)."""
    SmsDevice = apps.get_model("accounts", "SmsDevice")
    User = apps.get_model("accounts", "User")
    SmsDevice.objects.update(number=Subquery(User.objects.filter(pk=OuterRef("user_id")).values("phone")[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0004_second_factor_sessions"),
    ]

    operations = [
        migrations.AddField(
            model_name="smsdevice",
            name="number",
            field=models.CharField(default="", max_length=20, verbose_name="手机号"),
            preserve_default=False,
        ),
        migrations.RunPython(number_from_account, migrations.RunPython.noop),
    ]
