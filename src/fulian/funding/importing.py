"""Population figures (常住人口) imported from Excel for the per-head rule by population, in the background as the
other rosters are (core.imports: size and row limits, progress, a per-row error report).

Each row names a unit of her scope by its 12-digit division code (its name, if given, must match), a year and the
population. Every bad row is reported with its row, column and reason — a code that is not 12 digits, a unit not in
her scope (the same words as for one that does not exist), a year out of range, a population that is not a whole
number, the same unit and year twice — and the good rows are kept, each through `population.population_set`, so its
rules and audit are the page's. A unit whose figure is already the one in the file counts as unchanged: the same
file uploaded twice changes nothing.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from fulian.core.excel import Column, RowError, template_xlsx
from fulian.core.imports import import_job_progress, import_roster_run, register
from fulian.core.params import is_ascii_digits
from fulian.core.policy import Action, scope_q
from fulian.orgs.models import Kind, SourceStatus, Unit

from .models import Population
from .population import OLDEST_YEAR, population_clean, population_set

KIND = "funding_population"
CHUNK = 500
COLUMNS = [
    Column("code", "单位代码", required=True, example="130123100001", width=16, text=True,
           note="12位统计用区划代码，须是您工作范围内的单位（本单位或下级）"),
    Column("name", "单位名称", example="恒东社区", width=16, note="可不填；填了须与代码对应的单位名称一致"),
    Column("year", "年度", required=True, example="2026", width=8, note="例如 2026"),
    Column("population", "人口数", required=True, example="3200", width=12, note="常住人口，不超过2亿的整数"),
]
TITLES = {c.key: c.title for c in COLUMNS}


def population_template() -> bytes:
    return template_xlsx(COLUMNS, sheet_title="人口数", notes=[
        "每行一个单位一个年度的人口数；“按填报人口数”分配经费时使用。",
        "没有填报的单位，按它的下级填报的人口数之和计算。",
        "有问题的行不会导入，系统会生成错误报告，写明行号、列和原因；其他行照常导入。",
        "同一单位同一年度再次导入会改为新的人口数；与已填报的相同的记为“无变化”。",
    ])


def import_population(job) -> None:
    """Import handler registered for kind "funding_population"."""
    import_roster_run(job, COLUMNS, lambda actor, today: PopulationImport(actor=actor, today=today))


register(KIND, import_population)


def _text(raw) -> str:
    """A cell as typed: a code read by Excel as a number (130123100001.0) back to its digits."""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return "".join(str(raw if raw is not None else "").split())


class PopulationImport:
    def __init__(self, *, actor, today):
        self.actor, self.today = actor, today
        self.errors: list[RowError] = []
        self.originals: dict[int, tuple] = {}
        self.seen: dict[tuple[str, int], int] = {}  # (code, year) -> its first row in this file
        self.counts = {"processed_rows": 0, "created_count": 0, "updated_count": 0, "unchanged_count": 0,
                       "error_count": 0}

    def run(self, rows, job=None):
        chunk = []
        for item in rows:
            chunk.append(item)
            if len(chunk) >= CHUNK:
                self._chunk(chunk, job)
                chunk = []
        if chunk:
            self._chunk(chunk, job)
        self.errors.sort(key=lambda e: e.row)
        return self

    def _fail(self, number: int, values: tuple, key: str, value, message: str) -> None:
        self.errors.append(RowError(number, TITLES.get(key, ""), value, message))
        self.originals[number] = values

    def _clean(self, number, record, values):
        code = _text(record.get("code"))
        if not (len(code) == 12 and is_ascii_digits(code)):
            self._fail(number, values, "code", record.get("code"), _("单位代码应为12位数字。"))
            return None
        year_text = _text(record.get("year")).removesuffix("年")
        if not (is_ascii_digits(year_text) and OLDEST_YEAR <= int(year_text) <= self.today.year + 1):
            self._fail(number, values, "year", record.get("year"),
                       _("年度应为%(first)d到%(last)d之间的年份。") % {"first": OLDEST_YEAR,
                                                                   "last": self.today.year + 1})
            return None
        raw = record.get("population")
        try:
            population = population_clean(_text(raw), label=_text(record.get("name")) or code)
        except ValidationError as exc:
            self._fail(number, values, "population", raw, " ".join(exc.messages))
            return None
        if population is None:
            self._fail(number, values, "population", raw, _("人口数为空。"))
            return None
        return {"code": code, "name": _text(record.get("name")), "year": int(year_text), "population": population}

    def _units(self, codes: set[str]) -> dict[str, Unit]:
        """The units of her scope (where she may enter figures) that the rows name, by code."""
        rows = (Unit.objects.filter(code__in=codes, kind=Kind.GEOGRAPHIC)
                .filter(scope_q(self.actor, field="path", action=Action.EDIT))
                .exclude(source_status=SourceStatus.REMOVED).only("id", "code", "name", "path", "level"))
        return {u.code: u for u in rows}

    def _chunk(self, chunk, job) -> None:
        cleaned = []
        for number, record, values in chunk:
            row = self._clean(number, record, values)
            if row is not None:
                cleaned.append((number, record, values, row))
        units = self._units({row["code"] for *_rest, row in cleaned})
        entered = {(p.unit_path, p.year): p.population for p in Population.objects.filter(
            unit_path__in=[u.path for u in units.values()], year__in={row["year"] for *_rest, row in cleaned})}
        for number, record, values, row in cleaned:
            unit = units.get(row["code"])
            if unit is None:
                self._fail(number, values, "code", row["code"],
                           _("您的工作范围内没有代码为%(code)s的单位。") % {"code": row["code"]})
                continue
            if row["name"] and row["name"] != unit.name:
                self._fail(number, values, "name", record.get("name"),
                           _("代码%(code)s的单位是“%(name)s”，与填写的名称不一致。") % {"code": unit.code,
                                                                                 "name": unit.name})
                continue
            first = self.seen.setdefault((unit.code, row["year"]), number)
            if first != number:
                self._fail(number, values, "code", record.get("code"),
                           _("与第%(row)d行是同一单位、同一年度。") % {"row": first})
                continue
            before = entered.get((unit.path, row["year"]))
            if before == row["population"]:
                self.counts["unchanged_count"] += 1
                continue
            try:
                population_set(actor=self.actor, unit=unit, year=row["year"], population=row["population"])
            except ValidationError as exc:  # a Conflict too: entered by someone else at the same moment
                self._fail(number, values, "population", record.get("population"), " ".join(exc.messages))
                continue
            self.counts["created_count" if before is None else "updated_count"] += 1
        self.counts["processed_rows"] += len(chunk)
        self.counts["error_count"] = len(self.originals)
        if job is not None:
            import_job_progress(job, **self.counts)
