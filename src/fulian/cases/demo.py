"""Demo service network: partners of 正定县 and a few cases at different stages."""

import datetime as dt

from django.utils import timezone

from fulian.orgs.models import Unit

from . import services
from .models import Partner


def demo_cases(*, county: Unit, village: Unit, chair, village_chair) -> dict:
    now = timezone.now()
    partners = [
        Partner.objects.create(unit=county, unit_path=county.path, name=name, kind=kind, phone=phone)
        for name, kind, phone in [
            ("正定县法律援助中心", "legal_aid", "031188001148"),
            ("正定县公安局城区派出所", "police", "031188001110"),
            ("正定县反家暴庇护中心", "shelter", "031188001200"),
            ("正定县民政局社会救助股", "civil_affairs", "031188001300"),
        ]
    ]
    waiting = services.case_intake(
        kind="dv",
        home_unit=village,
        description="丈夫酒后殴打，孩子受到惊吓，想知道怎么申请保护令。",
        source="portal",
        contact={"name": "李女士", "phone": "13800001234"},
        now=now - dt.timedelta(hours=3),
    )
    mediation = services.case_intake(
        kind="mediation",
        home_unit=village,
        description="婆媳矛盾，想请妇联调解。",
        source="hotline",
        actor=village_chair,
        contact={"phone": "13900005678"},
        now=now - dt.timedelta(days=2),
    )
    services.case_note(
        actor=village_chair,
        case=mediation,
        text="约双方周五在妇女之家调解。",
        details={"parties": "张某、王某", "sessions": "1"},
        now=now - dt.timedelta(days=1),
    )
    legal = services.case_intake(
        kind="legal_aid",
        home_unit=village,
        description="离婚财产分割，需要法律援助。",
        source="walk_in",
        actor=village_chair,
        contact={"phone": "13700007777"},
        now=now - dt.timedelta(days=6),
    )
    services.referral_create(actor=village_chair, case=legal, partner=partners[0], now=now - dt.timedelta(days=5))
    overdue = services.case_intake(
        kind="assistance",
        home_unit=village,
        description="丈夫去世，家中困难。",
        source="portal",
        anonymous=True,
        now=now - dt.timedelta(days=4),
    )
    services.case_escalate_overdue(now=now)
    return {"cases": 4, "partners": len(partners), "waiting": waiting.tracking_code, "escalated": overdue.pk}
