from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fulian.core import imports
from fulian.core.panels import panels_for
from fulian.core.params import param_int
from fulian.core.policy import Action, allows
from fulian.orgs.models import Unit
from fulian.orgs.selectors import access_unit_by_id

from . import exports, selectors, services
from .forms import ImportForm, MergeForm, WomanForm
from .importing import women_template
from .vocabularies import TagCode

PER_PAGE = 50


def _filters(request, data=None):
    data = request.GET if data is None else data
    unit = None
    unit_id = param_int(data, "unit")
    if unit_id is not None:
        unit = access_unit_by_id(request.user, unit_id)
    tag = data.get("tag", "")
    return {"q": data.get("q", "").strip(), "unit": unit, "tag": tag if tag in TagCode.values else ""}


def _page(queryset, number, count, more):
    paginator = Paginator(queryset, PER_PAGE)
    paginator.count = count  # a standing figure or a capped count: a province-wide list never counts a million
    return Page(list(queryset[(number - 1) * PER_PAGE: number * PER_PAGE]), number, paginator), more


@login_required
def women_list(request):
    filters = _filters(request)
    # a page row reads only what it shows (no ciphertext, no timestamps to parse) and its tags as a plain list:
    # fifty rows at the province root cost little more than the few a village search finds
    # (villages fetched for the page's rows after the sort, not joined to every match before it)
    women = (selectors.women_for(request.user, **filters)
             .only("id", "name", "id_masked", "phone", "last_contact_on", "unit_path", "home_unit_id")
             .prefetch_related(Prefetch("home_unit", queryset=Unit.objects.only("id", "name")),
                               Prefetch("tags", to_attr="tag_list")))
    count, more = selectors.women_count(request.user, **filters)
    number = param_int(request.GET, "page", default=1, lo=1, hi=10**6)
    number = min(number, max(1, (count + PER_PAGE - 1) // PER_PAGE))
    page, more = _page(women, number, count, more)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "people/women_list.html", {
        **filters, "page": page, "more": more, "query": query.urlencode(), "tags": TagCode.choices,
    })


@login_required
def woman_new(request):
    today = timezone.localdate()
    initial = {}
    if request.user.unit and request.user.unit.level in services.HOME_LEVELS:
        initial["unit_code"] = request.user.unit.code
    form = WomanForm(request.POST or None, initial=initial, user=request.user)
    existing = None
    if request.method == "POST" and form.is_valid():
        try:
            data = services.woman_data_clean(actor=request.user, raw=form.cleaned_data, today=today)
            woman = services.woman_create(actor=request.user, data=data)
        except services.DuplicateWoman as exc:
            existing = exc.existing
            form.add_error("id_number", exc.messages[0])
        except ValidationError as exc:
            form.apply_errors(exc.message_dict)
        else:
            messages.success(request, _("已登记%(name)s。") % {"name": woman.name})
            return redirect("woman_detail", woman_id=woman.pk)
    return render(request, "people/woman_form.html", {"form": form, "existing": existing})


@login_required
def woman_detail(request, woman_id: int):
    """Her record; contacts, cases, surveys and the modules to come add their sections (core.panels)."""
    woman = selectors.access_woman_by_id(request.user, woman_id)
    return render(request, "people/woman_detail.html", {
        "woman": woman,
        "tags": woman.tags.all(),
        "can_edit": allows(request.user, Action.EDIT, woman.unit_path),
        "can_reveal": allows(request.user, Action.VIEW_ID_NUMBER, woman.unit_path) and bool(woman.id_encrypted),
        "actions": panels_for("woman.actions", request, woman),
        "sections": panels_for("woman.sections", request, woman),
    })


@login_required
def woman_edit(request, woman_id: int):
    woman = selectors.access_woman_by_id(request.user, woman_id, need=Action.EDIT)
    initial = {"name": woman.name, "phone": woman.phone, "unit_code": woman.home_unit.code,
               "ethnicity": woman.ethnicity, "occupation": woman.occupation,
               "tags": list(woman.tags.values_list("code", flat=True)), "consent_purpose": woman.consent_purpose,
               "consent_on": woman.consent_on, "version": woman.version}
    form = WomanForm(request.POST or None, initial=initial, user=request.user)
    form.fields["id_number"].help_text = _("当前：%(masked)s；留空表示不修改。") % {"masked": woman.id_masked or "—"}
    if request.method == "POST" and form.is_valid():
        try:
            data = services.woman_data_clean(actor=request.user, raw=form.cleaned_data, today=timezone.localdate())
            services.woman_update(actor=request.user, woman=woman, data=data,
                                  version=form.cleaned_data["version"] or 0)
        except services.StaleEdit as exc:
            messages.error(request, exc.messages[0])
            return render(request, "people/woman_form.html", {
                "form": form, "woman": woman, "conflict": selectors.access_woman_by_id(request.user, woman_id),
            }, status=409)
        except ValidationError as exc:
            if isinstance(exc, services.DuplicateWoman):
                form.add_error("id_number", exc.messages[0])
            else:
                form.apply_errors(exc.message_dict)
        else:
            messages.success(request, _("已保存。"))
            return redirect("woman_detail", woman_id=woman.pk)
    return render(request, "people/woman_form.html", {"form": form, "woman": woman})


@login_required
@require_POST
def woman_reveal_id(request, woman_id: int):
    woman = selectors.access_woman_by_id(request.user, woman_id)
    number = selectors.woman_id_number_reveal(request.user, woman, purpose="web")
    return HttpResponse(f"<code>{number}</code>")


@login_required
def women_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            form.add_error("file", _("请上传 .xlsx 格式的 Excel 文件（可以先下载模板）。"))
        else:
            try:
                job = imports.import_job_create(actor=request.user, kind="women", upload=upload)
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                return redirect("import_job_detail", job_id=job.pk)
    jobs = imports.import_jobs_of(request.user, kind="women")[:10]
    return render(request, "people/women_import.html", {"form": form, "jobs": jobs})


@login_required
def women_template_download(request):
    response = HttpResponse(women_template(), content_type=exports.XLSX)
    response["Content-Disposition"] = exports.attachment("妇女名册模板.xlsx")
    return response


@login_required
@require_POST
def women_export(request):
    """POST: an export is a logged act, never something a link or a prefetch can trigger."""
    filters = _filters(request, request.POST)
    women = selectors.women_for(request.user, **filters)
    try:
        return exports.women_export(actor=request.user, women=women, filters=filters, filename="妇女名册.xlsx")
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        query = {k: v for k, v in request.POST.items() if k in ("q", "unit", "tag")}
        return redirect(f"{reverse('women_list')}?{urlencode(query)}")


@login_required
def women_duplicates(request):
    return render(request, "people/women_duplicates.html", {"groups": selectors.possible_duplicates(request.user)})


@login_required
@require_POST
def women_merge(request):
    form = MergeForm(request.POST)
    if not form.is_valid():
        raise Http404("bad merge")
    survivor = selectors.access_woman_by_id(request.user, form.cleaned_data["survivor"], need=Action.EDIT)
    duplicate = selectors.access_woman_by_id(request.user, form.cleaned_data["duplicate"], need=Action.EDIT)
    try:
        services.woman_merge(actor=request.user, survivor=survivor, duplicate=duplicate)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("women_duplicates")
    messages.success(request, _("已合并，两条记录的联系历史都保留在%(name)s名下。") % {"name": survivor.name})
    return redirect("woman_detail", woman_id=survivor.pk)
