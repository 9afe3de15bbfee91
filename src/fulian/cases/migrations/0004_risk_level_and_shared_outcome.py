"""风险等级 becomes a choice (low/medium/high) on the case instead of free text in its sealed details; the handler
can write what the woman is told when her case is closed (告知求助人的结果)."""

import json

from django.db import migrations, models

# free text as cadres typed it → the choice; anything else is kept, word for word, as a note in the sealed details
RISK_WORDS = [
    ("high", ("高", "high", "严重", "重大", "危险", "紧急")),
    ("medium", ("中", "medium", "一般")),
    ("low", ("低", "low", "轻", "无")),
]


def risk_level_from_text(text: str) -> str:
    text = (text or "").strip().lower()
    for level, words in RISK_WORDS:
        if any(word in text for word in words):
            return level
    return ""


def move_risk_levels(apps, schema_editor):
    from fulian.core.crypto import decrypt, encrypt

    Case = apps.get_model("cases", "Case")
    for case in Case.objects.filter(kind="dv").only("pk", "sealed").iterator():
        data = json.loads(decrypt(case.sealed) or "{}")
        details = data.get("details") or {}
        if "risk_level" not in details:
            continue
        text = str(details.pop("risk_level"))
        level = risk_level_from_text(text)
        if not level and text.strip():
            details["risk_note"] = text
        data["details"] = details
        Case.objects.filter(pk=case.pk).update(risk_level=level,
                                               sealed=encrypt(json.dumps(data, ensure_ascii=False)))


def restore_risk_levels(apps, schema_editor):
    from fulian.core.crypto import decrypt, encrypt

    Case = apps.get_model("cases", "Case")
    labels = {"low": "低", "medium": "中", "high": "高"}
    for case in Case.objects.exclude(risk_level="").only("pk", "sealed", "risk_level").iterator():
        data = json.loads(decrypt(case.sealed) or "{}")
        data.setdefault("details", {})["risk_level"] = labels[case.risk_level]
        Case.objects.filter(pk=case.pk).update(sealed=encrypt(json.dumps(data, ensure_ascii=False)))


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0003_case_account"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="risk_level",
            field=models.CharField(blank=True, choices=[("low", "低"), ("medium", "中"), ("high", "高")],
                                   max_length=8, verbose_name="风险等级"),
        ),
        migrations.AddField(
            model_name="case",
            name="outcome_public",
            field=models.TextField(blank=True, help_text="what the handler chose to tell her: shown with her tracking "
                                   "code", verbose_name="告知求助人的结果"),
        ),
        migrations.RunPython(move_risk_levels, restore_risk_levels),
    ]
