"""Uploaded rosters and error reports hold full ID numbers: private, scoped, logged, limited and deleted in time."""

import datetime as dt
import io
import zipfile

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from fulian.accounts.tests.factories import UserFactory
from fulian.core.models import ImportJob, ReadLog
from fulian.core.policy import Role
from fulian.people.models import Woman
from fulian.people.tests.helpers import female_id, roster_bytes, row


def _upload(content: bytes, name="roster.xlsx"):
    upload = io.BytesIO(content)
    upload.name = name
    return upload


@pytest.fixture
def imported(client_for, county_chair, django_capture_on_commit_callbacks):
    """A roster with one good and one bad row, imported by the county chair."""
    client = client_for(county_chair)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("women_import"), {"file": _upload(roster_bytes([row(), row(id_number="123")]))})
    return client, ImportJob.objects.get()


@pytest.mark.django_db
def test_uploads_and_error_reports_live_outside_media_and_only_the_uploader_reads_them(
        imported, settings, client_for, unit):
    client, job = imported
    assert job.error_file
    for field in (job.source, job.error_file):
        path = field.path
        assert path.startswith(str(settings.PRIVATE_ROOT)) and not path.startswith(str(settings.MEDIA_ROOT))
    with override_settings(DEBUG=True):
        assert client.get(f"/media/{job.error_file.name}").status_code == 404
    colleague = UserFactory(username="county-vice", unit=unit("正定县"), roles=[Role.VICE_CHAIR])
    assert client_for(colleague).get(reverse("import_job_errors", args=[job.pk])).status_code == 404
    assert client.get(reverse("import_job_errors", args=[job.pk])).status_code == 200
    assert ReadLog.objects.filter(object_type="core.importjob", object_id=str(job.pk)).count() == 1


@pytest.mark.django_db
def test_files_are_deleted_after_the_retention_period(imported, settings):
    client, job = imported
    paths = [job.source.path, job.error_file.path]
    call_command("imports_purge")
    assert ImportJob.objects.get().files_purged_at is None  # not yet old
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=settings.IMPORT_RETENTION_DAYS + 1)):
        call_command("imports_purge")
    job.refresh_from_db()
    assert job.files_purged_at and not job.source and not job.error_file
    assert not any(__import__("os").path.exists(p) for p in paths)
    assert client.get(reverse("import_job_errors", args=[job.pk])).status_code == 404
    assert job.created_count == 1  # the record of the import stays


@pytest.mark.django_db
def test_too_big_uploads_are_refused_before_anything_is_stored(client_for, county_chair, settings):
    client = client_for(county_chair)
    settings.IMPORT_MAX_BYTES = 1000
    page = client.post(reverse("women_import"), {"file": _upload(roster_bytes([row()]))})
    assert "文件太大" in page.content.decode()
    settings.IMPORT_MAX_BYTES = 20 * 2**20
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"0" * (8 * 2**20))
    settings.IMPORT_MAX_SHARED_STRINGS_BYTES = 2**20
    assert len(bomb.getvalue()) < 20_000
    page = client.post(reverse("women_import"), {"file": _upload(bomb.getvalue())})
    assert "解压后太大" in page.content.decode()
    api = client.post("/api/v1/imports/women", {"file": _upload(bomb.getvalue())})
    assert api.status_code == 400
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_a_roster_over_the_row_limit_fails_with_a_reason_and_imports_nothing(
        client_for, county_chair, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_MAX_ROWS = 2
    client = client_for(county_chair)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("women_import"), {"file": _upload(roster_bytes([row(id_number=female_id(n))
                                                                            for n in range(3)]))})
    job = ImportJob.objects.get()
    assert job.status == "failed" and "超过 2 行" in job.message
    assert not Woman.objects.exists()


@pytest.mark.django_db
def test_an_import_whose_worker_died_is_marked_and_runs_again_on_one_click(client_for, county_chair, settings,
                                                                          django_capture_on_commit_callbacks):
    from fulian.core.imports import import_job_execute

    client = client_for(county_chair)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # queued, nobody runs it yet
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("women_import"), {"file": _upload(roster_bytes([row()]))})
    job = ImportJob.objects.get()
    # a worker claims it, imports nothing yet and is killed
    ImportJob.objects.filter(pk=job.pk).update(status="running", heartbeat_at=None)
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    page = client.get(reverse("import_job_detail", args=[job.pk])).content.decode()
    job.refresh_from_db()
    assert job.status == "failed" and "导入中断" in job.message and "重新导入" in page
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("import_job_retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "done" and job.created_count == 1 and Woman.objects.count() == 1
    import_job_execute(job.pk)  # a second worker handed the same job does nothing
    assert Woman.objects.count() == 1
