"""Text that a spreadsheet would run as a formula is written as text in every export and error report."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fulian.core.excel import RowError, error_xlsx, export_xlsx
from fulian.core.models import ImportJob
from fulian.people.tests.helpers import roster_bytes, row

HOSTILE = ["=HYPERLINK(\"http://x\",\"点我\")", "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "=cmd|' /C calc'!A0"]


def _cells(content: bytes):
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [cell for line in sheet.iter_rows(min_row=2) for cell in line]


def test_exports_write_formula_like_text_as_text():
    buffer = io.BytesIO()
    export_xlsx(["a", "n"], [[text, 5] for text in HOSTILE], sheet_title="t", stream=buffer)
    cells = _cells(buffer.getvalue())
    texts = [c for c in cells if c.column == 1]
    assert [c.value.replace("\n", "\r") for c in texts] == HOSTILE  # XML turns CR into LF
    assert all(c.data_type == "s" for c in texts)
    assert [c.value for c in cells if c.column == 2] == [5] * len(HOSTILE)  # numbers stay numbers


def test_control_characters_an_xlsx_cannot_hold_are_dropped_not_a_server_error():
    buffer = io.BytesIO()
    export_xlsx(["a"], [["王\x01秀\x1b兰\x00"], ["=\x02SUM(A1)"]], sheet_title="t", stream=buffer)
    assert [c.value for c in _cells(buffer.getvalue())] == ["王秀兰", "=SUM(A1)"]


def test_error_reports_write_formula_like_text_as_text():
    errors = [RowError(row=2, column="姓名", value=text, message="x") for text in HOSTILE[:1]]
    cells = _cells(error_xlsx(errors, header=["姓名"], originals={2: (HOSTILE[0],)}))
    assert all(c.data_type != "f" for c in cells)
    assert HOSTILE[0] in [c.value for c in cells]


@pytest.mark.django_db
def test_an_uploaded_formula_comes_back_as_text_in_the_error_report(client_for, county_chair,
                                                                    django_capture_on_commit_callbacks):
    # a "=..." cell of an upload is a formula, read without its result (None); these arrive as plain strings
    content = roster_bytes([row(name="@SUM(A1)", id_number="+1+2|cmd")])
    client = client_for(county_chair)
    upload = io.BytesIO(content)
    upload.name = "roster.xlsx"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("women_import"), {"file": upload})
    job = ImportJob.objects.get()
    assert job.error_file, (job.status, job.message, job.error_count)
    report = client.get(reverse("import_job_errors", args=[job.pk]))
    cells = _cells(b"".join(report.streaming_content))
    assert "+1+2|cmd" in [c.value for c in cells]
    assert all(c.data_type != "f" for c in cells)


def test_money_is_a_number_written_exactly_and_shown_with_two_places():
    import io
    from decimal import Decimal

    from openpyxl import load_workbook

    from fulian.core.excel import export_xlsx

    out = io.BytesIO()
    export_xlsx(["金额"], [[Decimal("1234.50")], [Decimal("99999999999.99")]], sheet_title="t", stream=out)
    cells = [row[0] for row in load_workbook(io.BytesIO(out.getvalue())).active.iter_rows(min_row=2)]
    assert [c.number_format for c in cells] == ["#,##0.00", "#,##0.00"]
    # a spreadsheet number is a double: to the fen it is the amount given, up to 1,000 亿元
    assert [Decimal(str(c.value)).quantize(Decimal("0.01")) for c in cells] == [Decimal("1234.50"),
                                                                               Decimal("99999999999.99")]
