from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fulian.core.panels import panels_for
from fulian.core.params import param_int
from fulian.core.policy import Action, allows

from . import selectors, services
from .forms import ConversionForm, OrganisationForm
from .models import Level


@login_required
def home(request):
    unit = selectors.unit_home_for(request.user)
    summary = selectors.unit_summary(unit) if unit else None
    return render(request, "orgs/home.html", {"unit": unit, "summary": summary,
                                              "sections": panels_for("home", request, unit)})


@login_required
def unit_root(request):
    unit = selectors.unit_home_for(request.user)
    if unit is None:
        raise Http404("no unit")
    return redirect("unit_detail", unit_id=unit.pk)


@login_required
def unit_detail(request, unit_id: int):
    unit = selectors.access_unit_by_id(request.user, unit_id)
    children = selectors.unit_children_with_counts(unit)
    page = Paginator(children, 100).get_page(request.GET.get("page"))
    can_edit = allows(request.user, Action.EDIT, unit.path)
    return render(request, "orgs/unit_detail.html", {
        "unit": unit,
        "ancestors": selectors.unit_ancestors(unit),
        "page": page,
        "summary": selectors.unit_summary(unit),
        "can_edit": can_edit,
        "can_add_organisation": can_edit and unit.may_have_organisations,
        "can_add_account": allows(request.user, Action.MANAGE_ACCOUNTS, unit.path),
        "is_village": unit.level == Level.VILLAGE and unit.is_geographic,
        "sections": panels_for("unit.sections", request, unit),  # the next modules add theirs (core.panels)
    })


@login_required
def unit_search(request):
    q = request.GET.get("q", "").strip()
    under = None
    under_id = param_int(request.GET, "under")
    if under_id is not None:
        under = selectors.access_unit_by_id(request.user, under_id)
    page = None
    if q:
        units = selectors.units_for(request.user, q=q, under=under).select_related("parent")
        page = Paginator(units, 30).get_page(request.GET.get("page"))
    template = "orgs/_search_results.html" if request.htmx else "orgs/unit_search.html"
    return render(request, template, {"q": q, "page": page, "under": under})


@login_required
def unit_add_organisation(request, unit_id: int):
    parent = selectors.access_unit_by_id(request.user, unit_id, need=Action.EDIT)
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create_organisation(
                actor=request.user, parent=parent, name=form.cleaned_data["name"], kind=form.cleaned_data["kind"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已添加“%(name)s”。") % {"name": unit.name})
            return redirect("unit_detail", unit_id=unit.pk)
    return render(request, "orgs/organisation_form.html", {"parent": parent, "form": form})


@login_required
@require_POST
def unit_conversion(request, unit_id: int):
    unit = selectors.access_unit_by_id(request.user, unit_id, need=Action.EDIT)
    form = ConversionForm(request.POST)
    if form.is_valid():
        try:
            services.unit_set_conversion(actor=request.user, unit=unit, conversion=form.cleaned_data["conversion"])
            messages.success(request, _("改建状态已保存。"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("改建状态不正确。"))
    return redirect("unit_detail", unit_id=unit.pk)
