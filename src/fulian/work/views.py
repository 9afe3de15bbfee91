"""Pages of tasks and reports: parse, one access function, one service or selector, render. The rules (who may
issue, report, remind; what a report may hold) are the services' (work.services, dispatch.services)."""

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
from fulian.core.policy import Action, allows, may_act_for_unit, may_issue_work
from fulian.dispatch import services as dispatch_services
from fulian.orgs.models import Level
from fulian.orgs.selectors import access_unit_by_id

from . import selectors, services
from .forms import DelegateForm, ReportForm, TaskForm, TemplateFieldFormSet, TemplateForm
from .models import FieldKind
from .panels import clock, with_clocks

LIST_ROWS = 50


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _own_unit(request):
    unit = getattr(request.user, "unit", None)
    if unit is None:
        raise Http404("no unit")
    return unit


@login_required
def task_list(request):
    unit = getattr(request.user, "unit", None)
    now = timezone.now()
    return render(request, "work/task_list.html", {
        "todo": with_clocks(selectors.tasks_to_do(request.user)[:LIST_ROWS], now),
        "issued": selectors.tasks_issued(request.user)[:LIST_ROWS],
        "received": selectors.tasks_received(request.user)[:LIST_ROWS],
        "can_issue": unit is not None and may_issue_work(request.user, unit.path),
    })


@login_required
def task_new(request):
    unit = _own_unit(request)
    if not may_issue_work(request.user, unit.path):
        raise Http404("may not issue work")
    form = TaskForm(request.POST or None, request.FILES or None, unit=unit,
                    templates=selectors.templates_usable(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            picked = selectors.units_named(unit, data["units"]) if data["units"].strip() else None
            task = services.task_issue(
                actor=request.user, unit=unit, title=data["title"], body=data["body"], deadline=data["deadline"],
                period_start=data["period_start"], period_end=data["period_end"], template=data["template"],
                level=None if picked else data["level"], units=picked, attachments=data["attachments"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("任务已下发给%(n)d个单位。") % {"n": task.dispatch.recipient_count})
            return redirect("task_detail", task_id=task.pk)
    return render(request, "work/task_form.html", {"form": form, "unit": unit})


def _period(task) -> str:
    start, end = task.period_start, task.period_end
    return f"{start // 100}-{start % 100:02d} – {end // 100}-{end % 100:02d}"


def _task_page(request, task, at):
    dispatch = task.dispatch
    return render(request, "work/task_detail.html", {
        "task": task, "dispatch": dispatch, "clock": clock(dispatch.deadline), "period": _period(task),
        "completion": selectors.completion(task, at=at) if at is not None else None,
        "attachments": task.attachments.all(),
        "fields": task.template.fields.all() if task.template_id else [],
        "levels": [lv for lv in Level if lv.value > dispatch.unit.level],
        "can_issue": dispatch.is_open and may_issue_work(request.user, task.unit_path),
        "print": request.GET.get("print") == "1",
        "mine": selectors.recipient_for_unit(task, request.user.unit) if request.user.unit_id else None,
    })


@login_required
def task_detail(request, task_id: int):
    task = selectors.access_task_by_id(request.user, task_id)
    issuer_side = allows(request.user, Action.VIEW, task.unit_path)
    return _task_page(request, task, task.dispatch.unit if issuer_side else None)


@login_required
def task_completion(request, task_id: int, unit_id: int):
    task = selectors.access_task_by_id(request.user, task_id)
    at = access_unit_by_id(request.user, unit_id)
    if not at.path.startswith(task.unit_path):
        raise Http404("not under the issuer")
    return _task_page(request, task, at)


@login_required
@require_POST
def task_remind(request, task_id: int):
    """催办 everyone not done: the issuer's recipients, or (with `recipient`) those a delegating unit sent to."""
    task = selectors.access_task_by_id(request.user, task_id)
    parent_id = param_int(request.POST, "recipient")
    parent = None
    if parent_id is not None:
        parent = selectors.access_recipient_by_id(request.user, parent_id, need=Action.EDIT)
        if parent.dispatch_id != task.pk:
            raise Http404("not this task's recipient")
    try:
        count = services.task_remind(actor=request.user, task=task, parent=parent)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("已催办%(n)d个未完成的单位。") % {"n": count} if count else
                         _("没有需要催办的单位（一小时内已催办过的不再重复）。"))
    if parent is not None:
        return redirect("recipient_detail", recipient_id=parent.pk)
    return redirect("task_detail", task_id=task.pk)


@login_required
@require_POST
def task_close(request, task_id: int):
    task = selectors.access_task_by_id(request.user, task_id)
    try:
        dispatch_services.dispatch_close(actor=request.user, dispatch=task.dispatch)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("任务已关闭。"))
    return redirect("task_detail", task_id=task.pk)


def _safe_name(title: str) -> str:
    return "".join("_" if c in '/\\:*?"<>|' else c for c in title)[:80]


def _report_value(report, field):
    if field.kind == FieldKind.COMPUTED:
        return report.computed.get(field.key)
    if field.kind == FieldKind.FILE:
        return "、".join(f.name for f in report.files.all() if f.field_key == field.key)
    return report.entered.get(field.key)


@login_required
def task_export(request, task_id: int):
    task = selectors.access_task_by_id(request.user, task_id)
    level = param_int(request.GET, "level", lo=task.dispatch.unit.level + 1, hi=Level.VILLAGE)
    if level is None:
        level = task.dispatch.target_level or task.dispatch.unit.level + 1
    fields = list(task.template.fields.all()) if task.template_id else []
    reports = selectors.reports_at_level(request.user, task, level=level).prefetch_related("files")
    rows = ([r.unit.code, r.unit.name, timezone.localtime(r.submitted_at).strftime("%Y-%m-%d %H:%M"),
             *[_report_value(r, f) for f in fields]] for r in reports.iterator(chunk_size=500))
    return export_download(
        actor=request.user, action="task.export",
        filename=f"{_safe_name(task.dispatch.title)}-{Level(level).label}.xlsx",
        titles=[_("单位代码"), _("单位"), _("提交时间"), *[f.label for f in fields]], rows=rows,
        sheet_title=str(Level(level).label), changes={"task": task.pk, "level": level})


def _recipient_page(request, recipient, *, form=None, delegate_form=None):
    task = recipient.dispatch.task
    report = selectors.report_of(recipient)
    can_act = recipient.dispatch.is_open and may_act_for_unit(request.user, recipient.unit_path)
    if form is None and can_act and not recipient.is_done and task.template_id:
        form = ReportForm(rows=services.report_prefill(recipient)["rows"])
    return render(request, "work/recipient_detail.html", {
        "recipient": recipient, "task": task, "dispatch": recipient.dispatch, "clock": clock(recipient.deadline),
        "period": _period(task),
        "report": report,
        "values": [{"field": f, "value": _report_value(report, f),
                    "files": [a for a in report.files.all() if a.field_key == f.key]}
                   for f in task.template.fields.all()] if report and task.template_id else [],
        "differences": services.report_differences(report) if report else [],
        "children": selectors.delegated_children(recipient),
        "attachments": task.attachments.all(),
        "can_act": can_act,
        "delegate_form": delegate_form or (DelegateForm(unit=recipient.unit) if recipient.unit.level < Level.VILLAGE
                                           else None),
    })


@login_required
def recipient_detail(request, recipient_id: int):
    recipient = selectors.access_recipient_by_id(request.user, recipient_id)
    return _recipient_page(request, recipient)


@login_required
@require_POST
def recipient_acknowledge(request, recipient_id: int):
    recipient = selectors.access_recipient_by_id(request.user, recipient_id, need=Action.EDIT)
    try:
        dispatch_services.recipient_acknowledge(actor=request.user, recipient=recipient)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("已签收。"))
    return redirect("recipient_detail", recipient_id=recipient.pk)


@login_required
@require_POST
def recipient_delegate(request, recipient_id: int):
    recipient = selectors.access_recipient_by_id(request.user, recipient_id, need=Action.EDIT)
    form = DelegateForm(request.POST, unit=recipient.unit)
    if form.is_valid():
        try:
            count = dispatch_services.recipient_delegate(actor=request.user, recipient=recipient,
                                                         level=form.cleaned_data["level"])
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("已转给%(n)d个下级单位。") % {"n": count})
    else:
        messages.error(request, _("请选择转给哪一级。"))
    return redirect("recipient_detail", recipient_id=recipient.pk)


@login_required
def recipient_report(request, recipient_id: int):
    recipient = selectors.access_recipient_by_id(request.user, recipient_id,
                                                 need=Action.EDIT if request.method == "POST" else Action.VIEW)
    if recipient.dispatch.task.template_id is None or recipient.is_done:
        return redirect("recipient_detail", recipient_id=recipient.pk)
    prefill = services.report_prefill(recipient)
    form = ReportForm(request.POST or None, request.FILES or None, rows=prefill["rows"])
    if request.method == "POST" and form.is_valid():
        try:
            services.report_submit(actor=request.user, recipient=recipient, entered=form.entered(),
                                   files=form.uploads(), version=param_int(request.POST, "version"))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("报表已提交。"))
            return redirect("recipient_detail", recipient_id=recipient.pk)
    return render(request, "work/report_form.html", {
        "recipient": recipient, "task": recipient.dispatch.task, "form": form, "prefill": prefill,
        "clock": clock(recipient.deadline), "period": _period(recipient.dispatch.task),
        "can_act": recipient.dispatch.is_open and may_act_for_unit(request.user, recipient.unit_path),
    })


@login_required
@require_POST
def recipient_complete(request, recipient_id: int):
    recipient = selectors.access_recipient_by_id(request.user, recipient_id, need=Action.EDIT)
    try:
        services.task_complete(actor=request.user, recipient=recipient, version=param_int(request.POST, "version"))
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("已完成。"))
    return redirect("recipient_detail", recipient_id=recipient.pk)


@login_required
def attachment_download(request, attachment_id: int):
    attachment = selectors.access_attachment_by_id(request.user, attachment_id)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name,
                        content_type=attachment.content_type)


@login_required
def template_list(request):
    return render(request, "work/template_list.html", {
        "templates": selectors.templates_usable(request.user).prefetch_related("fields")[:LIST_ROWS],
    })


@login_required
def template_new(request):
    unit = _own_unit(request)
    if not allows(request.user, Action.EDIT, unit.path):
        raise Http404("not her unit")
    form = TemplateForm(request.POST or None)
    rows = TemplateFieldFormSet(request.POST or None, prefix="f")
    if request.method == "POST" and form.is_valid() and rows.is_valid():
        fields = [r for r in rows.cleaned_data if r and (r.get("key") or "").strip()]
        try:
            template = services.report_template_create(actor=request.user, unit=unit, name=form.cleaned_data["name"],
                                                       fields=fields)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("报表模板“%(name)s”已保存。") % {"name": template.name})
            return redirect("template_list")
    return render(request, "work/template_form.html", {"form": form, "rows": rows, "unit": unit})
