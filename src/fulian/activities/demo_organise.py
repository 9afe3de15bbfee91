"""Demo 活动组织: 正定县's brand project 龙妹家政 with two trainings (one held last month, one to come) at a Women's
Home of the county, and the province's campaign 家风讲坛进万家 to every county, under which 正定县 held two lectures
and marked its part done — with sign-ups and check-ins, so the figures, the project's results and the campaign's
roll-up are not empty. Safe to run twice (a second run finds the project and adds nothing)."""

import datetime as dt

from django.utils import timezone

from fulian.accounts.models import User
from fulian.core.tree import subtree_q
from fulian.orgs.models import WomensHome
from fulian.people.models import Woman

from . import campaigns, projects, services
from .checkin import attendance_record
from .models import Project
from .signups import signup_create

PROJECT = "龙妹家政"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭"
GIVEN = ["秀兰", "桂英", "玉梅", "淑珍", "丽娟", "春燕", "海燕", "晓红", "雪梅", "彩霞", "文静", "慧敏", "建华"]


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _people(county, n: int) -> list[tuple[str, str]]:
    """Women of the county's registry with a mobile phone, else made-up names and numbers."""
    women = list(Woman.objects.filter(subtree_q(county.path, "unit_path"), phone__startswith="1")
                 .order_by("pk").values_list("name", "phone")[:n])
    return women + [(SURNAMES[i % len(SURNAMES)] + GIVEN[i % len(GIVEN)], f"1390000{i:04d}")
                     for i in range(len(women), n)]


def _held(*, chair, unit, values: dict, days: list[dt.date], people, attended: int, now) -> object:
    """An activity published before its first session, signed up by `people`, the first `attended` of whom checked
    in to every session that has begun."""
    activity = services.activity_save(actor=chair, unit=unit, values=values,
                                      sessions=[(_at(d, 9), _at(d, 11), f"第{i}课") for i, d in enumerate(days, 1)],
                                      now=min(now, _at(days[0], 8) - dt.timedelta(days=7)))
    activity = services.activity_publish(actor=chair, activity=activity, now=min(now, _at(days[0], 8)
                                                                                 - dt.timedelta(days=6)))
    for name, phone in people:
        signup_create(activity=activity, name=name, phone=phone, channel="cadre", actor=chair,
                      now=min(now, _at(days[0], 8) - dt.timedelta(days=3)))
    for session in activity.sessions.order_by("number"):
        if session.starts_at > now:
            continue
        for name, phone in people[:attended]:
            attendance_record(session=session, name=name, phone=phone, method="tick", actor=chair,
                              now=session.starts_at + dt.timedelta(minutes=5))
    return activity


def demo_organise(*, users: dict[str, User], now=None) -> dict:
    """Expects hb-province and hb-county; run after the demo's women and Women's Homes."""
    now = now or timezone.now()
    chair, province_chair = users["hb-county"], users["hb-province"]
    county = chair.unit
    if Project.objects.filter(unit=county, name=PROJECT).exists():
        return {"created": False}
    today = timezone.localdate(now)
    home = WomensHome.objects.filter(subtree_q(county.path, "unit_path"), is_active=True).order_by("pk").first()
    place = {"home": home} if home is not None else {"address": "正定县妇女儿童活动中心"}
    project = projects.project_save(actor=chair, unit=county, now=now, values={
        "name": PROJECT, "kind": "brand", "description": "家政服务技能培训与就业对接：月嫂、育婴、收纳。",
        "partners": ["正定县人力资源和社会保障局", "正定县家政服务协会"], "budget": "80000",
        "starts_on": today - dt.timedelta(days=60), "ends_on": today + dt.timedelta(days=300),
        "targets": [{"figure": "activities_held", "target": 6}, {"figure": "women_reached", "target": 120},
                    {"figure": "trainings_completed", "target": 80}, {"figure": "outcomes_employed", "target": 30}]})
    people = _people(county, 16)
    last_month = [today - dt.timedelta(days=d) for d in (35, 28, 21)]
    _held(chair=chair, unit=county, people=people, attended=12, now=now, days=last_month, values={
        "title": "龙妹家政·育婴师培训班（第一期）", "kind": "course", "capacity": 30, "organiser": "正定县妇联",
        "partners": ["正定县家政服务协会"], "project": project, **place})
    _held(chair=chair, unit=county, people=people[:6], attended=0, now=now,
          days=[today + dt.timedelta(days=d) for d in (10, 17, 24)], values={
              "title": "龙妹家政·收纳师培训班（第二期）", "kind": "course", "capacity": 25, "organiser": "正定县妇联",
              "project": project, **place})
    campaign = campaigns.campaign_launch(
        actor=province_chair, unit=province_chair.unit, title="家风讲坛进万家", kind="lecture",
        body="各县（市、区）妇联在主题活动期间至少开展两场家风讲坛，邀请家庭共同参加。",
        starts_on=today - dt.timedelta(days=20), ends_on=today + dt.timedelta(days=40),
        deadline=today + dt.timedelta(days=40), level=3, activities_each=2, now=now - dt.timedelta(days=20))
    for days_ago, title in ((14, "家风讲坛·好家风代代传"), (6, "家风讲坛·孝老爱亲")):
        _held(chair=chair, unit=county, people=people[4:14], attended=8, now=now,
              days=[today - dt.timedelta(days=days_ago)],
              values={"title": title, "kind": "lecture", "campaign": campaign, "for_families": False, **place})
    campaigns.campaign_part_done(actor=chair, recipient=campaigns.recipient_of(campaign, county), now=now)
    return {"created": True, "project": project.pk, "campaign": campaign.pk}
