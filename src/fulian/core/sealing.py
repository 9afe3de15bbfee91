"""The tamper-evident audit chain: seal, verify, digest, archive.

Writers never wait for it. They insert audit and read-log rows as before (core.audit); the sealer
(`manage.py audit_seal`, run every minute by the scheduler) comes afterwards and chains what has been committed:

- Each link (AuditSeal) covers the rows with ids in (audit_from, audit_to] and (read_from, read_to]. It keeps, per
  row, its id and the first 8 bytes of the SHA-256 of its canonical text, the SHA-256 of all of them, and an HMAC
  (AUDIT_SEAL_KEY) over the previous link's hash and its own fields. Editing a sealed row, deleting one, adding one
  inside a sealed range, or touching a link breaks the chain at that link, and `audit_verify` names it — and the row.
- Ids commit out of order: a transaction can take id 100 and commit after the one that took 101. A link therefore
  never seals up to the newest visible id. Each link records its *horizon*: the highest ids visible when it was made
  and the database clock at that moment. The next run seals up to that horizon only once every transaction that was
  open at that moment has ended (PostgreSQL: no open transaction of this database started before it, in
  pg_stat_activity); a transaction started later draws its ids from the sequence later, so above the horizon. Rows up
  to the horizon are then all committed or rolled back for good. SQLite has one writer at a time, so what is visible
  is final. A backlog (the first run on old data) is sealed AUDIT_SEAL_BATCH rows per link.
- Two sealers at once cannot fork the chain: link numbers are unique, the second one's insert fails and it retries
  next minute.

`seal_digest(day)` gives the day's last link (its number and hash) for keeping off-site: a later `audit_verify
--digest FILE` proves that link, and so everything before it, is unchanged. `audit_archive` moves sealed rows older
than AUDIT_RETENTION_DAYS (at least 180) to a gzip file of JSON lines whose SHA-256 is recorded; the links stay and
still verify, and `--archives` checks the files against them.
"""

import datetime as dt
import gzip
import hashlib
import hmac
import json
import struct
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from .models import AuditArchive, AuditEvent, AuditSeal, ReadLog

AUDIT_FIELDS = ("id", "at", "actor_id", "actor_label", "action", "object_type", "object_id", "object_repr",
                "changes", "ip", "user_agent", "channel", "unit_path")
READ_FIELDS = ("id", "at", "actor_id", "actor_label", "object_type", "object_id", "object_repr", "purpose", "ip",
               "channel", "unit_path")
ROW = struct.Struct(">q8s")  # id, first 8 bytes of the row's SHA-256
GENESIS = "0" * 64
# rows waiting longer than this for a link: the sealer (every minute) has stopped or is held up; verify says so
UNSEALED_WARNING = dt.timedelta(minutes=10)
ARCHIVE_LOCK = 0x66756C69616E  # pg_advisory_xact_lock key of audit_archive ("fulian")
MIN_RETENTION_DAYS = 180  # 等保 2.0: at least six months; the archive never takes younger rows, verify relies on it


def _key() -> bytes:
    if settings.AUDIT_SEAL_KEY:
        return settings.AUDIT_SEAL_KEY.encode()
    return hashlib.sha256(f"fulian:audit-seal:{settings.SECRET_KEY}".encode()).digest()


def _plain(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return value


def row_text(kind: str, values: tuple) -> bytes:
    """The canonical text of one row: its kind and field values as JSON (keys sorted, times in UTC)."""
    return (kind + json.dumps([_plain(v) for v in values], ensure_ascii=False, sort_keys=True,
                              separators=(",", ":"))).encode()


def _rows(model, fields, low: int, high: int):
    return model.objects.filter(id__gt=low, id__lte=high).order_by("id").values_list(*fields).iterator(2000)


def _hash_rows(low_audit, high_audit, low_read, high_read) -> tuple[bytes, int, int]:
    packed, counts = bytearray(), []
    for kind, model, fields, low, high in (("A", AuditEvent, AUDIT_FIELDS, low_audit, high_audit),
                                           ("R", ReadLog, READ_FIELDS, low_read, high_read)):
        count = 0
        for values in _rows(model, fields, low, high):
            packed += ROW.pack(values[0], hashlib.sha256(row_text(kind, values)).digest()[:8])
            count += 1
        counts.append(count)
    return bytes(packed), counts[0], counts[1]


def _link_hash(seal: AuditSeal) -> str:
    text = "|".join(str(v) for v in (
        seal.previous_hash, seal.number, _plain(seal.sealed_at), seal.audit_from, seal.audit_to, seal.read_from,
        seal.read_to, seal.audit_count, seal.read_count, seal.rows_digest, seal.horizon_audit, seal.horizon_read,
        _plain(seal.horizon_at)))
    return hmac.new(_key(), text.encode(), hashlib.sha256).hexdigest()


def _horizon() -> tuple[int, int, dt.datetime]:
    """The newest visible ids and the database's clock after they were read (one statement on PostgreSQL)."""
    audit, read = AuditEvent._meta.db_table, ReadLog._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT (SELECT coalesce(max(id), 0) FROM {audit}), "  # noqa: S608 (model table names)
                           f"(SELECT coalesce(max(id), 0) FROM {read}), clock_timestamp()")
            high_audit, high_read, at = cursor.fetchone()
            return high_audit, high_read, at
        cursor.execute(f"SELECT (SELECT coalesce(max(id), 0) FROM {audit}), "  # noqa: S608
                       f"(SELECT coalesce(max(id), 0) FROM {read})")
        high_audit, high_read = cursor.fetchone()
    return high_audit, high_read, timezone.now()


def _horizon_final(at: dt.datetime) -> bool:
    """Has every transaction that was open at `at` ended? (Nothing at or below that horizon can still commit.)"""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL AND xact_start <= %s", [at])
        return cursor.fetchone()[0] == 0


def _upper(model, low: int, high: int, batch: int) -> int:
    """The id up to which a link seals: `high`, or the batch-th id above `low` when more are waiting."""
    ids = model.objects.filter(id__gt=low, id__lte=high).order_by("id").values_list("id", flat=True)
    beyond = ids[batch - 1: batch]
    return beyond[0] if beyond and beyond[0] < high else high


def seal_once(*, now=None) -> AuditSeal | None:
    """Add one link if there is something final to seal (or the chain has no first link); None otherwise."""
    now = now or timezone.now()
    last = AuditSeal.objects.defer("row_hashes").order_by("-number").first()
    if last is not None and not _horizon_final(last.horizon_at):
        return None
    high_audit, high_read, at = _horizon()
    if last is None:
        seal = AuditSeal(number=1, audit_from=0, audit_to=0, read_from=0, read_to=0, previous_hash=GENESIS)
    else:
        batch = settings.AUDIT_SEAL_BATCH
        audit_to = _upper(AuditEvent, last.audit_to, last.horizon_audit, batch)
        read_to = _upper(ReadLog, last.read_to, last.horizon_read, batch)
        if (audit_to, read_to) == (last.audit_to, last.read_to) and (high_audit, high_read) == (
                last.horizon_audit, last.horizon_read):
            return None  # nothing new since the last link
        seal = AuditSeal(number=last.number + 1, audit_from=last.audit_to, audit_to=audit_to,
                         read_from=last.read_to, read_to=read_to, previous_hash=last.hash)
        if (audit_to, read_to) != (last.horizon_audit, last.horizon_read):  # a backlog: keep the older horizon
            high_audit, high_read, at = last.horizon_audit, last.horizon_read, last.horizon_at
    packed, seal.audit_count, seal.read_count = _hash_rows(seal.audit_from, seal.audit_to, seal.read_from,
                                                           seal.read_to)
    seal.row_hashes = packed
    seal.rows_digest = hashlib.sha256(packed).hexdigest()
    seal.sealed_at = now
    seal.horizon_audit, seal.horizon_read, seal.horizon_at = high_audit, high_read, at
    seal.hash = _link_hash(seal)
    try:
        with transaction.atomic():
            seal.save(force_insert=True)
    except IntegrityError:
        return None  # another sealer added this link first
    return seal


def seal_all(*, now=None, limit: int = 1000) -> int:
    """Seal what was there when the call began (a backlog takes several links; the last horizon needs one more link
    once it is final) and stop: rows written meanwhile wait for the next run. Chasing them instead made a link per
    gap between two writers' transactions — a hundred tiny links a second under load. The number of links added."""
    target_audit, target_read, _at = _horizon()
    added = 0
    while added < limit:
        seal = seal_once(now=now)
        if seal is None:
            break
        added += 1
        if seal.audit_to >= target_audit and seal.read_to >= target_read:
            break
    return added


@dataclass
class Verdict:
    ok: bool = True
    links: int = 0
    rows: int = 0
    archived_links: int = 0
    problem: str = ""
    seal_number: int | None = None
    row: str = ""  # "audit #123" / "read #45" when a row is named
    notes: list[str] = field(default_factory=list)

    def fail(self, number, problem, row=""):
        self.ok, self.seal_number, self.problem, self.row = False, number, problem, row
        return self


def _archived_through() -> int:
    last = AuditArchive.objects.order_by("-seal_to").values_list("seal_to", flat=True).first()
    return last or 0


def _archive_gap() -> tuple[int, str] | None:
    """Archive records must tile the chain from link 1 (each archive starts where the one before ended): a record
    that does not (INSERT is all it takes to write one) would otherwise make verify skip the links it names."""
    following = 1
    for seal_from, seal_to, name in AuditArchive.objects.order_by("seal_from", "id").values_list(
            "seal_from", "seal_to", "file_name"):
        if seal_from != following or seal_to < seal_from:
            return seal_from, f"archive {name} does not follow the archives before it (links {seal_from}–{seal_to})"
        following = seal_to + 1
    return None


def _entries(packed: bytes, start: int, count: int) -> list[tuple[int, bytes]]:
    return [ROW.unpack_from(packed, (start + i) * ROW.size) for i in range(count)]


def _first_difference(seal: AuditSeal, packed: bytes, audit_now: int, read_now: int) -> str:
    """Name the first row where the stored hashes and the table part: changed, deleted or added."""
    stored = bytes(seal.row_hashes)
    for label, old, new in (
            ("audit", _entries(stored, 0, seal.audit_count), _entries(packed, 0, audit_now)),
            ("read", _entries(stored, seal.audit_count, seal.read_count), _entries(packed, audit_now, read_now))):
        for index in range(max(len(old), len(new))):
            was = old[index] if index < len(old) else None
            is_ = new[index] if index < len(new) else None
            if was == is_:
                continue
            if was is None or (is_ is not None and is_[0] < was[0]):
                return f"{label} #{is_[0]} (added)"
            if is_ is None or is_[0] > was[0]:
                return f"{label} #{was[0]} (deleted)"
            return f"{label} #{was[0]} (changed)"
    return ""


def seal_verify(*, archives: bool = False, digests=(), now=None) -> Verdict:
    """Walk the chain from its first link: every link's hash, its link to the one before, the ranges touching, and
    the rows each covers (or, for archived links, the archive file when `archives`). Stops at the first break.

    An archived link is taken as archived only if it could have been: the archives tile the chain from link 1, and
    the link is older than the shortest retention (180 days) — a forged archive record cannot hide recent rows."""
    verdict = Verdict()
    gap = _archive_gap()
    if gap:
        return verdict.fail(gap[0], gap[1])
    archived = _archived_through()
    youngest_archivable = (now or timezone.now()) - dt.timedelta(days=MIN_RETENTION_DAYS)
    expected = {int(d["number"]): d["hash"] for d in digests}
    previous = None
    for seal in AuditSeal.objects.order_by("number").iterator(50):
        number = seal.number
        if previous is None:
            if number != 1 or seal.previous_hash != GENESIS:
                return verdict.fail(number, "the chain does not start at link 1")
        else:
            if number != previous.number + 1:
                return verdict.fail(number, f"link {previous.number + 1} is missing")
            if seal.previous_hash != previous.hash:
                return verdict.fail(number, "does not hold the previous link's hash")
            if (seal.audit_from, seal.read_from) != (previous.audit_to, previous.read_to):
                return verdict.fail(number, "its range does not follow the previous link's")
        if not hmac.compare_digest(seal.hash, _link_hash(seal)):
            return verdict.fail(number, "the link itself was altered (its hash does not match)")
        if hashlib.sha256(bytes(seal.row_hashes)).hexdigest() != seal.rows_digest:
            # the per-row hashes are bound to the link only through rows_digest (an archive is checked against them)
            return verdict.fail(number, "the link's row hashes were altered (they do not match its digest)")
        if number in expected and expected.pop(number) != seal.hash:
            return verdict.fail(number, "differs from the digest kept off-site")
        if number <= archived:
            if seal.horizon_at >= youngest_archivable:
                return verdict.fail(number, "is recorded as archived but is younger than any retention allows")
            verdict.archived_links += 1
        else:
            packed, audit_count, read_count = _hash_rows(seal.audit_from, seal.audit_to, seal.read_from,
                                                         seal.read_to)
            if hashlib.sha256(packed).hexdigest() != seal.rows_digest or bytes(seal.row_hashes) != packed:
                return verdict.fail(number, "a row it seals was changed, deleted or added",
                                    _first_difference(seal, packed, audit_count, read_count))
            verdict.rows += audit_count + read_count
        verdict.links += 1
        previous = seal
    if expected:
        number = min(expected)
        return verdict.fail(number, "a link kept in an off-site digest is no longer in the chain")
    if archives:
        problem = _verify_archives()
        if problem:
            return verdict.fail(problem[0], problem[1], problem[2])
    waiting = _oldest_unsealed(previous)
    if waiting is not None and waiting < (now or timezone.now()) - UNSEALED_WARNING:
        verdict.notes.append(f"rows unsealed since {_plain(waiting)}: is audit_seal running (or a transaction left "
                            "open)? A change to them would not be seen")
    return verdict


def _oldest_unsealed(last: AuditSeal | None) -> dt.datetime | None:
    audit_to, read_to = (last.audit_to, last.read_to) if last else (0, 0)
    times = [t for t in (
        AuditEvent.objects.filter(id__gt=audit_to).order_by("id").values_list("at", flat=True).first(),
        ReadLog.objects.filter(id__gt=read_to).order_by("id").values_list("at", flat=True).first()) if t]
    return min(times, default=None)


def seal_status(*, now=None) -> dict:
    """The chain at a glance: its last link, and how many rows wait to be sealed (and since when)."""
    last = AuditSeal.objects.defer("row_hashes").order_by("-number").first()
    audit_to, read_to = (last.audit_to, last.read_to) if last else (0, 0)
    waiting = AuditEvent.objects.filter(id__gt=audit_to)
    reads = ReadLog.objects.filter(id__gt=read_to)
    oldest = min([x for x in (waiting.order_by("id").values_list("at", flat=True).first(),
                              reads.order_by("id").values_list("at", flat=True).first()) if x], default=None)
    return {
        "links": last.number if last else 0,
        "last_sealed_at": last.sealed_at if last else None,
        "last_hash": last.hash if last else "",
        "unsealed_audit": waiting.count(),
        "unsealed_reads": reads.count(),
        "oldest_unsealed_at": oldest,
        "archives": AuditArchive.objects.count(),
    }


def seal_digest(day: dt.date) -> dict:
    """What to keep off-site for a (local) day: its last link's number and hash, and what the day's links covered."""
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    end = start + dt.timedelta(days=1)
    links = AuditSeal.objects.filter(sealed_at__gte=start, sealed_at__lt=end).order_by("number")
    first, last = links.first(), links.last()
    if last is None:
        last = AuditSeal.objects.filter(sealed_at__lt=start).order_by("-number").first()
    return {
        "kind": "fulian-audit-digest",
        "day": day.isoformat(),
        "links_that_day": links.count(),
        "first_number": first.number if first else None,
        "number": last.number if last else None,
        "hash": last.hash if last else None,
        "audit_to": last.audit_to if last else 0,
        "read_to": last.read_to if last else 0,
        "sealed_at": _plain(last.sealed_at) if last else None,
        "site": settings.SITE_URL,
    }


# --- archive ----------------------------------------------------------------------------------------------------

def _archive_dir() -> Path:
    path = Path(settings.AUDIT_ARCHIVE_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _delete_archived(model, low: int, high: int) -> int:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config('fulian.audit_archive', 'on', true)")  # this transaction only
            cursor.execute(f"DELETE FROM {table} WHERE id > %s AND id <= %s", [low, high])  # noqa: S608
            return cursor.rowcount
        # SQLite: the trigger is dropped and recreated inside this transaction (DDL is transactional there)
        cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
        cursor.execute(f"DELETE FROM {table} WHERE id > %s AND id <= %s", [low, high])  # noqa: S608
        count = cursor.rowcount
        cursor.execute(f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                       f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;")
        return count


def audit_archive(*, now=None, retention_days: int | None = None) -> AuditArchive | None:
    """Move the rows of links sealed before the retention to one compressed, hashed file; None if none is due.

    Only sealed rows, only older than the retention (never under 180 days): recent rows are never deleted."""
    now = now or timezone.now()
    days = max(MIN_RETENTION_DAYS, retention_days or settings.AUDIT_RETENTION_DAYS)
    cutoff = now - dt.timedelta(days=days)
    start = _archived_through() + 1
    links = list(AuditSeal.objects.filter(number__gte=start, horizon_at__lt=cutoff).order_by("number")
                 .values_list("number", "audit_from", "audit_to", "read_from", "read_to", "horizon_at"))
    # a link is due when every row it seals is older than the cutoff: its horizon (taken after its rows) is
    links = [link for link in links if _newest_at(link) < cutoff]
    due = []
    for link in links:  # only an unbroken run from the first unarchived link
        if link[0] != start + len(due):
            break
        due.append(link)
    if not due:
        return None
    first, last = due[0], due[-1]
    name = f"audit-{first[0]:09d}-{last[0]:09d}.jsonl.gz"
    path = _archive_dir() / name
    # written beside its final name first: another archiver that chose the same links (the daily job on two
    # servers) fails on the record's unique file name before it could replace this file, or the other way round
    partial = path.with_name(f".{name}.{uuid.uuid4().hex}.partial")
    digest = hashlib.sha256()
    counts = {"A": 0, "R": 0}
    try:
        with gzip.open(partial, "wb") as out:
            for kind, model, fields, low, high in (("A", AuditEvent, AUDIT_FIELDS, first[1], last[2]),
                                                   ("R", ReadLog, READ_FIELDS, first[3], last[4])):
                for values in _rows(model, fields, low, high):
                    line = json.dumps({"kind": kind, "values": [_plain(v) for v in values]}, ensure_ascii=False,
                                      sort_keys=True) + "\n"
                    out.write(line.encode())
                    counts[kind] += 1
        with partial.open("rb") as stored:
            for chunk in iter(lambda: stored.read(1 << 20), b""):
                digest.update(chunk)
        with transaction.atomic():
            _archive_lock()
            archive = AuditArchive.objects.create(
                created_at=now, file_name=name, sha256=digest.hexdigest(), seal_from=first[0], seal_to=last[0],
                audit_count=counts["A"], read_count=counts["R"])
            if AuditArchive.objects.filter(seal_to__gte=first[0]).exclude(pk=archive.pk).exists():
                raise IntegrityError("another archiver took some of these links")  # rolls this one back
            _delete_archived(AuditEvent, first[1], last[2])
            _delete_archived(ReadLog, first[3], last[4])
            partial.replace(path)  # last: a failure before it leaves the rows in place and no file by this name
    except IntegrityError:
        return None  # another archiver recorded these links first; its file stays as it wrote it
    finally:
        partial.unlink(missing_ok=True)
    return archive


def _archive_lock() -> None:
    """One archiver at a time past this point (PostgreSQL: a transaction-scoped advisory lock; SQLite: the archive
    record's insert that follows takes the database's single write lock)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ARCHIVE_LOCK])


def _newest_at(link) -> dt.datetime:
    _number, audit_from, audit_to, read_from, read_to, horizon_at = link
    times = [t for t in (
        AuditEvent.objects.filter(id__gt=audit_from, id__lte=audit_to).order_by("-at").values_list("at", flat=True)
        .first(),
        ReadLog.objects.filter(id__gt=read_from, id__lte=read_to).order_by("-at").values_list("at", flat=True)
        .first()) if t]
    return max(times, default=horizon_at)


def _verify_archives():
    """Each archive file: present, its SHA-256 as recorded, and its rows hash to what the links sealed."""
    for archive in AuditArchive.objects.order_by("seal_from"):
        path = _archive_dir() / archive.file_name
        if not path.exists():
            return archive.seal_from, f"archive file {archive.file_name} is missing", ""
        if hashlib.sha256(path.read_bytes()).hexdigest() != archive.sha256:
            return archive.seal_from, f"archive file {archive.file_name} was altered", ""
        hashes = {}
        with gzip.open(path, "rb") as lines:
            for line in lines:
                entry = json.loads(line)
                values = tuple(entry["values"])
                hashes[(entry["kind"], values[0])] = hashlib.sha256(
                    (entry["kind"] + json.dumps(list(values), ensure_ascii=False, sort_keys=True,
                                                separators=(",", ":"))).encode()).digest()[:8]
        for seal in AuditSeal.objects.filter(number__gte=archive.seal_from, number__lte=archive.seal_to):
            stored = bytes(seal.row_hashes)
            for index in range(len(stored) // ROW.size):
                row_id, short = ROW.unpack_from(stored, index * ROW.size)
                kind = "A" if index < seal.audit_count else "R"
                if hashes.get((kind, row_id)) != short:
                    label = "audit" if kind == "A" else "read"
                    return seal.number, f"archive {archive.file_name} does not hold the sealed row", \
                        f"{label} #{row_id}"
    return None
