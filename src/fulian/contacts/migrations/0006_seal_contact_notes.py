"""A contact log's views and help, a need's text and resolution are sealed like a case's description (core.fields):
the columns become text and the rows already there are encrypted under the newest key. Reversible: going back
decrypts them (with the keys still configured) before the columns return to their old types."""

from django.db import migrations

import fulian.core.fields
from fulian.core.fields import open_existing, seal_existing

SEALED = [
    ("ContactLog", ["views", "help_given"]),
    ("Need", ["description", "resolution"]),
]


def seal(apps, schema_editor):
    for name, fields in SEALED:
        seal_existing(apps.get_model("contacts", name), fields)


def unseal(apps, schema_editor):
    for name, fields in SEALED:
        open_existing(apps.get_model("contacts", name), fields)


class Migration(migrations.Migration):

    dependencies = [
        ('contacts', '0005_field_week_check_and_staff_quotas'),
    ]

    operations = [
        migrations.AlterField(
            model_name='contactlog',
            name='help_given',
            field=fulian.core.fields.SealedTextField(blank=True, verbose_name='提供的帮助'),
        ),
        migrations.AlterField(
            model_name='contactlog',
            name='views',
            field=fulian.core.fields.SealedTextField(blank=True, verbose_name='思想动态'),
        ),
        migrations.AlterField(
            model_name='need',
            name='description',
            field=fulian.core.fields.SealedCharField(blank=True, max_length=300, verbose_name='需求'),
        ),
        migrations.AlterField(
            model_name='need',
            name='resolution',
            field=fulian.core.fields.SealedCharField(blank=True, max_length=300, verbose_name='解决情况'),
        ),
        migrations.RunPython(seal, unseal),
    ]
