"""Case exports: no contact details, a stated reason, and a read-log row for every case exported."""

from django.db import transaction
from django.utils import timezone

from fulian.core.context import current_origin
from fulian.core.excel import export_download
from fulian.core.models import ReadLog

TITLES = [
    "查询码",
    "类别",
    "紧急程度",
    "状态",
    "所在村(社区)",
    "承办组织",
    "上报次数",
    "登记时间",
    "首次响应时限",
    "首次响应",
    "办结时间",
    "满意度",
]


def cases_export(*, actor, cases, reason: str):
    """Cases leave only with a stated reason: every case exported gets a read-log row, the export its audit row
    (through the one audited export of core)."""
    now = timezone.now()
    origin = current_origin()
    rows = (
        [
            c.tracking_code,
            c.get_kind_display(),
            c.get_urgency_display(),
            c.get_status_display(),
            c.home_unit.name,
            c.unit.name,
            c.escalations,
            timezone.localtime(c.created_at).strftime("%Y-%m-%d %H:%M"),
            timezone.localtime(c.first_action_due).strftime("%Y-%m-%d %H:%M"),
            timezone.localtime(c.first_action_at).strftime("%Y-%m-%d %H:%M") if c.first_action_at else "",
            timezone.localtime(c.closed_at).strftime("%Y-%m-%d %H:%M") if c.closed_at else "",
            c.satisfaction,
        ]
        for c in cases
    )
    with transaction.atomic():
        ReadLog.objects.bulk_create(
            [
                ReadLog(
                    at=now,
                    actor=actor,
                    actor_label=actor.get_username(),
                    object_type="cases.case",
                    object_id=str(c.pk),
                    object_repr=str(c)[:200],
                    purpose=f"export: {reason}"[:200],
                    ip=origin.ip,
                    channel=origin.channel,
                    unit_path=c.unit_path,
                )
                for c in cases
            ],
            batch_size=1000,
        )
        return export_download(actor=actor, action="case.export", filename="个案.xlsx", titles=TITLES, rows=rows,
                               sheet_title="个案", changes={"reason": reason[:200], "cases": len(cases)})
