"""帮扶资源 pages: the resources she may offer (visible where she works) and those her subtree publishes, 发布资源
(a job, seats of a training of the activities module, a micro-loan, a donation, volunteer hours, a charity
project), a resource's page (its offers, and the women it fits with 推荐给她), changing it (with its version),
closing it, and 跨省协作 agreements (entered by a province's leaders). Parse, one access function, one service or
selector, render; the rules are care.resources' and care.matching's."""

import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fulian.core.errors import Conflict
from fulian.core.hooks import hook_call
from fulian.core.paging import page_of
from fulian.core.params import param_choice, param_int
from fulian.core.policy import Action, allows, is_leader_of
from fulian.orgs.models import Level, Unit
from fulian.orgs.selectors import unit_home_for

from . import matching, plans, resources
from .forms_resources import AgreementForm, ResourceEditForm, ResourceForm
from .models import CareGroup, ResourceKind, ResourceState, Skill
from .selectors import distance_words

PER_PAGE = 30
FITS_SHOWN = 20


def _courses(user) -> list:
    choices = []
    for rows in hook_call("course.choices", user=user, q=""):
        choices += list(rows)
    return choices


def _publisher(user):
    unit = unit_home_for(user)
    if unit is None or not allows(user, Action.EDIT, unit.path):
        return None
    return unit


@login_required
def resource_list(request):
    """可对接的资源 (visible where she works) and 本辖区发布的 (own=1)."""
    user = request.user
    kind = param_choice(request.GET, "kind", ResourceKind.values)
    state = param_choice(request.GET, "state", ResourceState.values, default=ResourceState.OPEN)
    own = param_choice(request.GET, "own", ("1",)) == "1"
    rows = resources.resources_for(user, kind=kind, state=state, own=own)
    return render(request, "care/resources.html", {
        "page": page_of(request, rows, PER_PAGE), "kind": kind, "state": state, "own": own,
        "kinds": ResourceKind.choices, "states": ResourceState.choices, "can_publish": _publisher(user) is not None,
        "query": urlencode({k: v for k, v in (("kind", kind), ("state", state), ("own", "1" if own else "")) if v})})


@login_required
def resource_new(request):
    """发布资源 for her unit: what, by whom, how many places (a training's seats: its own), when, who may see it,
    where, and for whom (groups, skills, age)."""
    unit = _publisher(request.user)
    if unit is None:
        raise Http404("may not publish resources")
    today = timezone.localdate()
    form = ResourceForm(request.POST or None, user=request.user, courses=_courses(request.user),
                        initial={"starts_on": today, "ends_on": today + dt.timedelta(days=365)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            resource = resources.resource_create(
                actor=request.user, unit=unit, kind=data["kind"], title=data["title"], provider=data["provider"],
                provider_kind=data["provider_kind"], starts_on=data["starts_on"], ends_on=data["ends_on"],
                capacity=data["capacity"], visibility=data["visibility"], place_unit=data["place_unit"],
                lat=data["lat"], lng=data["lng"], age_min=data["age_min"], age_max=data["age_max"],
                groups=data["groups"], skills=data["skills"], amount=data["amount"],
                activity_id=data["activity_id"], description=data["description"], address=data["address"],
                client_token=data["client_token"] or None)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已发布“%(title)s”。") % {"title": resource.title})
            return redirect("care_resource", care_resource_id=resource.pk)
    return render(request, "care/resource_form.html", {"form": form, "unit": unit},
                  status=400 if request.method == "POST" else 200)


@login_required
def resource_detail(request, care_resource_id: int):
    """A resource: its facts, the offers made of it in her scope, and the open goals it fits that she looks after
    (nearest its place first), each with 推荐给她."""
    user = request.user
    resource = resources.access_resource_by_id(user, care_resource_id)
    today = timezone.localdate()
    fits = []
    if resource.state == ResourceState.OPEN:
        for row in matching.women_for_resource(resource, on=today, limit=FITS_SHOWN * 3):
            if allows(user, Action.EDIT, row["goal"].unit_path):
                row["words"] = distance_words(row["goal"].unit_path, resource.place_path)
                fits.append(row)
        fits = fits[:FITS_SHOWN]
    course = resources.course_info([resource.activity_id]).get(resource.activity_id) if resource.activity_id else None
    return render(request, "care/resource_detail.html", {
        "resource": resource, "groups": [CareGroup(g).label for g in resources.groups_of(resource.groups_mask)],
        "skills": [Skill(s).label for s in plans.skills_of(resource.skills_mask)],
        "offers": list(matching.offers_for(user, resource=resource)[:50]), "fits": fits, "course": course,
        "can_edit": allows(user, Action.EDIT, resource.unit_path) and resource.state == ResourceState.OPEN,
        "token": uuid.uuid4().hex})


@login_required
def resource_edit(request, care_resource_id: int):
    resource = resources.access_resource_by_id(request.user, care_resource_id, need=Action.EDIT)
    form = ResourceEditForm(request.POST or None, initial={
        "title": resource.title, "capacity": resource.capacity, "ends_on": resource.ends_on,
        "visibility": resource.visibility, "description": resource.description, "version": resource.version})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                resources.resource_update(actor=request.user, resource=resource, version=data["version"],
                                          capacity=data["capacity"], title=data["title"],
                                          description=data["description"], ends_on=data["ends_on"],
                                          visibility=data["visibility"])
            except Conflict as exc:
                form.add_error(None, exc)
                status = 409
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect("care_resource", care_resource_id=resource.pk)
    return render(request, "care/resource_edit.html", {"resource": resource, "form": form}, status=status)


@login_required
@require_POST
def resource_close(request, care_resource_id: int):
    resource = resources.access_resource_by_id(request.user, care_resource_id, need=Action.EDIT)
    try:
        resources.resource_close(actor=request.user, resource=resource)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("资源已关闭，不再推荐。"))
    return redirect("care_resource", care_resource_id=resource.pk)


@login_required
@require_POST
def resource_recommend(request, care_resource_id: int):
    """推荐给她: this resource offered for one of the goals it fits (once per tap: the client token)."""
    resource = resources.access_resource_by_id(request.user, care_resource_id)
    goal_id = param_int(request.POST, "goal")
    if goal_id is None:
        raise BadRequest("goal")
    goal = plans.access_goal_by_id(request.user, goal_id, need=Action.EDIT)
    try:
        matching.offer_send(actor=request.user, goal=goal, resource=resource, today=timezone.localdate(),
                            client_token=(request.POST.get("client_token") or "")[:40] or None)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已向%(name)s推荐“%(title)s”。") % {"name": goal.woman.name,
                                                                     "title": resource.title})
    return redirect("care_resource", care_resource_id=resource.pk)


@login_required
def agreements(request):
    """跨省协作: the agreements of her province; a province's chair or vice-chair enters a new one."""
    user = request.user
    unit = getattr(user, "unit", None)
    may_create = unit is not None and unit.level == Level.PROVINCE and is_leader_of(user, unit.path)
    provinces = list(Unit.objects.filter(level=Level.PROVINCE).order_by("code"))
    form = AgreementForm(request.POST or None, provinces=provinces,
                         initial={"starts_on": timezone.localdate(), "provinces": [str(unit.pk)] if unit else []})
    if request.method == "POST":
        if not may_create:
            raise Http404("may not enter agreements")
        if form.is_valid():
            data = form.cleaned_data
            picked = [p for p in provinces if str(p.pk) in data["provinces"]]
            try:
                resources.agreement_create(actor=user, name=data["name"], provinces=picked,
                                           starts_on=data["starts_on"], ends_on=data["ends_on"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("已登记协作。"))
                return redirect("care_agreements")
    return render(request, "care/agreements.html", {
        "rows": list(resources.agreements_for(user)[:100]), "form": form, "may_create": may_create,
        "today": timezone.localdate()}, status=400 if request.method == "POST" else 200)
