"""Demo supervision: 石家庄市's first team (hb-city) over 正定县 and 行唐县, with a visit to each. 正定县 has closed one
of its two items and has one open; 行唐县's item has passed its deadline (late)."""

import datetime as dt

from django.utils import timezone

from fulian.accounts.models import User
from fulian.dispatch.models import Recipient
from fulian.work.services import KIND as TASK_KIND

from . import services
from .models import Team

TEAM = "市妇联第一督导组"


def demo_supervision(*, users: dict[str, User]) -> dict:
    """Deterministic; safe to run twice (a second run finds the team and adds nothing). Expects hb-city, hb-county
    and hb-other-county."""
    chair = users["hb-city"]
    city = chair.unit
    zhengding, xingtang = users["hb-county"].unit, users["hb-other-county"].unit
    team = Team.objects.filter(unit=city, name=TEAM).first()
    if team is not None:
        return {"team": team, "visits": team.visits.count(), "created": False}
    now = timezone.now()
    team = services.team_create(actor=chair, unit=city, name=TEAM, members=[chair], regions=[zhengding, xingtang],
                                now=now - dt.timedelta(days=30))

    far = now - dt.timedelta(days=20)
    services.visit_record(
        actor=chair, team=team, unit=xingtang, visited_on=timezone.localdate(far), places="龙州镇南关村妇女之家",
        summary="查看妇女之家活动台账和执委联系妇女记录。",
        findings=[("南关村妇女之家未按月开展活动，台账缺3个月", timezone.localdate(far) + dt.timedelta(days=15))],
        today=timezone.localdate(far), now=far)

    near = now - dt.timedelta(days=3)
    checked = list(Recipient.objects.filter(unit=zhengding, dispatch__kind=TASK_KIND)[:1])
    visit = services.visit_record(
        actor=chair, team=team, unit=zhengding, visited_on=timezone.localdate(near),
        places="正定镇恒东社区、张家庄村", summary="抽查上半年工作报表的填报和联系妇女记录。", checked=checked,
        findings=[("恒东社区执委联系妇女记录未及时录入", timezone.localdate(near) + dt.timedelta(days=7)),
                  ("张家庄村妇联阵地未挂牌", timezone.localdate(near) + dt.timedelta(days=14))],
        today=timezone.localdate(near), now=near)
    first = Recipient.objects.filter(dispatch__finding__visit=visit).order_by("pk").first()
    services.rectification_close(actor=users["hb-county"], recipient=first,
                                 note="已组织执委补录联系记录，并明确每周五集中录入。", now=near + dt.timedelta(days=2))
    return {"team": team, "visits": 2, "created": True}
