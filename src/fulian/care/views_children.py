"""儿童 pages: a left-behind or migrant child registered under a family (the guardian's consent first), the child's
page, changing it (with its version: a concurrent change is refused with a message) and ending care; the children
a cadre cares for. Minors' data is need-to-know (care.registry): anyone else gets 404, as for a child that does not
exist, and every child shown is written to the read log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fulian.core.errors import Conflict
from fulian.core.params import param_choice, param_int
from fulian.core.policy import Action, allows
from fulian.people.families import access_family_by_id, members_of

from . import registry
from .forms_registry import ChildEditForm, ChildEndForm, ChildForm
from .models import ChildSituation

PER_PAGE = 30
FIELDS = ("name", "sex", "birth_date", "school", "situation", "situation_note", "guardian_name",
          "guardian_relation", "guardian_phone")


def _private(response):
    """A minor's data: never kept in a cache."""
    add_never_cache_headers(response)
    return response


def _guardians(family) -> list:
    return [m.woman for m in members_of(family) if m.woman_id]


def _guardian(form, guardians):
    picked = form.cleaned_data.get("guardian") or ""
    return next((w for w in guardians if str(w.pk) == picked), None)


@login_required
def children_list(request):
    """The children she cares for (need-to-know), each read logged as shown."""
    situation = param_choice(request.GET, "situation", ChildSituation.values)
    rows = registry.children_for(request.user, situation=situation)
    page = Paginator(rows, PER_PAGE).get_page(param_int(request.GET, "page", default=1, lo=1, hi=10**6))
    registry.children_read(request.user, list(page.object_list), purpose="care.children_list")
    return _private(render(request, "care/children.html", {
        "page": page, "situation": situation, "situations": ChildSituation.choices,
        "query": f"situation={situation}" if situation else ""}))


@login_required
def child_new(request, family_id: int):
    """登记儿童 under a family of her villages (from the family's page)."""
    family = access_family_by_id(request.user, family_id, need=Action.EDIT)
    today = timezone.localdate()
    guardians = _guardians(family)
    initial = {"consent_on": today}
    if guardians:
        initial.update(guardian=str(guardians[0].pk), consent_by=guardians[0].name)
    form = ChildForm(request.POST or None, guardians=guardians, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            child = registry.child_create(
                actor=request.user, family=family, guardian=_guardian(form, guardians), today=today,
                client_token=data["client_token"] or None, consent_by=data["consent_by"],
                consent_on=data["consent_on"], consent_note=data["consent_note"],
                **{k: data[k] for k in FIELDS})
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已登记儿童%(name)s。") % {"name": child.name})
            return redirect("care_child", care_child_id=child.pk)
    return _private(render(request, "care/child_form.html", {"family": family, "form": form, "new": True},
                           status=400 if request.method == "POST" else 200))


@login_required
def child_detail(request, care_child_id: int):
    child = registry.access_child_by_id(request.user, care_child_id, purpose="care.child_page")
    return _private(render(request, "care/child_detail.html", {
        "child": child, "can_edit": allows(request.user, Action.EDIT, child.unit_path),
        "end_form": ChildEndForm(initial={"ended_on": timezone.localdate()})}))


@login_required
def child_edit(request, care_child_id: int):
    child = registry.access_child_by_id(request.user, care_child_id, purpose="care.child_edit")
    if not allows(request.user, Action.EDIT, child.unit_path):
        return redirect("care_child", care_child_id=child.pk)
    guardians = _guardians(child.family)
    initial = {k: getattr(child, k) for k in FIELDS}
    initial.update(guardian=str(child.guardian_id or ""), version=child.version)
    form = ChildEditForm(request.POST or None, guardians=guardians, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registry.child_update(actor=request.user, child=child, version=data["version"],
                                  today=timezone.localdate(), guardian=_guardian(form, guardians),
                                  **{k: data[k] for k in FIELDS})
        except Conflict as exc:
            form.add_error(None, exc)
            status = 409
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("care_child", care_child_id=child.pk)
    if request.method == "POST" and status == 200:
        status = 400
    return _private(render(request, "care/child_form.html", {"family": child.family, "child": child, "form": form},
                           status=status))


@login_required
@require_POST
def child_end(request, care_child_id: int):
    child = registry.access_child_by_id(request.user, care_child_id, purpose="care.child_end")
    form = ChildEndForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("请填写不再关爱的日期。"))
        registry.child_end(actor=request.user, child=child, ended_on=form.cleaned_data["ended_on"],
                           today=timezone.localdate())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已结束对%(name)s的关爱登记。") % {"name": child.name})
    return redirect("care_child", care_child_id=child.pk)
