"""Pages of 维权事件: parse, one access function, one service or selector, render. The rules (who may record, link a
case, write a statement; the clock; the deadline) are incidents.services'."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fulian.core.excel import export_download
from fulian.core.params import param_int
from fulian.core.policy import Action, allows
from fulian.orgs.selectors import access_unit_by_id, unit_home_for

from . import selectors, services
from .forms import ActionForm, CaseLinkForm, CloseForm, IncidentForm, StatementForm
from .models import IncidentStatus

LIST_ROWS = 100
EXPORT_ROWS = 20000
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _own_unit(request):
    unit = unit_home_for(request.user)
    if unit is None:
        raise Http404("no unit")
    return unit


def _month(request, name: str) -> int | None:
    raw = (request.GET.get(name) or "").strip()
    if not raw:
        return None
    match = _MONTH.match(raw)
    if not match or not 1 <= int(match.group(2)) <= 12 or not 1900 <= int(match.group(1)) <= 2999:
        raise BadRequest(f"parameter {name!r} must be a month like 2026-03")
    return int(match.group(1)) * 100 + int(match.group(2))


def _status(request) -> str:
    status = request.GET.get("status", "")
    if status and status != "active" and status not in IncidentStatus.values:
        raise BadRequest("unknown status")
    return status


@login_required
def incident_list(request):
    unit = unit_home_for(request.user)
    status = _status(request)
    now = timezone.now()
    rows = selectors.incidents_for(request.user, status=status)[:LIST_ROWS]
    return render(request, "incidents/incident_list.html", {
        "rows": [{"incident": i, "clock": selectors.statement_clock(i, now=now)} for i in rows],
        "status": status, "statuses": IncidentStatus.choices,
        "can_record": unit is not None and allows(request.user, Action.EDIT, unit.path),
    })


@login_required
def incident_new(request):
    unit = _own_unit(request)
    if not allows(request.user, Action.EDIT, unit.path):
        raise Http404("may not record here")
    form = IncidentForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            incident = services.incident_create(
                actor=request.user, unit=unit, title=data["title"], reported_at=data["reported_at"],
                description=data["description"], place_unit=data["place_unit"], place_text=data["place_text"],
                sources=data["sources"], severity=data["severity"], client_token=data["token"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("维权事件已登记，响应计时从首次报告时间开始。"))
            return redirect("incident_detail", incident_id=incident.pk)
    return render(request, "incidents/incident_form.html", {"form": form, "unit": unit, "incident": None})


@login_required
def incident_edit(request, incident_id: int):
    incident = selectors.access_incident_by_id(request.user, incident_id, need=Action.EDIT)
    initial = {"title": incident.title, "reported_at": timezone.localtime(incident.reported_at),
               "severity": incident.severity, "place_unit": incident.place_unit, "place_text": incident.place_text,
               "description": incident.description, "sources": "\n".join(incident.sources),
               "version": incident.version}
    form = IncidentForm(request.POST or None, unit=incident.unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.incident_update(
                actor=request.user, incident=incident, version=data["version"], title=data["title"],
                reported_at=data["reported_at"], description=data["description"], place_unit=data["place_unit"],
                place_text=data["place_text"], sources=data["sources"], severity=data["severity"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("incident_detail", incident_id=incident.pk)
    return render(request, "incidents/incident_form.html", {"form": form, "unit": incident.unit,
                                                           "incident": incident})


def _detail(request, incident, *, action_form=None, statement_form=None, case_form=None, close_form=None,
            status=200):
    now = timezone.now()
    services.incidents_statement_sync(incidents=type(incident).objects.filter(pk=incident.pk), now=now)
    incident.refresh_from_db()
    can_edit = allows(request.user, Action.EDIT, incident.unit_path)
    statements = list(selectors.statements_of(incident))
    current = statements[0] if statements else None
    if statement_form is None and can_edit:
        initial = {"category": "notice", "title": _("关于“%(title)s”的声明") % {"title": incident.title[:100]}}
        if current is not None and current.article.status in ("draft", "withdrawn"):
            initial = {"category": current.article.category, "title": current.article.title,
                       "body": current.article.body}
        statement_form = StatementForm(initial=initial)
    return render(request, "incidents/incident_detail.html", {
        "incident": incident, "clock": selectors.statement_clock(incident, now=now),
        "first_action_hours": selectors.hours_since(incident.reported_at, incident.first_action_at)
        if incident.first_action_at else None,
        "actions": selectors.actions_with_clock(incident),
        "cases": selectors.linked_cases(request.user, incident),
        "statements": statements, "latest": current,
        "can_edit": can_edit and not incident.is_closed,
        "action_form": action_form or ActionForm(),
        "statement_form": statement_form,
        "case_form": case_form or CaseLinkForm(),
        "close_form": close_form or CloseForm(initial={"version": incident.version}),
        "statement_hours": services.statement_hours(),
    }, status=status)


@login_required
def incident_detail(request, incident_id: int):
    incident = selectors.access_incident_by_id(request.user, incident_id)
    return _detail(request, incident)


@login_required
@require_POST
def incident_action(request, incident_id: int):
    incident = selectors.access_incident_by_id(request.user, incident_id, need=Action.EDIT)
    form = ActionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.action_add(actor=request.user, incident=incident, kind=data["kind"], text=data["text"],
                                at=data["at"], client_token=data["token"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("行动已记录。"))
            return redirect("incident_detail", incident_id=incident.pk)
    return _detail(request, incident, action_form=form, status=400)


@login_required
@require_POST
def incident_statement(request, incident_id: int):
    incident = selectors.access_incident_by_id(request.user, incident_id, need=Action.EDIT)
    form = StatementForm(request.POST)
    submit = request.POST.get("submit") != "draft"
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.statement_save(actor=request.user, incident=incident, title=data["title"], body=data["body"],
                                    category=data["category"], submit=submit)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("声明已提交审核，审核人已收到通知。") if submit else _("声明草稿已保存。"))
            return redirect("incident_detail", incident_id=incident.pk)
    return _detail(request, incident, statement_form=form, status=400)


@login_required
@require_POST
def incident_case_link(request, incident_id: int):
    incident = selectors.access_incident_by_id(request.user, incident_id, need=Action.EDIT)
    form = CaseLinkForm(request.POST)
    if form.is_valid():
        try:
            case = services.case_find(request.user, form.cleaned_data["case"])
            services.case_link(actor=request.user, incident=incident, case=case)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("个案已关联。"))
            return redirect("incident_detail", incident_id=incident.pk)
    return _detail(request, incident, case_form=form, status=400)


@login_required
@require_POST
def incident_close(request, incident_id: int):
    incident = selectors.access_incident_by_id(request.user, incident_id, need=Action.EDIT)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.incident_close(actor=request.user, incident=incident, outcome=form.cleaned_data["outcome"],
                                    version=form.cleaned_data["version"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("事件已办结。"))
            return redirect("incident_detail", incident_id=incident.pk)
    return _detail(request, incident, close_form=form, status=400)


@login_required
def statement_queue(request):
    now = timezone.now()
    return render(request, "incidents/statement_queue.html", {
        "rows": [{"statement": s, "clock": selectors.statement_clock(s.incident, now=now)}
                 for s in selectors.statements_awaiting(request.user)],
    })


@login_required
def incident_rollup(request):
    unit_id = param_int(request.GET, "unit")
    unit = access_unit_by_id(request.user, unit_id) if unit_id is not None else _own_unit(request)
    start, end = _month(request, "start"), _month(request, "end")
    if start and end and start > end:
        raise BadRequest("start after end")
    return render(request, "incidents/rollup.html", {
        "rollup": selectors.incidents_rollup(request.user, unit=unit, start=start, end=end),
        "start": request.GET.get("start", ""), "end": request.GET.get("end", ""),
        "statement_hours": services.statement_hours(),
    })


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


@login_required
def incident_export(request):
    """Excel of incidents in her scope: times and counts only, never a linked case's details."""
    status = _status(request)
    rows = selectors.with_statement_time(selectors.incidents_for(request.user, status=status))[:EXPORT_ROWS]

    def line(i):
        on_time = "" if i.statement_at is None else (_("按时") if i.statement_at <= i.statement_due else _("逾期"))
        return [i.unit.name, i.title, i.place_unit.name if i.place_unit else "", i.place_text,
                i.get_severity_display(), i.get_status_display(), _local(i.reported_at), _local(i.first_action_at),
                selectors.hours_since(i.reported_at, i.first_action_at) if i.first_action_at else "",
                _local(i.statement_due), _local(i.statement_at), on_time, i.case_count, "\n".join(i.sources),
                i.outcome]

    return export_download(
        actor=request.user, action="incident.export", filename="维权事件.xlsx",
        titles=[_("单位"), _("事件"), _("发生地（单位）"), _("具体地点"), _("严重程度"), _("状态"), _("首次报告时间"),
                _("首次行动时间"), _("首次行动用时(小时)"), _("声明时限"), _("首次声明时间"), _("声明是否按时"),
                _("关联个案(件)"), _("来源链接"), _("处置结果")],
        rows=(line(i) for i in rows), sheet_title=_("维权事件"), changes={"status": status})
