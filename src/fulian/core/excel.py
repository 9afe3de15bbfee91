"""The Excel kit: read a roster by its header names, write templates, error files and exports.

Reading is streaming (openpyxl read-only), so a 100,000-row roster never sits in memory whole.
"""

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

HEADER_SEARCH_ROWS = 3
SAMPLE_MARK = "示例"  # the template's example row starts with it, and the importer skips such rows


def _untyped(value):
    """A leading apostrophe typed to force text in Excel ('130123…) is part of no value: drop it."""
    if isinstance(value, str) and value[:1] in ("'", "＇", "‘"):
        return value[1:]
    return value


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    required: bool = False
    example: str = ""
    note: str = ""
    width: int = 16
    text: bool = False  # format the template column as text (ID numbers, codes, phones)


@dataclass
class RowError:
    row: int
    column: str
    value: object
    message: str


class Roster:
    """Rows of the first sheet as {key: value}, matched to `columns` by header title (order does not matter)."""

    def __init__(self, file, columns: list[Column]):
        try:
            self.workbook = load_workbook(file, read_only=True, data_only=True)
        except (InvalidFileException, KeyError, OSError, ValueError, TypeError) as exc:
            raise ValidationError(_("无法读取这个文件：请上传 .xlsx 格式的 Excel 文件（可以先下载模板）。")) from exc
        except Exception as exc:  # noqa: BLE001  (zipfile.BadZipFile and friends: not an xlsx)
            raise ValidationError(_("无法读取这个文件：请上传 .xlsx 格式的 Excel 文件（可以先下载模板）。")) from exc
        self.sheet = self.workbook.worksheets[0]
        self._declared_rows = max((self.sheet.max_row or 1) - 1, 0)
        # read-only openpyxl stops at the range the file declares; some programs declare it wrong (or not at all):
        # read to the last row and column really there, so that no row is silently left out
        self.sheet.reset_dimensions()
        self.columns = columns
        rows = self.sheet.iter_rows(values_only=True)
        by_title = {c.title: c for c in columns}
        header, self.header_row = None, 0
        for number in range(1, HEADER_SEARCH_ROWS + 1):  # a title row or two above the header is recognised
            candidate = next(rows, None)
            if candidate is None:
                break
            index = {by_title[t].key: i for i, t in enumerate(self._title(h) for h in candidate) if t in by_title}
            if header is None or len(index) > len(self.index):
                header, self.index, self.header_row = candidate, index, number
            if all(c.key in index for c in columns if c.required):
                break
        if header is None:
            raise ValidationError(_("文件是空的。"))
        if self.header_row > 1:  # rows read past the header are read again below
            rows = self.sheet.iter_rows(min_row=self.header_row + 1, values_only=True)
        self._rows = rows
        missing = [c.title for c in columns if c.required and c.key not in self.index]
        if missing:
            raise ValidationError(_("缺少必填列：%(columns)s。表头应在第1行，请使用模板的表头。")
                                  % {"columns": "、".join(missing)})
        self.header = list(header)
        self.max_rows = settings.IMPORT_MAX_ROWS
        if self.estimated_rows > self.max_rows:
            raise ValidationError(self._too_many())

    def _too_many(self) -> str:
        return _("文件超过 %(n)d 行：请分成几个文件上传（同一名单重复导入不会重复登记）。") % {"n": self.max_rows}

    @staticmethod
    def _title(value) -> str:
        return "".join(str(value or "").split()).rstrip("*").rstrip("＊")

    @property
    def estimated_rows(self) -> int:
        """The rows the sheet declares below its first row: an estimate for progress, never a limit on reading."""
        return self._declared_rows

    def __iter__(self) -> Iterator[tuple[int, dict, tuple]]:
        for number, values in enumerate(self._rows, start=self.header_row + 1):
            if number - self.header_row > self.max_rows:  # the declared size was wrong; earlier rows were imported
                raise ValidationError(self._too_many())
            if values is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            values = tuple(_untyped(v) for v in values)
            if isinstance(values[0], str) and values[0].startswith(SAMPLE_MARK):
                continue  # the template's example row never imports
            record = {key: (values[i] if i < len(values) else None) for key, i in self.index.items()}
            yield number, record, values

    def close(self):
        self.workbook.close()


def _header_cells(sheet, titles: list[str], highlight: set[int] = frozenset()):
    cells = []
    for i, title in enumerate(titles):
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True)
        if i in highlight:
            cell.fill = PatternFill("solid", fgColor="FFF2CC")
        cells.append(cell)
    return cells


def template_xlsx(columns: list[Column], *, sheet_title: str, notes: list[str]) -> bytes:
    """A template with the header row, one example row, text-formatted ID/code columns and a notes sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title
    for i, column in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=i, value=column.title + ("*" if column.required else ""))
        cell.font = Font(bold=True)
        example = f"{SAMPLE_MARK}：{column.example}" if i == 1 else column.example  # skipped when imported
        ws.cell(row=2, column=i, value=example)
        letter = cell.column_letter
        ws.column_dimensions[letter].width = column.width
        if column.text:
            for row in range(2, 2002):
                ws.cell(row=row, column=i).number_format = "@"
    ws.freeze_panes = "A2"
    info = wb.create_sheet(_("填写说明"))
    info.column_dimensions["A"].width = 24
    info.column_dimensions["B"].width = 90
    for column in columns:
        info.append([column.title + ("（必填）" if column.required else ""), column.note])
    info.append([])
    for note in notes:
        info.append([note])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def error_xlsx(errors: list[RowError], *, header: list, originals: dict[int, tuple]) -> bytes:
    """One line per problem: row number, column, the value found, what is wrong, then the original row."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("错误"))
    titles = [_("行号"), _("列"), _("填写的内容"), _("问题")] + [str(h or "") for h in header]
    ws.append(_header_cells(ws, titles, highlight={3}))
    for e in errors:
        ws.append([_cell(ws, v) for v in (e.row, e.column, e.value, e.message, *originals.get(e.row, ()))])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def export_xlsx(titles: list[str], rows: Iterable[list], *, sheet_title: str, stream) -> None:
    """Write rows as they come (write-only mode) into `stream`."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title)
    ws.append(_header_cells(ws, titles))
    for row in rows:
        ws.append([_cell(ws, v) for v in row])
    wb.save(stream)


# a text that a spreadsheet would take for a formula (OWASP "CSV injection"), DDE included
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "|")


def _cell(sheet, value):
    """A value for a write-only sheet: numbers as numbers (money — a Decimal — exactly, shown with its two places),
    everything else as text — never a live formula."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Decimal) and value.is_finite():
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "#,##0.00"
        return cell
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))  # control characters an xlsx cannot hold (a pasted name)
    if not text.startswith(FORMULA_START):
        return text
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # stored as a string, not a formula
    cell.quotePrefix = True  # and Excel keeps it text when she edits the cell
    return cell


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(filename: str) -> str:
    """A Content-Disposition that keeps a Chinese file name."""
    return f"attachment; filename*=UTF-8''{quote(filename)}"


def xlsx_response(content: bytes, filename: str):
    from django.http import HttpResponse

    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = attachment(filename)
    return response


def export_download(*, actor, action: str, filename: str, titles: list[str], rows: Iterable[list], sheet_title: str,
                    changes: dict | None = None):
    """The one way a page or route hands out an Excel file of records: written, audited, returned."""
    from .audit import audit_record

    buffer = io.BytesIO()
    export_xlsx(titles, rows, sheet_title=sheet_title, stream=buffer)
    audit_record(actor=actor, action=action, changes={"file": filename, **(changes or {})})
    return xlsx_response(buffer.getvalue(), filename)
