"""Pages of 工作重点: a unit's priorities for a year (those its ancestors set and those it set below), one set, and
the leaders' form. The rules (who sets, the version) are work.services.priorities_set's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.core.params import param_int
from fulian.core.policy import may_issue_work
from fulian.orgs.models import Level
from fulian.orgs.selectors import access_unit_by_id, unit_home_for

from . import selectors, services
from .forms import PRIORITY_ROWS, PrioritiesForm, PriorityItemFormSet
from .models import Task

YEARS_BACK = 5


def _year(request) -> int:
    this_year = timezone.localdate().year
    year = param_int(request.GET, "year", lo=2000, hi=2100)
    return this_year if year is None else year


@login_required
def priorities_home(request):
    unit = unit_home_for(request.user)
    if unit is None:
        raise Http404("no unit")
    return redirect(reverse("unit_priorities", args=[unit.pk]) + f"?year={_year(request)}")


@login_required
def unit_priorities(request, unit_id: int):
    """A unit's 工作重点 of a year: those of every level above it, and those it set for the level below."""
    unit = access_unit_by_id(request.user, unit_id)
    year = _year(request)
    this_year = timezone.localdate().year
    return render(request, "work/priorities.html", {
        **selectors.priorities_of_unit(unit, year=year),
        "years": list(range(this_year + 1, this_year - YEARS_BACK, -1)),
        "can_set": unit.level < Level.VILLAGE and may_issue_work(request.user, unit.path),
        "target": Level(unit.level + 1).label if unit.level < Level.VILLAGE else "",
    })


@login_required
def priorities_detail(request, priorities_id: int):
    priorities = selectors.access_priorities_by_id(request.user, priorities_id)
    return render(request, "work/priorities_detail.html", {
        "p": priorities, "target": Level(priorities.target_level).label,
        "can_set": may_issue_work(request.user, priorities.unit_path),
    })


@login_required
def priorities_edit(request, unit_id: int):
    unit = access_unit_by_id(request.user, unit_id)
    if unit.level >= Level.VILLAGE or not may_issue_work(request.user, unit.path):
        raise Http404("may not set priorities here")
    year = _year(request) if request.method == "GET" else param_int(request.POST, "year", lo=2000, hi=2100)
    if year is None:
        raise BadRequest("year")
    current = selectors.priorities_of_unit(unit, year=year)["own"]
    recent = Task.objects.filter(unit_path=unit.path).order_by("-dispatch__created_at").values_list("pk", flat=True)
    tasks = Task.objects.filter(pk__in=list(recent[:100])).select_related("dispatch")  # her unit's latest tasks
    initial = [{"text": i.text, "task": i.task} for i in current.items.all()] if current else []
    initial += [{}] * max(0, PRIORITY_ROWS - len(initial))
    form = PrioritiesForm(request.POST or None, initial={"year": year, "version": current.version if current else 0})
    rows = PriorityItemFormSet(request.POST or None, prefix="p", initial=None if request.POST else initial,
                               form_kwargs={"tasks": tasks})
    if request.method == "POST" and form.is_valid() and rows.is_valid():
        items = [{"text": r.get("text", ""), "task": r.get("task")} for r in rows.cleaned_data if r]
        try:
            priorities = services.priorities_set(actor=request.user, unit=unit, year=form.cleaned_data["year"],
                                                 items=items, version=form.cleaned_data["version"] or None)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(year)d年工作重点已保存（第%(v)d版）。") % {"year": priorities.year,
                                                                                   "v": priorities.version})
            return redirect(reverse("unit_priorities", args=[unit.pk]) + f"?year={priorities.year}")
    return render(request, "work/priorities_form.html", {
        "unit": unit, "year": year, "form": form, "rows": rows, "current": current,
        "target": Level(unit.level + 1).label,
    })
