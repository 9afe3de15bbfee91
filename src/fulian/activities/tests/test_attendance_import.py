"""The paper sign-in sheet: good rows become attendances (method "sheet", at the session's start) and count in the
figures as a check-in does; every bad row is reported with its row number, column and reason; the same file again
records nothing; a draft's sheet, or another county's, is refused."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from fulian.activities import services
from fulian.activities.importing import attendance_sheet_import
from fulian.activities.models import Attendance
from fulian.core.figures import figure_values, period_of
from fulian.core.policy import OutOfScope

from .conftest import at

pytestmark = pytest.mark.django_db


def sheet(rows, header=("姓名", "手机号", "场次"), name="签到表.xlsx") -> SimpleUploadedFile:
    book = Workbook()
    book.active.append(list(header))
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


@pytest.fixture
def held(county_chair, unit, home):
    """A class of 正定县 held last week in two sessions, morning and afternoon (one month, whatever today is)."""
    made = services.activity_save(actor=county_chair, unit=unit("正定县"), values={
        "title": "妇女讲习所", "kind": "class", "home": home},
        sessions=[(at(-7), at(-7, 11)), (at(-7, 14), at(-7, 16))])
    return services.activity_publish(actor=county_chair, activity=made)


ROWS = [
    ("王秀兰", "13812345678", 1),
    ("王秀兰", "13812345678", 2),
    ("李梅", "139 0000 1111", "1"),
    ("", "13700002222", 1),
    ("张红", "12345", 1),
    ("赵芳", "13600003333", 7),
    ("李梅", "13900001111", 1),
]


def test_good_rows_are_recorded_and_each_bad_row_is_reported_with_its_column(county_chair, held):
    result = attendance_sheet_import(actor=county_chair, activity=held, upload=sheet(ROWS))
    assert (result.created, result.unchanged, result.error_rows) == (3, 0, 4)
    assert [(e.row, e.column) for e in result.errors] == [(5, "姓名"), (6, "手机号"), (7, "场次"), (8, "手机号")]
    assert "第2行" not in result.errors[3].message and "第4行" in result.errors[3].message
    assert "没有第7场" in result.errors[2].message
    first = held.sessions.get(number=1)
    recorded = Attendance.objects.filter(session=first).order_by("phone")
    assert [(a.phone, a.method, a.checked_at) for a in recorded] == [
        ("13812345678", "sheet", first.starts_at), ("13900001111", "sheet", first.starts_at)]
    errors = load_workbook(io.BytesIO(result.error_file)).active
    assert [c.value for c in next(errors.iter_rows(max_row=1))][:4] == ["行号", "列", "填写的内容", "问题"]


def test_the_same_file_again_records_nothing_and_the_figures_equal_the_recount(county_chair, held, unit):
    attendance_sheet_import(actor=county_chair, activity=held, upload=sheet(ROWS))
    again = attendance_sheet_import(actor=county_chair, activity=held, upload=sheet(ROWS))
    assert (again.created, again.unchanged) == (0, 3) and Attendance.objects.count() == 3
    month = period_of(at(-7))
    values = figure_values([unit("正定县").pk], ["activity_attendances", "women_reached"], start=month,
                           end=month)[unit("正定县").pk]
    assert values == {"activity_attendances": 3, "women_reached": 2}
    from fulian.activities.figures import activity_figures

    counted = {(path, metric): n for path, _period, metric, n in activity_figures() if path == unit("正定县").path
               and metric in ("activity_attendances", "women_reached")}
    assert sum(n for (_p, m), n in counted.items() if m == "activity_attendances") == 3
    assert sum(n for (_p, m), n in counted.items() if m == "women_reached") == 2


def test_a_session_not_begun_is_a_bad_row(county_chair, activity):
    result = attendance_sheet_import(actor=county_chair, activity=activity,
                                     upload=sheet([("王秀兰", "13812345678", 1)]))
    assert result.created == 0 and "还没有开始" in result.errors[0].message


def test_a_sheet_without_its_columns_or_of_a_draft_is_refused_whole(county_chair, held, unit):
    with pytest.raises(ValidationError, match="缺少必填列"):
        attendance_sheet_import(actor=county_chair, activity=held,
                                upload=sheet([("王秀兰", 1)], header=("姓名", "场")))
    draft = services.activity_save(actor=county_chair, unit=unit("正定县"), values={
        "title": "草稿", "kind": "other", "address": "县里"}, sessions=[(at(-2), at(-2, 11))])
    with pytest.raises(ValidationError, match="已发布"):
        attendance_sheet_import(actor=county_chair, activity=draft, upload=sheet(ROWS))
    assert not Attendance.objects.exists()


def test_the_next_county_may_not_import(sibling_county_cadre, held):
    with pytest.raises(OutOfScope):
        attendance_sheet_import(actor=sibling_county_cadre, activity=held, upload=sheet(ROWS))


def test_the_page_lists_the_bad_rows_and_offers_their_report(client_for, county_chair, held):
    client = client_for(county_chair)
    assert client.get(f"/activities/{held.pk}/attendance-sheet/template.xlsx").status_code == 200
    page = client.post(f"/activities/{held.pk}/attendance-sheet/", {"file": sheet(ROWS)}).content.decode()
    assert "没有第7场" in page and "姓名为空" in page
    report = client.get(f"/activities/{held.pk}/attendance-sheet/errors.xlsx")
    assert report.status_code == 200 and len(load_workbook(io.BytesIO(report.content)).active["A"]) == 5
    wrong = client.post(f"/activities/{held.pk}/attendance-sheet/", {"file": sheet(ROWS, name="表.xls")})
    assert ".xlsx" in wrong.content.decode()
