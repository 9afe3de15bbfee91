"""Issue 6 figure: public help submissions per second against a bare Django view doing one INSERT, both served
by the same gunicorn server in the same run, driven by the same client threads."""

import http.client
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

from fulian.accounts.tests.factories import UserFactory
from fulian.cases.models import Case
from fulian.orgs.models import Unit

ROOT = Path(__file__).resolve().parents[1]
REQUESTS = 1500
THREADS = 8


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _drive(port: int, make_body, headers: dict) -> float:
    """POST REQUESTS times from THREADS threads (keep-alive connections); returns requests per second."""
    counter = iter(range(REQUESTS))
    lock = threading.Lock()
    errors = []

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                break
            conn.request("POST", make_body(n)[0], body=make_body(n)[1], headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                errors.append(response.status)
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    t = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - t
    if errors:
        raise RuntimeError(f"{len(errors)} failed requests, e.g. {errors[:3]}")
    return REQUESTS / elapsed


def run(report, *, repeat: int) -> None:
    from django.db import connection

    if not Unit.objects.filter(code="130000000000").exists():
        from fulian.orgs.divisions import divisions_load, divisions_read

        divisions_load(divisions=divisions_read(provinces=["13"]))
    user = UserFactory(username="bench-bare", unit=Unit.objects.get(code="130000000000"), roles=["staff"])
    connection.close()
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.bench_settings",
           "DATABASE_URL": os.environ["DATABASE_URL"], "PYTHONPATH": f"{ROOT}:{ROOT / 'src'}"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "fulian.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--log-level", "warning"], env=env, cwd=ROOT)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        conn = http.client.HTTPConnection("127.0.0.1", port)
        conn.request("GET", "/help/")
        page = conn.getresponse()
        html = page.read().decode()
        cookie = page.getheader("Set-Cookie").split(";")[0]
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        started = re.search(r'name="started" value="([^"]+)"', html).group(1)
        form = {"kind": "dv", "place": "130123100001 恒东社区", "description": "bench", "anonymous": "on",
                "csrfmiddlewaretoken": csrf, "started": started}
        headers_help = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie,
                        "Origin": f"http://127.0.0.1:{port}"}
        before = Case.objects.count()
        help_rate = _drive(port, lambda n: ("/help/", urllib.parse.urlencode({**form, "client_token": f"b{n}"})),
                           headers_help)
        created = Case.objects.count() - before
        bare_rate = _drive(port, lambda n: ("/bench/bare-insert/", urllib.parse.urlencode({"user": user.pk})),
                           {"Content-Type": "application/x-www-form-urlencoded"})
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert created == REQUESTS, created
    report.add(f"public help submissions ({THREADS} clients, gunicorn 2 workers)", f"{help_rate:,.0f}/s",
               "bare Django view, one INSERT, same server", f"{bare_rate:,.0f}/s", help_rate / bare_rate)
