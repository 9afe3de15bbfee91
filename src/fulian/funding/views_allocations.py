"""经费分配 pages: 下达经费 from a unit and 往下分配 of a share it was allocated: a form whose 预览 shows the plan
(each top unit's share, what the levels in between keep, the total and the part that reaches villages, or why the
rule is refused) and whose 确认下达 writes exactly the plan she saw (a leader's; staff preview); an allocation's page
(its rule, progress, shares level by level with 按分配拨付); and the population entered for the per-head rule.
Parse, one access function, one service or selector, render; the rules are funding.allocations' and ledger's."""

import datetime as dt
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from fulian.core.paging import page_of
from fulian.core.params import param_int
from fulian.core.policy import Action, OutOfScope, allows, may_allocate_funds, may_keep_funds
from fulian.orgs.models import Level
from fulian.orgs.selectors import access_unit_by_id

from . import ledger, selectors
from .allocations import access_allocation_by_id, access_share_by_id, allocation_confirm, allocation_preview, rule_clean
from .forms_allocations import AllocationForm, PayForm, PopulationForm
from .models import Basis
from .population import population_clean, population_set, populations_of, units_to_enter, year_range
from .split import to_fen, to_yuan
from .views_common import ancestors_in_scope, errors_to_form, param_year, percent

TOP_ROWS = 200  # a plan to 54,000 villages shows its top units, not every row
SHARES_PER_PAGE = 100
PAY_BY_DAYS = 30


@login_required
def allocation_new(request, unit_id: int):
    """下达经费: the unit's own budget line for a year split among the units below it."""
    unit = access_unit_by_id(request.user, unit_id, need=Action.EDIT)
    if unit.level >= Level.VILLAGE or not unit.is_geographic:
        raise Http404("nothing below to allocate to")
    return _allocate(request, unit, None)


@login_required
def share_split(request, share_id: int):
    """往下分配: a share allocated to the unit split on among the units below it, the unit keeping a part."""
    share = access_share_by_id(request.user, share_id, need=Action.EDIT)
    return _allocate(request, share.unit, share)


def _plan_view(plan) -> dict:
    """The plan as the page shows it: the top units (at most TOP_ROWS), each level's count and totals, the check
    that the top shares add up to the amount, and the part reaching villages."""
    leaves_under: dict[int, int] = defaultdict(int)
    levels: dict[int, dict] = {}
    for node in plan.nodes:
        level = levels.setdefault(node.level, {"level": Level(node.level).label, "units": 0, "amount": 0, "kept": 0})
        level["units"] += 1
        level["amount"] += node.amount
        level["kept"] += node.kept
        if node.level == plan.rule.target_level and node.parent is not None:
            top = node
            while top.parent is not None:
                top = top.parent
            leaves_under[id(top)] += 1
    top_fen = sum(n.amount for n in plan.top)
    rows = [{"name": n.name, "amount": plan.amount_of(n), "kept": to_yuan(n.kept), "villages": n.villages,
             "below": leaves_under.get(id(n), 0), "level": n.level} for n in plan.top[:TOP_ROWS]]
    return {
        "plan": plan, "rows": rows, "more": max(0, len(plan.top) - TOP_ROWS), "units": len(plan.nodes),
        "levels": [{**v, "amount": to_yuan(v["amount"]), "kept": to_yuan(v["kept"])}
                   for _level, v in sorted(levels.items())],
        "cascade": plan.rule.target_level > plan.unit.level + 1, "total": to_yuan(top_fen),
        "adds_up": top_fen == to_fen(plan.amount), "village_share": percent(plan.village_share, 2),
        "target": Level(plan.rule.target_level).label,
    }


def _allocate(request, unit, share):
    user = request.user
    today = timezone.localdate()
    leader = may_allocate_funds(user, unit.path)
    initial = {"year": today.year, "basis": Basis.WOMEN, "target_level": unit.level + 1,
               "pay_by": today + dt.timedelta(days=PAY_BY_DAYS), "kept": "0"}
    if share is not None:
        initial["title"] = share.allocation.title
    form = AllocationForm(request.POST or None, unit=unit, share=share, initial=initial)
    view, fingerprint, note, status = None, "", "", 200
    if request.method == "POST":
        status = 400
        confirm = request.POST.get("action") == "confirm"
        if form.is_valid():
            data = form.cleaned_data
            try:
                rule = rule_clean(unit, basis=data["basis"], target_level=data["target_level"],
                                  per_village=data["per_village"], floor_per_village=data["floor_per_village"],
                                  care_weight=data["care_weight"], level_keep=form.level_keep(),
                                  min_village_share=data.get("min_village_share"))
                year = share.allocation.year if share is not None else data["year"]
                plan = allocation_preview(actor=user, unit=unit, year=year, rule=rule, amount=data.get("amount"),
                                          from_share=share, kept=data.get("kept"), today=today)
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                view, fingerprint, status = _plan_view(plan), form.fingerprint(), 200
                if confirm and not leader:
                    note, status = _("只有本单位或上级的主席、副主席可以确认下达；工作人员可以预览方案。"), 403
                elif confirm and request.POST.get("previewed") != fingerprint:
                    note = _("方案有改动，请看过下面的预览再确认下达。")
                elif confirm:
                    try:
                        allocation = allocation_confirm(
                            actor=user, unit=unit, year=year, title=data["title"], rule=rule, pay_by=data["pay_by"],
                            amount=data.get("amount"), from_share=share, kept=data.get("kept"),
                            client_token=data["client_token"] or None)
                    except OutOfScope:
                        note, status = _("只有本单位或上级的主席、副主席可以确认下达；工作人员可以预览方案。"), 403
                    except ValidationError as exc:
                        errors_to_form(form, exc)
                        status = 400
                    else:
                        messages.success(request, _("已下达“%(title)s”，共%(amount)s元。")
                                         % {"title": allocation.title, "amount": allocation.amount})
                        url = reverse("funding_allocation", args=[allocation.pk])
                        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    context = {"unit": unit, "share": share, "form": form, "view": view, "fingerprint": fingerprint, "note": note,
               "leader": leader, "year": share.allocation.year if share is not None else today.year,
               "root": (share.allocation.root or share.allocation) if share is not None else None,
               "ancestors": ancestors_in_scope(user, unit),
               "here": _("往下分配") if share is not None else _("下达经费"),
               "action_url": request.path}
    if request.htmx:  # 预览 swaps the form and its plan in place (htmx swaps no 4xx answer)
        return render(request, "funding/_allocate_form.html", context)
    return render(request, "funding/allocate.html", context, status=status)


def _trail(share) -> list:
    """The shares from the top down to `share`, for the drill-down's breadcrumb."""
    trail = [share]
    while trail[0].parent_id is not None and len(trail) < Level.VILLAGE:
        trail.insert(0, trail[0].parent)
    return trail


@login_required
def allocation_detail(request, allocation_id: int):
    """An allocation: its rule, what it planned to reach villages, how far it has come, and its shares one level
    at a time (`?under=` a share: the shares below it), with 按分配拨付 for the unit that passes them on."""
    user = request.user
    allocation = access_allocation_by_id(user, allocation_id)
    under_id = param_int(request.GET, "under")
    under = None
    if under_id is not None:
        under = access_share_by_id(user, under_id)
        if under.allocation_id != allocation.pk:
            raise Http404("not a share of this allocation")
    rows = selectors.allocation_shares(allocation, under=under).order_by("unit_path")
    payer = under.unit if under is not None else allocation.unit
    can_pay = may_keep_funds(user, payer.path) and ledger.shares_to_pay(payer, allocation).exists()
    today = timezone.localdate()
    return render(request, "funding/allocation.html", {
        "allocation": allocation, "unit": allocation.unit, "year": allocation.year, "under": under,
        "trail": _trail(under) if under is not None else [], "page": page_of(request, rows, SHARES_PER_PAGE),
        "query": f"under={under.pk}" if under is not None else "",
        "progress": selectors.allocation_progress(allocation),
        "planned": percent(allocation.village_share, 2), "rollup": selectors.allocation_rollup(allocation),
        "level_keep": [(Level(int(k)).label, v) for k, v in sorted(allocation.level_keep.items())],
        "target": Level(allocation.target_level).label, "payer": payer, "can_pay": can_pay,
        "pay_form": PayForm(initial={"on_date": today}), "ancestors": ancestors_in_scope(user, allocation.unit),
        "here": allocation.title, "from_share": allocation.from_share,
        "root": allocation.root if allocation.root_id and allows(user, Action.VIEW, allocation.root.unit_path)
        else None,
    })


def _paid(request, payer, allocation, count: int) -> None:
    if not count:
        messages.info(request, _("没有待拨付的份额：已全部拨付。"))
        return
    messages.success(request, _("已按分配拨付给%(n)d个单位，等对方确认到账。") % {"n": count})
    balance = ledger.balance_of(payer)
    if balance < 0:
        messages.warning(request, _("拨付后%(name)s账上余额为%(balance)s元：超出已到账经费，请核对到账记录。")
                         % {"name": payer.federation_name, "balance": balance})


def _pay(request, payer, allocation) -> None:
    form = PayForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写拨付日期。"))
        return
    try:
        count = ledger.shares_pay(actor=request.user, unit=payer, allocation=allocation,
                                  on_date=form.cleaned_data["on_date"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        _paid(request, payer, allocation, count)


@login_required
@require_POST
def allocation_pay(request, allocation_id: int):
    """按分配拨付 of the allocation's top shares, by the allocating unit (a second tap pays nothing twice)."""
    allocation = access_allocation_by_id(request.user, allocation_id, need=Action.EDIT)
    _pay(request, allocation.unit, allocation)
    return redirect("funding_allocation", allocation_id=allocation.pk)


@login_required
@require_POST
def share_pay(request, share_id: int):
    """按分配拨付 of the shares below a unit in between of a cascade, by that unit."""
    share = access_share_by_id(request.user, share_id, need=Action.EDIT)
    _pay(request, share.unit, share.allocation)
    if allows(request.user, Action.VIEW, share.allocation.unit_path):
        return redirect(reverse("funding_allocation", args=[share.allocation_id]) + f"?under={share.pk}")
    return redirect(reverse("funding_unit", args=[share.unit_id]) + f"?year={share.allocation.year}")


@login_required
def population(request, unit_id: int):
    """下级人口数: the population of the unit's children for a year, which the per-head rule by population weighs."""
    user = request.user
    unit = access_unit_by_id(user, unit_id)
    can_edit = may_keep_funds(user, unit.path)
    if request.method == "POST" and not can_edit:
        raise Http404("may not enter population here")
    year = param_year(request.POST if request.method == "POST" else request.GET)
    units = units_to_enter(unit)
    entered = populations_of(units, year)
    form = PopulationForm(request.POST or None, units=units, entered=entered)
    status = 200
    if request.method == "POST":
        status = 400
        values = {}
        if form.is_valid():
            for child in units:
                name = f"p_{child.pk}"
                try:
                    values[child.pk] = population_clean(form.cleaned_data[name], label=child.name)
                except ValidationError as exc:
                    form.add_error(name, exc)
        if form.is_valid():
            changed = 0
            try:
                for child in units:
                    value = values.get(child.pk)
                    if value is not None and value != entered.get(child.pk):
                        population_set(actor=user, unit=child, year=year, population=value)
                        changed += 1
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("已保存%(n)d个单位的人口数。") % {"n": changed})
                return redirect(reverse("funding_population", args=[unit.pk]) + f"?year={year}")
    return render(request, "funding/population.html", {
        "unit": unit, "year": year, "years": list(reversed(year_range())), "form": form, "can_edit": can_edit,
        "ancestors": ancestors_in_scope(user, unit), "here": _("下级人口数")}, status=status)
