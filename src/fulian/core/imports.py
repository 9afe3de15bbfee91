"""Background imports: a registry of row handlers by kind, the task that runs a job, and job access."""

import datetime as dt
import zipfile
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import audit_record, read_record
from .models import ImportJob

_HANDLERS: dict[str, Callable[[ImportJob], None]] = {}


def register(kind: str, handler: Callable[[ImportJob], None]) -> None:
    _HANDLERS[kind] = handler


def _mb(n: int) -> int:
    return n // 2**20


def upload_check(upload) -> None:
    """Refuse, before anything is stored, an upload too big as sent or as unpacked, or that is no xlsx at all."""
    if upload.size > settings.IMPORT_MAX_BYTES:
        raise ValidationError(_("文件太大：上限 %(mb)d MB，请分成几个文件上传。")
                              % {"mb": _mb(settings.IMPORT_MAX_BYTES)}, code="upload_too_big")
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ValidationError(_("无法读取这个文件：请上传 .xlsx 格式的 Excel 文件（可以先下载模板）。"),
                              code="upload_not_xlsx") from exc
    finally:
        upload.seek(0)
    unpacked = sum(m.file_size for m in members)
    strings = sum(m.file_size for m in members if m.filename.lower().endswith("sharedstrings.xml"))
    if unpacked > settings.IMPORT_MAX_UNPACKED_BYTES or strings > settings.IMPORT_MAX_SHARED_STRINGS_BYTES:
        raise ValidationError(
            _("文件解压后太大（%(mb)d MB，上限 %(limit)d MB）：请只保留名册工作表，或分成几个文件上传。")
            % {"mb": _mb(unpacked), "limit": _mb(settings.IMPORT_MAX_UNPACKED_BYTES)},
            code="upload_unpacks_too_big",
        )


def import_job_create(*, actor, kind: str, upload, now=None) -> ImportJob:
    """Check the upload, store it privately and queue its import once the upload is committed."""
    from .tasks import import_job_run

    if kind not in _HANDLERS:
        raise ValueError(f"unknown import kind {kind}")
    upload_check(upload)
    with transaction.atomic():
        job = ImportJob(kind=kind, created_by=actor, source_name=upload.name[:200], created_at=now or timezone.now())
        job.source.save(upload.name, upload, save=False)
        job.save()
        transaction.on_commit(lambda: import_job_run.enqueue(job.pk))
    return job


def import_job_execute(job_id: int) -> None:
    """Run a job; a failure is recorded on the job with its reason, never lost. A job is claimed by one worker
    only (a second one handed the same job returns at once)."""
    now = timezone.now()
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, started_at=now, heartbeat_at=now)
    if not claimed:
        return
    job = ImportJob.objects.get(pk=job_id)
    try:
        _HANDLERS[job.kind](job)
    except Exception as exc:
        message = " ".join(getattr(exc, "messages", [])) or _("导入出错：%(error)s") % {"error": exc.__class__.__name__}
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.FAILED, message=message,
                                                   finished_at=timezone.now())
        if not getattr(exc, "messages", None):
            raise
        return
    # the total is what was read, not what the sheet declared (blank and example rows, a wrong or absent range)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.DONE, finished_at=timezone.now(),
                                               total_rows=F("processed_rows"))


def import_job_progress(job: ImportJob, **counts) -> None:
    """Progress counts, and the job's sign of life (see import_jobs_recover). The total starts as the sheet's
    declared size, an estimate: it grows with the rows read when the sheet declared too few (or none)."""
    if "processed_rows" in counts:
        total = counts.get("total_rows", job.total_rows)
        counts["total_rows"] = max(total, counts["processed_rows"])
    counts = {**counts, "heartbeat_at": timezone.now()}
    ImportJob.objects.filter(pk=job.pk).update(**counts)
    for key, value in counts.items():
        setattr(job, key, value)


def import_job_attach_errors(job: ImportJob, content: bytes) -> None:
    job.error_file.save(f"errors-{job.pk}.xlsx", ContentFile(content), save=False)
    ImportJob.objects.filter(pk=job.pk).update(error_file=job.error_file.name)


def import_roster_run(job: ImportJob, columns, make_import: Callable) -> None:
    """A handler's whole run: the job's file read as a roster of `columns`, `make_import(actor, today).run(roster,
    job)` over it (the uploader, the day of the upload), and its per-row error report attached."""
    from django.contrib.auth import get_user_model

    from .excel import Roster, error_xlsx

    actor = get_user_model().objects.select_related("unit").get(pk=job.created_by_id)
    with job.source.open("rb") as fh:
        roster = Roster(fh, columns)
        import_job_progress(job, total_rows=roster.estimated_rows)
        result = make_import(actor, timezone.localdate(job.created_at)).run(roster, job)
        roster.close()
    if result.errors:
        import_job_attach_errors(job, error_xlsx(result.errors, header=roster.header, originals=result.originals))


def import_jobs_recover(*, now=None) -> int:
    """Running jobs that gave no sign of life for IMPORT_STALE_MINUTES (the worker was killed, the database
    restarted) are marked failed with a reason; what was committed stays, and 重新导入 runs the file again (an
    import is idempotent: nothing is registered twice)."""
    now = now or timezone.now()
    stale = ImportJob.objects.filter(status=ImportJob.Status.RUNNING,
                                     heartbeat_at__lt=now - dt.timedelta(minutes=settings.IMPORT_STALE_MINUTES))
    return stale.update(status=ImportJob.Status.FAILED, finished_at=now, message=_(
        "导入中断（处理进程意外停止）。已导入的部分已保存；点“重新导入”从头再导一次，不会重复登记。"))


def import_job_retry(*, actor, job: ImportJob) -> ImportJob:
    """Queue a failed job's file again (the uploader only; not once its file has been deleted)."""
    from .tasks import import_job_run

    if job.created_by_id != getattr(actor, "pk", None):
        raise Http404("import not found")
    if job.status != ImportJob.Status.FAILED or not job.source:
        raise ValidationError(_("只有失败且文件仍保存的导入可以重新导入。"), code="import_not_retryable")
    with transaction.atomic():
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.QUEUED, message="", processed_rows=0, created_count=0, updated_count=0,
            unchanged_count=0, error_count=0, started_at=None, finished_at=None, heartbeat_at=None)
        audit_record(actor=actor, action="import.retry", obj=job)
        transaction.on_commit(lambda: import_job_run.enqueue(job.pk))
    job.refresh_from_db()
    return job


def import_jobs_of(user, *, kind: str):
    """Her own uploads of one kind, newest first."""
    return ImportJob.objects.filter(created_by_id=getattr(user, "pk", None), kind=kind).order_by("-created_at")


def access_import_job(user, job_id: int) -> ImportJob:
    """Only the cadre who uploaded a roster sees its job and error report (it holds full ID numbers)."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or not getattr(user, "is_authenticated", False) or job.created_by_id != user.pk:
        raise Http404("import not found")
    return job


def import_errors_open(*, actor, job: ImportJob):
    """The error report as an open file, its download in the read log; Http404 once it has been purged."""
    if not job.error_file:
        raise Http404("no error report")
    read_record(actor=actor, obj=job, purpose="import error report")
    return job.error_file.open("rb")


def import_files_purge(*, now=None, days: int | None = None) -> int:
    """Delete uploaded rosters and error reports older than the retention period; the job and its counts stay."""
    now = now or timezone.now()
    days = settings.IMPORT_RETENTION_DAYS if days is None else days
    old = ImportJob.objects.filter(created_at__lt=now - dt.timedelta(days=days), files_purged_at__isnull=True)
    purged = 0
    for job in old.exclude(status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING]):
        for field in (job.source, job.error_file):
            if field:
                field.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(source="", error_file="", files_purged_at=now)
        purged += 1
    if purged:
        audit_record(actor=None, action="import.files_purge", changes={"jobs": purged, "days": days})
    return purged
