"""Issue 17 figures: a province-wide 最美家庭 campaign of 河北省 sent to every county, mid-way — 50,000 nominations of
families in 12,000 villages by every channel, reviewed level by level (village → township → county → city →
province) within their quotas, some kept, declined, held by the eligibility check, merged or withdrawn, 110
shortlisted at the province — and 1,000,000 public votes for the shortlist over the vote's first twenty days, all
loaded in bulk (the votes by COPY on PostgreSQL), their live figures brought in line once from the awards' own
counter. Then (a) the campaign's standing page (评选进展) of the province chair at the root vs a county chair's at her
county (the one with the most nominations), and (b) 10,000 votes through the public vote endpoint — what a phone
posts once its number is proved: its voter pass and the family — against the bare one-INSERT Django view on the
same gunicorn server (2 workers × 16 threads), 8 and 32 clients, each the median of 3 interleaved rounds; each
vote from its own address (X-Real-IP, as behind nginx) and its own phone. After it the votes made must equal the
vote rows, and `indicators_recount` must find no difference."""

import datetime as dt
import http.client
import random
import re
import statistics
import time
import urllib.parse

from django.db import connection
from django.test import Client
from django.utils import timezone

from fulian.accounts.tests.factories import UserFactory
from fulian.awards.campaigns import campaign_launch
from fulian.awards.figures import award_figures
from fulian.awards.models import (
    AwardCampaign,
    Channel,
    Decision,
    DecisionKind,
    EligibilityCheck,
    Nomination,
    NominationState,
    Vote,
)
from fulian.core.figures import figures_add
from fulian.orgs.models import Kind, Level, Unit
from fulian.people.demo import GIVEN, SURNAMES

from .run import ROUNDS, compare, drive_posts, recount_says, tables_analyze

NOMINATIONS = 50_000
VILLAGES = 12_000
VOTES = 1_000_000
VOTE_DAYS = 20  # the vote opened VOTE_DAYS days ago; the loaded votes are of those past days
HTTP_VOTES = 10_000  # through the server in all (warm-up, both client counts, every round); as many bare requests
WARM_UP = 40
CLIENTS = (8, 32)
# each unit of the level recommends at most n to its parent; the province shortlists 十佳 10 and 百优 100
QUOTAS = {"5": 3, "4": 8, "3": 15, "2": 40}
TIERS = [{"name": "十佳", "quota": 10}, {"name": "百优", "quota": 100}]
# the share of the units of each level that have reviewed what reached them (the rest still have it waiting)
DECIDED = {Level.VILLAGE: 0.8, Level.TOWNSHIP: 0.65, Level.COUNTY: 0.55, Level.CITY: 0.7}
CHANNELS = [(Channel.ORGANISATION, 0.72), (Channel.SELF, 0.09), (Channel.OTHERS, 0.07), (Channel.MEDIA, 0.12)]
HELD_SHARE = 0.003  # a member with an open domestic-violence or family-dispute case: held at the first step up
MERGED_SHARE = 0.01
WITHDRAWN_SHARE = 0.004


def _name(rng) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2, 2])))


def build(now: dt.datetime) -> dict:
    """The campaign through its own service, then its nominations, decisions and votes written in bulk, and their
    figures counted from these records by the awards' own counter and added once (there was no award before, so
    the live figures are then exactly what the recount finds)."""
    assert not Nomination.objects.exists(), "the awards part builds on an empty awards table"
    rng = random.Random(17)
    t = time.perf_counter()
    hebei = Unit.objects.get(code="130000000000")
    chair = UserFactory(username="bench-awards-province", unit=hebei, roles=["chair"])
    today = timezone.localdate(now)
    launched = now - dt.timedelta(days=40)
    campaign = campaign_launch(
        actor=chair, unit=hebei, kind="most_beautiful", name=f"{today.year}年度河北省“最美家庭”", year=today.year,
        level=Level.COUNTY, nominate_until=today - dt.timedelta(days=10), review_until=today + dt.timedelta(days=20),
        quotas=QUOTAS, tiers=TIERS, vote_from=today - dt.timedelta(days=VOTE_DAYS),
        vote_until=today + dt.timedelta(days=10), now=launched)
    units = {u.path: u for u in Unit.objects.filter(code__startswith="13", kind=Kind.GEOGRAPHIC).only(
        "id", "path", "level", "name")}
    villages = rng.sample([u for u in units.values() if u.level == Level.VILLAGE], VILLAGES)

    # nominations: spread over the villages (a few nominate many), each by a channel, made during the nominating
    # weeks; all start waiting at their village
    nominate_days = (campaign.nominate_until - launched.date()).days
    nominations = []
    weights = [rng.paretovariate(1.6) for _ in villages]
    for village in rng.choices(villages, weights=weights, k=NOMINATIONS):
        channel = rng.choices([c for c, _w in CHANNELS], weights=[w for _c, w in CHANNELS])[0]
        made = launched + dt.timedelta(days=rng.uniform(0, nominate_days))
        surname = rng.choice(SURNAMES)
        nominations.append(Nomination(
            campaign=campaign, unit_id=village.pk, unit_path=village.path, at_unit_id=village.pk,
            at_path=village.path, level_reached=Level.VILLAGE, family_name=f"{surname}{_name(rng)[1:]}家",
            family_phone=f"13{rng.randrange(10**9):09d}", title="孝老爱亲、邻里和睦", story="家庭事迹" * 40,
            members=[{"name": _name(rng), "relation": "本人", "woman_id": None, "consent": True}],
            channel=channel, source="《河北日报》" if channel == Channel.MEDIA else "",
            nominator_name=_name(rng) if channel == Channel.OTHERS else "", state=NominationState.PENDING,
            created_at=made, updated_at=made))

    # review, level by level: each unit that has reviewed recommends up to its quota and keeps or declines the
    # rest; the first step up of a few is held by the eligibility check instead
    decisions, checks, gone = [], [], set()
    for i, n in enumerate(nominations):
        if rng.random() < MERGED_SHARE + WITHDRAWN_SHARE:
            gone.add(i)
            n.state = NominationState.MERGED if rng.random() < MERGED_SHARE / (MERGED_SHARE + WITHDRAWN_SHARE) \
                else NominationState.WITHDRAWN
    first = next(i for i in range(len(nominations)) if i not in gone)
    waiting: dict[str, list[int]] = {}
    for i, n in enumerate(nominations):
        if i not in gone:
            waiting.setdefault(n.at_path, []).append(i)
    decided_at = {lv: now - dt.timedelta(days=d) for lv, d in ((5, 9), (4, 6), (3, 4), (2, 2), (1, 1))}
    for level in (Level.VILLAGE, Level.TOWNSHIP, Level.COUNTY, Level.CITY):
        quota = QUOTAS[str(level)]
        moving: dict[str, list[int]] = {}
        for path, held in waiting.items():
            if units[path].level != level or rng.random() >= DECIDED[level]:
                continue
            unit = units[path]
            rng.shuffle(held)
            for k, i in enumerate(held):
                n = nominations[i]
                when = decided_at[level] + dt.timedelta(minutes=rng.randint(0, 600))
                if k < quota:
                    if level == Level.VILLAGE and rng.random() < HELD_SHARE:
                        n.state = NominationState.HELD
                        checks.append(EligibilityCheck(nomination_id=None, case_id=rng.randrange(10**6),
                                                       case_path=path, found_at=when, wanted_kind="recommend",
                                                       wanted_unit_id=unit.pk))
                        checks[-1].index = i
                        continue
                    kind = DecisionKind.RECOMMEND
                    parent = units[path[:-4]]
                    n.at_unit_id, n.at_path, n.level_reached = parent.pk, parent.path, parent.level
                    moving.setdefault(parent.path, []).append(i)
                else:
                    kind = DecisionKind.KEEP if rng.random() < 0.55 else DecisionKind.DECLINE
                    n.state = NominationState.KEPT if kind == DecisionKind.KEEP else NominationState.DECLINED
                    n.reason = "" if kind == DecisionKind.KEEP else "名额已满"
                n.updated_at = when
                decisions.append((i, Decision(campaign=campaign, unit_id=unit.pk, unit_path=path, level=level,
                                              kind=kind, reason=n.reason, decided_by=chair, decided_at=when)))
        for path, held in list(waiting.items()):
            if units[path].level == level:
                waiting[path] = [i for i in held if nominations[i].at_path == path
                                 and nominations[i].state == NominationState.PENDING]
        for path, more in moving.items():
            waiting.setdefault(path, []).extend(more)
    # the province shortlists: 十佳 and 百优 from what reached it (the rest wait)
    at_root = [i for i in waiting.get(hebei.path, []) if nominations[i].state == NominationState.PENDING]
    rng.shuffle(at_root)
    shortlisted = []
    for k, i in enumerate(at_root[:110]):
        n = nominations[i]
        n.state, n.tier = NominationState.SHORTLISTED, "十佳" if k < 10 else "百优"
        shortlisted.append(i)
        decisions.append((i, Decision(campaign=campaign, unit_id=hebei.pk, unit_path=hebei.path, level=1,
                                      kind=DecisionKind.SHORTLIST, tier=n.tier, decided_by=chair,
                                      decided_at=now - dt.timedelta(days=VOTE_DAYS + 1))))
    assert len(shortlisted) == 110, len(shortlisted)
    for i in gone:
        if nominations[i].state == NominationState.MERGED:
            nominations[i].merged_into_id = None  # set after the insert: the first live nomination
    Nomination.objects.bulk_create(nominations, batch_size=5000)
    merged = [nominations[i].pk for i in gone if nominations[i].state == NominationState.MERGED]
    Nomination.objects.filter(pk__in=merged).update(merged_into_id=nominations[first].pk)
    for i, decision in decisions:
        decision.nomination_id = nominations[i].pk
    Decision.objects.bulk_create([d for _i, d in decisions], batch_size=5000)
    for check in checks:
        check.nomination_id = nominations[check.index].pk
    EligibilityCheck.objects.bulk_create(checks, batch_size=5000)

    votes = _votes_load(campaign, [nominations[i] for i in shortlisted], today, rng)
    built_s = time.perf_counter() - t

    t = time.perf_counter()
    deltas = list(award_figures())
    figures_add(deltas)
    figures_s = time.perf_counter() - t
    tables_analyze(Nomination, Decision, Vote, EligibilityCheck, AwardCampaign)
    states = {s: sum(1 for n in nominations if n.state == s) for s in NominationState.values}
    print(f"  (built {len(nominations):,} nominations in {VILLAGES:,} villages "
          f"({', '.join(f'{s} {c:,}' for s, c in states.items() if c)}), {len(decisions):,} decisions, "
          f"{votes:,} votes in {built_s:.0f}s; their {len(deltas):,} figure rows added in {figures_s:.1f}s)",
          flush=True)
    return {"campaign": campaign, "chair": chair, "shortlisted": [nominations[i] for i in shortlisted],
            "units": units}


def _votes_load(campaign: AwardCampaign, shortlisted: list[Nomination], today: dt.date, rng) -> int:
    """VOTES votes for the shortlist over the vote's past days, one per phone a day (each day's voters are
    phones 0 … VOTES/VOTE_DAYS, as the same people come back), some families far more popular than others:
    COPY on PostgreSQL, multi-row INSERTs elsewhere."""
    from fulian.awards.voting import phone_hash

    per_day = VOTES // VOTE_DAYS
    hashes = [phone_hash(f"139{k:08d}") for k in range(per_day)]
    weights = [rng.paretovariate(1.2) for _ in shortlisted]
    columns = "campaign_id, nomination_id, unit_path, phone_hash, day, cast_at"
    table = Vote._meta.db_table

    def rows():
        for d in range(VOTE_DAYS, 0, -1):
            day = today - dt.timedelta(days=d)
            picks = rng.choices(shortlisted, weights=weights, k=per_day)
            start = timezone.make_aware(dt.datetime.combine(day, dt.time(7)))
            for k, n in enumerate(picks):
                yield (campaign.pk, n.pk, n.unit_path, hashes[k], day,
                       start + dt.timedelta(seconds=k * 50_400 // per_day))

    made = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows():
                    copy.write_row(row)
                    made += 1
        else:
            batch = []
            for row in rows():
                batch.append((*row[:4], row[4].isoformat(), connection.ops.adapt_datetimefield_value(row[5])))
                if len(batch) == 5000:
                    cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s)", batch)
                    made += len(batch)
                    batch = []
            if batch:
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s)", batch)
                made += len(batch)
    return made


def standing(report, data: dict, *, repeat: int) -> None:
    """The standing page: the province chair's at the root (every city, 50,000 nominations under it) vs the chair
    of the county with the most nominations at her county (its townships)."""
    campaign, units = data["campaign"], data["units"]
    per_county: dict[str, int] = {}
    for path in Nomination.objects.filter(campaign=campaign).values_list("unit_path", flat=True).iterator():
        per_county[path[:12]] = per_county.get(path[:12], 0) + 1
    county = units[max(per_county, key=per_county.get)]
    county_chair = UserFactory(username="bench-awards-county", unit=county, roles=["chair"])
    province, local = Client(), Client()
    province.force_login(data["chair"])
    local.force_login(county_chair)
    url = f"/awards/{campaign.pk}/"

    def page(client, expect):
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        assert expect in response.content.decode(), expect

    compare(report, "award standing page (评选进展)", lambda: page(province, "石家庄市"),
            lambda: page(local, county.name), repeat=repeat,
            root_name=f"province, {NOMINATIONS:,} nominations",
            leaf_name=f"a county ({per_county[county.path]:,})")


def votes(report, data: dict) -> None:
    """HTTP_VOTES votes through the public vote endpoint against the bare view, then the integrity check."""
    from .cases import _free_port, _serve

    campaign, shortlisted = data["campaign"], data["shortlisted"]
    user = UserFactory(username="bench-awards-bare", unit=Unit.objects.get(code="130000000000"), roles=["staff"])
    before = Vote.objects.count()
    connection.close()
    port = _free_port()
    server = _serve(port, behind_proxy=True)
    rng = random.Random(71)
    per_round = (HTTP_VOTES - WARM_UP) // (ROUNDS * len(CLIENTS))
    made = 0
    try:
        vote_request = _vote_endpoint(port, campaign)
        bare_headers = {"Content-Type": "application/x-www-form-urlencoded"}

        def bare_request():
            return "/bench/bare-insert/", urllib.parse.urlencode({"user": user.pk}), bare_headers

        voters = iter(range(10**7))

        def take(n: int) -> list:
            nonlocal made
            made += n
            return [vote_request(next(voters), rng.choice(shortlisted)) for _ in range(n)]

        drive_posts(port, 8, take(WARM_UP), ok=302)  # warm up both, as the other parts do
        drive_posts(port, 8, [bare_request] * WARM_UP)
        rates = {(kind, n): [] for kind in ("vote", "bare") for n in CLIENTS}
        for _round in range(ROUNDS):  # interleaved, so a slow minute on a shared machine hits both sides
            for clients in CLIENTS:
                rates[("vote", clients)].append(drive_posts(port, clients, take(per_round), ok=302))
                rates[("bare", clients)].append(drive_posts(port, clients, [bare_request] * per_round))
    finally:
        server.terminate()
        server.wait(timeout=10)
    for clients in CLIENTS:
        live = statistics.median(rates[("vote", clients)])
        bare = statistics.median(rates[("bare", clients)])
        report.add(f"public votes over HTTP, {clients} clients (median of {ROUNDS})", f"{live:,.0f}/s",
                   "bare Django view, one INSERT, same server", f"{bare:,.0f}/s", live / bare)
    rows = Vote.objects.count() - before
    recount, said = recount_says()
    line = (f"integrity: votes {made:,} = vote rows {rows:,}; {recount} "
            f"({said.splitlines()[0] if said else ''})")
    print(line, flush=True)
    report.add("public votes: integrity", "ok" if made == rows and recount == "recount equal" else "FAILED", line,
               "", None)


def _vote_endpoint(port: int, campaign: AwardCampaign):
    """What a phone posts to vote on the campaign's public page, once its number is proved: the form (the CSRF token
    of the page she opened, the family) with her voter pass in the cookie the proving gave her. The pass is the one
    the server gives after the one-time code (awards.voting), made here for each voter's own phone; the one-time
    codes themselves are not what is measured. Returns (voter number, family) → request maker."""
    from fulian.awards.views_public import pass_cookie
    from fulian.awards.voting import _pass_for, phone_hash

    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", f"/honour/{campaign.pk}/")
    page = conn.getresponse()
    html = page.read().decode()
    assert page.status == 200, page.status
    cookie = "; ".join(c.split(";")[0] for c in page.msg.get_all("Set-Cookie"))
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    origin = f"http://127.0.0.1:{port}"
    url = f"/honour/{campaign.pk}/vote/"
    now = timezone.now()
    today = timezone.localdate(now)

    def request(k: int, family: Nomination):
        voter_pass = _pass_for(campaign.pk, phone_hash(f"138{k:08d}"), today, now)
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, "nomination": family.pk})
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Origin": origin,
                   "Cookie": f"{cookie}; {pass_cookie(campaign.pk)}={voter_pass}",
                   "X-Real-IP": f"10.{k // 65536 % 256}.{k // 256 % 256}.{k % 256}"}
        return lambda: (url, body, headers)

    return request


def run(report, *, repeat: int) -> None:
    if not Unit.objects.filter(code="130000000000").exists():
        from fulian.orgs.divisions import divisions_load, divisions_read

        divisions_load(divisions=divisions_read(provinces=["13"]))
    now = timezone.now()
    data = build(now)
    standing(report, data, repeat=repeat)
    votes(report, data)
