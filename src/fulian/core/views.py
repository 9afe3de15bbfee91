from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import imports
from .certificates import certificate_by_code, masked_holder
from .context import client_ip
from .notices import notices_for, notices_mark_read
from .ratelimit import rate_hit


@login_required
def notices(request):
    """消息: her notifications, newest first; opening the page marks them read."""
    items = notices_for(request.user)
    notices_mark_read(user=request.user)
    return render(request, "core/notices.html", {"items": items})


@login_required
def import_job_detail(request, job_id: int):
    """Progress of an uploaded roster (any kind: women, organisation rosters, the modules to come)."""
    imports.import_jobs_recover()
    job = imports.access_import_job(request.user, job_id)
    template = "core/_import_progress.html" if request.htmx else "core/import_job.html"
    return render(request, template, {"job": job})


@login_required
@require_POST
def import_job_retry(request, job_id: int):
    job = imports.access_import_job(request.user, job_id)
    try:
        imports.import_job_retry(actor=request.user, job=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("import_job_detail", job_id=job.pk)


@login_required
def import_job_errors(request, job_id: int):
    job = imports.access_import_job(request.user, job_id)
    return FileResponse(imports.import_errors_open(actor=request.user, job=job), as_attachment=True,
                        filename=f"导入错误报告-{job.pk}.xlsx")


@never_cache
def certificate_verify(request, code: str):
    """Public: is this certificate genuine and does it still stand? (rate-limited per address)"""
    if not rate_hit("certificate-verify", client_ip(request), limit=settings.CERTIFICATE_CHECKS_PER_HOUR, seconds=3600):
        return render(request, "core/certificate_verify.html", {"limited": True}, status=429)
    certificate = certificate_by_code(code)
    if certificate is None:
        return render(request, "core/certificate_verify.html", {"code": code}, status=404)
    return render(request, "core/certificate_verify.html", {
        "certificate": certificate, "holder": masked_holder(certificate.holder)})


def bad_request(request, exception):
    """400 page: what was wrong in the link (a page number, a date, a choice), never Django's bare "Bad Request"."""
    from django.core.exceptions import BadRequest

    detail = str(exception) if isinstance(exception, BadRequest) else ""
    return render(request, "400.html", {"detail": detail[:200]}, status=400)
