"""帮扶台账 pages: the plans of her subtree (mine / all / due for review), opening one for a woman with its first
goal, the plan's page (goals with 对接资源, help given, visits, offers and their answers), changing it (with its
version), another goal, a record of help, closing it with an outcome, and a contact log's need turned into a goal.
Parse, one access function, one service or selector, render; the rules are care.plans'."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fulian.core.errors import Conflict
from fulian.core.paging import page_of
from fulian.core.params import param_choice
from fulian.core.policy import Action
from fulian.people.selectors import access_woman_by_id

from . import plans
from .forms_plans import GoalForm, HelpForm, OutcomeForm, PlanCloseForm, PlanEditForm, PlanForm
from .models import PlanState
from .selectors import offers_of_plan, responsible_choices, responsible_pick

PER_PAGE = 30
SHOWS = ("mine", "all", "due")


@login_required
def plan_list(request):
    """我负责的 (default for a cadre who is responsible for any), 全部 in her scope, 待复核 (review date passed)."""
    user = request.user
    today = timezone.localdate()
    show = param_choice(request.GET, "show", SHOWS, default="")
    state = param_choice(request.GET, "state", PlanState.values, default="")
    if not show:
        show = "mine" if plans.plans_for(user, responsible=user, state=PlanState.OPEN).exists() else "all"
    if show == "mine":
        rows = plans.plans_for(user, responsible=user, state=state)
    elif show == "due":
        rows = plans.plans_for(user, due_by=today)
    else:
        rows = plans.plans_for(user, state=state)
    return render(request, "care/plans.html", {
        "page": page_of(request, rows, PER_PAGE), "show": show, "state": state, "states": PlanState.choices,
        "today": today})


@login_required
def plan_new(request, woman_id: int):
    """建立帮扶台账 for her: the matter, the responsible cadre, the review date and the first goal."""
    woman = access_woman_by_id(request.user, woman_id, need=Action.EDIT)
    today = timezone.localdate()
    cadres = responsible_choices(woman.unit_path)
    initial = {"review_on": today + dt.timedelta(days=90), "responsible": str(request.user.pk)}
    form = PlanForm(request.POST or None, cadres=cadres, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = plans.plan_open(
                actor=request.user, woman=woman, title=data["title"],
                responsible=responsible_pick(woman.unit_path, data["responsible"]), review_on=data["review_on"],
                today=today, lat=data["lat"], lng=data["lng"], client_token=data["client_token"] or None,
                goals=[{"category": data["category"], "text": data["text"], "skills": data["skills"]}])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已为%(name)s建立帮扶台账。") % {"name": woman.name})
            return redirect("care_plan", care_plan_id=plan.pk)
    return render(request, "care/plan_form.html", {"woman": woman, "form": form},
                  status=400 if request.method == "POST" else 200)


def _plan_page(request, plan, *, goal_form=None, help_form=None, close_form=None, status=200):
    user = request.user
    can_edit = plans.may_edit_plan(user, plan) and plan.state == PlanState.OPEN
    today = timezone.localdate()
    return render(request, "care/plan_detail.html", {
        "plan": plan, "can_edit": can_edit, "today": today,
        "goals": list(plan.goals.order_by("state", "id")),
        "help": list(plan.help.order_by("-given_on", "-id")),
        "visits": plans.plan_visits(user, plan),
        "offers": list(offers_of_plan(user, plan)),
        "may_answer": plans.may_edit_plan(user, plan),
        "goal_form": goal_form or GoalForm(),
        "help_form": help_form or HelpForm(initial={"given_on": today}),
        "close_form": close_form or PlanCloseForm(initial={"version": plan.version}),
        "outcome_form": OutcomeForm(initial={"on": today}),
    }, status=status)


@login_required
def plan_detail(request, care_plan_id: int):
    return _plan_page(request, plans.access_plan_by_id(request.user, care_plan_id))


@login_required
def plan_edit(request, care_plan_id: int):
    """修改台账: matter, responsible cadre, review date, coordinates — refused with a message when someone saved
    in between (the version)."""
    plan = plans.access_plan_by_id(request.user, care_plan_id, need=Action.EDIT)
    cadres = responsible_choices(plan.unit_path)
    form = PlanEditForm(request.POST or None, cadres=cadres, initial={
        "title": plan.title, "responsible": str(plan.responsible_id), "review_on": plan.review_on,
        "lat": plan.lat, "lng": plan.lng, "version": plan.version})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                plans.plan_update(actor=request.user, plan=plan, version=data["version"], title=data["title"],
                                  responsible=responsible_pick(plan.unit_path, data["responsible"]),
                                  review_on=data["review_on"], lat=data["lat"], lng=data["lng"])
            except Conflict as exc:
                form.add_error(None, exc)
                status = 409
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect("care_plan", care_plan_id=plan.pk)
    return render(request, "care/plan_edit.html", {"plan": plan, "form": form}, status=status)


@login_required
@require_POST
def goal_add(request, care_plan_id: int):
    plan = plans.access_plan_by_id(request.user, care_plan_id, need=Action.EDIT)
    form = GoalForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            goal = plans.goal_add(actor=request.user, plan=plan, category=data["category"], text=data["text"],
                                  skills=data["skills"], today=timezone.localdate())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已添加帮扶目标。"))
            return redirect("care_goal", care_goal_id=goal.pk)
    return _plan_page(request, plan, goal_form=form, status=400)


@login_required
@require_POST
def help_add(request, care_plan_id: int):
    """记录帮扶: date, kind, yuan or hours, provider (once per form: its client token)."""
    plan = plans.access_plan_by_id(request.user, care_plan_id, need=Action.EDIT)
    form = HelpForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            plans.help_add(actor=request.user, plan=plan, given_on=data["given_on"], kind=data["kind"],
                           provider=data["provider"], amount=data["amount"], hours=data["hours"], note=data["note"],
                           today=timezone.localdate(), client_token=data["client_token"] or None)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已记录帮扶。"))
            return redirect(plans_anchor(plan, "help"))
    return _plan_page(request, plan, help_form=form, status=400)


@login_required
@require_POST
def plan_close(request, care_plan_id: int):
    plan = plans.access_plan_by_id(request.user, care_plan_id, need=Action.EDIT)
    form = PlanCloseForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            plans.plan_close(actor=request.user, plan=plan, version=data["version"], outcome=data["outcome"],
                             note=data["note"], today=timezone.localdate())
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("台账已结案。"))
        return redirect("care_plan", care_plan_id=plan.pk)
    return _plan_page(request, plan, close_form=form, status=400)


@login_required
@require_POST
def need_to_plan(request, need_id: int):
    """转入帮扶台账: a contact log's open need becomes a goal of her open plan (or opens one); then its proposals."""
    try:
        goal = plans.plan_from_need(actor=request.user, need_id=need_id, today=timezone.localdate())
    except ValidationError as exc:
        facts = plans.need_facts(request.user, need_id)
        messages.error(request, " ".join(exc.messages))
        return redirect("woman_detail", woman_id=facts["woman_id"])
    messages.success(request, _("需求已转入帮扶台账，下面是可对接的资源。"))
    return redirect("care_goal", care_goal_id=goal.pk)


def plans_anchor(plan, anchor: str) -> str:
    return reverse("care_plan", args=[plan.pk]) + f"#{anchor}"

