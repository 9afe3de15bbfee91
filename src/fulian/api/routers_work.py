"""Tasks sent down the tree and the reports units submit: the same selectors and services as the pages. A task's
attachments are added on its page (multipart) and downloaded there; the API lists them."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from fulian.core.figures import figures_defined
from fulian.core.policy import Action, allows
from fulian.dispatch import services as dispatch
from fulian.orgs.selectors import access_unit_by_id, unit_home_for, units_for
from fulian.work import selectors, services

from .pagination import CappedPagination
from .schemas import ErrorOut
from .schemas_work import (
    CompleteIn,
    CompletionOut,
    DelegateIn,
    DelegateOut,
    FigureOut,
    PrioritiesIn,
    PrioritiesOut,
    RecipientOut,
    RecipientRowOut,
    RemindOut,
    ReportIn,
    ReportOut,
    ReportTemplateIn,
    ReportTemplateOut,
    TaskIn,
    TaskOut,
    TaskRowOut,
)

router = Router(tags=["tasks"])


def _own_unit(request, unit_id):
    """The unit named, if she may edit there; else her own unit (404 for an account without one)."""
    if unit_id:
        return access_unit_by_id(request.auth, unit_id, need=Action.EDIT)
    unit = unit_home_for(request.auth)
    if unit is None:
        raise Http404("unit")
    return unit


def _units(request, ids):
    """Picked units she may see, all of them or 404 (the service then checks they are below the sender)."""
    if ids is None:
        return None
    units = list(units_for(request.auth).filter(pk__in=set(ids)))
    if len(units) != len(set(ids)):
        raise Http404("unit")
    return units


def _aware(moment):
    """A deadline without an offset is read in the server's time zone (Asia/Shanghai)."""
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _totals(request, task):
    if not allows(request.auth, Action.VIEW, task.unit_path):
        return None
    return selectors.completion(task, at=task.dispatch.unit)["totals"]


def _task(request, task):
    task.totals = _totals(request, task)
    return task


def _recipient(request, recipient):
    """The copy as RecipientOut: its row, the task's content and the report form as it opens."""
    recipient = selectors.access_recipient_by_id(request.auth, recipient.pk)
    prefill = services.report_prefill(recipient)
    task = recipient.dispatch.task
    report = selectors.report_of(recipient)
    recipient.body, recipient.period_start, recipient.period_end = task.body, task.period_start, task.period_end
    recipient.attachments = list(task.attachments.all())
    recipient.prefill = [{"key": row["field"].key, "label": row["field"].label, "kind": row["field"].kind,
                          "required": row["field"].required, "value": row["value"], "data_source": str(row["source"]),
                          "from_children": row["from_children"]} for row in prefill["rows"]]
    recipient.as_of, recipient.delegated = prefill["as_of"], prefill["delegated"]
    recipient.children_sent, recipient.children_reported = prefill["children_sent"], prefill["children_reported"]
    recipient.delegated_copies = [
        {"recipient_id": c["recipient"].pk, "unit_id": c["recipient"].unit_id, "unit_name": c["recipient"].unit.name,
         "state": c["recipient"].state, "late": c["late"], "reported": c["reported"]}
        for c in selectors.delegated_children(recipient)]
    recipient.report_id = report.pk if report else None
    return recipient


def _report(report):
    return {"id": report.pk, "recipient_id": report.recipient_id, "task_id": report.task_id,
            "unit_id": report.unit_id, "as_of": report.as_of, "submitted_at": report.submitted_at,
            "computed": report.computed, "entered": report.entered, "files": list(report.files.all()),
            "differences": [{"key": d["field"].key, "label": d["field"].label, "submitted": d["submitted"],
                             "now": d["now"]} for d in services.report_differences(report)]}


@router.get("/figures", response=list[FigureOut])
def figures_list(request):
    """The figure registry: what a computed report field may name as its `figure`."""
    return [{"key": f.key, "label": str(f.label), "kind": f.kind, "data_source": str(f.source or f.label)}
            for f in figures_defined()]


@router.get("/report-templates", response=list[ReportTemplateOut])
@paginate(CappedPagination)
def report_templates_list(request):
    """Report forms your unit may use: made by it or a unit above it."""
    return selectors.templates_usable(request.auth).prefetch_related("fields")


@router.post("/report-templates", response={201: ReportTemplateOut, 400: ErrorOut, 404: ErrorOut})
def report_template_create(request, payload: ReportTemplateIn):
    unit = _own_unit(request, payload.unit_id)
    template = services.report_template_create(actor=request.auth, unit=unit, name=payload.name,
                                               fields=[f.dict() for f in payload.fields])
    return Status(201, template)


@router.get("/tasks", response=list[TaskRowOut])
@paginate(CappedPagination)
def tasks_list(request):
    """Tasks issued by units in your scope, newest first."""
    return selectors.tasks_issued(request.auth)


@router.post("/tasks", response={201: TaskOut, 400: ErrorOut, 404: ErrorOut})
def task_issue(request, payload: TaskIn):
    """Send a task to every unit of `level` below the issuer, or to the picked `unit_ids` (chairs and vice-chairs).
    Attachments are added on the task's page."""
    unit = _own_unit(request, payload.unit_id)
    template = None
    if payload.template_id:
        template = selectors.templates_usable(request.auth).filter(pk=payload.template_id).first()
        if template is None:
            raise Http404("template")
    task = services.task_issue(actor=request.auth, unit=unit, title=payload.title, body=payload.body,
                               deadline=_aware(payload.deadline), period_start=payload.period_start,
                               period_end=payload.period_end, template=template, level=payload.level,
                               units=_units(request, payload.unit_ids))
    return Status(201, _task(request, selectors.access_task_by_id(request.auth, task.pk)))


@router.get("/tasks/received", response=list[RecipientRowOut])
@paginate(CappedPagination)
def recipients_list(request, open: bool = False):
    """Your unit's copies of tasks, newest first; `open`: only those still to do, soonest deadline first."""
    return selectors.tasks_to_do(request.auth) if open else selectors.tasks_received(request.auth)


@router.get("/tasks/{task_id}", response={200: TaskOut, 404: ErrorOut})
def task_get(request, task_id: int):
    return _task(request, selectors.access_task_by_id(request.auth, task_id))


@router.get("/tasks/{task_id}/completion", response={200: CompletionOut, 404: ErrorOut})
def task_completion(request, task_id: int, unit_id: int | None = None):
    """How the task stands at a unit (default the issuer): its totals and one row per child unit."""
    task = selectors.access_task_by_id(request.auth, task_id)
    at = access_unit_by_id(request.auth, unit_id or task.dispatch.unit_id)
    page = selectors.completion(task, at=at)
    return {"task_id": task.pk, "unit_id": at.pk, "totals": page["totals"],
            "rows": [{"unit_id": row["unit"].pk, "unit_name": row["unit"].name, "rollup": row["rollup"],
                      "recipient_id": row["recipient"].pk if "recipient" in row else None,
                      **{k: row[k] for k in ("total", "done", "done_late", "open", "late", "percent")}}
                     for row in page["rows"]]}


@router.post("/tasks/{task_id}/remind", response={200: RemindOut, 400: ErrorOut, 404: ErrorOut})
def task_remind(request, task_id: int):
    """催办: every first recipient not done gets a notice (not twice within an hour)."""
    task = selectors.access_task_by_id(request.auth, task_id)
    return {"reminded": services.task_remind(actor=request.auth, task=task)}


@router.post("/tasks/{task_id}/close", response={200: TaskOut, 404: ErrorOut, 409: ErrorOut})
def task_close(request, task_id: int):
    """No more reports or completions; what was done stays. Closing a closed task answers 409."""
    task = selectors.access_task_by_id(request.auth, task_id)
    dispatch.dispatch_close(actor=request.auth, dispatch=task.dispatch)
    return _task(request, selectors.access_task_by_id(request.auth, task_id))


@router.get("/tasks/received/{recipient_id}", response={200: RecipientOut, 404: ErrorOut})
def recipient_get(request, recipient_id: int):
    """A unit's copy with its report form as it opens: computed values filled from the records."""
    return _recipient(request, selectors.access_recipient_by_id(request.auth, recipient_id))


@router.post("/tasks/received/{recipient_id}/acknowledge", response={200: RecipientOut, 400: ErrorOut,
                                                                    404: ErrorOut})
def recipient_acknowledge(request, recipient_id: int):
    """签收 (a second time changes nothing)."""
    recipient = selectors.access_recipient_by_id(request.auth, recipient_id, need=Action.EDIT)
    return _recipient(request, dispatch.recipient_acknowledge(actor=request.auth, recipient=recipient))


@router.post("/tasks/received/{recipient_id}/remind", response={200: RemindOut, 400: ErrorOut, 404: ErrorOut})
def recipient_remind(request, recipient_id: int):
    """催办下级: every unit this copy was handed down to and that is not done gets a notice (not twice within an
    hour)."""
    recipient = selectors.access_recipient_by_id(request.auth, recipient_id, need=Action.EDIT)
    return {"reminded": services.task_remind(actor=request.auth, task=recipient.dispatch.task, parent=recipient)}


@router.post("/tasks/received/{recipient_id}/delegate", response={200: DelegateOut, 400: ErrorOut, 404: ErrorOut})
def recipient_delegate(request, recipient_id: int, payload: DelegateIn):
    """转下级: the task forks to every unit of `level` below the receiving unit, or to the picked `unit_ids`."""
    recipient = selectors.access_recipient_by_id(request.auth, recipient_id, need=Action.EDIT)
    sent = dispatch.recipient_delegate(actor=request.auth, recipient=recipient, level=payload.level,
                                       units=_units(request, payload.unit_ids))
    return {"sent": sent, "recipient": selectors.access_recipient_by_id(request.auth, recipient_id)}


@router.post("/tasks/received/{recipient_id}/report", response={201: ReportOut, 400: ErrorOut, 404: ErrorOut,
                                                                409: ErrorOut})
def report_submit(request, recipient_id: int, payload: ReportIn):
    """填报: computed values are frozen as of now beside what is typed, and the unit's part is done. A negative
    number, a missing required field or a closed task answers 400 and saves nothing; a second report 409."""
    recipient = selectors.access_recipient_by_id(request.auth, recipient_id, need=Action.EDIT)
    report = services.report_submit(actor=request.auth, recipient=recipient, entered=payload.entered,
                                    version=payload.version)
    return Status(201, _report(report))


@router.post("/tasks/received/{recipient_id}/complete", response={200: RecipientOut, 400: ErrorOut, 404: ErrorOut,
                                                                  409: ErrorOut})
def recipient_complete(request, recipient_id: int, payload: CompleteIn):
    """完成 a task that asks for no report (one with a report form is completed by submitting it)."""
    recipient = selectors.access_recipient_by_id(request.auth, recipient_id, need=Action.EDIT)
    return _recipient(request, services.task_complete(actor=request.auth, recipient=recipient,
                                                      version=payload.version))


@router.get("/tasks/received/{recipient_id}/report", response={200: ReportOut, 404: ErrorOut})
def report_get(request, recipient_id: int):
    """The submitted report as frozen, and the computed fields whose records changed since."""
    report = selectors.report_of(selectors.access_recipient_by_id(request.auth, recipient_id))
    if report is None:
        raise Http404("no report yet")
    return _report(report)



@router.get("/priorities", response=list[PrioritiesOut], tags=["tasks"])
@paginate(CappedPagination)
def priorities_list(request, year: int | None = Query(None, ge=2000, le=2100)):
    """工作重点 she may read: set by units of her scope, and by her unit's ancestors (what her unit works to)."""
    if year is not None and not 2000 <= year <= 2100:
        raise ValidationError(_("年度不正确。"))
    return selectors.priorities_visible(request.auth, year=year)


@router.get("/priorities/{priorities_id}", response={200: PrioritiesOut, 404: ErrorOut})
def priorities_get(request, priorities_id: int):
    return selectors.access_priorities_by_id(request.auth, priorities_id)


@router.put("/units/{unit_id}/priorities", response={200: PrioritiesOut, 400: ErrorOut, 404: ErrorOut,
                                                      409: ErrorOut})
def priorities_set(request, unit_id: int, payload: PrioritiesIn):
    """A leader sets her unit's priorities of `year` for the level below it; editing sends the `version` she read
    (a stale one answers 409 and saves nothing)."""
    unit = access_unit_by_id(request.auth, unit_id)
    items = []
    for item in payload.items:
        task = selectors.access_task_by_id(request.auth, item.task_id) if item.task_id else None
        items.append({"text": item.text, "task": task})
    priorities = services.priorities_set(actor=request.auth, unit=unit, year=payload.year, items=items,
                                         version=payload.version)
    return selectors.access_priorities_by_id(request.auth, priorities.pk)
