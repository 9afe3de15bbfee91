"""Funding's Excel files for the app: a unit's ledger for a year (its own or with its subtree) and an allocation's
shares at every level; the population import — the template and the upload (imported in the background: poll
GET /imports/{job_id}, whose error report names each bad row). The same exports and import as the pages
(funding.exports, funding.importing)."""

from django.http import HttpResponse
from django.utils import timezone
from ninja import File, Query, Router, Status, UploadedFile

from fulian.core import imports
from fulian.core.excel import XLSX, attachment
from fulian.funding import exports
from fulian.funding.allocations import access_allocation_by_id
from fulian.funding.importing import KIND, population_template
from fulian.orgs.selectors import access_unit_by_id

from .openapi import download
from .schemas import ErrorOut
from .schemas_people import ImportJobOut

router = Router(tags=["funding"])


@router.get("/funding/units/{unit_id}/ledger.xlsx", response={400: ErrorOut, 404: ErrorOut},
            openapi_extra=download(description="经费台账: a unit's ledger lines of a year"))
def funding_export_ledger(request, unit_id: int, year: int | None = Query(None, ge=2000, le=2100),
                          subtree: bool = False):
    """The unit's ledger lines of `year` (default this year), oldest first — with `subtree`, every unit's under
    it; amounts are numbers of yuan (reversals negative). Each export is audited."""
    unit = access_unit_by_id(request.auth, unit_id)
    return exports.ledger_export(actor=request.auth, unit=unit, year=year or timezone.localdate().year,
                                 subtree=subtree)


@router.get("/funding/allocations/{funding_allocation_id}/shares.xlsx", response={400: ErrorOut, 404: ErrorOut},
            openapi_extra=download(description="经费分配: an allocation's shares at every level"))
def funding_export_shares(request, funding_allocation_id: int):
    """Every share of the allocation, in tree order, with what was paid to it and what it confirmed."""
    allocation = access_allocation_by_id(request.auth, funding_allocation_id)
    return exports.shares_export(actor=request.auth, allocation=allocation)


@router.get("/funding/imports/population/template.xlsx", tags=["imports"],
            openapi_extra=download(description="The population template"))
def funding_population_template(request):
    response = HttpResponse(population_template(), content_type=XLSX)
    response["Content-Disposition"] = attachment("funding-population-template.xlsx")
    return response


@router.post("/funding/imports/population", response={202: ImportJobOut, 400: ErrorOut}, tags=["imports"])
def funding_population_import(request, file: UploadedFile = File(...)):  # noqa: B008  (ninja declares files so)
    """Upload population figures (.xlsx, see GET /funding/imports/population/template.xlsx): each row a unit of your
    scope by its 12-digit code, a year and the population. Imported in the background: poll GET /imports/{job_id};
    bad rows are in its error report, the good ones are kept, and a figure already entered counts as unchanged."""
    if not file.name.lower().endswith(".xlsx"):
        return Status(400, {"detail": "upload an .xlsx file"})
    job = imports.import_job_create(actor=request.auth, kind=KIND, upload=file)
    job.refresh_from_db()
    return Status(202, job)
