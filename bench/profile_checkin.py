"""Where a check-in spends its time, against the bare INSERT and the bare one-INSERT view: in process
(`attendance_record`) and through the whole middleware stack (the QR page, Django's test client), on a database of
its own built as `make bench`'s activities part builds it, with the statements one check-in sends and the cProfile
totals grouped by library.

    .venv/bin/python bench/profile_checkin.py [--checkins 500] [--top 30] [--cpu] [--http]

Not a test and not part of `make bench`: the profile behind the check-in figure.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))


def profiled(name: str, fn, args, connection, group) -> None:
    """Time `fn` (wall and CPU), list the statements of one call with their wall time, and the cProfile totals."""
    import collections
    import cProfile
    import pstats

    for _ in range(20):
        fn()
    for _round in range(3):
        t, cpu = time.perf_counter(), time.process_time()
        for _ in range(args.checkins):
            fn()
        wall_ms = (time.perf_counter() - t) / args.checkins * 1000
        cpu_ms = (time.process_time() - cpu) / args.checkins * 1000
        print(f"== {name}: {wall_ms:.2f} ms each ({1000 / wall_ms:,.0f}/s), {cpu_ms:.2f} ms of this process's CPU")
    timed = []

    def timer(execute, sql, params, many, context):
        t = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timed.append((time.perf_counter() - t, sql, len(params or ())))

    with connection.execute_wrapper(timer):
        fn()
    for seconds, sql, n in timed:
        print(f"  {seconds * 1000:6.2f} ms  {len(sql):5} chars {n:3} parameters  {sql[:90]}")
    timed.clear()
    t = time.perf_counter()
    with connection.execute_wrapper(timer):
        for _ in range(args.checkins):
            fn()
    wall_ms = (time.perf_counter() - t) / args.checkins * 1000
    by_kind = collections.defaultdict(lambda: [0, 0.0])
    for seconds, sql, _n in timed:
        by_kind[sql[:60]][0] += 1
        by_kind[sql[:60]][1] += seconds
    print(f"  every statement of {args.checkins} calls ({wall_ms:.2f} ms each), per call:")
    for sql, (n, seconds) in sorted(by_kind.items(), key=lambda item: -item[1][1]):
        print(f"    {seconds / args.checkins * 1000:6.3f} ms  {n / args.checkins:5.2f}x  {sql}")
    profile = cProfile.Profile(time.process_time) if args.cpu else cProfile.Profile()
    profile.enable()
    for _ in range(args.checkins):
        fn()
    profile.disable()
    totals = collections.Counter()
    stats = pstats.Stats(profile).stats
    for (filename, _line, _func), (_cc, _nc, own, _cum, _callers) in stats.items():
        totals[group(filename)] += own
    print("  profiled time per call, by where it is spent:")
    for key, seconds in totals.most_common():
        print(f"    {seconds / args.checkins * 1000:6.3f} ms  {key}")
    if args.callers:
        pstats.Stats(profile).sort_stats("cumulative").print_callers(args.callers)
    if args.top:
        rows = sorted(stats.items(), key=lambda item: -item[1][2])[: args.top]
        print(f"  the {args.top} functions with the most own time, per call:")
        for (filename, line, func), (_cc, calls, own, cum, _callers) in rows:
            where = "/".join(Path(filename).parts[-2:])
            print(f"    {own / args.checkins * 1000:6.3f} ms own {cum / args.checkins * 1000:6.3f} ms cum"
                  f"  {calls / args.checkins:5.1f}x  {where}:{line} {func}")
        steps = ("render", "render_to_string", "__call__", "process_view", "process_request", "process_response")
        mine = sorted((item for item in stats.items() if "/fulian/" in item[0][0] or item[0][2] in steps),
                      key=lambda item: -item[1][3])[: args.top]
        print("  fulian's functions and Django's steps, most cumulative time, per call:")
        for (filename, line, func), (_cc, calls, _own, cum, _callers) in mine:
            where = "/".join(Path(filename).parts[-2:])
            print(f"    {cum / args.checkins * 1000:6.3f} ms cum  {calls / args.checkins:5.1f}x  {where}:{line} {func}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--checkins", type=int, default=500)
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--top", type=int, default=0, help="also list the N functions with the most own time")
    parser.add_argument("--cpu", action="store_true", help="profile CPU time, not wall time")
    parser.add_argument("--http", action="store_true", help="also the QR page through the test client")
    parser.add_argument("--callers", default="", help="also list who calls the functions of this name")
    args = parser.parse_args()
    from bench.run import choose_database, drop_database

    url = choose_database(args.sqlite)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.bench_settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from bench.activities import _checkin_jobs, build
    from bench.profile_help import group
    from fulian.accounts.tests.factories import UserFactory
    from fulian.activities.checkin import attendance_record, checkin_code
    from fulian.activities.models import AttendanceMethod, Session
    from fulian.orgs.divisions import divisions_load, divisions_read
    from fulian.orgs.models import Unit

    try:
        call_command("migrate", verbosity=0)
        divisions_load(divisions=divisions_read(provinces=["13"]))
        hebei = Unit.objects.get(code="130000000000")
        chair = UserFactory(username="profile-chair", unit=hebei, roles=["chair"])
        bare_user = UserFactory(username="profile-bare", unit=hebei, roles=["staff"])
        data = build(timezone.now(), chair)
        jobs = iter(_checkin_jobs(data, random.Random(61)))
        sessions = {s.pk: s for s in Session.objects.filter(pk__in=[s.pk for s in data["open_now"]])
                    .select_related("activity")}
        tokens = iter(range(10**9))
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE profile_bare (id bigserial PRIMARY KEY, session_id bigint, phone text, "
                           "checked_at timestamp with time zone)" if connection.vendor == "postgresql" else
                           "CREATE TABLE profile_bare (id integer PRIMARY KEY, session_id bigint, phone text, "
                           "checked_at datetime)")

        def checkin():
            session, phone, name, _s, _n = next(jobs)
            attendance_record(session=sessions[session.pk], phone=phone, name=name, method=AttendanceMethod.QR,
                              client_token=f"p{next(tokens)}")

        def bare():
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO profile_bare (session_id, phone, checked_at) VALUES (%s, %s, %s)",
                               [1, "13800000000", connection.ops.adapt_datetimefield_value(timezone.now())])

        client = Client(HTTP_HOST="127.0.0.1", REMOTE_ADDR="10.0.0.1")

        def page():
            session, phone, name, _s, _n = next(jobs)
            response = client.post(f"/checkin/{session.pk}/{checkin_code(session, now=timezone.now())}/",
                                   urlencode({"phone": phone, "name": name, "client_token": f"p{next(tokens)}"}),
                                   content_type="application/x-www-form-urlencoded",
                                   REMOTE_ADDR=f"10.1.{next(tokens) % 250}.{next(tokens) % 250}")
            assert response.status_code == 200, response.status_code

        def bare_page():
            response = client.post("/bench/bare-insert/", urlencode({"user": bare_user.pk}),
                                   content_type="application/x-www-form-urlencoded")
            assert response.status_code == 200

        steps = [("bare INSERT", bare), ("check-in, attendance_record", checkin)]
        if args.http:
            steps += [("bare one-INSERT view", bare_page), ("check-in, QR page", page)]
        for name, fn in steps:
            profiled(name, fn, args, connection, group)
    finally:
        drop_database(url)


if __name__ == "__main__":
    main()
