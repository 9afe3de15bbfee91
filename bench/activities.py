"""Issue 16 figures: 100,000 sign-ups to 2,000 activities across Hebei (villages, townships, counties, cities and the
province; past ones with their check-ins), their live figures brought in line once from the activities' own counter;
then (a) the public calendar (/calendar/: every upcoming activity of the province, vs ?place=<a village>: those near
her) and the dashboard (the province chair's vs a village chair's) at the root vs a village, and (b) check-ins per
second through activities.checkin.attendance_record (the real write: attendance, audit row and live figures in one
transaction) against a bare INSERT of the same columns into a scratch table with only a primary key, on the same
database in the same run, and through the server: the public page the session's QR code opens (POST, her phone; each
woman from her own address) against the bare one-INSERT Django view on the same gunicorn server (2 workers × 16
threads), driven by 8 and 32 clients, as the help requests are measured; each the median of 3 interleaved rounds.
After it `indicators_recount` must find no difference."""

import datetime as dt
import http.client
import random
import re
import secrets
import statistics
import time
import urllib.parse

from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone

from fulian.accounts.tests.factories import UserFactory
from fulian.activities.checkin import attendance_record, checkin_code
from fulian.activities.figures import activity_figures
from fulian.activities.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    Attendance,
    AttendanceMethod,
    Audience,
    Session,
    SignUp,
    SignUpChannel,
    SignUpState,
)
from fulian.core.figures import figures_add
from fulian.core.models import AuditEvent
from fulian.core.phone import normalize_phone
from fulian.core.tree import SEGMENT
from fulian.orgs.models import HomeHost, Kind, Level, Unit, WomensHome
from fulian.people.demo import GIVEN, MOBILE_PREFIXES, SURNAMES

from .cases import _free_port, _serve
from .run import ROUNDS, compare, drive_posts, recount_says, tables_analyze

ACTIVITIES = 2_000
PER_ACTIVITY = 50  # sign-ups each: 100,000 in all
OPEN_NOW = 200  # activities whose one session is open for check-in while the bench runs
CHECKINS = 1_000  # per round, each side, in-process
HTTP_CHECKINS = 600  # per round, each side, through the server
CLIENTS = (8, 32)
WALK_IN_SHARE = 0.1
SCRATCH = "bench_bare_attendance"
# organising units: (level, activities, distinct units at most)
SPREAD = ((Level.VILLAGE, 1_300, 1_000), (Level.TOWNSHIP, 450, 350), (Level.COUNTY, 200, 200),
          (Level.CITY, 40, 40), (Level.PROVINCE, 10, 1))
HOMES_EXTRA = 8_000  # Women's Homes at villages that organise nothing here (the finder ranks among them)


def _units(level: int) -> list[Unit]:
    return list(Unit.objects.filter(level=level, kind=Kind.GEOGRAPHIC, code__startswith="13").order_by("code")
                .only("id", "code", "path", "name", "level"))


def _name(rng) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2, 2])))


def _pool_of(pools: dict, path: str) -> int:
    """The phone pool of a unit: its county's (a city's or the province's own for units above counties)."""
    for length in range(len(path), 0, -SEGMENT):
        index = pools.get(path[:length])
        if index is not None:
            return index
    return 0


def build(now: dt.datetime, chair) -> dict:
    """Homes, activities, sessions, sign-ups and past check-ins, written in bulk; then their figures, counted from
    these records by the activities' own counter and added once (there was no activity before, so the live figures
    are then exactly what the recount finds)."""
    assert not Activity.objects.exists(), "the activities part builds on an empty activities table"
    assert sum(n for _l, n, _d in SPREAD) == ACTIVITIES
    rng = random.Random(16)
    t = time.perf_counter()
    by_level = {level: _units(level) for level, _n, _d in SPREAD}
    counties = by_level[Level.COUNTY]
    # each county (and each city, and the province) has its own pool of women's phones, so the same women come
    # to several activities there
    pools = {path: i for i, path in enumerate(
        [c.path for c in counties] + [c.path for c in by_level[Level.CITY]] + [by_level[Level.PROVINCE][0].path])}

    def phone(pool: int, n: int) -> str:
        return f"{MOBILE_PREFIXES[pool % len(MOBILE_PREFIXES)]}{pool:03d}{n:05d}"

    assert all(normalize_phone(phone(i, 99_999)) == phone(i, 99_999) for i in range(len(pools)))

    hosts: list[Unit] = []
    for level, count, distinct in SPREAD:
        units = rng.sample(by_level[level], min(distinct, len(by_level[level])))
        hosts += [units[i % len(units)] for i in range(count)]
    rng.shuffle(hosts)

    # Women's Homes: one at every organising village, township and county, and at HOMES_EXTRA other villages, with
    # coordinates around a random middle of each county
    middle = {c.path: (rng.uniform(36.2, 41.8), rng.uniform(113.6, 119.6)) for c in counties}
    home_units = {u.pk: u for u in hosts if u.level >= Level.COUNTY}
    taken = set(home_units)
    for village in rng.sample(by_level[Level.VILLAGE], HOMES_EXTRA):
        if village.pk not in taken:
            home_units[village.pk] = village
    homes = []
    for unit in home_units.values():
        lat, lng = next((middle[unit.path[:n]] for n in range(len(unit.path), 0, -SEGMENT)
                         if unit.path[:n] in middle), (38.0, 114.5))
        spread = {Level.COUNTY: 0.02, Level.TOWNSHIP: 0.1, Level.VILLAGE: 0.2}[unit.level]
        homes.append(WomensHome(
            unit_id=unit.pk, unit_path=unit.path, name=f"{unit.name}妇女之家", address=f"{unit.name}",
            latitude=round(lat + rng.uniform(-spread, spread), 6),
            longitude=round(lng + rng.uniform(-spread, spread), 6),
            host={Level.COUNTY: HomeHost.LECTURE_HALL, Level.TOWNSHIP: HomeHost.SERVICE_CENTRE}.get(
                unit.level, HomeHost.VILLAGE)))
    WomensHome.objects.bulk_create(homes, batch_size=5000)
    home_of = {h.unit_id: h for h in homes}

    # activities: OPEN_NOW open for check-in now, the rest over the last six months and the next three
    kinds = [k for k in ActivityKind.values if k != ActivityKind.COURSE]
    activities, plans = [], []
    for i, unit in enumerate(hosts):
        if i < OPEN_NOW:
            when, course = "now", False
        else:
            when, course = ("past" if rng.random() < 0.58 else "upcoming"), rng.random() < 0.15
        if when == "now":
            starts = now - dt.timedelta(minutes=rng.randint(5, 25))
        elif when == "past":
            starts = now - dt.timedelta(days=rng.randint(22 if course else 1, 180), hours=rng.randint(0, 8))
        else:
            starts = now + dt.timedelta(days=rng.randint(1, 90), hours=rng.randint(0, 8))
        starts = starts.replace(microsecond=0)
        sittings = [(starts + dt.timedelta(weeks=w), starts + dt.timedelta(weeks=w, hours=2))
                    for w in range(3 if course else 1)]
        if when == "now":
            sittings = [(starts, now + dt.timedelta(hours=6))]
        capacity = rng.choice([None, None, 50, 50, 50, 45])
        waiting = max(PER_ACTIVITY - capacity, 0) if capacity else 0
        cancelled = 1 if not waiting and i % 8 == 0 else 0
        home = home_of.get(unit.pk)
        audience = Audience.SUBTREE if rng.random() < 0.15 else Audience.INVITED if rng.random() < 0.04 else \
            Audience.OPEN
        activities.append(Activity(
            unit_id=unit.pk, unit_path=unit.path, title=f"{unit.name}{'培训班' if course else '妇女讲习所'}第{i}期",
            kind=ActivityKind.COURSE if course else rng.choice(kinds), home=home,
            address="" if home else f"{unit.name}妇女儿童活动中心", starts_at=sittings[0][0], ends_at=sittings[-1][1],
            capacity=capacity, audience=audience, organiser=f"{unit.name}妇联",
            status=ActivityStatus.PUBLISHED if rng.random() < 0.97 or when == "now" else ActivityStatus.CANCELLED,
            signups_confirmed=PER_ACTIVITY - waiting - cancelled, signups_waiting=waiting,
            created_at=min(sittings[0][0] - dt.timedelta(days=30), now), updated_at=now,
            created_by=chair))
        plans.append((when, unit, sittings, waiting, cancelled))
    Activity.objects.bulk_create(activities, batch_size=2000)

    sessions = []
    for activity, (_when, _unit, sittings, _w, _c) in zip(activities, plans, strict=True):
        for number, (starts, ends) in enumerate(sittings, start=1):
            sessions.append(Session(activity=activity, unit_path=activity.unit_path, number=number, starts_at=starts,
                                    ends_at=ends, secret=secrets.token_hex(32)))
    Session.objects.bulk_create(sessions, batch_size=5000)
    sessions_of: dict[int, list[Session]] = {}
    for session in sessions:
        sessions_of.setdefault(session.activity_id, []).append(session)

    # sign-ups: PER_ACTIVITY each, from the women of the activity's county (or city, or province), made before it
    # starts; past the capacity they wait; one in eight activities has lost one to a cancellation
    signups = []
    for activity, (_when, unit, _s, waiting, cancelled) in zip(activities, plans, strict=True):
        pool = _pool_of(pools, unit.path)
        numbers = rng.sample(range(100_000), PER_ACTIVITY)
        for k, n in enumerate(numbers):
            made = min(activity.starts_at - dt.timedelta(days=rng.randint(1, 20), minutes=rng.randint(0, 600)),
                       now - dt.timedelta(minutes=30 + k))
            state = SignUpState.CANCELLED if k < cancelled else \
                SignUpState.WAITING if k >= PER_ACTIVITY - waiting else SignUpState.CONFIRMED
            channel = rng.choice([SignUpChannel.PHONE, SignUpChannel.PHONE, SignUpChannel.CADRE, SignUpChannel.API])
            signups.append(SignUp(
                activity=activity, unit_path=activity.unit_path, name=_name(rng), phone=phone(pool, n),
                phone_verified=channel != SignUpChannel.CADRE, channel=channel, state=state, created_at=made,
                confirmed_at=made if state == SignUpState.CONFIRMED else None,
                waiting_since=made if state == SignUpState.WAITING else None,
                cancelled_at=made + dt.timedelta(hours=1) if state == SignUpState.CANCELLED else None,
                created_by=chair if channel == SignUpChannel.CADRE else None))
    SignUp.objects.bulk_create(signups, batch_size=5000)

    # past sessions' check-ins: most confirmed women came to each sitting, and two walk-ins
    attendances = []
    confirmed_of: dict[int, list[SignUp]] = {}
    for signup in signups:
        if signup.state == SignUpState.CONFIRMED:
            confirmed_of.setdefault(signup.activity_id, []).append(signup)
    for activity, (when, unit, _s, _w, _c) in zip(activities, plans, strict=True):
        if when != "past" or activity.status != ActivityStatus.PUBLISHED:
            continue
        pool = _pool_of(pools, unit.path)
        for session in sessions_of[activity.pk]:
            if session.ends_at > now:
                continue
            came = [s for s in confirmed_of.get(activity.pk, []) if rng.random() < 0.8]
            phones = {s.phone for s in came}
            walk_ins = [p for p in (phone(pool, rng.randrange(100_000)) for _ in range(2)) if p not in phones]
            for s in came:
                attendances.append(Attendance(
                    session=session, activity=activity, unit_path=activity.unit_path, signup=s, name=s.name,
                    phone=s.phone, method=rng.choice([AttendanceMethod.QR, AttendanceMethod.QR, AttendanceMethod.TICK]),
                    checked_at=session.starts_at + dt.timedelta(minutes=rng.randint(-25, 30))))
            for p in dict.fromkeys(walk_ins):
                attendances.append(Attendance(
                    session=session, activity=activity, unit_path=activity.unit_path, name=_name(rng), phone=p,
                    method=AttendanceMethod.WALK_IN, checked_at=session.starts_at + dt.timedelta(minutes=40)))
    Attendance.objects.bulk_create(attendances, batch_size=5000)
    built_s = time.perf_counter() - t

    t = time.perf_counter()
    deltas = list(activity_figures())
    figures_add(deltas)
    figures_s = time.perf_counter() - t
    tables_analyze(Activity, Session, SignUp, Attendance, WomensHome)
    print(f"  (built {len(homes):,} homes, {len(activities):,} activities, {len(sessions):,} sessions, "
          f"{len(signups):,} sign-ups, {len(attendances):,} past check-ins in {built_s:.0f}s; their "
          f"{len(deltas):,} figure rows added in {figures_s:.1f}s)", flush=True)
    open_now = [sessions_of[a.pk][0] for a, plan in zip(activities, plans, strict=True) if plan[0] == "now"]
    return {"activities": activities, "plans": plans, "signups": signups, "open_now": open_now, "pools": pools,
            "phone": phone}


def _scratch_create() -> None:
    pk = "bigserial PRIMARY KEY" if connection.vendor == "postgresql" else "integer PRIMARY KEY AUTOINCREMENT"
    stamp = "timestamp with time zone" if connection.vendor == "postgresql" else "datetime"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {SCRATCH}")
        cursor.execute(
            f"CREATE TABLE {SCRATCH} (id {pk}, session_id bigint NOT NULL, activity_id bigint NOT NULL, "
            f"unit_path varchar(64) NOT NULL, signup_id bigint NULL, woman_id bigint NULL, family_id bigint NULL, "
            f"name varchar(30) NOT NULL, phone varchar(20) NOT NULL, method varchar(8) NOT NULL, "
            f"checked_at {stamp} NOT NULL, checked_by_id bigint NULL, client_token varchar(40) NULL)")


def _scratch_drop() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {SCRATCH}")


def _checkin_jobs(data: dict, rng) -> list[tuple]:
    """Who checks in at the sessions open now: every woman signed up (confirmed or waiting), in a random order
    across the province, and a walk-in now and then (a phone of the county's women not signed up there)."""
    sessions = {s.activity_id: s for s in data["open_now"]}
    jobs = []
    for signup in data["signups"]:
        session = sessions.get(signup.activity_id)
        if session is not None and signup.state != SignUpState.CANCELLED:
            jobs.append((session, signup.phone, "", signup.pk, signup.name))
    taken = {(job[0].pk, job[1]) for job in jobs}
    for _ in range(int(len(jobs) * WALK_IN_SHARE)):
        session = rng.choice(data["open_now"])
        phone = data["phone"](_pool_of(data["pools"], session.unit_path), rng.randrange(100_000))
        if (session.pk, phone) not in taken:
            taken.add((session.pk, phone))
            jobs.append((session, phone, _name(rng), None, None))
    rng.shuffle(jobs)
    return jobs


def _in_process(report, jobs: list, sessions: dict) -> int:
    """attendance_record, one check-in after another, against the same columns' bare INSERTs (autocommit, so one
    transaction each, as each check-in is), ROUNDS interleaved rounds of CHECKINS each; the check-ins made."""
    _scratch_create()
    insert = (f"INSERT INTO {SCRATCH} (session_id, activity_id, unit_path, signup_id, woman_id, family_id, "  # noqa: S608
              f"name, phone, method, checked_at, checked_by_id, client_token) "
              f"VALUES (%s, %s, %s, %s, NULL, NULL, %s, %s, %s, %s, NULL, %s)")

    def service(batch, n):
        for i, (session, phone, name, _signup_id, _signup_name) in enumerate(batch):
            attendance_record(session=sessions[session.pk], phone=phone, name=name, method=AttendanceMethod.QR,
                              client_token=f"bench-{n}-{i}")

    def bare(batch, n):
        for i, (session, phone, name, signup_id, signup_name) in enumerate(batch):
            with connection.cursor() as cursor:
                cursor.execute(insert, [session.pk, session.activity_id, session.unit_path, signup_id,
                                        signup_name or name, phone, AttendanceMethod.QR,
                                        connection.ops.adapt_datetimefield_value(timezone.now()),
                                        f"bench-{n}-{i}"])

    def timed_s(fn, *args) -> float:
        t = time.perf_counter()
        fn(*args)
        return time.perf_counter() - t

    service(jobs[:100], 0)  # warm up both paths once, as the other parts do
    bare(jobs[:100], 0)
    rounds = []
    for n in range(1, ROUNDS + 1):
        batch = jobs[100 + (n - 1) * CHECKINS: 100 + n * CHECKINS]
        rounds.append((CHECKINS / timed_s(service, batch, n), CHECKINS / timed_s(bare, batch, n)))
    _scratch_drop()
    live = statistics.median(r[0] for r in rounds)
    report.add(f"check-ins, attendance_record, figures live (median of {ROUNDS})", f"{live:,.0f}/s",
               "bare INSERT, same columns, PK only", f"{statistics.median(r[1] for r in rounds):,.0f}/s",
               statistics.median(r[0] / r[1] for r in rounds))
    return 100 + ROUNDS * CHECKINS


def _over_http(report, jobs: list, sessions: dict) -> int:
    """The page her phone posts to (the QR code's link, with this minute's code) against the bare one-INSERT view,
    on one gunicorn server; each woman from her own address (X-Real-IP from the local proxy, as behind nginx), so
    the per-address limit is the one she meets. The check-ins made."""
    user = UserFactory(username="bench-activities-bare", unit=Unit.objects.get(code="130000000000"),
                       roles=["staff"])
    connection.close()
    port = _free_port()
    server = _serve(port, behind_proxy=True)
    made = 0
    try:
        first = jobs[0][0]
        conn = http.client.HTTPConnection("127.0.0.1", port)
        conn.request("GET", f"/checkin/{first.pk}/{checkin_code(first, now=timezone.now())}/")
        page = conn.getresponse()
        html = page.read().decode()
        assert page.status == 200, page.status
        cookie = "; ".join(c.split(";")[0] for c in page.msg.get_all("Set-Cookie"))
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        origin = f"http://127.0.0.1:{port}"
        bare_headers = {"Content-Type": "application/x-www-form-urlencoded"}

        def checkin_request(k: int, job):
            session, phone, name = job[0], job[1], job[2]

            def make():
                body = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, "phone": phone, "name": name,
                                               "client_token": f"bench-http-{k}"})
                return (f"/checkin/{session.pk}/{checkin_code(session, now=timezone.now())}/", body,
                        {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie, "Origin": origin,
                         "X-Real-IP": f"10.{k // 65536 % 256}.{k // 256 % 256}.{k % 256}"})
            return make

        def bare_request():
            return "/bench/bare-insert/", urllib.parse.urlencode({"user": user.pk}), bare_headers

        position = 0

        def take(n: int) -> list:
            nonlocal position, made
            batch = [checkin_request(position + i, job) for i, job in enumerate(jobs[position:position + n])]
            assert len(batch) == n, (len(jobs), position, n)
            position += n
            made += n
            return batch

        drive_posts(port, 8, take(50))  # warm up both, as the other parts do
        drive_posts(port, 8, [bare_request] * 50)
        rates = {(kind, n): [] for kind in ("checkin", "bare") for n in CLIENTS}
        for _round in range(ROUNDS):  # interleaved, so a slow minute on a shared machine hits both sides
            for clients in CLIENTS:
                rates[("checkin", clients)].append(drive_posts(port, clients, take(HTTP_CHECKINS)))
                rates[("bare", clients)].append(drive_posts(port, clients, [bare_request] * HTTP_CHECKINS))
    finally:
        server.terminate()
        server.wait(timeout=10)
    for clients in CLIENTS:
        live = statistics.median(rates[("checkin", clients)])
        bare = statistics.median(rates[("bare", clients)])
        report.add(f"check-ins, QR page over HTTP, {clients} clients (median of {ROUNDS})", f"{live:,.0f}/s",
                   "bare Django view, one INSERT, same server", f"{bare:,.0f}/s", live / bare)
    return made


def checkins(report, data: dict) -> None:
    """Check-ins in process and through the server, then whether nothing was skipped: check-ins made = attendance
    rows = audit rows, and the recount of every figure finds no difference."""
    jobs = _checkin_jobs(data, random.Random(61))
    sessions = {s.pk: s for s in Session.objects.filter(pk__in=[s.pk for s in data["open_now"]])
                .select_related("activity")}
    before = (Attendance.objects.count(), AuditEvent.objects.filter(action="attendance.record").count())
    recorded = _in_process(report, jobs, sessions)
    recorded += _over_http(report, jobs[recorded:], sessions)

    made = Attendance.objects.count() - before[0]
    audits = AuditEvent.objects.filter(action="attendance.record").count() - before[1]
    recount, said = recount_says()
    line = (f"integrity: check-ins {recorded:,} = attendance rows {made:,} = audit rows {audits:,}; "
            f"{recount} ({said.splitlines()[0] if said else ''})")
    print(line, flush=True)
    report.add("check-ins: integrity", "ok" if recorded == made == audits and recount == "recount equal"
               else "FAILED", line, "", None)


def run(report, *, repeat: int) -> None:
    if not Unit.objects.filter(code="130000000000").exists():
        from fulian.orgs.divisions import divisions_load, divisions_read

        divisions_load(divisions=divisions_read(provinces=["13"]))
    hebei = Unit.objects.get(code="130000000000")
    chair = UserFactory(username="bench-activities-province", unit=hebei, roles=["chair"])
    now = timezone.now()
    data = build(now, chair)

    # the village read: an organising village with an activity coming up, in the county that holds the most
    per_pool: dict[int, int] = {}
    for _activity, (_w, unit, *_r) in zip(data["activities"], data["plans"], strict=True):
        per_pool[_pool_of(data["pools"], unit.path)] = per_pool.get(_pool_of(data["pools"], unit.path), 0) + 1
    candidates = [(per_pool[_pool_of(data["pools"], u.path)], a.starts_at > now, -a.pk, u)
                  for a, (_w, u, *_r) in zip(data["activities"], data["plans"], strict=True)
                  if u.level == Level.VILLAGE and a.status == ActivityStatus.PUBLISHED]
    village = max(candidates, key=lambda c: c[:3])[3]
    cadre = UserFactory(username="bench-activities-village", unit=village, roles=["chair"])
    upcoming = Activity.objects.filter(status=ActivityStatus.PUBLISHED, audience__in=(Audience.OPEN, Audience.SUBTREE),
                                       ends_at__gt=timezone.now()).count()

    visitor = Client()
    root_url, village_url = "/calendar/", f"/calendar/?place={village.code}"

    def page(client, url, expect=None):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if expect is not None:
            assert expect in response.content.decode(), (url, expect)

    page(visitor, village_url, expect=village.name)
    with override_settings(CALENDAR_VIEWS_PER_MINUTE=10**9):  # one address asks all the bench's pages
        compare(report, "public calendar page (/calendar/)", lambda: page(visitor, root_url),
                lambda: page(visitor, village_url), repeat=repeat,
                root_name=f"province, {upcoming:,} upcoming", leaf_name="?place=a village")
    chair_page, cadre_page = Client(), Client()
    chair_page.force_login(chair)
    cadre_page.force_login(cadre)
    compare(report, "dashboard page, with activities", lambda: page(chair_page, f"/dashboard/{hebei.pk}/"),
            lambda: page(cadre_page, f"/dashboard/{village.pk}/"), repeat=repeat,
            root_name=f"province, {len(data['signups']):,} sign-ups")

    checkins(report, data)
