"""Demo contact network: a village cadre's women, their contacts, needs and follow-ups, and a field week."""

import datetime as dt
import random

from fulian.core.tree import subtree_q
from fulian.people.models import Woman

from .models import Channel, NeedCategory
from .services import assign_women_round_robin, contact_log_create, field_week_create

VIEWS = ["关心孩子上学问题", "想参加家政培训", "希望村里多办文体活动", "丈夫外出务工，家里老人需要照顾",
         "对妇联的法律讲座很感兴趣", "想学习电商卖自家农产品", "身体不太好，想了解医保政策", "一切都好"]
HELP = ["介绍了巾帼家政培训班", "送去了法律宣传材料", "联系了村医上门", "讲解了两癌筛查政策", "帮助报名电商培训", ""]


def demo_contacts(*, chair, cadres: list, unit, seed: int, today: dt.date) -> dict:
    rng = random.Random(seed)
    women = Woman.objects.filter(subtree_q(unit.path, "unit_path"), merged_into__isnull=True).order_by("id")
    spread = assign_women_round_robin(actor=chair, women=women, cadres=cadres, today=today - dt.timedelta(days=120))
    week = field_week_create(actor=chair, unit=unit, title="双月下基层工作周", participants=cadres,
                             starts_on=today - dt.timedelta(days=9), ends_on=today - dt.timedelta(days=5))
    logs = 0
    for woman in women.select_related("home_unit"):
        cadre = woman.assignments.filter(ended_on__isnull=True).first().cadre
        if rng.random() < 0.25:
            continue  # never contacted yet: she shows on "my work today"
        for _ in range(rng.choice([1, 1, 2, 3])):
            on = today - dt.timedelta(days=rng.randrange(1, 110))
            in_week = week.starts_on <= on <= week.ends_on
            needs = []
            if rng.random() < 0.3:
                needs = [(rng.choice(NeedCategory.values), "")]
            follow_up = on + dt.timedelta(days=rng.choice([7, 14, 30])) if rng.random() < 0.4 else None
            contact_log_create(actor=cadre, woman=woman, contacted_on=on, today=today,
                               channel=Channel.FIELD_WEEK if in_week else rng.choice(Channel.values[:4]),
                               views=rng.choice(VIEWS), help_given=rng.choice(HELP), follow_up_on=follow_up,
                               needs=needs, field_week=week if in_week else None)
            logs += 1
    return {"assigned": spread["assigned"], "contact_logs": logs}


def demo_field_weeks(*, chair, county, today: dt.date) -> dict:
    """Field weeks of 正定县 and of every other township of it in the last completed two-month window, so the rest
    are listed as missing on 下基层工作周检查. Safe to run twice."""
    from fulian.orgs.models import Kind, Level, Unit

    from .models import FieldWeek
    from .services import window_before

    start, end = window_before(today)
    townships = list(Unit.objects.filter(parent=county, level=Level.TOWNSHIP, kind=Kind.GEOGRAPHIC).order_by("code"))
    made = 0
    for n, unit in enumerate([county] + townships[::2]):
        if FieldWeek.objects.filter(unit=unit, starts_on__lte=end, ends_on__gte=start).exists():
            continue
        first = start + dt.timedelta(days=7 + (3 * n) % 40)
        field_week_create(actor=chair, unit=unit, title=f"{unit.name}双月下基层工作周", starts_on=first,
                          ends_on=first + dt.timedelta(days=4))
        made += 1
    return {"window": start, "held": made, "missing": len(townships) - len(townships[::2])}
