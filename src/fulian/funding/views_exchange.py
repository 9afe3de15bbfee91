"""导入导出 of funding: the page with the Excel downloads (a unit's ledger for a year, its own or with its subtree;
an allocation's shares at every level) and the population import — its template, the upload, and the job's progress
and error report. The pages only parse, call funding.exports / funding.importing and render; every read is scoped
(a unit or allocation outside her scope is 404, as one that does not exist)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from fulian.core import imports
from fulian.core.excel import xlsx_response
from fulian.core.params import param_int
from fulian.orgs.selectors import access_unit_by_id, unit_home_for

from . import exports
from .allocations import access_allocation_by_id
from .importing import KIND, population_template
from .population import OLDEST_YEAR, units_to_enter
from .selectors import allocations_made

RECENT = 20
TRUE = ("1", "on", "true", "yes")


class PopulationImportForm(forms.Form):
    file = forms.FileField(label=_("人口数(.xlsx)"))


def _home(request):
    unit = unit_home_for(request.user)
    if unit is None:
        raise Http404("no unit")
    return unit


def _page(request, *, import_form=None, status=200):
    unit = _home(request)
    today = timezone.localdate()
    units = [unit, *units_to_enter(unit)]
    return render(request, "funding/exchange_index.html", {
        "unit": unit, "units": units, "year": today.year, "years": range(today.year + 1, OLDEST_YEAR - 1, -1),
        "allocations": list(allocations_made(request.user, unit)[:RECENT]),
        "import_form": import_form or PopulationImportForm(),
        "jobs": imports.import_jobs_of(request.user, kind=KIND)[:10],
    }, status=status)


@login_required
@require_GET
def exchange(request):
    return _page(request)


def _year(request) -> int:
    today = timezone.localdate()
    return param_int(request.GET, "year", default=today.year, lo=OLDEST_YEAR, hi=today.year + 1)


def _download(make):
    """A refusal of the export (too many rows) is a 400 that says what to do, not a server error."""
    try:
        return make()
    except ValidationError as exc:
        raise BadRequest(" ".join(exc.messages)) from exc


@login_required
@require_GET
def export_ledger(request):
    """?unit=<id> (default her own), ?year= (default this year), ?subtree=1 for every unit under it too."""
    unit_id = param_int(request.GET, "unit")
    unit = access_unit_by_id(request.user, unit_id) if unit_id is not None else _home(request)
    subtree = (request.GET.get("subtree") or "").strip().lower() in TRUE
    year = _year(request)
    return _download(lambda: exports.ledger_export(actor=request.user, unit=unit, year=year, subtree=subtree))


@login_required
@require_GET
def export_shares(request, allocation_id: int):
    allocation = access_allocation_by_id(request.user, allocation_id)
    return _download(lambda: exports.shares_export(actor=request.user, allocation=allocation))


@login_required
@require_GET
def population_template_download(request):
    return xlsx_response(population_template(), "人口数模板.xlsx")


@login_required
@require_POST
def population_import(request):
    form = PopulationImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            form.add_error("file", _("请上传 .xlsx 格式的 Excel 文件（可以先下载模板）。"))
        else:
            try:
                job = imports.import_job_create(actor=request.user, kind=KIND, upload=upload)
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                return redirect("funding_import_job", job_id=job.pk)
    return _page(request, import_form=form, status=400)


@login_required
@require_GET
def import_job(request, job_id: int):
    """Her upload's progress and counts, and its error report (only the uploader sees it)."""
    imports.import_jobs_recover()
    job = imports.access_import_job(request.user, job_id)
    if job.kind != KIND:
        raise Http404("import not found")
    return render(request, "funding/exchange_import_job.html", {"job": job})
