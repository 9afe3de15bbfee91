"""资源对接 pages: a goal's proposals (nearest first, with the distance in words and kilometres) and 发送对接, the
cadre's answers for her (accept — the place is taken at once; of two cadres taking the last place one is told it is
gone and nothing is lost — decline, withdraw) and the outcome; a unit's 批量对接 (proposed assignment against the
nearest-first baseline, then approved or discarded). Parse, one access function, one service, render; the rules
are care.matching's."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fulian.core.paging import page_of
from fulian.core.params import param_int
from fulian.core.policy import Action, allows
from fulian.orgs.selectors import unit_home_for

from . import matching, plans
from .forms_plans import OutcomeForm
from .forms_resources import BatchForm
from .models import GoalState, PlanState
from .resources import access_resource_by_id
from .selectors import batch_rows, distance_words

BATCH_ROWS = 20


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _back(request, offer) -> str:
    """Where an offer's button returns: the goal's page or the resource's (its `back` field), else the plan's."""
    back = request.POST.get("back", "")
    if back == "goal":
        return reverse("care_goal", args=[offer.goal_id])
    if back == "resource":
        return reverse("care_resource", args=[offer.resource_id])
    return reverse("care_plan", args=[offer.goal.plan_id]) + "#offers"


@login_required
def goal_detail(request, care_goal_id: int):
    """A goal and the resources proposed for it: 本村 … 外省协作, km where both sides have coordinates, places
    left; 发送对接 on each."""
    goal = plans.access_goal_by_id(request.user, care_goal_id)
    today = timezone.localdate()
    can_edit = allows(request.user, Action.EDIT, goal.unit_path) and goal.state == GoalState.OPEN \
        and goal.plan.state == PlanState.OPEN
    proposals = []
    if goal.state == GoalState.OPEN:
        for p in matching.proposals_for_goal(goal, on=today):
            p["words"] = distance_words(goal.unit_path, p["resource"].place_path)
            proposals.append(p)
    offers = list(goal.offers.select_related("resource").order_by("-sent_at", "-id"))
    return render(request, "care/goal_detail.html", {
        "goal": goal, "plan": goal.plan, "proposals": proposals, "offers": offers, "can_edit": can_edit,
        "may_answer": allows(request.user, Action.EDIT, goal.unit_path), "today": today,
        "outcome_form": OutcomeForm(initial={"on": today}), "token": uuid.uuid4().hex})


@login_required
@require_POST
def offer_send(request, care_goal_id: int):
    """发送对接: one resource to her for this goal (once per tap: the form's client token)."""
    goal = plans.access_goal_by_id(request.user, care_goal_id, need=Action.EDIT)
    resource_id = param_int(request.POST, "resource")
    if resource_id is None:
        raise BadRequest("resource")
    resource = access_resource_by_id(request.user, resource_id)
    try:
        matching.offer_send(actor=request.user, goal=goal, resource=resource, today=timezone.localdate(),
                            client_token=(request.POST.get("client_token") or "")[:40] or None)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("已向%(name)s发送对接“%(title)s”，等待她答复。") % {
            "name": goal.woman.name, "title": resource.title})
    return redirect("care_goal", care_goal_id=goal.pk)


@login_required
@require_POST
def goal_close(request, care_goal_id: int):
    goal = plans.access_goal_by_id(request.user, care_goal_id, need=Action.EDIT)
    state = request.POST.get("state", "")
    if state not in (GoalState.MET, GoalState.DROPPED):
        raise BadRequest("state")
    try:
        plans.goal_close(actor=request.user, goal=goal, state=state, today=timezone.localdate(),
                         resolution=request.POST.get("resolution", "")[:300])
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("目标已标记为“%(state)s”。") % {"state": GoalState(state).label})
    return redirect("care_plan", care_plan_id=goal.plan_id)


@login_required
@require_POST
def offer_answer(request, care_offer_id: int):
    """她接受 / 她谢绝, told to her cadre: acceptance takes a place at once — the last one goes to whoever is first."""
    offer = matching.access_offer_by_id(request.user, care_offer_id, need=Action.EDIT)
    answer = request.POST.get("accept", "")
    if answer not in ("yes", "no"):
        raise BadRequest("accept")
    try:
        matching.offer_answer(actor=request.user, offer=offer, accept=answer == "yes")
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("已记录：她接受了“%(title)s”。") % {"title": offer.resource.title}
                         if answer == "yes" else _("已记录：她谢绝了“%(title)s”。") % {"title": offer.resource.title})
    return redirect(_back(request, offer))


@login_required
@require_POST
def offer_withdraw(request, care_offer_id: int):
    offer = matching.access_offer_by_id(request.user, care_offer_id, need=Action.EDIT)
    try:
        matching.offer_withdraw(actor=request.user, offer=offer)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("已撤回对接。"))
    return redirect(_back(request, offer))


@login_required
@require_POST
def offer_outcome(request, care_offer_id: int):
    """落实情况: employed, trained or received closes the goal (and its need) and records the help."""
    offer = matching.access_offer_by_id(request.user, care_offer_id, need=Action.EDIT)
    form = OutcomeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("请选择落实情况并填写日期。"))
        data = form.cleaned_data
        matching.offer_outcome(actor=request.user, offer=offer, outcome=data["outcome"], on=data["on"],
                               note=data["note"], today=timezone.localdate())
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("已记录落实情况。"))
    return redirect(_back(request, offer))


# --- batch matching -----------------------------------------------------------------------------------------------

@login_required
def batch_list(request):
    """批量对接: a unit's open employment goals against the open job places, as one proposed assignment."""
    user = request.user
    unit = unit_home_for(user)
    initial = {"unit": unit.code} if unit is not None and 2 <= unit.level <= 4 else {}
    form = BatchForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            batch = matching.batch_propose(actor=user, unit=form.cleaned_data["unit"], today=timezone.localdate())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已生成批量对接方案，请核对后审批。"))
            return redirect("care_batch", care_batch_id=batch.pk)
    return render(request, "care/batches.html", {
        "form": form, "page": page_of(request, matching.batches_for(user).select_related("unit"), BATCH_ROWS)},
        status=400 if request.method == "POST" else 200)


@login_required
def batch_detail(request, care_batch_id: int):
    batch = matching.access_batch_by_id(request.user, care_batch_id)
    return render(request, "care/batch_detail.html", {
        "batch": batch, "rows": batch_rows(batch),
        "can_decide": batch.state == "proposed" and allows(request.user, Action.EDIT, batch.unit_path)})


@login_required
@require_POST
def batch_decide(request, care_batch_id: int):
    batch = matching.access_batch_by_id(request.user, care_batch_id, need=Action.EDIT)
    decision = request.POST.get("decision", "")
    if decision not in ("approve", "discard"):
        raise BadRequest("decision")
    try:
        done = matching.batch_decide(actor=request.user, batch=batch, approve=decision == "approve",
                                     today=timezone.localdate())
    except ValidationError as exc:
        _error(request, exc)
    else:
        if decision == "approve":
            messages.success(request, _("已审批：发出%(sent)d条对接，%(skipped)d条已不可行(目标已处理或岗位已满)。")
                             % done)
        else:
            messages.success(request, _("已放弃这个方案。"))
    return redirect("care_batch", care_batch_id=batch.pk)

