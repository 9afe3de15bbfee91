"""The real queue: an import waits in the database until `manage.py db_worker` runs it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from fulian.core.imports import import_job_create
from fulian.core.models import ImportJob
from fulian.people.models import Woman
from fulian.people.tests.helpers import female_id, roster_bytes, row


@pytest.mark.django_db(transaction=False)
def test_an_import_waits_for_the_database_worker_and_is_done_after_it_runs(
        settings, county_chair, django_capture_on_commit_callbacks, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    upload = SimpleUploadedFile("r.xlsx", roster_bytes([row(name="甲", id_number=female_id(40))]))
    with django_capture_on_commit_callbacks(execute=True):
        job = import_job_create(actor=county_chair, kind="women", upload=upload)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.QUEUED and not Woman.objects.exists()
    # the worker closes connections between tasks, which would end this test's transaction on PostgreSQL
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    call_command("db_worker", "--batch", "--no-startup-delay")
    job.refresh_from_db()
    assert (job.status, job.created_count) == (ImportJob.Status.DONE, 1)
    assert Woman.objects.get().name == "甲"
