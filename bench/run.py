"""`make bench`: province-scale figures, each beside the reference it is compared with, measured in one run.

Builds its own database (PostgreSQL on 127.0.0.1:5432 when reachable, as in production; SQLite with
--sqlite or when PostgreSQL is not there), loads all of China's divisions, and times reads at Hebei
scale. Nothing here is a test: it prints numbers and writes bench/out/results.json.
"""

import argparse
import http.client
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))


def choose_database(use_sqlite: bool) -> str:
    if not use_sqlite:
        try:
            import psycopg

            name = f"fulian_bench_{os.getpid()}"
            with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True,
                                 connect_timeout=3) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            return f"postgres://postgres@127.0.0.1:5432/{name}"
        except Exception as exc:  # noqa: BLE001  (any failure means: fall back to SQLite)
            print(f"PostgreSQL not usable ({exc.__class__.__name__}); using SQLite")
    path = ROOT / "bench" / "out" / "bench.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def drop_database(url: str) -> None:
    if url.startswith("postgres"):
        import psycopg
        from django.db import connections

        connections.close_all()
        name = url.rsplit("/", 1)[1]
        with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def recount_says() -> tuple[str, str]:
    """`indicators_recount` run after a part wrote: ("recount equal" or "RECOUNT DIFFERS", what it printed)."""
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    try:
        call_command("indicators_recount", stdout=out)
        return "recount equal", out.getvalue().strip()
    except SystemExit:
        return "RECOUNT DIFFERS", out.getvalue().strip()


def timed(fn, repeat: int) -> list[float]:
    fn()  # warm caches and connections once, as a server would be
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    return samples


ROUNDS = 3


def compare(report, label: str, root_fn, leaf_fn, *, repeat: int, root_name: str, leaf_name: str = "a village") -> None:
    """Root vs leaf, interleaved: ROUNDS rounds, each timing the root then the leaf (`repeat` samples each), so a
    slow minute on a shared machine hits both; prints the median over rounds of p50 and p95 and of their ratios."""
    rounds = []
    for _ in range(ROUNDS):
        root, leaf = timed(root_fn, repeat), timed(leaf_fn, repeat)
        rounds.append({q: (p(root, q), p(leaf, q)) for q in (50, 95)})
    for q in (50, 95):
        root_ms = statistics.median(r[q][0] for r in rounds)
        leaf_ms = statistics.median(r[q][1] for r in rounds)
        ratio = statistics.median(r[q][0] / r[q][1] for r in rounds)
        report.add(f"{label} at {root_name}: p{q}", f"{root_ms:.1f} ms", f"same at {leaf_name}: p{q}",
                   f"{leaf_ms:.1f} ms", ratio)


def p(samples: list[float], q: float) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[int(q) - 1] if len(samples) > 1 else samples[0]


class Report:
    def __init__(self):
        self.rows = []

    def add(self, figure: str, value: str, reference: str, ref_value: str, ratio: float | None):
        self.rows.append({"figure": figure, "value": value, "reference": reference, "reference_value": ref_value,
                          "ratio": None if ratio is None else round(ratio, 2)})
        ratio_text = "" if ratio is None else f"{ratio:8.2f}x"
        print(f"{figure:<52} {value:>18}   vs {reference:<40} {ref_value:>14} {ratio_text}", flush=True)


def tables_analyze(*models) -> None:
    """What autovacuum does after a bulk write in production: fresh statistics (and visibility maps) for these
    models' tables on PostgreSQL, or the whole database on SQLite."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for model in models:
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
        else:
            cursor.execute("ANALYZE")


def drive_posts(port: int, clients: int, requests: list, *, ok: int = 200) -> float:
    """Send every request — a function giving (url, body, headers) when it is sent — from `clients` threads on
    keep-alive connections; requests per second. Any answer but `ok` (200; a page that posts, redirects and gets
    answers 302) fails the bench."""
    lock = threading.Lock()
    queue = iter(requests)
    errors = []

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                make = next(queue, None)
            if make is None:
                break
            url, body, headers = make()
            conn.request("POST", url, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status != ok:
                errors.append(response.status)
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    t = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - t
    if errors:
        raise RuntimeError(f"{len(errors)} failed requests, e.g. {errors[:3]}")
    return len(requests) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sqlite", action="store_true", help="bench on SQLite instead of PostgreSQL")
    parser.add_argument("--repeat", type=int, default=40, help="samples per side per round (3 rounds)")
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    parts = ["tree", "people", "evaluation", "cases", "tasks", "activities", "awards", "care", "funding", "audit",
             "offline"]
    parser.add_argument("--only", nargs="*", default=parts, help=", ".join(parts))
    args = parser.parse_args()

    url = choose_database(args.sqlite)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fulian.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    print(f"database: {connection.vendor} ({url.rsplit('/', 1)[1]})")
    call_command("migrate", verbosity=0)
    report = Report()
    try:
        from bench import activities, audit, awards, care, cases, evaluation, funding, offline, people, tasks, tree

        started = time.perf_counter()
        for name, part in (("tree", tree), ("people", people), ("evaluation", evaluation), ("cases", cases),
                           ("tasks", tasks), ("activities", activities), ("awards", awards),
                           ("care", care), ("funding", funding), ("audit", audit), ("offline", offline)):
            if name in args.only:
                t = time.perf_counter()
                part.run(report, repeat=args.repeat)
                print(f"  ({name}: {time.perf_counter() - t:.0f}s)", flush=True)
        print(f"  (whole bench: {(time.perf_counter() - started) / 60:.1f} min)", flush=True)
    finally:
        out = ROOT / "bench" / "out"
        out.mkdir(exist_ok=True)
        (out / "results.json").write_text(
            json.dumps({"database": connection.vendor, "rows": report.rows}, ensure_ascii=False, indent=2)
        )
        if not args.keep:
            drop_database(url)


if __name__ == "__main__":
    main()
