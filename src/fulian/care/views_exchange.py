"""导入导出 of care: the page with the Excel downloads (memberships of her scope on a day, help plans, resources,
offers; children only with a reason) and the memberships and resources imports — their templates, the upload, and
the job's progress and error report. The pages only parse, call care.exports / care.importing and render."""

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
from fulian.core.forms import DateInput

from . import exports
from .importing import KIND, RESOURCES_KIND, memberships_template, resources_template
from .models import CareGroup, ChildSituation, OfferState, PlanState


def _blank(choices, label):
    return [("", label), *choices]


class MembershipsExportForm(forms.Form):
    on = forms.DateField(label=_("在册日期"), required=False, widget=DateInput,
                         help_text=_("只导出这一天在册的；不填则导出全部（含已退出的）"))
    group = forms.ChoiceField(label=_("关爱类别"), required=False, choices=_blank(CareGroup.choices, _("全部类别")))


class PlansExportForm(forms.Form):
    state = forms.ChoiceField(label=_("状态"), required=False, choices=_blank(PlanState.choices, _("全部")))


class OffersExportForm(forms.Form):
    state = forms.ChoiceField(label=_("状态"), required=False, choices=_blank(OfferState.choices, _("全部")))


class ChildrenExportForm(forms.Form):
    reason = forms.CharField(label=_("导出用途"), max_length=exports.REASON_MAX,
                             help_text=_("必填，例如“寒假走访慰问名单”；每名导出的儿童都会连同用途记入查看记录"))
    situation = forms.ChoiceField(label=_("儿童类别"), required=False,
                                  choices=_blank(ChildSituation.choices, _("全部")))


class MembershipsImportForm(forms.Form):
    file = forms.FileField(label=_("关爱对象名单(.xlsx)"))


class ResourcesImportForm(forms.Form):
    file = forms.FileField(label=_("帮扶资源(.xlsx)"))


IMPORTS = {KIND: (MembershipsImportForm, "import_form"), RESOURCES_KIND: (ResourcesImportForm, "resources_form")}


def _page(request, *, children_form=None, import_form=None, resources_form=None, status=200):
    today = timezone.localdate()
    return render(request, "care/exchange_index.html", {
        "memberships_form": MembershipsExportForm(initial={"on": today}), "plans_form": PlansExportForm(),
        "offers_form": OffersExportForm(), "children_form": children_form or ChildrenExportForm(),
        "import_form": import_form or MembershipsImportForm(),
        "resources_form": resources_form or ResourcesImportForm(),
        "jobs": sorted((j for kind in IMPORTS for j in imports.import_jobs_of(request.user, kind=kind)[:10]),
                       key=lambda j: j.created_at, reverse=True)[:10],
    }, status=status)


@login_required
@require_GET
def exchange(request):
    return _page(request)


def _query(form_class, request):
    form = form_class(request.GET)
    if not form.is_valid():
        raise BadRequest("; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
    return form.cleaned_data


@login_required
@require_GET
def export_memberships(request):
    data = _query(MembershipsExportForm, request)
    return exports.memberships_export(actor=request.user, on=data["on"], group=data["group"])


@login_required
@require_GET
def export_plans(request):
    return exports.plans_export(actor=request.user, state=_query(PlansExportForm, request)["state"])


@login_required
@require_GET
def export_resources(request):
    return exports.resources_export(actor=request.user)


@login_required
@require_GET
def export_offers(request):
    return exports.offers_export(actor=request.user, state=_query(OffersExportForm, request)["state"])


@login_required
@require_POST
def export_children(request):
    """POST only: it writes a read-log row per child, with the reason she gave (without one: the page, 400)."""
    form = ChildrenExportForm(request.POST)
    if form.is_valid():
        try:
            return exports.children_export(actor=request.user, reason=form.cleaned_data["reason"],
                                           situation=form.cleaned_data["situation"])
        except ValidationError as exc:
            form.add_error("reason", exc)
    return _page(request, children_form=form, status=400)


@login_required
@require_GET
def import_template(request):
    return xlsx_response(memberships_template(), "关爱对象名单模板.xlsx")


@login_required
@require_GET
def import_resources_template(request):
    return xlsx_response(resources_template(), "帮扶资源模板.xlsx")


def _upload(request, kind: str):
    form_class, name = IMPORTS[kind]
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            form.add_error("file", _("请上传 .xlsx 格式的 Excel 文件（可以先下载模板）。"))
        else:
            try:
                job = imports.import_job_create(actor=request.user, kind=kind, upload=upload)
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                return redirect("care_import_job", job_id=job.pk)
    return _page(request, **{name: form}, status=400)


@login_required
@require_POST
def import_upload(request):
    return _upload(request, KIND)


@login_required
@require_POST
def import_resources_upload(request):
    return _upload(request, RESOURCES_KIND)


@login_required
@require_GET
def import_job(request, job_id: int):
    """Her upload's progress and counts, and its error report (only the uploader sees it)."""
    imports.import_jobs_recover()
    job = imports.access_import_job(request.user, job_id)
    if job.kind not in IMPORTS:
        raise Http404("import not found")
    return render(request, "care/exchange_import_job.html", {"job": job})
