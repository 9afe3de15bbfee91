"""Issue 19 figures: (a) a per-head cascade from 河北省 to every one of its villages (≈54,000) in one allocation
(funding.allocations.allocation_confirm, each level in between keeping 5 %: the plan from about 1,000,000 registered
women, ≈57,000 shares written level by level and the dispatch to every village) against a bare bulk insert of the
same number of Share rows into a fresh allocation (Share.objects.bulk_create of plain rows read beforehand, no
computing), the median of 3 interleaved rounds (the goal, ≤ 5×); (b) the funds page of a unit and year at the
province root vs at a county (the page /funding/units/<id>/?year= when it is there, and the selector it renders,
selectors.funds_summary), p50/p95 of 3 interleaved rounds (the goal, ≤ 2× at p95), after the money went down the
chain: every unit in between confirmed its money and paid its shares on (ledger.shares_pay), a fifth of the villages
confirmed receipt (ledger.receipt_confirm) and some of them spent (ledger.expense_post), all through the services.
"""

import datetime as dt
import random
import statistics
import time

from django.db.models import Count
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from fulian.accounts.tests.factories import UserFactory
from fulian.core.figures import STANDING, figures_add
from fulian.core.policy import Role
from fulian.core.tree import subtree_q
from fulian.dispatch.models import Dispatch
from fulian.evaluation.tallies import figures_fold
from fulian.funding import allocations, ledger, selectors
from fulian.funding.models import Allocation, Basis, Entry, EntryKind, Purpose, Share
from fulian.orgs.models import Kind, Level, SourceStatus, Unit
from fulian.people.models import Woman

from .run import ROUNDS, compare, tables_analyze

PROVINCE = "130000000000"
COUNTY = "130123000000"  # 正定县, the county whose page is read
AMOUNT = "120000000.00"  # the year's 基层妇联工作经费 of the province
KEEP = {2: "5", 3: "5", 4: "5"}  # each level in between keeps 5 %
WOMEN = 1_000_000
CONFIRMING = 0.2  # villages that confirmed their money
SPENDING = 0.25  # of those, the ones that spent some of it
COUNTY_CONFIRMING = 0.8  # in the county read, more villages confirmed


def _women(villages: list[tuple[int, str]], rng) -> int:
    """About WOMEN registered women over Hebei's villages, 4 to 33 a village: the registry's own if a part before
    made them, else plain rows written here with their standing figure (the per-head rule counts the registry)."""
    hebei = Unit.objects.get(code=PROVINCE)
    existing = Woman.objects.filter(subtree_q(hebei.path, "unit_path"), merged_into__isnull=True).count()
    if existing >= WOMEN * 0.9:
        return existing
    t = time.perf_counter()
    rows, deltas, made = [], [], 0
    for unit_id, path in villages:
        n = rng.randint(4, 33)
        rows += [Woman(name="女", home_unit_id=unit_id, unit_path=path) for _ in range(n)]
        deltas.append((path, STANDING, "women", n))
        made += n
        if len(rows) >= 5000:
            Woman.objects.bulk_create(rows, batch_size=5000)
            rows = []
    Woman.objects.bulk_create(rows, batch_size=5000)
    figures_add(deltas)
    tables_analyze(Woman)
    print(f"  (registered {made:,} women over {len(villages):,} villages in {time.perf_counter() - t:.0f}s)",
          flush=True)
    return existing + made


def _rule(hebei: Unit):
    return allocations.rule_clean(hebei, basis=Basis.WOMEN, target_level=Level.VILLAGE, level_keep=KEEP)


def cascade(report, chair, hebei: Unit, year: int, pay_by: dt.date) -> Allocation:
    """(a): the cascade and the bare insert, interleaved; returns the last cascade (the money then goes down it)."""
    units = list(Unit.objects.filter(subtree_q(hebei.path, include_self=False), level__lte=Level.VILLAGE,
                                     kind=Kind.GEOGRAPHIC).exclude(source_status=SourceStatus.REMOVED)
                 .order_by("path").values_list("id", "path", "level"))

    def confirm(n: int) -> Allocation:
        """The rounds before the last allocate earlier years: only the last one is the year's money."""
        return allocations.allocation_confirm(actor=chair, unit=hebei, year=year - ROUNDS + n,
                                              title=f"{year - ROUNDS + n}年基层妇联工作经费", rule=_rule(hebei),
                                              pay_by=pay_by, amount=AMOUNT)

    def bare(n: int) -> float:
        """A fresh allocation (its dispatch and row made before the clock starts), then the plain rows."""
        dispatch = Dispatch.objects.create(kind="bench", unit=hebei, unit_path=hebei.path, title=f"bare {n}",
                                           deadline=timezone.now() + dt.timedelta(days=30), created_at=timezone.now())
        fresh = Allocation.objects.create(unit=hebei, unit_path=hebei.path, dispatch=dispatch, year=2001,
                                          title=f"bare {n}", amount=AMOUNT, basis=Basis.WOMEN,
                                          target_level=Level.VILLAGE, created_at=timezone.now())
        t = time.perf_counter()
        Share.objects.bulk_create([Share(allocation=fresh, unit_id=unit_id, unit_path=path, level=level, amount=1)
                                   for unit_id, path, level in units], batch_size=2000)
        return time.perf_counter() - t

    allocation = confirm(0)  # warm every path once, as the other parts do
    bare(0)
    rounds = []
    for n in range(1, ROUNDS + 1):
        t = time.perf_counter()
        plan = allocations.allocation_preview(actor=chair, unit=hebei, year=year, rule=_rule(hebei),
                                              amount=AMOUNT)
        plan_s = time.perf_counter() - t
        t = time.perf_counter()
        allocation = confirm(n)
        rounds.append((time.perf_counter() - t, bare(n), plan_s))
    shares = allocation.shares.count()
    villages = allocation.shares.filter(level=Level.VILLAGE).count()
    assert shares == len(units) and allocation.dispatch.recipient_count == villages, (shares, villages)
    top = sum(s.amount for s in allocation.shares.filter(parent=None))
    assert top == allocation.amount, (top, allocation.amount)
    cascade_s = statistics.median(r[0] for r in rounds)
    report.add(f"per-head cascade to every Hebei village ({villages:,}) (s)", f"{cascade_s:.2f}s",
               f"bare bulk_create of the same {shares:,} Share rows", f"{statistics.median(r[1] for r in rounds):.2f}s",
               statistics.median(r[0] / r[1] for r in rounds))
    report.add("  of which the plan (allocation_preview)", f"{statistics.median(r[2] for r in rounds):.2f}s",
               f"village share of the plan: {float(plan.village_share):.4f}", f"{len(plan.nodes):,} units", None)
    return allocation


def _confirm_and_pay(chair, allocation: Allocation, units: list[Unit], paid_on: dt.date, received_on: dt.date):
    """Each unit confirms what was passed on to it for `allocation`, then pays its shares on."""
    for unit in units:
        disbursement = Entry.objects.get(kind=EntryKind.DISBURSEMENT, other_unit=unit, share__allocation=allocation)
        ledger.receipt_confirm(actor=chair, disbursement=disbursement, on_date=received_on)
        ledger.shares_pay(actor=chair, unit=unit, allocation=allocation, on_date=paid_on)


def money_down(report, chair, hebei: Unit, allocation: Allocation, today: dt.date, rng) -> dict:
    """The province pays its cities; every city, county and township confirms and pays on; CONFIRMING of the villages
    (COUNTY_CONFIRMING in 正定县) confirm, SPENDING of them spend; the county records a government grant and spends."""
    start = max(dt.date(today.year, 1, 1), today - dt.timedelta(days=40))
    day = [min(today, start + dt.timedelta(days=7 * i)) for i in range(6)]
    t = time.perf_counter()
    ledger.shares_pay(actor=chair, unit=hebei, allocation=allocation, on_date=day[0])
    counts = {}
    for i, level in enumerate((Level.CITY, Level.COUNTY, Level.TOWNSHIP), start=1):
        units = list(Unit.objects.filter(pk__in=allocation.shares.filter(level=level).values("unit_id"))
                     .order_by("path"))
        _confirm_and_pay(chair, allocation, units, paid_on=day[i], received_on=day[i])
        counts[level] = len(units)
    paid_s = time.perf_counter() - t

    county = Unit.objects.get(code=COUNTY)
    waiting = list(Entry.objects.filter(kind=EntryKind.DISBURSEMENT, share__allocation=allocation,
                                        level=Level.TOWNSHIP).select_related("other_unit", "share").order_by("id"))
    chosen = [e for e in waiting if rng.random() < (COUNTY_CONFIRMING if e.unit_path.startswith(county.path)
                                                    else CONFIRMING)]
    t = time.perf_counter()
    received = []
    for disbursement in chosen:
        received.append(ledger.receipt_confirm(actor=chair, disbursement=disbursement, on_date=day[4]))
    confirm_ms = (time.perf_counter() - t) * 1000 / len(chosen)
    spenders = [r for r in received if rng.random() < SPENDING]
    t = time.perf_counter()
    purposes = [Purpose.ACTIVITIES, Purpose.WOMENS_HOME, Purpose.CARE, Purpose.TRAINING, Purpose.OPERATIONS]
    for receipt in spenders:
        amount = (receipt.amount * rng.choice([20, 35, 50, 80, 110]) / 100).quantize(receipt.amount)
        ledger.expense_post(actor=chair, unit=receipt.unit, on_date=day[5], amount=amount,
                            purpose=rng.choice(purposes))
    expense_ms = (time.perf_counter() - t) * 1000 / len(spenders)
    ledger.receipt_post(actor=chair, unit=county, on_date=day[2], amount="200000.00", source="government",
                        payer="正定县财政局")
    ledger.expense_post(actor=chair, unit=county, on_date=day[3], amount="36000.00", purpose=Purpose.TRAINING)
    figures_fold()
    tables_analyze(Entry, Share)
    print(f"  (money down the chain in {paid_s:.0f}s: the province paid {counts[Level.CITY]} cities, "
          f"{counts[Level.CITY] + counts[Level.COUNTY] + counts[Level.TOWNSHIP]:,} units confirmed and paid on; "
          f"{len(chosen):,} villages confirmed, {len(spenders):,} spent; {Entry.objects.count():,} ledger lines)",
          flush=True)
    report.add("village confirms its money (receipt_confirm) (ms)", f"{confirm_ms:.1f} ms", "villages confirmed",
               f"{len(chosen):,}", None)
    report.add("village records spending (expense_post) (ms)", f"{expense_ms:.1f} ms", "expenses",
               f"{len(spenders):,}", None)
    return {"county": county, "confirmed": len(chosen), "received": sum(r.amount for r in received)}


def pages(report, chair, hebei: Unit, year: int, flow: dict, *, repeat: int) -> None:
    """(b): the funds page at the root vs at a county, and the selector it renders."""
    county = flow["county"]
    summary = selectors.funds_summary(chair, hebei, year)
    reached = summary["subtree"]["villages_reached"]
    assert reached == flow["confirmed"], (reached, flow["confirmed"])
    share = summary["subtree"]["village_share"]
    villages = summary["subtree"]["villages"]
    report.add("share that reached villages (province, live figures)", f"{share:.4f}",
               "villages reached / in Hebei", f"{reached:,} / {villages:,}", None)
    compare(report, "funds summary (selectors.funds_summary)", lambda: selectors.funds_summary(chair, hebei, year),
            lambda: selectors.funds_summary(chair, county, year), repeat=repeat,
            root_name=f"province, {villages:,} villages", leaf_name="a county")
    try:
        root_url, county_url = (reverse("funding_unit", args=[u.pk]) for u in (hebei, county))
    except NoReverseMatch:
        print("  (the funds page /funding/units/<id>/ is not there yet: its selector is measured above)", flush=True)
        return
    page = Client()
    page.force_login(chair)

    def get(url):
        response = page.get(url, {"year": year})
        assert response.status_code == 200, response.status_code

    compare(report, "funds page", lambda: get(root_url), lambda: get(county_url), repeat=repeat,
            root_name=f"province, {villages:,} villages", leaf_name="a county")


def run(report, *, repeat: int) -> None:
    if not Unit.objects.filter(code=PROVINCE).exists():
        from fulian.orgs.divisions import divisions_load, divisions_read

        divisions_load(divisions=divisions_read(provinces=["13"]))
    rng = random.Random(19)
    hebei = Unit.objects.get(code=PROVINCE)
    today = timezone.localdate()
    villages = list(Unit.objects.filter(subtree_q(hebei.path, include_self=False), level=Level.VILLAGE,
                                        kind=Kind.GEOGRAPHIC).order_by("path").values_list("id", "path"))
    women = _women(villages, rng)
    counted = Woman.objects.filter(subtree_q(hebei.path, "unit_path")).aggregate(n=Count("id"))["n"]
    print(f"  (Hebei: {len(villages):,} villages, {counted:,} women registered)", flush=True)
    assert counted >= women
    chair = UserFactory(username="bench-funding-province", unit=hebei, roles=[Role.CHAIR])
    allocation = cascade(report, chair, hebei, today.year, today + dt.timedelta(days=30))
    flow = money_down(report, chair, hebei, allocation, today, rng)
    pages(report, chair, hebei, today.year, flow, repeat=repeat)
