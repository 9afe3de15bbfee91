from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.utils import timezone
from ninja import File, Router, Status, UploadedFile
from ninja.pagination import paginate

from fulian.core import imports
from fulian.core.policy import Action
from fulian.orgs.selectors import access_unit_by_id
from fulian.people import exports, selectors, services
from fulian.people.importing import women_template

from .openapi import download
from .pagination import CappedPagination
from .schemas import ErrorOut
from .schemas_people import (
    IdNumberOut,
    ImportJobOut,
    MergeIn,
    WomanIn,
    WomanOut,
    WomanUpdateIn,
)

router = Router(tags=["women"])


def _unit(request, unit_id):
    return access_unit_by_id(request.auth, unit_id) if unit_id else None


@router.get("/women", response=list[WomanOut])
@paginate(CappedPagination)
def women_list(request, q: str = "", unit_id: int | None = None, tag: str = ""):
    """Women in your scope; `q`: name, pinyin initials, last 4 of the ID number, phone, or a whole ID number."""
    filters = {"q": q, "unit": _unit(request, unit_id), "tag": tag}
    request.known_count = selectors.women_count(request.auth, **filters)  # a whole list: its standing figure
    return selectors.women_for(request.auth, **filters).select_related("home_unit").prefetch_related("tags")


def _clean(request, payload, *, require_id=False):
    raw = payload.dict()
    return services.woman_data_clean(actor=request.auth, raw=raw, today=timezone.localdate(), require_id=require_id)


def _field_errors(exc: ValidationError):
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return {"detail": "; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()), "errors": errors}


@router.post("/women", response={201: WomanOut, 400: ErrorOut, 409: ErrorOut})
def woman_create(request, payload: WomanIn):
    """Register a woman. The same ID number again answers 409 with the existing record's id (when yours)."""
    try:
        data = _clean(request, payload)
        woman = services.woman_create(actor=request.auth, data=data)
    except services.DuplicateWoman as exc:
        return Status(409, {"detail": exc.messages[0], "existing_id": exc.existing.pk if exc.existing else None})
    except ValidationError as exc:
        return Status(400, _field_errors(exc))
    return Status(201, selectors.access_woman_by_id(request.auth, woman.pk))


@router.get("/women/template.xlsx", tags=["imports"], openapi_extra=download(description="The roster template"))
def women_template_download(request):
    response = HttpResponse(women_template(), content_type=exports.XLSX)
    response["Content-Disposition"] = exports.attachment("women-template.xlsx")
    return response


@router.post("/women/export.xlsx", openapi_extra=download(description="The roster"))
def women_export(request, q: str = "", unit_id: int | None = None, tag: str = ""):
    """The same scoped list as GET /women, as an Excel file (ID numbers masked). Each export is audited."""
    filters = {"q": q, "unit": _unit(request, unit_id), "tag": tag}
    women = selectors.women_for(request.auth, **filters)
    return exports.women_export(actor=request.auth, women=women, filters=filters, filename="women.xlsx")


@router.post("/women/merge", response={200: WomanOut, 400: ErrorOut, 404: ErrorOut})
def woman_merge(request, payload: MergeIn):
    survivor = selectors.access_woman_by_id(request.auth, payload.survivor_id, need=Action.EDIT)
    duplicate = selectors.access_woman_by_id(request.auth, payload.duplicate_id, need=Action.EDIT)
    services.woman_merge(actor=request.auth, survivor=survivor, duplicate=duplicate)
    return selectors.access_woman_by_id(request.auth, survivor.pk)


@router.get("/women/{woman_id}", response={200: WomanOut, 404: ErrorOut})
def woman_get(request, woman_id: int):
    return selectors.access_woman_by_id(request.auth, woman_id)


@router.put("/women/{woman_id}", response={200: WomanOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def woman_update(request, woman_id: int, payload: WomanUpdateIn):
    """Save only if `version` is still current; otherwise 409 and nothing is overwritten."""
    woman = selectors.access_woman_by_id(request.auth, woman_id, need=Action.EDIT)
    try:
        data = _clean(request, payload)
        services.woman_update(actor=request.auth, woman=woman, data=data, version=payload.version)
    except services.StaleEdit as exc:
        return Status(409, {"detail": exc.messages[0]})
    except services.DuplicateWoman as exc:
        return Status(409, {"detail": exc.messages[0]})
    except ValidationError as exc:
        return Status(400, _field_errors(exc))
    return selectors.access_woman_by_id(request.auth, woman_id)


@router.post("/women/{woman_id}/id-number", response={200: IdNumberOut, 404: ErrorOut})
def woman_id_number_reveal(request, woman_id: int):
    """The full ID number, for chairs, vice-chairs and staff of her unit or above; every call is read-logged."""
    woman = selectors.access_woman_by_id(request.auth, woman_id)
    return {"id_number": selectors.woman_id_number_reveal(request.auth, woman, purpose="api")}


@router.post("/imports/women", response={202: ImportJobOut, 400: ErrorOut}, tags=["imports"])
def women_import(request, file: UploadedFile = File(...)):  # noqa: B008  (ninja declares files so)
    """Upload a roster (.xlsx, see GET /women/template.xlsx); it is imported in the background. Poll the job."""
    if not file.name.lower().endswith(".xlsx"):
        return Status(400, {"detail": "upload an .xlsx file"})
    job = imports.import_job_create(actor=request.auth, kind="women", upload=file)
    job.refresh_from_db()
    return Status(202, job)


@router.get("/imports/{job_id}", response={200: ImportJobOut, 404: ErrorOut}, tags=["imports"])
def import_get(request, job_id: int):
    return imports.access_import_job(request.auth, job_id)


@router.post("/imports/{job_id}/retry", response={200: ImportJobOut, 400: ErrorOut, 404: ErrorOut},
             tags=["imports"])
def import_retry(request, job_id: int):
    """Run a failed import's file again (e.g. after its worker died); nothing is registered twice."""
    imports.import_jobs_recover()
    return imports.import_job_retry(actor=request.auth, job=imports.access_import_job(request.auth, job_id))


@router.get("/imports/{job_id}/errors.xlsx", tags=["imports"], openapi_extra=download(description="The error report"))
def import_errors_download(request, job_id: int):
    """The error report (full ID numbers): only for the uploader, each download in the read log; deleted with the
    upload after IMPORT_RETENTION_DAYS."""
    job = imports.access_import_job(request.auth, job_id)
    return FileResponse(imports.import_errors_open(actor=request.auth, job=job), as_attachment=True,
                        filename=f"import-errors-{job.pk}.xlsx")
