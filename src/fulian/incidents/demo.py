"""Demo 维权事件 in 正定县: one incident three days old with two actions, a linked case and a statement published on
time; one reported five hours ago whose statement waits for the county chair's review (the 待审声明 queue)."""

import datetime as dt

from django.utils import timezone

from fulian.accounts.demo import DEMO_PASSWORD
from fulian.accounts.models import User
from fulian.accounts.services import account_create
from fulian.cases.models import Case
from fulian.core.policy import Role
from fulian.orgs.models import Unit
from fulian.portal.services import article_review

from . import services
from .models import Incident

H = dt.timedelta(hours=1)
FIRST, SECOND = "demo-incident-1", "demo-incident-2"  # client tokens: what makes a second run a no-op


def _county_staff(county: Unit) -> User:
    """The county's desk cadre who writes statements (a chair may not review her own): the same account the work
    demo makes for the county."""
    username = f"hb-county-{county.code[:6]}"
    return User.objects.filter(username=username).first() or account_create(
        actor=None, username=username, unit=county, roles=[Role.STAFF], password=DEMO_PASSWORD,
        full_name=f"{county.name}妇联干部")


def demo_incidents(*, county: Unit, village: Unit, users: dict, now=None) -> dict:
    """`users` holds the demo accounts by username (hb-county: the county chair, who reviews). Safe to run twice."""
    now = now or timezone.now()
    if Incident.objects.filter(client_token=FIRST).exists():
        return {"incidents": 0, "published": 0, "awaiting": 0}
    chair, staff = users["hb-county"], _county_staff(county)
    reported = now - dt.timedelta(days=3)
    first = services.incident_create(
        actor=staff, unit=county, title="恒东社区一女子遭丈夫殴打视频在网上流传", reported_at=reported,
        description="网民转发视频，称当事人长期遭受家庭暴力。社区妇联当天上门了解情况。", place_unit=village,
        place_text="恒东社区3号楼", sources=["https://www.example.com/news/2026/hengdong"], severity="serious",
        client_token=FIRST, now=reported + 0.5 * H)
    services.action_add(actor=staff, incident=first, kind="statement",
                        text="电话联系当事人，表明妇联坚决支持她依法维权。", at=reported + 2 * H, now=reported + 2 * H)
    services.action_add(actor=staff, incident=first, kind="visit",
                        text="会同社区民警上门走访，当事人已转移至亲属家。", at=reported + 5 * H, now=reported + 5 * H)
    case = Case.objects.filter(home_unit=village).order_by("pk").first()
    if case is not None:
        services.case_link(actor=chair, incident=first, case=case, now=reported + 6 * H)
    statement = services.statement_save(
        actor=staff, incident=first, title="正定县妇联关于恒东社区家庭暴力事件的声明",
        body="正定县妇联高度关注此事，已第一时间联系当事人并提供帮助。我们坚决反对任何形式的家庭暴力，"
             "将依法维护妇女合法权益，并持续跟进事件处理。", category="notice", now=reported + 3 * H)
    article_review(actor=chair, article=statement.article, approve=True, now=reported + 8 * H)
    services.incidents_statement_sync(incidents=Incident.objects.filter(pk=first.pk), now=reported + 8 * H)

    fresh = now - 5 * H
    second = services.incident_create(
        actor=staff, unit=county, title="某企业招聘限定“男性优先”引发关注", reported_at=fresh,
        description="网民反映县内一企业招聘启事存在性别歧视。", place_text="正定县高新区",
        sources=["https://www.example.com/forum/thread/88"], client_token=SECOND, now=fresh + 0.5 * H)
    services.statement_save(
        actor=staff, incident=second, title="正定县妇联关于招聘中性别歧视问题的声明",
        body="招聘中限定性别违反《妇女权益保障法》。县妇联已联系人社部门核实，将督促企业整改。",
        category="notice", now=now - H)
    return {"incidents": 2, "published": 1, "awaiting": 1, "first": first.pk, "second": second.pk}
