"""Demo work network: 河北省 sends a half-year report to every county with a form whose fields are mostly filled
by the system (8 computed figures, 2 typed); several counties of 石家庄市 and 行唐县 have reported, 正定县 has
passed it down to its townships (some of which have reported), and the burden meter holds eight weeks of entry
minutes for the demo cadres, so 减负统计 has something to show at every level."""

import datetime as dt
import hashlib
import random

from django.utils import timezone

from fulian.accounts.demo import DEMO_PASSWORD
from fulian.accounts.models import User
from fulian.accounts.services import account_create
from fulian.core.models import EntryTime
from fulian.core.policy import Role
from fulian.dispatch.models import Recipient
from fulian.dispatch.services import recipient_acknowledge, recipient_delegate
from fulian.orgs.models import Kind, Level, Unit

from . import services

FIELDS = [
    {"key": "women", "label": "登记妇女人数", "kind": "computed", "figure": "women_registered"},
    {"key": "women_new", "label": "新登记妇女", "kind": "computed", "figure": "women_new"},
    {"key": "contacts", "label": "联系妇女人次", "kind": "computed", "figure": "contacts"},
    {"key": "needs", "label": "收集诉求", "kind": "computed", "figure": "needs_raised"},
    {"key": "needs_met", "label": "解决诉求", "kind": "computed", "figure": "needs_met"},
    {"key": "cases", "label": "受理求助", "kind": "computed", "figure": "cases_opened"},
    {"key": "homes", "label": "妇女之家", "kind": "computed", "figure": "womens_homes"},
    {"key": "converted", "label": "已改建村(社区)妇联", "kind": "computed", "figure": "villages_converted"},
    {"key": "trainings", "label": "开展培训(场次)", "kind": "number", "aggregate": "sum", "required": True},
    {"key": "note", "label": "工作亮点和困难", "kind": "text"},
]
# the forms the demo cadres "typed", with a typical minute count: a contact log takes a couple of minutes, a
# report whose figures the system fills a few
FORMS = [("联系记录", 150), ("妇女信息", 240), ("个案办理记录", 300), ("下基层工作周", 200), ("妇女之家活动", 180),
         ("任务填报", 150)]
COUNTY_CADRES = 6  # further counties of 石家庄市 that have reported, each by a cadre of its own


def _county_cadre(county: Unit) -> User:
    username = f"hb-county-{county.code[:6]}"
    return User.objects.filter(username=username).first() or account_create(
        actor=None, username=username, unit=county, roles=[Role.STAFF], password=DEMO_PASSWORD,
        full_name=f"{county.name}妇联干部")


def _entry_minutes(rng: random.Random, user: User, *, now, weeks: int = 8, per_week: int = 6) -> int:
    """EntryTime rows for her last `weeks` weeks, fewer and shorter as the figures fill more of the forms."""
    rows = []
    for week in range(weeks):
        for i in range(max(1, per_week - week // 2 + rng.randint(-1, 2))):
            form, typical = rng.choice(FORMS)
            at = now - dt.timedelta(days=7 * (weeks - 1 - week) + rng.uniform(0, 6.5))
            seconds = min(1800, int(typical * rng.uniform(0.5, 1.6) * (1.4 - 0.05 * week)))
            digest = hashlib.sha256(f"demo:{user.username}:{week}:{i}".encode()).hexdigest()
            rows.append(EntryTime(user=user, unit_path=user.unit.path, form=form, seconds=seconds, at=at,
                                  stamp=digest))
    EntryTime.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def demo_work(*, province: Unit, users: dict[str, User], seed: int = 5) -> dict:
    """Deterministic for a seed; expects the demo accounts (hb-province, hb-county, hb-township, …)."""
    rng = random.Random(seed)
    now = timezone.now()
    issued = now - dt.timedelta(days=6)
    chair = users["hb-province"]
    template = services.report_template_create(actor=chair, unit=province, name="上半年妇联工作报表", fields=FIELDS,
                                               now=issued)
    year = timezone.localdate().year
    task = services.task_issue(
        actor=chair, unit=province, title=f"{year}年上半年妇联工作情况报表", level=Level.COUNTY, template=template,
        body="请各县(市、区)妇联核对系统已填好的数据，补填培训场次和工作亮点，按时报送。可转下级乡镇填报。",
        deadline=now + dt.timedelta(days=8), period_start=year * 100 + 1, period_end=year * 100 + 6, now=issued)

    def copy(unit):
        return Recipient.objects.get(dispatch_id=task.pk, unit=unit)

    def report(actor, unit, day, trainings, note=""):
        at = issued + dt.timedelta(days=day, hours=rng.randint(1, 8))
        recipient_acknowledge(actor=actor, recipient=copy(unit), now=at - dt.timedelta(hours=1))
        services.report_submit(actor=actor, recipient=copy(unit), entered={"trainings": str(trainings), "note": note},
                               now=at)

    reported = 0
    zhengding = users["hb-county"].unit
    xingtang = users["hb-other-county"].unit
    report(users["hb-other-county"], xingtang, 2, 6, "依托妇女之家开展家庭教育讲座。")
    reported += 1
    others = (Unit.objects.filter(parent=zhengding.parent, level=Level.COUNTY, kind=Kind.GEOGRAPHIC)
              .exclude(pk__in=[zhengding.pk, xingtang.pk]).order_by("code")[:COUNTY_CADRES])
    cadres = []
    for i, county in enumerate(others):
        cadre = _county_cadre(county)
        cadres.append(cadre)
        report(cadre, county, 1 + i % 4, rng.randint(2, 12))
        reported += 1

    # 正定县 passes it to its townships: 正定镇 (hb-township) and two more have reported
    recipient_acknowledge(actor=users["hb-county"], recipient=copy(zhengding), now=issued + dt.timedelta(hours=3))
    delegated = recipient_delegate(actor=users["hb-county"], recipient=copy(zhengding), level=Level.TOWNSHIP,
                                   now=issued + dt.timedelta(hours=4))
    township_done = 0
    own_township = users["hb-township"].unit
    report(users["hb-township"], own_township, 2, 3, "结合下基层工作周走访。")
    township_done += 1
    for township in (Unit.objects.filter(parent=zhengding, level=Level.TOWNSHIP, kind=Kind.GEOGRAPHIC)
                     .exclude(pk=own_township.pk).order_by("code")[:2]):
        report(users["hb-county"], township, 3, rng.randint(1, 5))
        township_done += 1

    entries = 0
    for username in ("hb-village", "hb-village-2", "hb-village-chair", "hb-township", "hb-county", "hb-city",
                     "hb-other-county"):
        entries += _entry_minutes(rng, users[username], now=now)
    for cadre in cadres:
        entries += _entry_minutes(rng, cadre, now=now, per_week=3)
    return {"task": task, "counties": task.dispatch.recipient_count, "reported": reported, "delegated": delegated,
            "townships_reported": township_done, "entries": entries, "cadres": [c.username for c in cadres]}


PROVINCE_PRIORITIES = ["深化妇联组织建设改革，完成村(社区)妇代会改建妇联",
                       "建好用好网上妇女之家，联系网、工作网、服务网整体合一",
                       "实施巾帼脱贫行动，精准对接扶贫资源",
                       "推进妇女维权援助，完善婚姻家庭纠纷人民调解机制",
                       "深化美丽庭院创建和最美家庭寻找活动"]
COUNTY_PRIORITIES = ["乡镇妇联执委会每季度至少召开一次会议", "每个双月开展一次下基层工作周，走访联系妇女",
                     "推动村(社区)妇女之家常态化开放", "做好妇女信访代理和纠纷调解，及时上报"]


def demo_priorities(*, users: dict[str, User], year: int | None = None) -> dict:
    """工作重点 of `year` (this year by default): 河北省 for its cities, 正定县 for its townships (the county's first
    item linked to the demo task when there is one). Safe to run twice: a unit that has set them is left alone."""
    from .models import PrioritySet, Task

    year = year or timezone.localdate().year
    made = 0
    for username, texts in (("hb-province", PROVINCE_PRIORITIES), ("hb-county", COUNTY_PRIORITIES)):
        chair = users[username]
        if PrioritySet.objects.filter(unit=chair.unit, year=year).exists():
            continue
        task = Task.objects.filter(unit_path=chair.unit.path).order_by("pk").first()
        items = [{"text": text, "task": task if i == 0 else None} for i, text in enumerate(texts)]
        services.priorities_set(actor=chair, unit=chair.unit, year=year, items=items)
        made += 1
    return {"year": year, "sets": made}
