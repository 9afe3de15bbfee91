"""Care notes and a child's school, situation and consent notes are sealed (core.fields): the columns become text and
the rows already there are encrypted under the newest key. Reversible: going back decrypts them (with the keys still
configured) before the columns return to their old types."""

from django.db import migrations

import fulian.core.fields
from fulian.core.fields import open_existing, seal_existing

SEALED = [
    ("CareMembership", ["note"]),
    ("Child", ["school", "situation_note", "consent_note"]),
    ("HelpPlan", ["outcome_note"]),
    ("HelpGoal", ["text"]),
    ("HelpGiven", ["note"]),
    ("Offer", ["outcome_note"]),
]


def seal(apps, schema_editor):
    for name, fields in SEALED:
        seal_existing(apps.get_model("care", name), fields)


def unseal(apps, schema_editor):
    for name, fields in SEALED:
        open_existing(apps.get_model("care", name), fields)


class Migration(migrations.Migration):

    dependencies = [
        ('care', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='caremembership',
            name='note',
            field=fulian.core.fields.SealedCharField(blank=True, max_length=200, verbose_name='说明'),
        ),
        migrations.AlterField(
            model_name='child',
            name='consent_note',
            field=fulian.core.fields.SealedCharField(blank=True, max_length=100, verbose_name='同意方式'),
        ),
        migrations.AlterField(
            model_name='child',
            name='school',
            field=fulian.core.fields.SealedCharField(blank=True, max_length=100, verbose_name='学校和年级'),
        ),
        migrations.AlterField(
            model_name='child',
            name='situation_note',
            field=fulian.core.fields.SealedCharField(blank=True, max_length=300, verbose_name='情况说明'),
        ),
        migrations.AlterField(
            model_name='helpgiven',
            name='note',
            field=fulian.core.fields.SealedCharField(blank=True, max_length=300, verbose_name='说明'),
        ),
        migrations.AlterField(
            model_name='helpgoal',
            name='text',
            field=fulian.core.fields.SealedCharField(max_length=300, verbose_name='帮扶目标'),
        ),
        migrations.AlterField(
            model_name='helpplan',
            name='outcome_note',
            field=fulian.core.fields.SealedCharField(blank=True, max_length=300, verbose_name='结案说明'),
        ),
        migrations.AlterField(
            model_name='offer',
            name='outcome_note',
            field=fulian.core.fields.SealedCharField(blank=True, max_length=300, verbose_name='说明'),
        ),
        migrations.RunPython(seal, unseal),
    ]
