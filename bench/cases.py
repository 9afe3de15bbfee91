"""Public help submissions per second against a bare Django view doing one INSERT, both served by the same
gunicorn server (2 workers × 16 threads, so 32 clients are 32 open transactions) in the same run, driven by the
same client threads; the median of 3 interleaved rounds at 8 and at 32 clients. After the run the bench checks
that nothing was skipped to get there: accepted requests = cases = audit rows = outbox rows, and the recount of
every figure finds no difference."""

import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

from fulian.accounts.tests.factories import UserFactory
from fulian.cases.models import Case
from fulian.core.models import AuditEvent, Outbox
from fulian.orgs.models import Kind, Level, Unit

from .run import drive_posts, recount_says

ROOT = Path(__file__).resolve().parents[1]
REQUESTS = 800
VILLAGES = 100
ROUNDS = 3
CLIENTS = (8, 32)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _drive(port: int, clients: int, make_body, headers: dict) -> tuple[float, int]:
    """POST REQUESTS times from `clients` threads (keep-alive connections); (requests per second, accepted)."""
    requests = [lambda n=n: (*make_body(n), headers) for n in range(REQUESTS)]
    return drive_posts(port, clients, requests), REQUESTS

def _serve(port: int, *, behind_proxy: bool = False) -> subprocess.Popen:
    """gunicorn on `port`; `behind_proxy`: it trusts X-Real-IP (as behind nginx), so each client may come from its
    own address and meet the per-address limits a real one meets."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.bench_settings", "DATABASE_URL": os.environ["DATABASE_URL"],
           "PYTHONPATH": f"{ROOT}:{ROOT / 'src'}"}
    if behind_proxy:
        env["TRUST_X_REAL_IP"] = "true"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "fulian.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--threads", "16", "--worker-class", "gthread", "--log-level", "warning"], env=env, cwd=ROOT)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


def run(report, *, repeat: int) -> None:
    from django.db import connection

    if not Unit.objects.filter(code="130000000000").exists():
        from fulian.orgs.divisions import divisions_load, divisions_read

        divisions_load(divisions=divisions_read(provinces=["13"]))
    user = UserFactory(username="bench-bare", unit=Unit.objects.get(code="130000000000"), roles=["staff"])
    # requests come from VILLAGES villages across the province (as they do: what they share is the province's and
    # their city's figure rows), villages no other part of the bench gave cadres, each with its chair, as villages
    # have: each request queues one notice for her (the outbox row)
    villages = list(Unit.objects.filter(level=Level.VILLAGE, kind=Kind.GEOGRAPHIC, code__startswith="13")
                    .exclude(accounts__isnull=False).order_by("code")[::97][:VILLAGES])
    for i, village in enumerate(villages):
        UserFactory(username=f"bench-chair-{i}", unit=village, roles=["chair"], email="")
    connection.close()
    port = _free_port()
    server = _serve(port)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port)
        conn.request("GET", "/help/")
        page = conn.getresponse()
        html = page.read().decode()
        cookie = page.getheader("Set-Cookie").split(";")[0]
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        started = re.search(r'name="started" value="([^"]+)"', html).group(1)
        form = {"kind": "dv", "description": "bench", "anonymous": "on",
                "csrfmiddlewaretoken": csrf, "started": started}
        places = [f"{v.code} {v.name}" for v in villages]
        headers_help = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie,
                        "Origin": f"http://127.0.0.1:{port}"}
        headers_bare = {"Content-Type": "application/x-www-form-urlencoded"}
        before = (Case.objects.count(), AuditEvent.objects.filter(action="case.create").count(),
                  Outbox.objects.count())
        accepted = 0
        rates = {(kind, n): [] for kind in ("help", "bare") for n in CLIENTS}
        tokens = iter(range(10**9))
        for _round in range(ROUNDS):  # interleaved, so a slow minute on a shared machine hits both sides
            for clients in CLIENTS:
                rate, ok = _drive(port, clients, lambda n: ("/help/", urllib.parse.urlencode(
                    {**form, "place": places[n % len(places)], "client_token": f"b{next(tokens)}"})), headers_help)
                rates[("help", clients)].append(rate)
                accepted += ok
                rate, _ok = _drive(port, clients, lambda n: ("/bench/bare-insert/", urllib.parse.urlencode(
                    {"user": user.pk})), headers_bare)
                rates[("bare", clients)].append(rate)
    finally:
        server.terminate()
        server.wait(timeout=10)
    cases = Case.objects.count() - before[0]
    audits = AuditEvent.objects.filter(action="case.create").count() - before[1]
    outbox = Outbox.objects.count() - before[2]
    for clients in CLIENTS:
        help_rate = statistics.median(rates[("help", clients)])
        bare_rate = statistics.median(rates[("bare", clients)])
        report.add(f"public help submissions, {clients} clients (median of {ROUNDS})", f"{help_rate:,.0f}/s",
                   "bare Django view, one INSERT, same server", f"{bare_rate:,.0f}/s", help_rate / bare_rate)
    recount, said = recount_says()
    line = (f"integrity: accepted {accepted:,} = cases {cases:,} = audit rows {audits:,} = outbox rows {outbox:,}; "
            f"{recount} ({said})")
    print(line, flush=True)
    report.add("help submissions: integrity", "ok" if accepted == cases == audits == outbox and
               recount == "recount equal" else "FAILED", line, "", None)
