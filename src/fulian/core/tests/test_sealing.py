"""The tamper-evident audit chain (core.sealing): sealing, tampering named by verify, digests, archives, and sealing
beside concurrent writers and out-of-order commits (PostgreSQL)."""

import datetime as dt
import gzip
import json
import threading

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone

from fulian.core.audit import audit_record, read_record
from fulian.core.models import AuditArchive, AuditEvent, AuditSeal, ReadLog
from fulian.core.sealing import audit_archive, seal_all, seal_digest, seal_once, seal_status, seal_verify


def _write(actor, n, unit=None):
    for i in range(n):
        with transaction.atomic():
            audit_record(actor=actor, action="test.write", obj=unit, changes={"i": i, "名": "王秀兰"})
    if unit is not None:
        read_record(actor=actor, obj=unit, purpose="case review")


def _tamper(sql: str, params=(), *, table="core_auditevent"):
    """What an intruder with database access does: switch the append-only trigger off and write."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
        else:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only")
        cursor.execute(sql, params)


@pytest.mark.django_db
def test_every_committed_row_is_sealed_and_the_chain_verifies(county_chair, unit):
    _write(county_chair, 5, unit("正定县"))
    assert seal_all() >= 1
    status = seal_status()
    assert status["unsealed_audit"] == 0 and status["unsealed_reads"] == 0
    sealed = sum(s.audit_count for s in AuditSeal.objects.all())
    assert sealed == AuditEvent.objects.count()
    assert sum(s.read_count for s in AuditSeal.objects.all()) == ReadLog.objects.count() == 1
    verdict = seal_verify()
    assert verdict.ok and verdict.rows == AuditEvent.objects.count() + 1
    assert seal_once() is None  # nothing new: no empty link every minute


@pytest.mark.django_db
def test_a_row_edited_in_the_database_is_named_by_verify(county_chair, unit, capsys):
    _write(county_chair, 4, unit("正定县"))
    seal_all()
    victim = AuditEvent.objects.filter(action="test.write").order_by("id")[2]
    _write(county_chair, 2)
    seal_all()
    _tamper("UPDATE core_auditevent SET actor_label = %s WHERE id = %s", ["someone-else", victim.pk])
    verdict = seal_verify()
    assert not verdict.ok
    assert verdict.row == f"audit #{victim.pk} (changed)"
    link = AuditSeal.objects.get(audit_from__lt=victim.pk, audit_to__gte=victim.pk)
    assert verdict.seal_number == link.number
    with pytest.raises(SystemExit) as exit_:
        call_command("audit_verify")
    assert exit_.value.code == 1
    assert f"link {link.number}, row audit #{victim.pk} (changed)" in capsys.readouterr().err


@pytest.mark.django_db
def test_a_deleted_row_and_an_altered_link_are_named(county_chair, unit):
    _write(county_chair, 3, unit("正定县"))
    seal_all()
    read = ReadLog.objects.get()
    _tamper("DELETE FROM core_readlog WHERE id = %s", [read.pk], table="core_readlog")
    verdict = seal_verify()
    assert verdict.row == f"read #{read.pk} (deleted)"


@pytest.mark.django_db
def test_a_link_rewritten_without_the_key_breaks_the_chain(county_chair):
    _write(county_chair, 3)
    seal_all()
    link = AuditSeal.objects.order_by("-number").first()
    _tamper("UPDATE core_auditseal SET audit_count = %s WHERE id = %s", [link.audit_count + 1, link.pk],
            table="core_auditseal")
    verdict = seal_verify()
    assert (verdict.ok, verdict.seal_number) == (False, link.number)
    assert "altered" in verdict.problem


@pytest.mark.django_db
def test_links_and_archives_refuse_update_and_delete(county_chair):
    _write(county_chair, 1)
    seal_all()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditSeal.objects.update(hash="0" * 64)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditSeal.objects.all().delete()


@pytest.mark.django_db
def test_the_daily_digest_kept_off_site_proves_its_link(county_chair, tmp_path):
    _write(county_chair, 3)
    seal_all()
    digest = seal_digest(dt.date.today())
    assert digest["number"] == AuditSeal.objects.order_by("-number").first().number
    path = tmp_path / "digest.json"
    call_command("audit_digest", date=dt.date.today().isoformat(), output=str(path))
    assert json.loads(path.read_text())["hash"] == digest["hash"]
    assert seal_verify(digests=[digest]).ok
    assert not seal_verify(digests=[{**digest, "hash": "f" * 64}]).ok
    assert not seal_verify(digests=[{**digest, "number": digest["number"] + 99}]).ok


@pytest.mark.django_db
def test_the_archive_moves_only_sealed_rows_past_the_retention(county_chair, unit, settings, tmp_path,
                                                              time_machine):
    settings.AUDIT_ARCHIVE_DIR = tmp_path / "archive"
    settings.AUDIT_RETENTION_DAYS = 180
    start = timezone.now() + dt.timedelta(hours=1)  # after the rows the fixtures wrote
    time_machine.move_to(start, tick=False)
    _write(county_chair, 3, unit("正定县"))
    seal_all()
    old = set(AuditEvent.objects.values_list("id", flat=True))
    time_machine.move_to(start + dt.timedelta(days=116), tick=False)
    _write(county_chair, 2)
    seal_all()
    assert audit_archive() is None  # 116 days: too young
    assert audit_archive(retention_days=30) is None  # the retention is never shorter than 180 days
    time_machine.move_to(start + dt.timedelta(days=196), tick=False)
    _write(county_chair, 1)  # unsealed and recent
    archive = audit_archive()
    assert archive is not None and archive.audit_count == len(old) and archive.read_count == 1
    assert not AuditEvent.objects.filter(id__in=old).exists()
    assert AuditEvent.objects.filter(action="test.write").count() == 3  # the younger rows stay
    with gzip.open(settings.AUDIT_ARCHIVE_DIR / archive.file_name) as lines:
        assert len(lines.readlines()) == len(old) + 1
    assert seal_verify(archives=True).ok
    (settings.AUDIT_ARCHIVE_DIR / archive.file_name).write_bytes(gzip.compress(b"{}\n"))
    verdict = seal_verify(archives=True)
    assert not verdict.ok and "altered" in verdict.problem
    assert AuditArchive.objects.count() == 1


@pytest.mark.django_db
def test_a_backlog_is_sealed_in_batches(county_chair, settings):
    settings.AUDIT_SEAL_BATCH = 100
    _write(county_chair, 250)
    assert seal_all() >= 3
    assert max(s.audit_count for s in AuditSeal.objects.all()) <= 100
    assert seal_status()["unsealed_audit"] == 0
    assert seal_verify().ok


# --- PostgreSQL: writers in other transactions --------------------------------------------------------------------

pg = [pytest.mark.postgres, pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
      pytest.mark.django_db(transaction=True)]


def _in_thread(target):
    def run():
        try:
            target()
        finally:
            connections.close_all()
    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_a_row_that_commits_after_a_newer_one_is_not_left_out(county_chair):
    """T1 takes an id and waits; T2 takes a higher one and commits. The sealer must not seal past T1's id."""
    taken, release = threading.Event(), threading.Event()

    def slow():
        with transaction.atomic():
            audit_record(actor=None, action="test.slow")
            taken.set()
            release.wait(10)

    thread = _in_thread(slow)
    taken.wait(10)
    with transaction.atomic():
        audit_record(actor=county_chair, action="test.fast")
    seal_all()
    slow_id = None
    assert seal_status()["unsealed_audit"] >= 1  # the fast row waits too: T1 was open at its horizon
    release.set()
    thread.join(10)
    slow_id = AuditEvent.objects.get(action="test.slow").pk
    seal_all()
    assert AuditSeal.objects.filter(audit_from__lt=slow_id, audit_to__gte=slow_id).exists()
    assert seal_status()["unsealed_audit"] == 0
    assert seal_verify().ok


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_sealing_beside_two_writers_loses_no_row(county_chair):
    stop = threading.Event()
    written = []

    def writer(tag):
        def run():
            for i in range(150):
                with transaction.atomic():
                    audit_record(actor=None, action=f"test.{tag}", changes={"i": i})
                    if i % 7 == 0:
                        read_record(actor=None, obj=county_chair, purpose=tag)
            written.append(tag)
        return run

    def sealer():
        while not stop.is_set():
            seal_all()

    seal_thread = _in_thread(sealer)
    writers = [_in_thread(writer("a")), _in_thread(writer("b"))]
    for thread in writers:
        thread.join(60)
    stop.set()
    seal_thread.join(60)
    assert written == ["a", "b"] or sorted(written) == ["a", "b"]
    seal_all()
    seal_all()
    assert AuditSeal.objects.count() > 2  # links were made while they wrote
    assert sum(s.audit_count for s in AuditSeal.objects.all()) == AuditEvent.objects.count() >= 300
    assert sum(s.read_count for s in AuditSeal.objects.all()) == ReadLog.objects.count() >= 44
    assert seal_verify().ok
