"""A case's outcomes, its timeline notes and its referrals' outcomes are sealed like its description (core.fields):
the columns become text and the rows already there are encrypted under the newest key. Reversible: going back
decrypts them (with the keys still configured) before the columns return to their old types."""

from django.db import migrations

import fulian.core.fields
from fulian.core.fields import open_existing, seal_existing

SEALED = [
    ("Case", ["outcome", "outcome_public"]),
    ("TimelineEntry", ["text"]),
    ("Referral", ["outcome"]),
]


def seal(apps, schema_editor):
    for name, fields in SEALED:
        seal_existing(apps.get_model("cases", name), fields)


def unseal(apps, schema_editor):
    for name, fields in SEALED:
        open_existing(apps.get_model("cases", name), fields)


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0004_risk_level_and_shared_outcome'),
    ]

    operations = [
        migrations.AlterField(
            model_name='case',
            name='outcome',
            field=fulian.core.fields.SealedTextField(blank=True, verbose_name='办理结果'),
        ),
        migrations.AlterField(
            model_name='case',
            name='outcome_public',
            field=fulian.core.fields.SealedTextField(blank=True, help_text='what the handler chose to tell her: shown with her tracking code', verbose_name='告知求助人的结果'),
        ),
        migrations.AlterField(
            model_name='referral',
            name='outcome',
            field=fulian.core.fields.SealedTextField(blank=True, verbose_name='结果'),
        ),
        migrations.AlterField(
            model_name='timelineentry',
            name='text',
            field=fulian.core.fields.SealedTextField(blank=True),
        ),
        migrations.RunPython(seal, unseal),
    ]
