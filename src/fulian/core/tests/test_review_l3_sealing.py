"""Review (issue 21, R1): attacks on the audit chain that `audit_verify` must name, and the one it cannot.

- Truncation: the newest links deleted with their rows leave a shorter chain that verifies; only a digest kept
  off-site (audit_digest) shows it. Pinned here so that the limit stays known and the defence stays tested.
- A forged archive record (INSERT is all the application role needs) must not make verify skip the rows of
  recent links, nor of links it does not tile from link 1.
- An archived link's row hashes are bound to its HMAC'ed digest: rewriting them with the archive file is named.
- PostgreSQL: the archive's way past the DELETE trigger (a setting any session may set) must not open unsealed rows.
"""

import datetime as dt
import gzip
import hashlib
import json

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from fulian.core.audit import audit_record
from fulian.core.models import AuditArchive, AuditEvent, AuditSeal
from fulian.core.sealing import ROW, audit_archive, seal_all, seal_digest, seal_verify
from fulian.core.tests.test_sealing import _tamper


def _write(n, tag="test.write"):
    for i in range(n):
        with transaction.atomic():
            audit_record(actor=None, action=tag, changes={"i": i, "名": "<script>alert(1)</script>"})


@pytest.mark.django_db
def test_truncating_the_newest_links_and_rows_is_seen_only_against_a_digest(settings):
    settings.AUDIT_SEAL_BATCH = 3
    _write(6)
    seal_all()
    digest = seal_digest(timezone.localdate())
    last = AuditSeal.objects.order_by("-number").first()
    keep = last.number - 2
    cut = AuditSeal.objects.get(number=keep)
    _tamper("DELETE FROM core_auditseal WHERE number > %s", [keep], table="core_auditseal")
    _tamper("DELETE FROM core_auditevent WHERE id > %s", [cut.audit_to])
    assert seal_verify().ok  # the shorter chain is a chain: without a digest nothing tells
    verdict = seal_verify(digests=[digest])
    assert not verdict.ok and verdict.seal_number == last.number and "no longer in the chain" in verdict.problem
    _write(2)  # the sealer then rebuilds links with the same numbers: a digest still tells them apart
    seal_all()
    seal_all()
    assert AuditSeal.objects.filter(number=last.number).exists()
    verdict = seal_verify(digests=[digest])
    assert not verdict.ok and "digest" in verdict.problem


@pytest.mark.django_db
def test_a_forged_archive_record_does_not_hide_a_changed_row():
    _write(4)
    seal_all()
    last = AuditSeal.objects.order_by("-number").first()
    AuditArchive.objects.create(created_at=timezone.now(), file_name="audit-forged.jsonl.gz", sha256="0" * 64,
                                seal_from=1, seal_to=last.number, audit_count=0, read_count=0)
    victim = AuditEvent.objects.filter(action="test.write").first()
    _tamper("UPDATE core_auditevent SET actor_label = %s WHERE id = %s", ["nobody", victim.pk])
    verdict = seal_verify()
    assert not verdict.ok
    assert verdict.rows == 0 and verdict.archived_links == 0


@pytest.mark.django_db
def test_an_archive_record_that_does_not_start_at_link_one_is_named(settings, tmp_path, time_machine):
    settings.AUDIT_ARCHIVE_DIR = tmp_path
    settings.AUDIT_RETENTION_DAYS = 180
    start = timezone.now() + dt.timedelta(hours=1)
    time_machine.move_to(start, tick=False)
    settings.AUDIT_SEAL_BATCH = 2
    _write(6)
    seal_all()
    time_machine.move_to(start + dt.timedelta(days=200), tick=False)
    last = AuditSeal.objects.order_by("-number").first()
    AuditArchive.objects.create(created_at=timezone.now(), file_name="audit-forged.jsonl.gz", sha256="0" * 64,
                                seal_from=last.number, seal_to=last.number, audit_count=0, read_count=0)
    verdict = seal_verify()
    assert not verdict.ok and verdict.archived_links == 0


@pytest.mark.django_db
def test_an_archive_rewritten_with_its_links_row_hashes_is_named(settings, tmp_path, time_machine):
    settings.AUDIT_ARCHIVE_DIR = tmp_path
    settings.AUDIT_RETENTION_DAYS = 180
    start = timezone.now() + dt.timedelta(hours=1)
    time_machine.move_to(start, tick=False)
    _write(3)
    seal_all()
    time_machine.move_to(start + dt.timedelta(days=200), tick=False)
    archive = audit_archive()
    assert archive is not None and seal_verify(archives=True).ok
    # the intruder rewrites an archived row in the file, and the file's hash and the link's row hashes to match
    path = tmp_path / archive.file_name
    entries = [json.loads(line) for line in gzip.decompress(path.read_bytes()).splitlines()]
    entries[-1]["values"][3] = "nobody"  # actor_label
    lines = [json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n" for e in entries]
    path.write_bytes(gzip.compress("".join(lines).encode()))
    _tamper("UPDATE core_auditarchive SET sha256 = %s", [hashlib.sha256(path.read_bytes()).hexdigest()],
            table="core_auditarchive")
    short = {(e["kind"], e["values"][0]): hashlib.sha256(
        (e["kind"] + json.dumps(e["values"], ensure_ascii=False, sort_keys=True, separators=(",", ":"))).encode()
    ).digest()[:8] for e in entries}
    for seal in AuditSeal.objects.filter(number__gte=archive.seal_from, number__lte=archive.seal_to):
        stored = bytes(seal.row_hashes)
        packed = b""
        for index in range(len(stored) // ROW.size):
            row_id, _short = ROW.unpack_from(stored, index * ROW.size)
            kind = "A" if index < seal.audit_count else "R"
            packed += ROW.pack(row_id, short[(kind, row_id)])
        _tamper("UPDATE core_auditseal SET row_hashes = %s WHERE id = %s", [packed, seal.pk],
                table="core_auditseal")
    verdict = seal_verify(archives=True)
    assert not verdict.ok


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
@pytest.mark.django_db
def test_the_archive_setting_does_not_let_anyone_delete_an_unsealed_row():
    _write(2)
    seal_all()
    _write(1, tag="test.unsealed")
    row = AuditEvent.objects.get(action="test.unsealed")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('fulian.audit_archive', 'on', true)")
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [row.pk])
    assert AuditEvent.objects.filter(pk=row.pk).exists()


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_two_sealers_beside_two_writers_neither_lose_nor_double_a_row():
    import threading

    from django.db import connections

    from fulian.core.models import ReadLog

    stop = threading.Event()
    errors = []

    def run(target):
        def wrapped():
            try:
                target()
            except Exception as exc:  # noqa: BLE001 (reported by the test)
                errors.append(exc)
            finally:
                connections.close_all()
        thread = threading.Thread(target=wrapped)
        thread.start()
        return thread

    def writer():
        for i in range(120):
            with transaction.atomic():
                audit_record(actor=None, action="test.w", changes={"i": i})

    def sealer():
        while not stop.is_set():
            seal_all()

    sealers = [run(sealer), run(sealer)]
    writers = [run(writer), run(writer)]
    for thread in writers:
        thread.join(60)
    stop.set()
    for thread in sealers:
        thread.join(60)
    assert errors == []
    seal_all()
    seal_all()
    links = list(AuditSeal.objects.order_by("number"))
    assert [s.number for s in links] == list(range(1, len(links) + 1))
    assert all(b.audit_from == a.audit_to for a, b in zip(links, links[1:], strict=False))
    assert sum(s.audit_count for s in links) == AuditEvent.objects.count() >= 240
    assert sum(s.read_count for s in links) == ReadLog.objects.count()
    assert seal_verify().ok


@pytest.mark.django_db
def test_awkward_values_verify_on_both_databases_and_through_an_archive(settings, tmp_path, time_machine):
    """No false alarm from how a database hands values back: JSON keys out of order and nested, floats, big ints,
    an IPv6 address written long-hand, microseconds, text outside the BMP. Run on SQLite and on PostgreSQL."""
    from fulian.core.context import Origin, reset_origin, set_origin

    settings.AUDIT_ARCHIVE_DIR = tmp_path
    settings.AUDIT_RETENTION_DAYS = 180
    start = timezone.now().replace(microsecond=123456) + dt.timedelta(hours=1)
    time_machine.move_to(start, tick=False)
    token = set_origin(Origin(ip="2001:0db8:0000:0000:0000:0000:0000:0001", user_agent="Mozilla/5.0 😀",
                              channel="web"))
    try:
        with transaction.atomic():
            audit_record(actor=None, action="test.awkward", changes={
                "z": 1, "a": {"y": [1.5, 0.1, 1e16, -0.0, 2**60], "b": None}, "名字": "王秀兰𠀀", "t": True,
                "q": "\"quoted\" \\ back\nline", "e": 1e-7, "big": 12345678901234567890})
    finally:
        reset_origin(token)
    seal_all()
    assert seal_verify().ok
    time_machine.move_to(start + dt.timedelta(days=200), tick=False)
    assert audit_archive() is not None
    verdict = seal_verify(archives=True)
    assert verdict.ok, verdict


@pytest.mark.django_db
def test_verify_warns_when_rows_have_waited_too_long_for_a_seal(time_machine, capsys):
    """A stopped (or stalled: a transaction left open) sealer leaves new rows unsealed, where a change is invisible;
    verify says so, and its exit status (2) lets monitoring tell it from a broken chain (1)."""
    from django.core.management import call_command

    start = timezone.now() + dt.timedelta(hours=1)
    time_machine.move_to(start, tick=False)
    _write(2)
    seal_all()
    _write(1, tag="test.waiting")
    assert seal_verify().notes == []  # just written: the sealer's next minute will take it
    time_machine.move_to(start + dt.timedelta(minutes=30), tick=False)
    verdict = seal_verify()
    assert verdict.ok and verdict.notes and "unsealed" in verdict.notes[0]
    with pytest.raises(SystemExit) as exit_:
        call_command("audit_verify")
    assert exit_.value.code == 2
    assert "unsealed" in capsys.readouterr().err


@pytest.mark.django_db
def test_a_second_archiver_that_chose_the_same_links_does_not_overwrite_the_first_ones_file(
        settings, tmp_path, time_machine, monkeypatch):
    """Two `audit_archive` runs at once (the daily job on two servers): the one that chose its links before the other
    committed must not write over the archive file of rows that are now gone from the tables."""
    from fulian.core import sealing

    settings.AUDIT_ARCHIVE_DIR = tmp_path
    settings.AUDIT_RETENTION_DAYS = 180
    start = timezone.now() + dt.timedelta(hours=1)
    time_machine.move_to(start, tick=False)
    _write(3)
    seal_all()
    time_machine.move_to(start + dt.timedelta(days=200), tick=False)
    first = audit_archive()
    kept = (tmp_path / first.file_name).read_bytes()
    monkeypatch.setattr(sealing, "_archived_through", lambda: 0)  # the other run read this before the first committed
    try:
        second = audit_archive()
    except DatabaseError:
        second = None
    assert second is None
    assert (tmp_path / first.file_name).read_bytes() == kept
    monkeypatch.undo()
    assert seal_verify(archives=True).ok
    assert sorted(p.name for p in tmp_path.iterdir()) == [first.file_name]


@pytest.mark.django_db
def test_a_second_archiver_with_an_overlapping_run_of_links_records_nothing(settings, tmp_path, time_machine,
                                                                           monkeypatch):
    """The other run chose links 1…n+1 where the first archived 1…n (a link came due between): a different file
    name, so only the overlap check keeps it from recording a second archive of the same links."""
    from fulian.core import sealing

    settings.AUDIT_ARCHIVE_DIR = tmp_path
    settings.AUDIT_RETENTION_DAYS = 180
    start = timezone.now() + dt.timedelta(hours=1)
    time_machine.move_to(start, tick=False)
    _write(3)
    seal_all()
    time_machine.move_to(start + dt.timedelta(days=100), tick=False)
    _write(2)
    seal_all()
    time_machine.move_to(start + dt.timedelta(days=200), tick=False)
    first = audit_archive()  # only the first day's links are due
    assert first is not None and first.seal_to < AuditSeal.objects.order_by("-number").first().number
    time_machine.move_to(start + dt.timedelta(days=300), tick=False)
    monkeypatch.setattr(sealing, "_archived_through", lambda: 0)
    assert audit_archive() is None  # links 1…last were due for it: the first run has some of them
    monkeypatch.undo()
    assert AuditArchive.objects.count() == 1
    assert seal_verify(archives=True).ok


@pytest.mark.django_db
@pytest.mark.parametrize("text", ['["x"]', '{"number": "abc", "hash": "f"}', '[{"number": 1}]', "3"])
def test_a_malformed_digest_file_is_a_clear_error_not_a_traceback(tmp_path, text):
    from django.core.management import CommandError, call_command

    _write(1)
    seal_all()
    path = tmp_path / "digest.json"
    path.write_text(text)
    with pytest.raises(CommandError, match="digest"):
        call_command("audit_verify", digest=[str(path)])
