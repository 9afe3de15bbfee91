"""Issue 18 figures: 100,000 open needs (goals of open help plans, four in five of them employment, over Hebei's
villages, denser in 正定县) and 10,000 resources at villages across Hebei (jobs, micro-loans, donations, volunteer
hours, charity projects), all written in bulk with their care groups; their live figures brought in line once from
care's own counter. Plans and resources: some with coordinates around their county seat (counties near their city's
middle), the others without. Then

(a) proposals for one need (care.matching.proposals_for_goal, as the goal page calls it) over 200 random needs, with
    every resource visible province-wide against the same resources each visible in its own village only — the
    same rows, only their visibility changed — each the median of 3 interleaved rounds;
(b) batch matching of 正定县 (the steps of care.matching.batch_propose — batch_inputs, batch_compute,
    assign.assign_near — each timed: its open employment needs against the open job places it may offer, its own
    jobs published by the county and the province-wide jobs elsewhere, one in twenty): the time, and the needs
    matched and their mean distance against the greedy nearest-first pass on the same input in the same run
    (assign.assign_greedy).
"""

import datetime as dt
import random
import statistics
import time

from django.db.models import Max
from django.utils import timezone

from fulian.accounts.tests.factories import UserFactory
from fulian.care import assign, matching
from fulian.care.figures import care_figures
from fulian.care.models import (
    GROUP_BITS,
    SKILL_BITS,
    CareGroup,
    CareMembership,
    GoalCategory,
    HelpGoal,
    HelpPlan,
    LowIncomeKind,
    Offer,
    ProviderKind,
    Resource,
    ResourceKind,
    Visibility,
)
from fulian.core.figures import figures_add
from fulian.core.policy import Role
from fulian.core.tree import SEGMENT, subtree_q
from fulian.orgs.models import Kind, Level, Unit
from fulian.people.models import Woman

from .people import _villages, fill_women
from .run import ROUNDS, p, tables_analyze

NEEDS = 100_000
RESOURCES = 10_000
SAMPLES = 200  # needs whose proposals are timed, each round, each side
BATCH_COUNTY = "130123000000"  # 正定县
BATCH_WOMEN = 3_600  # of the 100,000 women with a need, those of 正定县 (about 2,900 employment needs)
PROVINCE_JOBS = 0.05  # in the batch: the share of the other counties' jobs published province-wide
OFFERS = 2_000
PLAN_COORDINATES, RESOURCE_COORDINATES = 0.35, 0.5
GROUPS = [(CareGroup.LEFT_BEHIND, 30), (CareGroup.LOW_INCOME, 30), (CareGroup.SINGLE_MOTHER, 15),
          (CareGroup.DISABLED, 8), (CareGroup.ELDERLY_ALONE, 7), (CareGroup.MIGRANT, 5), (CareGroup.OTHER, 5)]
CATEGORIES = [(GoalCategory.EMPLOYMENT, 80), (GoalCategory.HARDSHIP, 8), (GoalCategory.CHILDREN, 5),
              (GoalCategory.HEALTH, 3), (GoalCategory.FAMILY, 2), (GoalCategory.LEGAL, 1), (GoalCategory.OTHER, 1)]
KINDS = [(ResourceKind.JOB, 60), (ResourceKind.MICRO_LOAN, 10), (ResourceKind.DONATION, 12),
         (ResourceKind.VOLUNTEER, 10), (ResourceKind.CHARITY, 8)]
JOBS = ["家政服务员", "手工编织工", "电商客服", "农家乐服务员", "养老护理员", "缝纫工", "果蔬分拣工", "餐厅帮厨"]


def _pick(rng, weighted):
    return rng.choices([v for v, _w in weighted], weights=[w for _v, w in weighted])[0]


def _seats(rng, counties: list[Unit]) -> dict[str, tuple[float, float]]:
    """A made-up seat for each county: its city's middle somewhere in Hebei, the county within 0.4° of it."""
    cities: dict[str, tuple[float, float]] = {}
    seats = {}
    for county in counties:
        city = county.path[:2 * SEGMENT]
        if city not in cities:
            cities[city] = (rng.uniform(36.5, 41.5), rng.uniform(114.0, 119.0))
        lat, lng = cities[city]
        seats[county.path] = (lat + rng.uniform(-0.4, 0.4), lng + rng.uniform(-0.4, 0.4))
    return seats


def _near_seat(rng, seats, path: str, share: float):
    if rng.random() >= share:
        return None, None
    lat, lng = seats[path[:3 * SEGMENT]]
    return round(lat + rng.uniform(-0.15, 0.15), 5), round(lng + rng.uniform(-0.15, 0.15), 5)


def _women(rng, villages: list[Unit], county: Unit) -> list[tuple[int, str, dt.date | None]]:
    """NEEDS women of Hebei's villages, BATCH_WOMEN of them in the batch county: the registry's own (when the
    people part made them) or made here as the people part makes them."""
    hebei = Unit.objects.get(code="130000000000")
    existing = Woman.objects.filter(subtree_q(hebei.path, "unit_path"), merged_into__isnull=True)
    if existing.count() >= NEEDS:
        ids = list(existing.values_list("id", flat=True))
        chosen = set(rng.sample(ids, NEEDS))
    else:
        local = [v for v in villages if v.path.startswith(county.path)]
        spread = [local[i % len(local)] for i in range(BATCH_WOMEN)]
        others = [v for v in villages if not v.path.startswith(county.path)]
        spread += rng.choices(others, k=NEEDS - BATCH_WOMEN)
        before = Woman.objects.aggregate(top=Max("id"))["top"] or 0
        fill_women(spread, len(spread), {})
        chosen = None
        existing = Woman.objects.filter(id__gt=before)
    rows = existing.values_list("id", "unit_path", "birth_date").order_by("id").iterator(chunk_size=5000)
    return [r for r in rows if chosen is None or r[0] in chosen]


def _age(birth: dt.date | None, today: dt.date) -> int | None:
    if birth is None:
        return None
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def build(now: dt.datetime) -> dict:
    """Care groups, plans with their goals, resources and a few offers, in bulk; then their figures from care's own
    counter, added once (there was no care record before, so the live figures are what the recount finds)."""
    assert not HelpPlan.objects.exists(), "the care part builds on empty care tables"
    rng = random.Random(18)
    today = timezone.localdate(now)
    t = time.perf_counter()
    hebei = Unit.objects.get(code="130000000000")
    county = Unit.objects.get(code=BATCH_COUNTY)
    villages = _villages("13")
    counties = list(Unit.objects.filter(level=Level.COUNTY, kind=Kind.GEOGRAPHIC, code__startswith="13")
                    .only("id", "path"))
    seats = _seats(rng, counties)
    cadre = UserFactory(username="bench-care-cadre", unit=hebei, roles=[Role.STAFF])
    women = _women(rng, villages, county)
    women_s = time.perf_counter() - t

    t = time.perf_counter()
    memberships, masks = [], []
    for woman_id, path, _birth in women:
        mask = 0
        for group in sorted({_pick(rng, GROUPS) for _ in range(rng.choice([1, 1, 2]))}):
            mask |= GROUP_BITS[group]
            memberships.append(CareMembership(
                woman_id=woman_id, unit_path=path, group=group, created_at=now, created_by=cadre,
                start_on=today - dt.timedelta(days=rng.randint(30, 400)),
                low_income_kind=rng.choice(LowIncomeKind.values) if group == CareGroup.LOW_INCOME else "",
                disability_grade=rng.randint(1, 4) if group == CareGroup.DISABLED else None))
        masks.append(mask)
    CareMembership.objects.bulk_create(memberships, batch_size=5000)
    plans = []
    for woman_id, path, _birth in women:
        lat, lng = _near_seat(rng, seats, path, PLAN_COORDINATES)
        opened = today - dt.timedelta(days=rng.randint(0, 300))
        plans.append(HelpPlan(
            woman_id=woman_id, unit_path=path, title="帮扶台账", responsible=cadre, lat=lat, lng=lng,
            review_on=today + dt.timedelta(days=rng.randint(10, 120)), opened_on=opened,
            created_at=timezone.make_aware(dt.datetime.combine(opened, dt.time(10))), created_by=cadre))
    HelpPlan.objects.bulk_create(plans, batch_size=5000)
    goals = []
    skills = list(SKILL_BITS.values())
    for plan, mask, (_id, _path, birth) in zip(plans, masks, women, strict=True):
        category = _pick(rng, CATEGORIES)
        goals.append(HelpGoal(
            plan=plan, woman_id=plan.woman_id, unit_path=plan.unit_path, category=category,
            text=GoalCategory(category).label, groups_mask=mask, age=_age(birth, today), created_at=plan.created_at,
            skills_mask=sum(rng.sample(skills, rng.choice([0, 1, 1, 2])))))
    HelpGoal.objects.bulk_create(goals, batch_size=5000)

    resources = []
    groups = list(GROUP_BITS.values())
    for village in rng.choices(villages, k=RESOURCES):
        kind = _pick(rng, KINDS)
        capacity = {ResourceKind.JOB: rng.randint(1, 10), ResourceKind.MICRO_LOAN: rng.randint(5, 30)}.get(
            kind, rng.randint(10, 100))
        lat, lng = _near_seat(rng, seats, village.path, RESOURCE_COORDINATES)
        age_min, age_max = (18, rng.choice([45, 50, 55])) if kind == ResourceKind.JOB and rng.random() < 0.3 \
            else (None, None)
        resources.append(Resource(
            unit_id=village.pk, unit_path=village.path, province_path=hebei.path, kind=kind,
            title=rng.choice(JOBS) if kind == ResourceKind.JOB else ResourceKind(kind).label,
            provider=f"资源提供方{len(resources)}", provider_kind=rng.choice(ProviderKind.values[:5]),
            capacity=capacity, remaining=capacity - (rng.randint(0, capacity - 1) if rng.random() < 0.1 else 0),
            amount=50_000 if kind == ResourceKind.MICRO_LOAN else None,
            groups_mask=sum(rng.sample(groups, rng.choice([1, 2]))) if rng.random() < 0.3 else 0,
            skills_mask=rng.choice(skills) if kind == ResourceKind.JOB and rng.random() < 0.5 else 0,
            age_min=age_min, age_max=age_max, place_unit_id=village.pk, place_path=village.path,
            place_depth=len(village.path) // SEGMENT, lat=lat, lng=lng,
            starts_on=today - dt.timedelta(days=rng.randint(0, 60)),
            ends_on=today + dt.timedelta(days=rng.randint(30, 365)), visibility=Visibility.PROVINCE,
            created_at=now - dt.timedelta(days=rng.randint(0, 60)), created_by=cadre))
    Resource.objects.bulk_create(resources, batch_size=5000)

    # offers sent and not yet answered, for goals and resources of the same county (proposals leave them out)
    by_county: dict[str, list[Resource]] = {}
    for r in resources:
        by_county.setdefault(r.place_path[:3 * SEGMENT], []).append(r)
    offers, offered = [], set()
    for goal in rng.sample(goals, OFFERS):
        near = by_county.get(goal.unit_path[:3 * SEGMENT])
        if near:
            resource = rng.choice(near)
            if (goal.pk, resource.pk) not in offered:
                offered.add((goal.pk, resource.pk))
                offers.append(Offer(resource=resource, goal=goal, woman_id=goal.woman_id, unit_path=goal.unit_path,
                                    sent_at=now - dt.timedelta(days=rng.randint(1, 20)), sent_by=cadre))
    Offer.objects.bulk_create(offers, batch_size=5000)
    built_s = time.perf_counter() - t

    t = time.perf_counter()
    deltas = list(care_figures())
    figures_add(deltas)
    figures_s = time.perf_counter() - t
    tables_analyze(CareMembership, HelpPlan, HelpGoal, Resource, Offer)
    employment = sum(1 for g in goals if g.category == GoalCategory.EMPLOYMENT)
    print(f"  (women with a need: {len(women):,} in {women_s:.0f}s; built {len(memberships):,} care memberships, "
          f"{len(plans):,} plans, {len(goals):,} open goals ({employment:,} employment), {len(resources):,} "
          f"resources, {len(offers):,} offers in {built_s:.0f}s; their {len(deltas):,} figure rows added in "
          f"{figures_s:.1f}s)", flush=True)
    return {"goals": goals, "county": county, "today": today, "rng": rng}


def _visibility(value: str) -> None:
    Resource.objects.update(visibility=value)
    tables_analyze(Resource)  # a switch of every row: the planner must not plan for the other case


def proposals(report, data: dict) -> None:
    """Proposals for SAMPLES random needs, province-wide resources against village-only ones, interleaved."""
    rng, today = data["rng"], data["today"]
    ids = [g.pk for g in rng.sample(data["goals"], SAMPLES)]
    goals = list(HelpGoal.objects.filter(pk__in=ids).select_related("plan"))  # as access_goal_by_id gives it
    rng.shuffle(goals)
    sides = ((Visibility.PROVINCE, "province-wide"), (Visibility.SUBTREE, "village-only"))
    rounds = []
    found = {}
    for _round in range(ROUNDS):
        timings = {}
        for visibility, _label in sides:
            _visibility(visibility)
            for goal in goals[:5]:
                matching.proposals_for_goal(goal, on=today)  # warm caches and the connection, as a server is
            samples, counts = [], []
            for goal in goals:
                t = time.perf_counter()
                counts.append(len(matching.proposals_for_goal(goal, on=today)))
                samples.append((time.perf_counter() - t) * 1000)
            timings[visibility] = samples
            found[visibility] = statistics.mean(counts)
        rounds.append({q: (p(timings[Visibility.PROVINCE], q), p(timings[Visibility.SUBTREE], q)) for q in (50, 95)})
    for q in (50, 95):
        wide = statistics.median(r[q][0] for r in rounds)
        local = statistics.median(r[q][1] for r in rounds)
        ratio = statistics.median(r[q][0] / r[q][1] for r in rounds)
        report.add(f"proposals for one need, {RESOURCES:,} resources province-wide: p{q}", f"{wide:.1f} ms",
                   f"same, each resource village-only: p{q}", f"{local:.1f} ms", ratio)
    report.add("proposals per need (of at most 10), province-wide", f"{found[Visibility.PROVINCE]:.1f}",
               "village-only", f"{found[Visibility.SUBTREE]:.2f}", None)


def batch(report, data: dict) -> None:
    """正定县's batch: every resource back to village-only, 正定县's jobs published by the county for the county, and
    PROVINCE_JOBS of the other jobs province-wide; then batch_propose's steps, each timed (not batch_propose itself
    as well: the assignment would be computed twice)."""
    rng, today, county = data["rng"], data["today"], data["county"]
    _visibility(Visibility.SUBTREE)
    jobs = Resource.objects.filter(kind=ResourceKind.JOB)
    jobs.filter(subtree_q(county.path, "place_path")).update(unit_id=county.pk, unit_path=county.path)
    others = list(jobs.exclude(subtree_q(county.path, "place_path")).order_by("id").values_list("id", flat=True))
    wide = rng.sample(others, round(len(others) * PROVINCE_JOBS))
    Resource.objects.filter(pk__in=wide).update(visibility=Visibility.PROVINCE)
    tables_analyze(Resource)
    t = time.perf_counter()
    goals, resources = matching.batch_inputs(county, today)
    inputs_s = time.perf_counter() - t
    t = time.perf_counter()
    demands, _class_of, capacity = matching.batch_compute(goals, resources, today)
    compute_s = time.perf_counter() - t
    t = time.perf_counter()
    best, _its_greedy = assign.assign_near(demands, capacity, nearest=matching.BATCH_NEAREST)
    best_s = time.perf_counter() - t
    t = time.perf_counter()
    greedy = assign.assign_greedy(demands, capacity)
    greedy_s = time.perf_counter() - t
    matched, mean = assign.assignment_quality(best, demands)
    g_matched, g_mean = assign.assignment_quality(greedy, demands)
    local = sum(1 for r in resources if r.unit_path == county.path)
    arcs = sum(len(costs) for _key, n, costs in demands if n)
    print(f"  (正定县: {len(goals):,} open employment needs in {len(demands):,} classes; {len(resources):,} jobs "
          f"({local} of the county, {len(resources) - local} province-wide elsewhere) with {sum(capacity.values()):,}"
          f" places; {arcs:,} allowed class→job pairs. Steps: read {inputs_s:.2f}s, fit {compute_s:.2f}s, "
          f"min-cost {best_s:.2f}s, greedy {greedy_s:.2f}s)", flush=True)
    whole_s, plain_s = inputs_s + compute_s + best_s, inputs_s + compute_s + greedy_s
    report.add(f"batch matching of 正定县 ({len(goals):,} needs, {sum(capacity.values()):,} places)",
               f"{whole_s:.1f}s", "read + fit + greedy nearest-first instead", f"{plain_s:.1f}s", whole_s / plain_s)
    report.add("batch: min-cost assignment (assign_near)", f"{best_s:.2f}s",
               "greedy nearest-first on the same input", f"{greedy_s:.2f}s", best_s / greedy_s if greedy_s else None)
    report.add("batch: needs matched", f"{matched:,}", "greedy nearest-first", f"{g_matched:,}",
               matched / g_matched if g_matched else None)
    report.add(f"batch: mean distance of matched (km){'' if matched == g_matched else ', more matched'}",
               f"{mean:.2f} km", "greedy nearest-first", f"{g_mean:.2f} km", mean / g_mean if g_mean else None)
    ok = matched > g_matched or (matched == g_matched and mean <= g_mean + 1e-9)
    report.add("batch: quality", "ok" if ok else "FAILED",
               "matched ≥ greedy; at an equal count mean distance ≤ greedy", "", None)


def run(report, *, repeat: int) -> None:
    if not Unit.objects.filter(code="130000000000").exists():
        from fulian.orgs.divisions import divisions_load, divisions_read

        divisions_load(divisions=divisions_read(provinces=["13"]))
    data = build(timezone.now())
    proposals(report, data)
    batch(report, data)
