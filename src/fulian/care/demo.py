"""Demo 关爱帮扶、资源对接 in 正定县: about thirty women of its villages in care groups since dates in the past (a
few have left, so a past date counts more), left-behind and other children of 恒东社区's families with their mothers'
consent, help plans — one opened from an employment need a village cadre recorded on a visit — with help given over
time, resources (the county's training seats in a course of the activities module, a township job, a province-wide
micro-loan, a Beijing job under the 京津冀 agreement), offers sent, accepted with their outcome and declined, and a
proposed batch for the county. Everything goes through the services (dated in the past where the story needs it), so
the figures are live and equal `indicators_recount`. Safe to run twice (a second run finds its first membership and
adds nothing)."""

import datetime as dt

from django.utils import timezone

from fulian.accounts.demo import DEMO_PASSWORD
from fulian.accounts.models import User
from fulian.accounts.services import account_create
from fulian.core.hooks import hook_call
from fulian.core.policy import Action, Role, allows
from fulian.orgs.divisions import divisions_load, divisions_read
from fulian.orgs.models import Level, Unit
from fulian.people.models import Family, Woman

from . import matching, plans, registry, resources
from .models import CareGroup, CareMembership, ChildSituation, HelpGoal, OfferOutcome, PlanOutcome, Visibility

MARK = "demo-care-"
BEIJING = ("110000000000", "110100000000", "110105000000")  # 北京市 ─ 市辖区 ─ 朝阳区
BEIJING_USER = "bj-chaoyang"
AGREEMENT = "京津冀妇女发展协作"
SEAT = (38.146, 114.572)  # 正定县城
G = CareGroup
# women of 恒东社区 (after the one whose need opens a plan) and of other villages of 正定县: (group, details, in since
# days ago, left days ago or None)
HOME = [
    [(G.LEFT_BEHIND, {}, 700, None)],
    [(G.LOW_INCOME, {"low_income_kind": "dibao"}, 500, None), (G.LEFT_BEHIND, {}, 500, None)],
    [(G.LEFT_BEHIND, {}, 300, None)],
    [(G.DISABLED, {"disability_grade": 3}, 800, None)],
    [(G.SINGLE_MOTHER, {}, 600, None)],
    [(G.LOW_INCOME, {"low_income_kind": "lifted"}, 900, 60)],
    [(G.LEFT_BEHIND, {}, 420, None)],
    [(G.LOW_INCOME, {"low_income_kind": "monitored"}, 260, None)],
    [(G.MIGRANT, {}, 380, 90)],
    [(G.ELDERLY_ALONE, {}, 1000, None)],
    [(G.DISABLED, {"disability_grade": 4}, 640, None)],
    [(G.LEFT_BEHIND, {}, 520, 120)],
    [(G.OTHER, {"note": "大病致困"}, 150, None)],
    [(G.SINGLE_MOTHER, {}, 330, None)],
    [(G.MIGRANT, {}, 90, None)],
]
OTHERS = [
    [(G.LEFT_BEHIND, {}, 450, None)],
    [(G.LOW_INCOME, {"low_income_kind": "tekun"}, 700, None)],
    [(G.SINGLE_MOTHER, {}, 365, None), (G.LOW_INCOME, {"low_income_kind": "monitored"}, 200, None)],
    [(G.LEFT_BEHIND, {}, 600, 45)],
    [(G.ELDERLY_ALONE, {}, 900, None)],
    [(G.DISABLED, {"disability_grade": 2}, 750, None)],
    [(G.MIGRANT, {}, 30, None)],
    [(G.LEFT_BEHIND, {}, 240, None)],
    [(G.LOW_INCOME, {"low_income_kind": "dibao"}, 410, None)],
    [(G.SINGLE_MOTHER, {}, 800, 200)],
    [(G.LEFT_BEHIND, {}, 180, None)],
    [(G.ELDERLY_ALONE, {}, 560, None)],
    [(G.OTHER, {"note": "因灾致困"}, 75, None)],
    [(G.LOW_INCOME, {"low_income_kind": "lifted"}, 300, None)],
]
CHILDREN = [  # the child of each of 恒东社区's first families: situation, school, note
    (ChildSituation.LEFT_BEHIND, "正定县第一实验小学 五年级", "父亲在外地建筑工地务工，由母亲和奶奶照料"),
    (ChildSituation.LEFT_BEHIND, "正定县第一实验小学 四年级", "父亲常年在天津打工，母亲务农"),
    (ChildSituation.LEFT_BEHIND, "恒东社区幼儿园 大班", "父母一方外出务工"),
    (ChildSituation.HARDSHIP, "正定县第二实验小学 二年级", "家庭生活困难，父亲患病"),
    (ChildSituation.MIGRANT, "正定县第二实验小学 一年级", "随母亲从外县迁来，户籍未迁入"),
]
NAMES = ["王子涵", "李欣怡", "张浩然", "刘梓萱", "陈宇航"]


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _other_women(county: Unit, home: Unit, n: int) -> list[Woman]:
    """`n` women of other villages of the county, one village after another (the first village of each township
    first), then a second round of the same villages when there are few."""
    villages = list(Unit.objects.subtree(county).filter(level=Level.VILLAGE).exclude(pk=home.pk).order_by("path"))
    firsts = {}
    for village in villages:
        firsts.setdefault(village.parent_id, village)
    order = list(firsts.values()) + [v for v in villages if v not in firsts.values()]
    pools = [list(Woman.objects.filter(home_unit=v, merged_into__isnull=True).order_by("pk")[:n]) for v in order[:n]]
    found = [pool[k] for k in range(n) for pool in pools if k < len(pool)]
    return found[:n]


def _register(actor_for, women: list[Woman], spec: list, today: dt.date) -> dict:
    made = {"memberships": 0, "ended": 0, "women": 0}
    for woman, groups in zip(women, spec, strict=False):
        actor = actor_for(woman)
        for group, details, since, left in groups:
            m = registry.membership_add(actor=actor, woman=woman, group=group, today=today,
                                        start_on=today - dt.timedelta(days=since), now=_at(today - dt.timedelta(
                                            days=since)), client_token=f"{MARK}m-{woman.pk}-{group}", **details)
            made["memberships"] += 1
            if left is not None:
                registry.membership_end(actor=actor, membership=m, end_on=today - dt.timedelta(days=left),
                                        reason="moved" if group == G.MIGRANT else "no_longer", today=today,
                                        now=_at(today - dt.timedelta(days=left)))
                made["ended"] += 1
        made["women"] += 1
    return made


def _beijing(*, today: dt.date, province_chair) -> tuple[User, Unit] | None:
    """北京市 ─ 市辖区 ─ 朝阳区 (the demo loads only 河北 and 黑龙江), a cadre of 朝阳区's federation, and the 京津冀
    agreement between the two provinces."""
    if not Unit.objects.filter(code__startswith="11").exists():
        divisions_load(divisions=[d for d in divisions_read(provinces=["11"]) if d.code in BEIJING])
    chaoyang = Unit.objects.filter(code=BEIJING[2]).first() or Unit.objects.filter(code=BEIJING[0]).first()
    if chaoyang is None:
        return None
    user = User.objects.filter(username=BEIJING_USER).first() or account_create(
        actor=None, username=BEIJING_USER, unit=chaoyang, roles=[Role.STAFF], password=DEMO_PASSWORD,
        full_name="周敏")
    beijing = Unit.objects.get(code=BEIJING[0])
    hebei = Unit.objects.get(code="130000000000")
    resources.agreement_create(actor=province_chair, name=AGREEMENT, provinces=[hebei, beijing],
                               starts_on=today - dt.timedelta(days=200), now=_at(today - dt.timedelta(days=200)))
    return user, chaoyang


def _resources(*, users, county: Unit, today: dt.date) -> dict:
    county_chair, province_chair = users["hb-county"], users["hb-province"]
    township_cadre = users["hb-township"]
    made = {}
    courses = [c for found in hook_call("course.choices", user=county_chair, q="") for c in found]
    if courses:  # the county's training still to come (newest first): its places, counted by the course
        course_id = courses[0][0]
        starts = resources.course_info([course_id]).get(course_id, {}).get("starts_at")
        made["seat"] = resources.resource_create(
            actor=county_chair, unit=county, kind="course_seat", title="家政培训名额（龙妹家政）",
            provider="正定县妇联", provider_kind="federation", activity_id=course_id, starts_on=today,
            ends_on=max(timezone.localdate(starts), today) if starts else today + dt.timedelta(days=10),
            groups=[G.LOW_INCOME, G.SINGLE_MOTHER, G.LEFT_BEHIND],
            description="正定县妇联“龙妹家政”培训班的名额，面向低收入妇女、单亲母亲和留守妇女，免培训费。",
            client_token=f"{MARK}seat")
    township = township_cadre.unit
    made["job"] = resources.resource_create(
        actor=township_cadre, unit=township, kind="job", title="手工编织计件工",
        provider=f"{township.name}巾帼手工编织合作社", provider_kind="enterprise", capacity=6,
        starts_on=today - dt.timedelta(days=20), ends_on=today + dt.timedelta(days=160), lat=SEAT[0] + 0.004,
        lng=SEAT[1] - 0.006,
        address=f"{township.name}西关村北", description="可领料回家加工，按件计酬，适合需要照顾孩子的妈妈。",
        client_token=f"{MARK}job", now=_at(today - dt.timedelta(days=20)))
    made["loan"] = resources.resource_create(
        actor=province_chair, unit=province_chair.unit, kind="micro_loan", title="巾帼创业贷（财政贴息）",
        provider="河北省妇联、河北省农村信用社", provider_kind="federation", capacity=500, amount="50000",
        visibility=Visibility.PROVINCE, starts_on=today - dt.timedelta(days=90),
        ends_on=today + dt.timedelta(days=275), groups=[G.LOW_INCOME, G.SINGLE_MOTHER, G.DISABLED],
        description="每户最高5万元，三年期，财政全额贴息，用于创业和发展生产。",
        client_token=f"{MARK}loan", now=_at(today - dt.timedelta(days=90)))
    made["volunteer"] = resources.resource_create(
        actor=county_chair, unit=county, kind="volunteer", title="巾帼志愿者上门服务（课业辅导、生活照料）",
        provider="正定县巾帼志愿服务队", provider_kind="social_org", capacity=200,
        starts_on=today - dt.timedelta(days=60), ends_on=today + dt.timedelta(days=300),
        client_token=f"{MARK}volunteer", now=_at(today - dt.timedelta(days=60)))
    beijing = _beijing(today=today, province_chair=province_chair)
    if beijing is not None:
        user, chaoyang = beijing
        made["beijing"] = resources.resource_create(
            actor=user, unit=chaoyang, kind="job", title="家政服务员（包吃住）", provider="北京市朝阳区某家政服务公司",
            provider_kind="enterprise", capacity=3, visibility=Visibility.PARTNERS,
            starts_on=today - dt.timedelta(days=30), ends_on=today + dt.timedelta(days=150), lat=39.921, lng=116.443,
            address="北京市朝阳区", description="京津冀妇女发展协作岗位：岗前培训后上岗，月薪6000元起。",
            client_token=f"{MARK}beijing", now=_at(today - dt.timedelta(days=30)))
    return made


def _offer(actor, goal: HelpGoal, resource, *, sent: dt.date, answer: bool | None = None, outcome: str = "",
           outcome_on: dt.date | None = None, today: dt.date):
    offer = matching.offer_send(actor=actor, goal=goal, resource=resource, today=sent, now=_at(sent, 9),
                                client_token=f"{MARK}offer-{goal.pk}-{resource.pk}")
    if answer is not None:
        offer = matching.offer_answer(actor=actor, offer=offer, accept=answer, now=_at(sent + dt.timedelta(days=1)))
    if outcome:
        offer = matching.offer_outcome(actor=actor, offer=offer, outcome=outcome, on=outcome_on, today=today,
                                       now=_at(outcome_on, 16))
    return offer


def demo_care(*, users: dict[str, User] | None = None, need_id: int | None = None, now=None) -> dict:
    """Expects the demo's accounts (hb-province, hb-county, hb-township, hb-village), women in 正定县's villages,
    恒东社区's families (demo_families) and 正定县's trainings (demo_organise); `need_id`: an open employment need of
    a contact log of hb-village's, which opens the first help plan."""
    now = now or timezone.now()
    users = users or {u.username: u for u in User.objects.filter(username__startswith="hb-")}
    county_chair, cadre, township_cadre = users["hb-county"], users["hb-village"], users["hb-township"]
    county, village = county_chair.unit, cadre.unit
    if CareMembership.objects.filter(client_token__startswith=MARK).exists():
        return {"created": False}
    today = timezone.localdate(now)

    def actor_for(woman: Woman):
        for user in (cadre, township_cadre):
            if allows(user, Action.EDIT, woman.unit_path):
                return user
        return county_chair

    facts = plans.need_facts(cadre, need_id) if need_id else None
    need_woman = Woman.objects.get(pk=facts["woman_id"]) if facts else None
    families = list(Family.objects.filter(unit=village).order_by("pk")[:len(CHILDREN)])
    links = [f.members.filter(woman__isnull=False).select_related("woman").order_by("pk").first() for f in families]
    families = [f for f, link in zip(families, links, strict=True) if link is not None]
    heads = [link.woman for link in links if link is not None]
    home = [w for w in Woman.objects.filter(home_unit=village, merged_into__isnull=True).order_by("pk")
            if w != need_woman][:len(HOME)]
    home = [w for w in heads if w in home] + [w for w in home if w not in heads]  # the families' women first
    others = _other_women(county, village, len(OTHERS))
    made = {"created": True}
    if need_woman is not None:
        made.update(_register(actor_for, [need_woman], [[(G.SINGLE_MOTHER, {}, 400, None),
                                                         (G.LOW_INCOME, {"low_income_kind": "dibao"}, 400, None)]],
                              today))
    for women, spec in ((home, HOME), (others, OTHERS)):
        for key, n in _register(actor_for, women, spec, today).items():
            made[key] = made.get(key, 0) + n

    # children of 恒东社区's families, each with the mother's consent recorded on a visit
    made["children"] = 0
    for n, (family, mother) in enumerate(zip(families, heads, strict=True)):
        situation, school, note = CHILDREN[n]
        member = family.members.filter(relation="child").order_by("pk").first()
        born = dt.date(member.birth_year if member and member.birth_year else today.year - 6 - n, 3 + n, 10 + n)
        registry.child_create(
            actor=cadre, family=family, name=member.name if member else NAMES[n], sex=member.sex if member and
            member.sex in ("f", "m") else "fm"[n % 2], birth_date=born, situation=situation, guardian=mother,
            guardian_relation="母亲", school=school, situation_note=note, consent_by=mother.name,
            consent_on=today - dt.timedelta(days=40 - n), consent_note="入户走访时监护人签字同意", today=today,
            now=_at(today - dt.timedelta(days=40 - n)), client_token=f"{MARK}child-{family.pk}")
        made["children"] += 1

    offered = _resources(users=users, county=county, today=today)
    made["resources"] = len(offered)
    goals = {}

    def plan(woman, key: str, *, title: str, days_ago: int, goals_: list[dict], coordinates: bool = False):
        if woman is None:
            return None
        actor = actor_for(woman)
        opened = today - dt.timedelta(days=days_ago)
        made_plan = plans.plan_open(
            actor=actor, woman=woman, title=title, responsible=actor, review_on=today + dt.timedelta(days=45),
            today=opened, now=_at(opened), goals=goals_, lat=SEAT[0] + 0.01 if coordinates else None,
            lng=SEAT[1] + 0.01 if coordinates else None, client_token=f"{MARK}plan-{woman.pk}")
        for goal in made_plan.goals.order_by("pk"):
            goals[f"{key}-{goal.category}"] = goal
        return made_plan

    def pick(women, i):
        return women[i] if i < len(women) else None

    if need_woman is not None:  # the visit's need opens her plan
        goals["need"] = plans.plan_from_need(actor=cadre, need_id=need_id, today=today, responsible=cadre,
                                             skills=["domestic"], now=_at(today, 9))
    plan(pick(home, 1), "dibao", title="稳定就业增收", days_ago=50, coordinates=True, goals_=[
        {"category": "employment", "text": "想在家门口找份计件活，方便照顾孩子", "skills": ["handicraft"]}])
    hardship = plan(pick(home, 3), "disabled", title="困难救助与康复", days_ago=100, goals_=[
        {"category": "hardship", "text": "生活困难，需要临时救助"}])
    plan(pick(home, 0), "left", title="留守家庭关爱", days_ago=30, goals_=[
        {"category": "children", "text": "孩子学习跟不上，需要课业辅导"},
        {"category": "employment", "text": "想学家政技能，外出务工", "skills": ["domestic"]}])
    plan(pick(others, 0), "away", title="外出务工帮扶", days_ago=40, goals_=[
        {"category": "employment", "text": "会做家务，想去北京做家政", "skills": ["domestic"]}])
    plan(pick(others, 2), "shop", title="创业帮扶", days_ago=70, coordinates=True, goals_=[
        {"category": "employment", "text": "想开网店卖正定特产，缺启动资金", "skills": ["ecommerce"]}])
    elderly = plan(pick(others, 4), "elderly", title="独居老人照料", days_ago=150, goals_=[
        {"category": "health", "text": "独居，行动不便，需要定期上门照料"}])
    plan(pick(others, 6), "back", title="返乡就业", days_ago=5, goals_=[
        {"category": "employment", "text": "返乡后想就近就业"}])
    made["plans"] = len({g.plan_id for g in goals.values()})

    # offers: a seat accepted (the course is still to come), a township job and a micro-loan accepted with their
    # outcome, a Beijing job declined and another one waiting for her answer, volunteer tutoring that helped
    made["offers"] = 0
    steps = [
        ("need", "seat", {"sent": today, "answer": True}),
        ("dibao-employment", "job", {"sent": today - dt.timedelta(days=15), "answer": True,
                                     "outcome": OfferOutcome.EMPLOYED, "outcome_on": today - dt.timedelta(days=7)}),
        ("shop-employment", "loan", {"sent": today - dt.timedelta(days=40), "answer": True,
                                     "outcome": OfferOutcome.RECEIVED, "outcome_on": today - dt.timedelta(days=30)}),
        ("left-children", "volunteer", {"sent": today - dt.timedelta(days=20), "answer": True,
                                        "outcome": OfferOutcome.RECEIVED,
                                        "outcome_on": today - dt.timedelta(days=10)}),
        ("away-employment", "beijing", {"sent": today - dt.timedelta(days=6), "answer": False}),
        ("left-employment", "beijing", {"sent": today - dt.timedelta(days=2)}),
    ]
    for goal_key, resource_key, how in steps:
        goal, resource = goals.get(goal_key), offered.get(resource_key)
        if goal is not None and resource is not None:
            _offer(actor_for(goal.woman), goal, resource, today=today, **how)
            made["offers"] += 1

    # help given over time, outside the offers; the elderly woman's plan reached its goal and closed
    if hardship is not None:
        actor = actor_for(hardship.woman)
        plans.help_add(actor=actor, plan=hardship, given_on=today - dt.timedelta(days=90), kind="money",
                       amount="2000", provider="正定县妇联", note="困难妇女临时救助金", today=today,
                       client_token=f"{MARK}help-{hardship.pk}-1")
        plans.help_add(actor=actor, plan=hardship, given_on=today - dt.timedelta(days=30), kind="goods",
                       amount="300", provider="正定县巾帼志愿服务队", note="米、面、油", today=today,
                       client_token=f"{MARK}help-{hardship.pk}-2")
    if elderly is not None:
        actor = actor_for(elderly.woman)
        for days in (120, 60):
            plans.help_add(actor=actor, plan=elderly, given_on=today - dt.timedelta(days=days), kind="service",
                           hours="3", provider="巾帼志愿服务队", note="上门打扫、陪同就医", today=today,
                           client_token=f"{MARK}help-{elderly.pk}-{days}")
        closed_on = today - dt.timedelta(days=10)
        plans.goal_close(actor=actor, goal=goals["elderly-health"], state="met", today=closed_on,
                         now=_at(closed_on))
        elderly.refresh_from_db()
        plans.plan_close(actor=actor, plan=elderly, version=elderly.version, outcome=PlanOutcome.GOAL_MET,
                         today=closed_on, note="已纳入村级邻里互助，由志愿者定期探访", now=_at(closed_on))
    made["help"] = sum(p.help.count() for p in {g.plan for g in goals.values()})

    batch = matching.batch_propose(actor=county_chair, unit=county, today=today, now=now)
    made.update(batch=batch.pk, batch_matched=batch.matched, batch_needs=batch.needs, beijing_user=BEIJING_USER
                if "beijing" in offered else None)
    return made
