"""家庭 pages: the list of her subtree's families, a family with its members, 创建家庭 and 加入家庭 from a woman's
page. Parse, one access function, one service (people.families), render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fulian.core.paging import count_capped
from fulian.core.panels import panels_for
from fulian.core.params import param_int
from fulian.core.policy import Action, allows
from fulian.orgs.models import Level

from . import families, selectors
from .forms_families import FamilyForm, FounderForm, JoinForm, MemberForm
from .models import Relation

PER_PAGE = 50
SEARCH_ROWS = 20


def _form_errors(form, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


@login_required
def families_list(request):
    q = request.GET.get("q", "").strip()[:30]
    rows = families.families_for(request.user, q=q)
    count, more = count_capped(rows)
    number = param_int(request.GET, "page", default=1, lo=1, hi=10**6)
    number = min(number, max(1, (count + PER_PAGE - 1) // PER_PAGE))
    paginator = Paginator(rows, PER_PAGE)
    paginator.count = count
    page = Page(list(rows[(number - 1) * PER_PAGE: number * PER_PAGE]), number, paginator)
    return render(request, "people/family_list.html", {"page": page, "more": more, "q": q})


@login_required
def family_new(request):
    """创建家庭; from her page (?woman=) she is its first member."""
    woman = None
    woman_id = param_int(request.GET, "woman")
    if woman_id is not None:
        woman = selectors.access_woman_by_id(request.user, woman_id, need=Action.EDIT)
    initial = {}
    if woman is not None:
        initial["name"] = _("%(name)s家") % {"name": woman.name}
        if woman.home_unit.level == Level.VILLAGE:
            initial["unit"] = woman.home_unit.code
    form_class = FounderForm if woman is not None else FamilyForm
    form = form_class(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            family = families.family_create(
                actor=request.user, unit=data["unit"], name=data["name"], address=data["address"],
                phone=data["phone"], woman=woman, relation=data.get("relation") or Relation.HEAD,
                client_token=data["client_token"] or None)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("家庭已创建。"))
            return redirect("family_detail", family_id=family.pk)
    return render(request, "people/family_form.html", {"form": form, "woman": woman},
                  status=400 if request.method == "POST" else 200)


@login_required
def family_detail(request, family_id: int):
    family = families.access_family_by_id(request.user, family_id)
    can_edit = allows(request.user, Action.EDIT, family.unit_path)
    q = request.GET.get("q", "").strip()[:30]
    found = []
    if can_edit and q:
        found = list(selectors.women_for(request.user, q=q).exclude(family_links__family=family)[:SEARCH_ROWS])
    return render(request, "people/family_detail.html", {
        "family": family, "members": families.members_of(family), "can_edit": can_edit,
        "member_form": MemberForm(), "join_form": JoinForm(), "q": q, "found": found,
        "relations": Relation.choices, "sections": panels_for("family.sections", request, family),
    })


@login_required
def family_edit(request, family_id: int):
    family = families.access_family_by_id(request.user, family_id, need=Action.EDIT)
    initial = {"name": family.name, "unit": family.unit.code, "address": family.address, "phone": family.phone,
               "version": family.version}
    form = FamilyForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            families.family_update(actor=request.user, family=family, unit=data["unit"], name=data["name"],
                                   address=data["address"], phone=data["phone"], version=data["version"] or 0)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("family_detail", family_id=family.pk)
    return render(request, "people/family_form.html", {"form": form, "family": family},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def family_member_add(request, family_id: int):
    """A registry woman (`target`: her id, with `relation`) or a man or a child by name, sex and birth year."""
    family = families.access_family_by_id(request.user, family_id, need=Action.EDIT)
    if "target" in request.POST:
        form = JoinForm(request.POST)
        woman = None
        if form.is_valid():
            woman = selectors.access_woman_by_id(request.user, form.cleaned_data["target"], need=Action.EDIT)
        values = {"woman": woman}
    else:
        form = MemberForm(request.POST)
        values = {}
    if form.is_valid():
        data = form.cleaned_data
        if not values:
            values = {"name": data["name"], "sex": data["sex"], "birth_year": data["birth_year"]}
        try:
            families.family_member_add(actor=request.user, family=family, relation=data["relation"], **values)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已添加家庭成员。"))
    else:
        messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))
    return redirect("family_detail", family_id=family.pk)


@login_required
@require_POST
def family_member_remove(request, family_id: int, member_id: int):
    family = families.access_family_by_id(request.user, family_id, need=Action.EDIT)
    member = families.access_member_by_id(request.user, family, member_id)
    families.family_member_remove(actor=request.user, family=family, member=member)
    messages.success(request, _("已移出家庭成员。"))
    return redirect("family_detail", family_id=family.pk)


@login_required
def woman_family_join(request, woman_id: int):
    """加入家庭 from her page: families of her village (or found by name) she is not in; pick one and her relation."""
    woman = selectors.access_woman_by_id(request.user, woman_id, need=Action.EDIT)
    if request.method == "POST":
        form = JoinForm(request.POST)
        if not form.is_valid():
            raise Http404("family")
        family = families.access_family_by_id(request.user, form.cleaned_data["target"], need=Action.EDIT)
        try:
            families.family_member_add(actor=request.user, family=family, woman=woman,
                                       relation=form.cleaned_data["relation"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("woman_family_join", woman_id=woman.pk)
        messages.success(request, _("已加入%(family)s。") % {"family": family.name})
        return redirect("woman_detail", woman_id=woman.pk)
    q = request.GET.get("q", "").strip()[:30]
    return render(request, "people/family_join.html", {
        "woman": woman, "q": q, "rows": families.families_to_join(request.user, woman, q=q)[:SEARCH_ROWS],
        "relations": Relation.choices,
    })
