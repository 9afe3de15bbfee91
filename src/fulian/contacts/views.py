from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fulian.accounts.selectors import access_cadre_by_id
from fulian.core.burden import entry_accept
from fulian.core.excel import export_download
from fulian.core.hooks import hook_call
from fulian.core.middleware import session_ends_at
from fulian.core.panels import panels_for
from fulian.core.params import param_int
from fulian.core.policy import Action, allows, may_issue_work
from fulian.orgs.selectors import access_unit_by_id
from fulian.people.selectors import access_woman_by_id, women_of_unit

from . import offline, selectors, services
from .forms import ContactForm, FieldWeekForm, SpreadForm, SummaryForm
from .models import Channel, NeedCategory
from .services import window_of


@login_required
def today(request):
    """今日工作: her follow-ups, the women to contact and all her other women, each with what a visit records —
    usable offline on a phone (static/fulian/offline.js keeps a queue in the page; the service worker keeps this
    page): nothing on it is an ID number, a need's text or a case."""
    day = timezone.localdate()
    work = selectors.cadre_worklist(request.user, today=day)
    first = [*work["follow_ups"], *work["overdue_contacts"]]
    selectors.offline_needs_attach(first, request.user)
    others = selectors.cadre_offline_women(request.user, today=day, first=first)
    help_choices = next(iter(hook_call("visit.help_choices")), {"kinds": [], "urgencies": []})
    owner = offline.owner_key(request.user)
    ends = session_ends_at(request)
    response = render(request, "contacts/today.html", {
        "work": work, "others": others,
        "coverage": selectors.cadre_coverage(request.user, today=day),
        "sections": panels_for("today", request, None),
        "channels": [c for c in Channel.choices if c[0] != Channel.FIELD_WEEK],
        "categories": NeedCategory.choices, "help": help_choices,
        "owner": owner, "ends": int(ends) if ends else "", "max_age_days": offline.MAX_AGE_DAYS,
    })
    # the service worker files its copy of this page under her key and drops it after the session's absolute limit
    response["X-Fulian-Owner"] = owner
    response["X-Fulian-Ends"] = str(int(ends)) if ends else ""
    response["Cache-Control"] = "no-store"  # the worker keeps the one copy (deleted at sign-out), not the HTTP cache
    return response


def _contact_from_form(request, woman, form):
    data = form.cleaned_data
    week = None
    if data.get("field_week"):
        week = selectors.access_field_week_by_id(request.user, data["field_week"])
    needs = [(c, data.get("need_description", "")) for c in data.get("need_categories") or []]
    return services.contact_log_create(
        actor=request.user, woman=woman, contacted_on=data["contacted_on"], channel=data["channel"],
        today=timezone.localdate(), views=data.get("views", ""), help_given=data.get("help_given", ""),
        follow_up_on=data.get("follow_up_on"), needs=needs, field_week=week, client_token=data["client_token"],
        training_outcome=form.training_outcome(),
    )


@login_required
def contact_new(request, woman_id: int):
    woman = access_woman_by_id(request.user, woman_id)
    initial = {}
    week_id = param_int(request.GET, "field_week")
    if week_id is not None:
        week = selectors.access_field_week_by_id(request.user, week_id)
        initial = {"field_week": week.pk, "channel": "field_week"}
    day = timezone.localdate()
    weeks = selectors.field_weeks_for(request.user).filter(starts_on__lte=day, ends_on__gte=day - timedelta(days=14))
    # her completed trainings this contact may record an outcome of (activities answers, through the hook)
    trainings = next(iter(hook_call("training.outcome_choices", actor=request.user, woman=woman)), None)
    form = ContactForm(request.POST or None, initial=initial, weeks=weeks, trainings=trainings)
    if request.method == "POST" and form.is_valid():
        try:
            _contact_from_form(request, woman, form)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已记录与%(name)s的联系。") % {"name": woman.name})
            if request.htmx:
                entry_accept(request)  # the burden meter: an accepted save answered in place, not by a redirect
                return render(request, "contacts/_quick_done.html", {"woman": woman})
            return redirect("woman_detail", woman_id=woman.pk)
    if request.htmx:
        return render(request, "contacts/_quick_form.html", {"woman": woman, "form": form})
    return render(request, "contacts/contact_form.html", {"woman": woman, "form": form})


@login_required
@require_POST
def need_resolve(request, need_id: int):
    need = selectors.access_need_by_id(request.user, need_id, need=Action.EDIT)
    try:
        services.need_resolve(actor=request.user, need=need, resolution=request.POST.get("resolution", ""),
                              today=timezone.localdate())
        messages.success(request, _("需求已标记为已解决。"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("woman_detail", woman_id=need.woman_id)


@login_required
@require_POST
def assignment_add(request, woman_id: int):
    woman = access_woman_by_id(request.user, woman_id, need=Action.EDIT)
    cadre = access_cadre_by_id(request.user, request.POST.get("cadre"))
    try:
        _assignment, warning = services.assignment_create(actor=request.user, woman=woman, cadre=cadre,
                                                          today=timezone.localdate())
        messages.success(request, _("已指定%(cadre)s联系%(name)s。") % {"cadre": cadre, "name": woman.name})
        if warning:
            messages.warning(request, warning)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("woman_detail", woman_id=woman.pk)


@login_required
@require_POST
def assignment_end(request, assignment_id: int):
    assignment = selectors.access_assignment_by_id(request.user, assignment_id)
    try:
        services.assignment_end(actor=request.user, assignment=assignment, today=timezone.localdate())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("woman_detail", woman_id=assignment.woman_id)


@login_required
def assign_spread(request, unit_id: int):
    unit = access_unit_by_id(request.user, unit_id, need=Action.EDIT)
    cadres = selectors.cadres_for(request.user).filter(unit__path__in=_paths_above(unit))
    form = SpreadForm(request.POST or None, cadres=cadres)
    unassigned = women_of_unit(request.user, unit).filter(is_assigned=False).count()
    if request.method == "POST" and form.is_valid():
        women = women_of_unit(request.user, unit)
        try:
            result = services.assign_women_round_robin(actor=request.user, women=women,
                                                       cadres=list(form.cleaned_data["cadres"]),
                                                       today=timezone.localdate())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已分配%(n)d名妇女。") % {"n": result["assigned"]})
            for warning in result["warnings"]:
                messages.warning(request, warning)
            return redirect("unit_coverage", unit_id=unit.pk)
    return render(request, "contacts/assign_spread.html", {"unit": unit, "form": form, "unassigned": unassigned})


def _paths_above(unit):
    from fulian.core.tree import ancestor_paths

    return ancestor_paths(unit.path)


@login_required
def cadre_transfer(request, cadre_id: int):
    cadre = access_cadre_by_id(request.user, cadre_id, need=Action.EDIT)
    others = selectors.cadres_for(request.user).filter(unit__path__in=_paths_above(cadre.unit)).exclude(pk=cadre.pk)
    form = SpreadForm(request.POST or None, cadres=others)
    if request.method == "POST" and form.is_valid():
        result = services.assignments_transfer(actor=request.user, from_cadre=cadre,
                                               to_cadres=list(form.cleaned_data["cadres"]), today=timezone.localdate())
        messages.success(request, _("已把%(cadre)s联系的%(n)d名妇女转给其他干部。") % {
            "cadre": cadre, "n": result["assigned"]})
        for warning in result["warnings"]:
            messages.warning(request, warning)
        return redirect("unit_coverage", unit_id=cadre.unit_id)
    count = cadre.assignments.filter(ended_on__isnull=True).count()
    return render(request, "contacts/cadre_transfer.html", {"cadre": cadre, "form": form, "count": count})


@login_required
def unit_coverage(request, unit_id: int):
    unit = access_unit_by_id(request.user, unit_id)
    day = timezone.localdate()
    cadres = [(c, selectors.cadre_coverage(c, today=day)) for c in selectors.cadres_for(request.user, unit=unit)[:200]]
    return render(request, "contacts/unit_coverage.html", {
        "unit": unit, "coverage": selectors.unit_coverage(unit, today=day), "cadres": cadres,
        "can_edit": allows(request.user, Action.EDIT, unit.path),
    })


@login_required
def field_weeks(request):
    page = Paginator(selectors.field_weeks_for(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "contacts/field_weeks.html", {"page": page})


@login_required
def field_week_new(request, unit_id: int):
    unit = access_unit_by_id(request.user, unit_id, need=Action.EDIT)
    form = FieldWeekForm(request.POST or None, cadres=selectors.cadres_for(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            week = services.field_week_create(actor=request.user, unit=unit, title=data["title"],
                                              starts_on=data["starts_on"], ends_on=data["ends_on"],
                                              participants=data["participants"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("field_week_detail", week_id=week.pk)
    return render(request, "contacts/field_week_form.html", {"unit": unit, "form": form})


@login_required
def field_week_detail(request, week_id: int):
    week = selectors.access_field_week_by_id(request.user, week_id)
    form = SummaryForm(request.POST or None, initial={"summary": week.summary})
    if request.method == "POST":
        week = selectors.access_field_week_by_id(request.user, week_id, need=Action.EDIT)
        if form.is_valid():
            services.field_week_summarize(actor=request.user, week=week, summary=form.cleaned_data["summary"])
            messages.success(request, _("工作小结已保存。"))
            return redirect("field_week_detail", week_id=week.pk)
    return render(request, "contacts/field_week_detail.html", {
        "week": week, "form": form, **selectors.field_week_report(week),
        "can_edit": allows(request.user, Action.EDIT, week.unit_path),
    })


WINDOW_CHOICES = 12  # the current window and the eleven before it: two years


def _windows(today) -> list[tuple[str, str]]:
    out, start = [], window_of(today)[0]
    for _i in range(WINDOW_CHOICES):
        end = window_of(start)[1]
        out.append((start.strftime("%Y-%m"), f"{start:%Y}年{start.month}–{end.month}月"))
        start = window_of(start - timedelta(days=1))[0]
    return out


def _check_params(request, data):
    try:
        return selectors.field_week_check_params(request.user, level=data.get("level"), window=data.get("window", ""),
                                                 today=timezone.localdate())
    except ValidationError as exc:
        raise BadRequest(" ".join(exc.messages)) from None


@login_required
def field_week_check(request):
    """双月下基层工作周 check: the units of a level under hers that held none in a two-month window, with 提醒."""
    try:
        params = selectors.field_week_check_params(request.user, level=request.GET.get("level"),
                                                   window=request.GET.get("window", ""), today=timezone.localdate())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("field_week_check")
    units = selectors.units_without_field_week(request.user, **{k: params[k] for k in ("under", "level", "start",
                                                                                       "end")})
    page = Paginator(units, 50).get_page(request.GET.get("page"))
    return render(request, "contacts/field_week_check.html", {
        **params, "page": page, "windows": _windows(timezone.localdate()), "window": params["start"].strftime("%Y-%m"),
        "can_remind": may_issue_work(request.user, params["under"].path),
    })


@login_required
@require_POST
def field_week_check_remind(request):
    params = _check_params(request, request.POST)
    try:
        count = services.field_weeks_remind(actor=request.user, **{k: params[k] for k in ("under", "level", "start",
                                                                                          "end")})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已提醒%(n)d个单位。") % {"n": count} if count else
                         _("没有需要提醒的单位（这个双月已经提醒过的不再重复）。"))
    query = f"?level={params['level']}&window={params['start']:%Y-%m}"
    return redirect(reverse("field_week_check") + query)


@login_required
def field_week_check_export(request):
    params = _check_params(request, request.GET)
    units = selectors.units_without_field_week(request.user, **{k: params[k] for k in ("under", "level", "start",
                                                                                       "end")})
    rows = ([u.code, u.name, u.parent.name if u.parent_id else "", u.last_week_on, _("已提醒") if u.reminded else ""]
            for u in units.iterator(chunk_size=2000))
    label = f"{params['start']:%Y%m}-{params['end']:%m}"
    return export_download(
        actor=request.user, action="field_week.check_export", filename=f"未开展下基层工作周-{label}.xlsx",
        titles=[_("单位代码"), _("单位"), _("上级"), _("最近一次工作周结束"), _("提醒")], rows=rows,
        sheet_title=_("未开展工作周"), changes={"level": params["level"], "window": str(params["start"])})
