"""Case exports: no contact details, a stated reason, and a read-log row for every case exported."""

import io

from django.db import transaction
from django.utils import timezone

from fulian.core.audit import audit_record
from fulian.core.context import current_origin
from fulian.core.excel import export_xlsx
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


def cases_xlsx(*, actor, cases, reason: str) -> bytes:
    now = timezone.now()
    origin = current_origin()
    with transaction.atomic():
        audit_record(actor=actor, action="case.export", changes={"reason": reason[:200], "cases": len(cases)})
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
                )
                for c in cases
            ],
            batch_size=1000,
        )
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
    buffer = io.BytesIO()
    export_xlsx(TITLES, rows, sheet_title="个案", stream=buffer)
    return buffer.getvalue()
