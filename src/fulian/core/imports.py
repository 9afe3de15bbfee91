"""Background imports: a registry of row handlers by kind, the task that runs a job, and job access."""

from collections.abc import Callable

from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ImportJob

_HANDLERS: dict[str, Callable[[ImportJob], None]] = {}


def register(kind: str, handler: Callable[[ImportJob], None]) -> None:
    _HANDLERS[kind] = handler


def import_job_create(*, actor, kind: str, upload, now=None) -> ImportJob:
    """Store the upload and queue its import once the upload is committed."""
    from .tasks import import_job_run

    if kind not in _HANDLERS:
        raise ValueError(f"unknown import kind {kind}")
    with transaction.atomic():
        job = ImportJob(kind=kind, created_by=actor, source_name=upload.name[:200], created_at=now or timezone.now())
        job.source.save(upload.name, upload, save=False)
        job.save()
        transaction.on_commit(lambda: import_job_run.enqueue(job.pk))
    return job


def import_job_execute(job_id: int) -> None:
    """Run a job; a failure is recorded on the job with its reason, never lost."""
    job = ImportJob.objects.get(pk=job_id)
    if job.is_finished:
        return
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, started_at=timezone.now())
    try:
        _HANDLERS[job.kind](job)
    except Exception as exc:
        message = " ".join(getattr(exc, "messages", [])) or _("导入出错：%(error)s") % {"error": exc.__class__.__name__}
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.FAILED, message=message,
                                                   finished_at=timezone.now())
        if not getattr(exc, "messages", None):
            raise
        return
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.DONE, finished_at=timezone.now())


def import_job_progress(job: ImportJob, **counts) -> None:
    ImportJob.objects.filter(pk=job.pk).update(**counts)
    for key, value in counts.items():
        setattr(job, key, value)


def import_job_attach_errors(job: ImportJob, content: bytes) -> None:
    job.error_file.save(f"errors-{job.pk}.xlsx", ContentFile(content), save=False)
    ImportJob.objects.filter(pk=job.pk).update(error_file=job.error_file.name)


def access_import_job(user, job_id: int) -> ImportJob:
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or not (job.created_by_id == user.pk or user.is_superuser):
        raise Http404("import not found")
    return job
