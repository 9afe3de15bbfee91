"""关爱对象 pages: the care registry of her subtree as of any date (截至日期) with the counts per group, a woman put
into a care group (found by a search of the women's registry) and taken out of it. Parse, one access function, one
service or selector, render; the rules are care.registry's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from fulian.core.paging import page_of
from fulian.core.params import param_choice, param_int
from fulian.core.policy import Action, allows
from fulian.orgs.models import Unit
from fulian.orgs.selectors import access_unit_by_id, unit_home_for
from fulian.people.selectors import access_woman_by_id, women_for

from . import registry
from .forms_registry import MembershipEndForm, MembershipForm
from .models import CareGroup
from .selectors import param_day

PER_PAGE = 30
SEARCH_ROWS = 20


def unit_asked(request):
    """The unit a page looks at: ?unit= (inside her scope, else 404) or her own."""
    unit_id = param_int(request.GET, "unit")
    unit = access_unit_by_id(request.user, unit_id) if unit_id is not None else unit_home_for(request.user)
    if unit is None:
        raise Http404("no unit")
    return unit


def unit_choices(user, unit) -> list:
    """Her unit looked at, the units above it she may see, and its children: where the page may go next."""
    above = [u for u in Unit.objects.filter(path__in=[unit.path[:i] for i in range(4, len(unit.path), 4)])
             .order_by("path") if allows(user, Action.VIEW, u.path)]
    return above + [unit] + list(Unit.objects.filter(parent=unit).order_by("code")[:200])


@login_required
def registry_list(request):
    """关爱对象: who is in which group on the day asked (today by default), under the unit asked."""
    user = request.user
    today = timezone.localdate()
    group = param_choice(request.GET, "group", CareGroup.values)
    on = param_day(request.GET, "date", default=today)
    unit = unit_asked(request)
    rows = registry.memberships_for(user, group=group, on=on, under=unit.path)
    page = page_of(request, rows, PER_PAGE)
    counts = registry.group_counts(unit.path, on)
    can_edit = allows(user, Action.EDIT, unit.path)
    q = " ".join(request.GET.get("q", "").split())[:30]
    found = [w for w in women_for(user, q=q)[:SEARCH_ROWS] if allows(user, Action.EDIT, w.unit_path)] \
        if q and can_edit else []
    query = urlencode({k: v for k, v in (("group", group), ("date", request.GET.get("date", "")),
                                         ("unit", request.GET.get("unit", ""))) if v})
    return render(request, "care/registry.html", {
        "unit": unit, "units": unit_choices(user, unit), "group": group, "on": on, "today": today, "page": page,
        "counts": [{"group": g, "label": label, "n": counts[g]} for g, label in CareGroup.choices],
        "women": counts["women"], "groups": CareGroup.choices, "q": q, "found": found, "query": query,
        "can_edit": can_edit})


@login_required
def membership_new(request, woman_id: int):
    """纳入关爱: her group, since when, and for a low-income or disabled woman the kind or certificate grade."""
    woman = access_woman_by_id(request.user, woman_id, need=Action.EDIT)
    today = timezone.localdate()
    form = MembershipForm(request.POST or None, initial={"start_on": today})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = registry.membership_add(
                actor=request.user, woman=woman, group=data["group"], start_on=data["start_on"], today=today,
                low_income_kind=data["low_income_kind"], disability_grade=data["disability_grade"],
                note=data["note"], client_token=data["client_token"] or None)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已将%(name)s纳入“%(group)s”。") % {"name": woman.name,
                                                                          "group": made.get_group_display()})
            return redirect("woman_detail", woman_id=woman.pk)
    return render(request, "care/membership_form.html", {
        "woman": woman, "form": form, "memberships": registry.memberships_of(woman)},
        status=400 if request.method == "POST" else 200)


@login_required
def membership_end(request, care_membership_id: int):
    """退出关爱: the day she left the group and why; her count drops from that day on."""
    membership = registry.access_membership_by_id(request.user, care_membership_id, need=Action.EDIT)
    today = timezone.localdate()
    form = MembershipEndForm(request.POST or None, initial={"end_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            registry.membership_end(actor=request.user, membership=membership, end_on=form.cleaned_data["end_on"],
                                    reason=form.cleaned_data["reason"], today=today)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已结束%(name)s的“%(group)s”登记。") % {
                "name": membership.woman.name, "group": membership.get_group_display()})
            return redirect("woman_detail", woman_id=membership.woman_id)
    return render(request, "care/membership_end.html", {"membership": membership, "form": form},
                  status=400 if request.method == "POST" else 200)
