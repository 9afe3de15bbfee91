"""Supervision pages: parse, one access function, one service or selector, render. The rules (who forms a team,
who records a visit, who closes an item) are the services' (supervision.services, dispatch.services)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fulian.core.excel import export_download
from fulian.core.params import param_int
from fulian.core.policy import Action, may_act_for_unit, may_issue_work
from fulian.dispatch.models import Recipient
from fulian.work.panels import clock, with_clocks

from . import selectors, services
from .forms import CloseForm, FindingFormSet, TeamForm, VisitForm

LIST_ROWS = 50


@login_required
def supervision_home(request):
    unit = getattr(request.user, "unit", None)
    return render(request, "supervision/home.html", {
        "teams": selectors.teams_for(request.user)[:LIST_ROWS],
        "items": with_clocks(selectors.rectifications_of_unit(request.user)[:LIST_ROWS]),
        "visited": selectors.visits_to(request.user).exclude(team__unit_path__in=[unit.path] if unit else [])
        [:LIST_ROWS],
        "can_form": unit is not None and may_issue_work(request.user, unit.path),
    })


@login_required
def team_new(request):
    unit = getattr(request.user, "unit", None)
    if unit is None or not may_issue_work(request.user, unit.path):
        raise Http404("may not form a team")
    form = TeamForm(request.POST or None, cadres=selectors.cadres_for_team(unit),
                    units=selectors.region_choices(unit))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            team = services.team_create(actor=request.user, unit=unit, name=data["name"],
                                        members=list(data["members"]), regions=list(data["regions"]))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("督导组已组建。"))
            return redirect("supervision_team", team_id=team.pk)
    return render(request, "supervision/team_form.html", {"form": form, "unit": unit})


@login_required
def team_detail(request, team_id: int):
    team = selectors.access_team_by_id(request.user, team_id)
    return render(request, "supervision/team_detail.html", {
        "team": team, "members": team.members.select_related("unit").order_by("unit__path", "username"),
        "regions": selectors.items_by_region(team), "visits": selectors.visits_of(team)[:LIST_ROWS],
        "units": selectors.region_units(team),
        "can_record": services.may_record_visit(request.user, team),
    })


@login_required
def team_items(request, team_id: int):
    """Open items by region: per region, open / late / done and the list."""
    team = selectors.access_team_by_id(request.user, team_id)
    return render(request, "supervision/team_items.html", {"team": team, "regions": selectors.items_by_region(team)})


@login_required
def team_items_export(request, team_id: int):
    team = selectors.access_team_by_id(request.user, team_id)
    rows = []
    for region in selectors.items_by_region(team):
        for row in region["rows"]:
            item = row["item"]
            finding = item.dispatch.finding
            rows.append([region["region"].name, item.unit.name, finding.visit.visited_on.isoformat(), finding.text,
                         timezone.localtime(item.deadline).strftime("%Y-%m-%d"),
                         _("已完成") if item.is_done else _("未完成"), _("是") if row["late"] else _("否"),
                         timezone.localtime(item.done_at).strftime("%Y-%m-%d %H:%M") if item.done_at else "",
                         finding.note])
    return export_download(
        actor=request.user, action="rectification.export", filename=f"整改事项-{team.name[:60]}.xlsx",
        titles=[_("包片地区"), _("被督导单位"), _("督导日期"), _("发现问题"), _("整改期限"), _("状态"), _("逾期"),
                _("完成时间"), _("整改情况")],
        rows=rows, sheet_title=_("整改事项"), changes={"team": team.pk})


@login_required
def visit_new(request, team_id: int):
    team = selectors.access_team_by_id(request.user, team_id)
    if not services.may_record_visit(request.user, team):
        raise Http404("not a member")
    unit_id = param_int(request.GET, "unit")
    if unit_id is None:
        under = selectors.region_unit(team, param_int(request.GET, "under"))
        units = selectors.region_units(team, under=under)
        up = selectors.region_unit(team, under.parent_id) if under is not None else None
        return render(request, "supervision/visit_pick.html", {"team": team, "units": units, "under": under,
                                                                "up": up})
    unit = selectors.region_unit(team, unit_id)
    if unit is None:
        raise Http404("not in the team's regions")
    tasks = selectors.region_tasks(unit)
    form = VisitForm(request.POST or None, tasks=tasks)
    findings = FindingFormSet(request.POST or None, prefix="finding")
    if request.method == "POST" and form.is_valid() and findings.is_valid():
        data = form.cleaned_data
        checked = list(Recipient.objects.filter(pk__in=data["checked"]).select_related("dispatch"))
        try:
            visit = services.visit_record(
                actor=request.user, team=team, unit=unit, visited_on=data["visited_on"], places=data["places"],
                summary=data["summary"], checked=checked,
                findings=[(f["text"], f["due_on"]) for f in findings.cleaned_data if f and f.get("text")],
                client_token=data["client_token"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("督导检查已记录，发现的问题已下发整改。"))
            return redirect("supervision_visit", visit_id=visit.pk)
    return render(request, "supervision/visit_form.html", {
        "team": team, "unit": unit, "form": form, "findings": findings, "tasks": tasks})


@login_required
def visit_detail(request, visit_id: int):
    visit = selectors.access_visit_by_id(request.user, visit_id)
    now = timezone.now()
    return render(request, "supervision/visit_detail.html", {
        "visit": visit, "items": [{"item": r, "clock": clock(r.deadline, now)}
                                  for r in selectors.items_of_visit(visit)],
        "checked": selectors.checked_of(visit),
    })


@login_required
def rectification_detail(request, rectification_id: int, form=None):
    item = selectors.access_rectification_by_id(request.user, rectification_id)
    can_act = item.dispatch.is_open and not item.is_done and may_act_for_unit(request.user, item.unit_path)
    return render(request, "supervision/rectification_detail.html", {
        "item": item, "finding": item.dispatch.finding, "clock": clock(item.deadline),
        "late": item.is_late(timezone.now()), "can_act": can_act,
        "form": form or (CloseForm() if can_act else None),
    })


@login_required
@require_POST
def rectification_close(request, rectification_id: int):
    item = selectors.access_rectification_by_id(request.user, rectification_id, need=Action.EDIT)
    form = CloseForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.rectification_close(actor=request.user, recipient=item, note=form.cleaned_data["note"],
                                         evidence=form.cleaned_data["evidence"],
                                         version=param_int(request.POST, "version"))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("整改已完成。"))
            return redirect("rectification_detail", rectification_id=item.pk)
    return rectification_detail(request, item.pk, form=form)


@login_required
def rectification_evidence(request, rectification_id: int):
    item = selectors.access_rectification_by_id(request.user, rectification_id)
    finding = item.dispatch.finding
    if not finding.evidence:
        raise Http404("no file")
    return FileResponse(finding.evidence.open("rb"), as_attachment=True, filename=finding.evidence_name,
                        content_type=finding.evidence_type)
