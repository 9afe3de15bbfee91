"""Demo 经费保障 in 河北: the province's year of 基层妇联工作经费 (its line from the provincial finance) allocated
per head of the population entered for its cities, with at least 40 % to reach village level; 石家庄市 keeps a
tenth of its share and splits the rest among its counties by their village federations; 正定县 keeps a tenth and
cascades the rest per registered woman to its villages through its townships, each township keeping 5 %. The money
is paid down the chain: most of 正定县's townships confirmed it and paid their villages on, the last ones have not
yet (their villages show among those without money); several villages confirmed receipt and spent some
(activities, their Women's Home, care — one linked to a help plan), one more than it received (recorded with its
warning). 正定县 also received a grant from the county finance, spent on a training linked to one of its activities,
and corrected a mistyped amount (reversed and posted anew). Everything goes through the services, dated in the
past, so the figures are live and equal `indicators_recount`. Safe to run twice (a second run finds its allocation
and adds nothing)."""

import datetime as dt
import math
from decimal import ROUND_DOWN, Decimal

from django.utils import timezone

from fulian.accounts.models import User
from fulian.orgs.models import Kind, Level, SourceStatus, Unit

from . import allocations, ledger, population
from .models import Allocation, Basis, Entry, EntryKind, LinkKind, Purpose, Share, Source

MARK = "demo-funding-"
AMOUNT = Decimal("50000000.00")  # the province's line for the year
CITY_KEEPS = COUNTY_KEEPS = Decimal("0.10")
TOWNSHIP_KEEPS = "5"  # percent
MIN_VILLAGE_SHARE = "40"
TOWNSHIPS_PAYING = 0.7  # of 正定县's townships, the first ones (in code order) confirmed and paid on
VILLAGES_CONFIRMING = 2  # in each of those townships, the first villages that confirmed receipt
# 常住人口 of Hebei's cities (the 2020 census), which the province's per-head rule weighs
POPULATIONS = {"130100000000": 11_235_086, "130200000000": 7_717_983, "130300000000": 3_136_879,
               "130400000000": 9_413_990, "130500000000": 7_111_106, "130600000000": 11_544_036,
               "130700000000": 4_118_908, "130800000000": 3_354_444, "130900000000": 7_300_783,
               "131000000000": 5_464_087, "131100000000": 4_212_933}
CITY = "130100000000"
CONFIRMED_BY_PROVINCE = ("130200000000", "130600000000")  # 唐山市, 保定市: their cadres confirmed too
VILLAGE_SPENDING = [  # 恒东社区's spending: purpose, part of what it received, note
    (Purpose.ACTIVITIES, Decimal("0.30"), "“三八”妇女节趣味运动会奖品和场地布置"),
    (Purpose.WOMENS_HOME, Decimal("0.25"), "妇女之家添置书柜和桌椅"),
    (Purpose.CARE, Decimal("0.15"), "走访慰问困难妇女"),
]


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _part(amount: Decimal, fraction: Decimal) -> Decimal:
    return (amount * fraction).quantize(Decimal("0.01"), rounding=ROUND_DOWN)


def _children(unit: Unit, level: int | None = None) -> list[Unit]:
    rows = Unit.objects.filter(parent=unit, kind=Kind.GEOGRAPHIC).exclude(source_status=SourceStatus.REMOVED)
    return list((rows.filter(level=level) if level else rows).order_by("code"))


def _confirm(actor, unit: Unit, allocation: Allocation, day: dt.date) -> Entry | None:
    """The unit confirms the money passed on to it for `allocation` (or for a split of it), if it was."""
    disbursement = ledger.receipts_to_confirm(unit).filter(share__allocation=allocation).order_by("pk").first()
    if disbursement is None:
        return None
    return ledger.receipt_confirm(actor=actor, disbursement=disbursement, on_date=day, now=_at(day, 9))


def demo_funding(*, users: dict[str, User] | None = None, activity_id: int | None = None,
                 help_plan_id: int | None = None, now=None) -> dict:
    """Expects the demo's accounts (hb-province, hb-city, hb-county, hb-township, hb-village-chair) and women in
    正定县's villages. `activity_id`: an activity of 正定县 its training expense is linked to; `help_plan_id`: a help
    plan of 恒东社区 its care expense is linked to (both optional)."""
    now = now or timezone.now()
    users = users or {u.username: u for u in User.objects.filter(username__startswith="hb-")}
    if Allocation.objects.filter(client_token__startswith=MARK).exists():
        return {"created": False}
    province_chair, city_chair, county_chair = users["hb-province"], users["hb-city"], users["hb-county"]
    township_cadre, village_chair = users["hb-township"], users["hb-village-chair"]
    province, city, county = province_chair.unit, city_chair.unit, county_chair.unit
    township, village = township_cadre.unit, village_chair.unit
    today = timezone.localdate(now)
    year = today.year
    start = max(dt.date(year, 1, 1), today - dt.timedelta(days=80))

    def day(n: int) -> dt.date:
        return min(today, start + dt.timedelta(days=n))

    made = {"created": True, "year": year, "amount": AMOUNT}

    # the province: its line from the provincial finance, the cities' population, the allocation, paid at once
    ledger.receipt_post(actor=province_chair, unit=province, on_date=day(0), amount=AMOUNT, source=Source.GOVERNMENT,
                        payer="河北省财政厅", note=f"{year}年基层妇联工作经费预算",
                        client_token=f"{MARK}province-budget", now=_at(day(0)))
    cities = [c for c in _children(province) if c.code in POPULATIONS]
    for c in cities:
        population.population_set(actor=province_chair, unit=c, year=year, population=POPULATIONS[c.code],
                                  now=_at(day(0)))
    rule = allocations.rule_clean(province, basis=Basis.POPULATION, min_village_share=MIN_VILLAGE_SHARE)
    title = f"{year}年基层妇联工作经费"
    first = allocations.allocation_confirm(
        actor=province_chair, unit=province, year=year, title=title, rule=rule, amount=AMOUNT,
        pay_by=day(1) + dt.timedelta(days=30), client_token=f"{MARK}province", now=_at(day(1)))
    ledger.shares_pay(actor=province_chair, unit=province, allocation=first, on_date=day(3), now=_at(day(3)))
    made["cities"] = first.shares.count()
    for c in cities:
        if c.code in CONFIRMED_BY_PROVINCE:
            _confirm(province_chair, c, first, day(5))

    # 石家庄市 confirms, keeps a tenth and splits the rest among its counties by their village federations
    _confirm(city_chair, city, first, day(5))
    city_share = Share.objects.get(allocation=first, unit=city)
    second = allocations.allocation_confirm(
        actor=city_chair, unit=city, year=year, title=f"{title}（{city.name}转拨）", from_share=city_share,
        kept=_part(city_share.amount, CITY_KEEPS), rule=allocations.rule_clean(city, basis=Basis.VILLAGES),
        pay_by=day(6) + dt.timedelta(days=30), client_token=f"{MARK}city", now=_at(day(6)))
    ledger.shares_pay(actor=city_chair, unit=city, allocation=second, on_date=day(8), now=_at(day(8)))
    made["counties"] = second.shares.count()
    other = users.get("hb-other-county")
    if other is not None:
        _confirm(other, other.unit, second, day(10))

    # 正定县: a grant from the county finance, its share confirmed and cascaded to its villages through its townships
    ledger.receipt_post(actor=county_chair, unit=county, on_date=day(2), amount="80000.00", source=Source.GOVERNMENT,
                        payer=f"{county.name}财政局", note="妇联工作经费（本级财政预算）",
                        client_token=f"{MARK}county-grant", now=_at(day(2)))
    _confirm(county_chair, county, second, day(10))
    county_share = Share.objects.get(allocation=second, unit=county)
    rule = allocations.rule_clean(county, basis=Basis.WOMEN, target_level=Level.VILLAGE,
                                  level_keep={Level.TOWNSHIP: TOWNSHIP_KEEPS})
    third = allocations.allocation_confirm(
        actor=county_chair, unit=county, year=year, title=f"{title}（{county.name}到村）", from_share=county_share,
        kept=_part(county_share.amount, COUNTY_KEEPS), rule=rule, pay_by=day(11) + dt.timedelta(days=30),
        client_token=f"{MARK}county", now=_at(day(11)))
    ledger.shares_pay(actor=county_chair, unit=county, allocation=third, on_date=day(13), now=_at(day(13)))
    made["villages"] = third.shares.filter(level=Level.VILLAGE).count()

    # the first townships confirm and pay their villages on (正定镇 by its own cadre); the last ones have not yet
    townships = [s.unit for s in third.shares.filter(level=Level.TOWNSHIP).select_related("unit").order_by("unit_path")]
    paying = townships[:math.ceil(len(townships) * TOWNSHIPS_PAYING)]
    for t in paying:
        actor = township_cadre if t.pk == township.pk else county_chair
        _confirm(actor, t, third, day(15))
        ledger.shares_pay(actor=actor, unit=t, allocation=third, on_date=day(17), now=_at(day(17)))
    made["townships"], made["townships_paid"] = len(townships), len(paying)

    # villages confirm: 恒东社区 by its chair, the first others of each paying township by the township's cadre
    received = {}
    if any(t.pk == village.parent_id for t in paying):
        received[village.pk] = _confirm(village_chair, village, third, day(20))
    for t in paying:
        actor = township_cadre if t.pk == township.pk else county_chair
        for v in [v for v in _children(t, Level.VILLAGE) if v.pk != village.pk][:VILLAGES_CONFIRMING]:
            receipt = _confirm(actor, v, third, day(21))
            if receipt is not None:
                received[v.pk] = receipt
    received = {k: r for k, r in received.items() if r is not None}
    made["villages_confirmed"] = len(received)

    # spending: 恒东社区's activities, Women's Home and care; the other villages that confirmed some activities,
    # and one of them a Women's Home more than it received (recorded with its warning)
    expenses = 0
    home = received.get(village.pk)
    if home is not None:
        for n, (purpose, part, note) in enumerate(VILLAGE_SPENDING):
            link = {"link_kind": LinkKind.HELP_PLAN, "link_id": help_plan_id} if (
                purpose == Purpose.CARE and help_plan_id) else {}
            ledger.expense_post(actor=village_chair, unit=village, on_date=day(30 + 10 * n),
                                amount=_part(home.amount, part), purpose=purpose, note=note,
                                client_token=f"{MARK}village-{n}", now=_at(day(30 + 10 * n), 15), **link)
            expenses += 1
    others = [r for k, r in received.items() if k != village.pk]
    for n, receipt in enumerate(others):
        actor = township_cadre if receipt.unit_path.startswith(township.path) else county_chair
        over = n == 0
        ledger.expense_post(
            actor=actor, unit=receipt.unit, on_date=day(35 + n), purpose=Purpose.WOMENS_HOME if over else
            Purpose.ACTIVITIES, amount=_part(receipt.amount, Decimal("1.25") if over else Decimal("0.40")),
            note="妇女之家阵地改造（墙面、标识和活动器材），村集体垫付一部分" if over else "巾帼志愿服务活动",
            client_token=f"{MARK}other-{receipt.unit_id}", now=_at(day(35 + n), 15))
        expenses += 1
        if n >= 4:
            break

    # 正定县 spends on a training (linked to its activity when there is one) and corrects a mistyped amount
    link = {"link_kind": LinkKind.ACTIVITY, "link_id": activity_id} if activity_id else {}
    ledger.expense_post(actor=county_chair, unit=county, on_date=day(40), amount="12000.00", purpose=Purpose.TRAINING,
                        note="家政技能培训班场地、教材和讲课费", client_token=f"{MARK}county-training",
                        now=_at(day(40), 15), **link)
    typed = ledger.expense_post(actor=county_chair, unit=county, on_date=day(45), amount="6300.00",
                                purpose=Purpose.OPERATIONS, note="妇联办公用品和宣传资料印制",
                                client_token=f"{MARK}county-typo", now=_at(day(45), 15))
    ledger.entry_correct(actor=county_chair, entry=typed, reason="金额录入错误，应为3600.00元", amount="3600.00",
                         now=_at(day(46), 9))
    made["expenses"] = expenses + 2
    made["corrections"] = 1
    made["warnings"] = Entry.objects.filter(kind=EntryKind.EXPENSE, unit_path__startswith=county.path).exclude(
        warning="").count()
    made["villages_without"] = made["villages"] - len(received)
    made["allocations"] = [first.pk, second.pk, third.pk]
    return made
