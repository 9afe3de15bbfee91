"""Care's Excel files for the app: downloads of the memberships, help plans, resources and offers of your scope;
children only with a reason (each child exported goes to the read log with it); and the memberships import — the
template, the upload (imported in the background: poll GET /imports/{job_id}, whose error report names each bad row);
and the resources import the same way.
The same exports and import as the pages (care.exports, care.importing)."""

import datetime as dt

from django.core.exceptions import BadRequest
from django.http import HttpResponse
from ninja import File, Query, Router, Status, UploadedFile

from fulian.care import exports
from fulian.care.importing import KIND, RESOURCES_KIND, memberships_template, resources_template
from fulian.care.models import CareGroup, ChildSituation, OfferState, PlanState
from fulian.core import imports
from fulian.core.excel import XLSX, attachment
from fulian.orgs.selectors import access_unit_by_id

from .openapi import download
from .schemas import ErrorOut
from .schemas_people import ImportJobOut

router = Router(tags=["care"])


def _one_of(value: str, choices, name: str) -> str:
    if value and value not in choices:
        raise BadRequest(f"{name} must be one of " + ", ".join(choices))
    return value


@router.get("/care/exports/memberships.xlsx", response={400: ErrorOut, 404: ErrorOut},
            openapi_extra=download(description="关爱对象: the memberships of your scope"))
def care_export_memberships(request, on: dt.date | None = None, group: str = Query("", max_length=14),
                            unit_id: int | None = None):
    """The memberships of your scope (under `unit_id`; in their group on `on`; of one `group`); ID numbers masked.
    Each export is audited."""
    unit = access_unit_by_id(request.auth, unit_id) if unit_id is not None else None
    return exports.memberships_export(actor=request.auth, on=on, group=_one_of(group, CareGroup.values, "group"),
                                      unit=unit)


@router.get("/care/exports/plans.xlsx", response={400: ErrorOut},
            openapi_extra=download(description="帮扶台账: the help plans of your scope with goals and help given"))
def care_export_plans(request, state: str = Query("", max_length=8)):
    return exports.plans_export(actor=request.auth, state=_one_of(state, PlanState.values, "state"))


@router.get("/care/exports/resources.xlsx", response={400: ErrorOut},
            openapi_extra=download(description="帮扶资源: the resources your subtree publishes"))
def care_export_resources(request):
    return exports.resources_export(actor=request.auth)


@router.get("/care/exports/offers.xlsx", response={400: ErrorOut},
            openapi_extra=download(description="资源对接: the offers of your scope"))
def care_export_offers(request, state: str = Query("", max_length=10)):
    return exports.offers_export(actor=request.auth, state=_one_of(state, OfferState.values, "state"))


@router.post("/care/exports/children.xlsx", response={400: ErrorOut},
             openapi_extra=download(description="关爱儿童: the children you have need-to-know of"))
def care_export_children(request, reason: str = Query("", max_length=200), situation: str = Query("", max_length=12)):
    """Children's data is sensitive (PIPL arts. 28, 31): a `reason` is required (400 without), only the children
    you have need-to-know of are in the file, and each one goes to the read log with the reason."""
    return exports.children_export(actor=request.auth, reason=reason,
                                   situation=_one_of(situation, ChildSituation.values, "situation"))


@router.get("/care/imports/memberships/template.xlsx", tags=["imports"],
            openapi_extra=download(description="The care memberships template"))
def care_import_template(request):
    response = HttpResponse(memberships_template(), content_type=XLSX)
    response["Content-Disposition"] = attachment("care-memberships-template.xlsx")
    return response


@router.post("/care/imports/memberships", response={202: ImportJobOut, 400: ErrorOut}, tags=["imports"])
def care_import_memberships(request, file: UploadedFile = File(...)):  # noqa: B008  (ninja declares files so)
    """Upload a list of care memberships (.xlsx, see GET /care/imports/memberships/template.xlsx): each row names a
    woman of your scope by ID number (or name and phone), a group and the date she came in. Imported in the
    background: poll GET /imports/{job_id}; bad rows are in its error report, the good ones are kept, and a woman
    already in the group counts as unchanged."""
    if not file.name.lower().endswith(".xlsx"):
        return Status(400, {"detail": "upload an .xlsx file"})
    job = imports.import_job_create(actor=request.auth, kind=KIND, upload=file)
    job.refresh_from_db()
    return Status(202, job)


@router.get("/care/imports/resources/template.xlsx", tags=["imports"],
            openapi_extra=download(description="The care resources template"))
def care_import_resources_template(request):
    response = HttpResponse(resources_template(), content_type=XLSX)
    response["Content-Disposition"] = attachment("care-resources-template.xlsx")
    return response


@router.post("/care/imports/resources", response={202: ImportJobOut, 400: ErrorOut}, tags=["imports"])
def care_import_resources(request, file: UploadedFile = File(...)):  # noqa: B008  (ninja declares files so)
    """Upload resources (.xlsx, see GET /care/imports/resources/template.xlsx), published by your unit; imported in
    the background (poll GET /imports/{job_id}). The same row again publishes nothing twice (unchanged)."""
    if not file.name.lower().endswith(".xlsx"):
        return Status(400, {"detail": "upload an .xlsx file"})
    job = imports.import_job_create(actor=request.auth, kind=RESOURCES_KIND, upload=file)
    job.refresh_from_db()
    return Status(202, job)
