"""Every row of a roster is read whatever range the sheet declares, and progress ends at the rows read."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from fulian.core.imports import import_job_create, import_job_progress
from fulian.core.models import ImportJob
from fulian.people.models import Woman
from fulian.people.tests.helpers import HEADER, female_id, roster_bytes, row

ROWS = 30


def _rows():
    return [row(name="王秀兰", id_number=female_id(n)) for n in range(ROWS)]


def _declaring(content: bytes, ref: str) -> bytes:
    """The same workbook with the sheet's <dimension ref> replaced, as some exporting programs write it."""
    source, out = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, replaced = re.subn(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), data)
                assert replaced == 1
            target.writestr(item, data)
    return out.getvalue()


def _without_dimension() -> bytes:
    workbook = Workbook(write_only=True)  # writes no <dimension> at all
    sheet = workbook.create_sheet("妇女名册")
    sheet.append(HEADER)
    for values in _rows():
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _import(content: bytes, actor, capture) -> ImportJob:
    with capture(execute=True):
        job = import_job_create(actor=actor, kind="women", upload=SimpleUploadedFile("r.xlsx", content))
    job.refresh_from_db()
    return job


@pytest.mark.django_db
@pytest.mark.parametrize("content", [
    pytest.param(lambda: _declaring(roster_bytes(_rows()), "A1:I3"), id="declares-too-few"),
    pytest.param(lambda: _declaring(roster_bytes(_rows()), "A1:B2"), id="declares-too-few-columns"),
    pytest.param(lambda: _declaring(roster_bytes(_rows()), "A1:I500"), id="declares-too-many"),
    pytest.param(_without_dimension, id="declares-nothing"),
])
def test_an_import_ends_with_every_row_read_counted_in_its_total(
        content, county_chair, django_capture_on_commit_callbacks):
    job = _import(content(), county_chair, django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.DONE
    assert (job.processed_rows, job.total_rows, job.created_count) == (ROWS, ROWS, ROWS)
    assert Woman.objects.count() == ROWS


@pytest.mark.django_db
def test_the_template_example_row_is_not_left_in_the_total(county_chair, django_capture_on_commit_callbacks):
    example = ["示例：张秀英", *row()[1:]]
    job = _import(roster_bytes([example, *_rows()]), county_chair, django_capture_on_commit_callbacks)
    assert (job.processed_rows, job.total_rows) == (ROWS, ROWS)


@pytest.mark.django_db
def test_progress_never_shows_more_rows_done_than_its_total(county_chair):
    job = ImportJob.objects.create(kind="women", created_by=county_chair, source_name="r.xlsx",
                                   created_at="2026-03-08T09:00:00+08:00", status=ImportJob.Status.RUNNING)
    import_job_progress(job, total_rows=2)
    import_job_progress(job, processed_rows=40)
    job.refresh_from_db()
    assert (job.processed_rows, job.total_rows) == (40, 40)
    assert job.percent == 99  # still running: never 100 before it is done
