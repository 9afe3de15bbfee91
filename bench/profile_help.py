"""Where a public help request spends its time, against the bare one-INSERT view: both through the whole
middleware stack in one process (Django's test client), on a database of its own, with the statements one
request sends and the cProfile totals grouped by library.

    .venv/bin/python bench/profile_help.py [--requests 300]

Not a test and not part of `make bench`: the profile behind the help-request figure.
"""

import argparse
import collections
import cProfile
import os
import pstats
import re
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))


def group(filename: str) -> str:
    for key in ("django/template", "django/db", "psycopg", "django/forms", "redis", "fulian"):
        if key in filename:
            return key
    return "django (other)" if "/django/" in filename else "python and C"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--top", type=int, default=0, help="also list the N functions with the most own time")
    parser.add_argument("--callees", default="", help="also list what the functions of this name spend their time on")
    parser.add_argument("--cpu", action="store_true", help="profile this process's CPU time, not wall time (a busy "
                        "machine inflates wall time; waiting for the database then counts nothing)")
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

    from fulian.accounts.tests.factories import UserFactory
    from fulian.orgs.divisions import divisions_load, divisions_read
    from fulian.orgs.models import Unit

    try:
        call_command("migrate", verbosity=0)
        divisions_load(divisions=divisions_read(provinces=["13"]))
        village = Unit.objects.get(code="130123100001")
        UserFactory(username="profile-chair", unit=village, roles=["chair"], email="")
        bare_user = UserFactory(username="profile-bare", unit=Unit.objects.get(code="130000000000"), roles=["staff"])
        client = Client(HTTP_HOST="127.0.0.1")
        started = re.search(r'name="started" value="([^"]+)"', client.get("/help/").content.decode()).group(1)
        form = {
            "kind": "dv",
            "place": f"{village.code} {village.name}",
            "description": "profile",
            "anonymous": "on",
            "started": started,
        }
        tokens = iter(range(10**9))

        def post(url, data):  # url-encoded, as a browser and `make bench` send a form (the test client's multipart
            # parser would add its own cost to both sides)
            return client.post(url, urlencode(data), content_type="application/x-www-form-urlencoded")

        def help_request():
            assert post("/help/", {**form, "client_token": f"p{next(tokens)}"}).status_code == 200

        def bare():
            assert post("/bench/bare-insert/", {"user": bare_user.pk}).status_code == 200

        for name, fn in (("bare one-INSERT view", bare), ("help request", help_request)):
            fn()
            t, cpu = time.perf_counter(), time.process_time()
            for _ in range(args.requests):
                fn()
            print(f"{name}: {(time.perf_counter() - t) / args.requests * 1000:.2f} ms per request "
                  f"({(time.process_time() - cpu) / args.requests * 1000:.2f} ms of this process's CPU: "
                  f"the figure to compare on a busy machine)")
        timed = []

        def timer(execute, sql, params, many, context):
            t = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                timed.append((time.perf_counter() - t, sql, len(params or ())))

        for _ in range(20):
            timed.clear()
            with connection.execute_wrapper(timer):
                help_request()
        print(f"statements of one help request: {len(timed)} (wall time of each, as the client waits for it; psycopg "
              f"parses a statement of over 4096 characters or 50 parameters again each time)")
        for seconds, sql, n in timed:
            print(f"  {seconds * 1000:6.2f} ms  {len(sql):5} chars {n:3} parameters  {sql[:70]}")
        profile = cProfile.Profile(time.process_time) if args.cpu else cProfile.Profile()
        profile.enable()
        for _ in range(args.requests):
            help_request()
        profile.disable()
        totals = collections.Counter()
        for (filename, _line, _func), (_cc, _nc, own, _cum, _callers) in pstats.Stats(profile).stats.items():
            totals[group(filename)] += own
        print("profiled time per help request, by where it is spent:")
        for key, seconds in totals.most_common():
            print(f"  {seconds / args.requests * 1000:6.2f} ms  {key}")
        if args.top:
            stats = sorted(pstats.Stats(profile).stats.items(), key=lambda item: -item[1][2])
            # fulian's functions, and Django's steps that say where a request goes (render, form cleaning, middleware)
            steps = ("render", "render_to_string", "is_valid", "full_clean", "process_view", "process_request",
                     "process_response")
            fulian = sorted((item for item in stats if "/fulian/" in item[0][0] or item[0][2] in steps),
                            key=lambda item: -item[1][3])
            for heading, rows in (("most own time", stats), ("steps, most cumulative time", fulian)):
                print(f"the {args.top} functions with the {heading}, per request:")
                for (filename, line, func), (_cc, calls, own, cum, _callers) in rows[: args.top]:
                    where = "/".join(Path(filename).parts[-2:])
                    print(
                        f"  {own / args.requests * 1000:6.3f} ms own {cum / args.requests * 1000:6.3f} ms cum"
                        f"  {calls / args.requests:5.1f}×  {where}:{line} {func}"
                    )
        if args.callees:
            stats = pstats.Stats(profile)
            stats.sort_stats("cumulative").print_callees(args.callees)
    finally:
        drop_database(url)


if __name__ == "__main__":
    main()
