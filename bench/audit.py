"""Issue 21 figures: the tamper-evident audit chain costs writers nothing.

(a) An audited write — a cadre makes an API token (`accounts.services.token_create`: one row and its audit row, in
one transaction) — from writer threads (two on PostgreSQL, one on SQLite: it has one writer at a time), as writes per
second, with the sealer running beside them (its own process, `audit_seal --loop`, as in production) vs without,
interleaved over 3 rounds; the sealer seals every second here, sixty times as often as the scheduler's minute (the
goal: with/without ≥ 0.9). The audit table holds a
province's history first (BACKLOG rows), sealed before the rounds as the first run on an old database would.
(b) Sealing that backlog (rows per second) and verifying the whole chain (rows per second), for the operator's
expectations; no reference, no ratio.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

from django.db import connections, transaction
from django.utils import timezone

from fulian.accounts.models import ApiToken, User
from fulian.accounts.services import token_create
from fulian.core.models import AuditEvent, AuditSeal, ReadLog
from fulian.core.sealing import seal_all, seal_verify

from .run import ROOT, ROUNDS, tables_analyze

# audit rows already there (about a year of a province's sign-ins and edits)
BACKLOG = int(os.environ.get("BENCH_AUDIT_BACKLOG", "300000"))
WRITES = 5000  # per writer per side per round: seconds of writing, so the sealer runs many times beside it
SEAL_EVERY = 0.5  # seconds between the sealer's runs during the rounds (production: 60)


def _backlog(user) -> None:
    have = AuditEvent.objects.count()
    now = timezone.now()
    rows = []
    for i in range(have, BACKLOG):
        rows.append(AuditEvent(at=now, actor=user, actor_label=user.username, action="bench.history",
                               object_type="people.woman", object_id=str(i), object_repr="王秀兰",
                               changes={"phone": ["13800000000", "13900000000"]}, ip="10.0.0.1",
                               channel="web", unit_path="0001"))
        if len(rows) == 10_000:
            AuditEvent.objects.bulk_create(rows)
            rows = []
    if rows:
        AuditEvent.objects.bulk_create(rows)
    reads = [ReadLog(at=now, actor=user, actor_label=user.username, object_type="cases.case", object_id=str(i),
                     purpose="handling", unit_path="0001") for i in range(BACKLOG // 10)]
    ReadLog.objects.bulk_create(reads, batch_size=10_000)
    tables_analyze(AuditEvent, ReadLog)


def _writers(users, n: int) -> float:
    """Writes per second of len(users) threads, each making n tokens."""
    errors = []

    def write(user):
        try:
            for i in range(n):
                token_create(user=user, name=f"bench {i}")
        except Exception as exc:  # noqa: BLE001  (reported below)
            traceback.print_exc()
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(u,)) for u in users]
    t = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - t
    if errors:
        raise RuntimeError(f"writer failed: {errors[0]!r}")
    return n * len(users) / elapsed


SEALER = """
import os, sys, time
sys.path.insert(0, sys.argv[1])
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fulian.settings")
import django
django.setup()
from fulian.core.sealing import seal_all
flag = sys.argv[2]
print("ready", flush=True)
while os.path.exists(flag + ".alive"):
    if os.path.exists(flag):
        seal_all()
    time.sleep(float(sys.argv[3]))
"""


class Sealer:
    """The sealer as production runs it, in a process of its own (`audit_seal --loop` is this loop), started once
    and switched on and off by a flag file, so its start-up is not in the timings."""

    def __init__(self, folder: Path):
        self.flag = folder / "sealer-on"
        Path(f"{self.flag}.alive").touch()
        self.process = subprocess.Popen([sys.executable, "-c", SEALER, str(ROOT / "src"), str(self.flag),
                                         str(SEAL_EVERY)], env=os.environ.copy(), stdout=subprocess.PIPE, text=True)
        assert self.process.stdout.readline().strip() == "ready"

    def on(self):
        self.flag.touch()

    def off(self):
        self.flag.unlink(missing_ok=True)
        time.sleep(SEAL_EVERY * 1.5)  # a run in progress ends

    def stop(self):
        self.off()
        Path(f"{self.flag}.alive").unlink(missing_ok=True)
        self.process.wait(30)


def _with_sealer(sealer: Sealer, users, n: int) -> tuple[float, int]:
    before = AuditSeal.objects.count()
    sealer.on()
    try:
        rate = _writers(users, n)
    finally:
        sealer.off()
    return rate, AuditSeal.objects.count() - before


def run(report, *, repeat: int) -> None:
    from django.db import connection

    writers = 2 if connection.vendor == "postgresql" else 1
    users = []
    for i in range(writers):
        user, _ = User.objects.get_or_create(username=f"bench-audit-{i}", defaults={"full_name": f"审计{i}"})
        users.append(user)
    _backlog(users[0])
    t = time.perf_counter()
    seal_all(limit=10**6)
    sealing = time.perf_counter() - t
    sealed = AuditEvent.objects.count() + ReadLog.objects.count()
    report.add("audit: sealing a backlog", f"{sealed / sealing:,.0f} rows/s", f"{sealed:,} rows", "", None)

    rounds = []
    added = 0
    with tempfile.TemporaryDirectory() as folder:
        sealer = Sealer(Path(folder))
        try:
            for _ in range(ROUNDS):
                without = _writers(users, WRITES)
                with_, links = _with_sealer(sealer, users, WRITES)
                added += links
                rounds.append((with_, without))
        finally:
            sealer.stop()
    with_rate = statistics.median(r[0] for r in rounds)
    without_rate = statistics.median(r[1] for r in rounds)
    ratio = statistics.median(r[0] / r[1] for r in rounds)
    report.add(f"audit: audited writes, sealer beside ({writers} writer)", f"{with_rate:.0f} writes/s",
               "same without the sealer", f"{without_rate:.0f} writes/s", ratio)

    seal_all()
    t = time.perf_counter()
    verdict = seal_verify()
    verifying = time.perf_counter() - t
    if not verdict.ok:
        raise RuntimeError(f"audit chain broken in the bench: {verdict}")
    report.add("audit: verifying the whole chain", f"{verdict.rows / verifying:,.0f} rows/s",
               f"{verdict.rows:,} rows, {AuditSeal.objects.count()} links ({added} during writes)", "", None)
    with transaction.atomic():
        ApiToken.objects.filter(user__in=users).delete()
