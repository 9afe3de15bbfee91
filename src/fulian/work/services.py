"""Tasks and reports: issue a task down the tree (dispatch_send), report on it with the computed fields filled
from the figure registry, freeze a submitted report with its as-of time, and aggregate children's reports."""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.core.audit import audit_record
from fulian.core.errors import Conflict
from fulian.core.figures import figure_get, figure_values
from fulian.core.policy import Action, OutOfScope, allows, may_issue_work
from fulian.core.uploads import DOCUMENTS, PHOTOS, attachment_check
from fulian.core.writes import write_path
from fulian.dispatch.models import Recipient, RecipientState
from fulian.dispatch.services import dispatch_chase, dispatch_remind, dispatch_send, recipient_complete
from fulian.orgs.models import Level, Unit

from .models import (
    Aggregate,
    Attachment,
    FieldKind,
    PriorityItem,
    PrioritySet,
    Report,
    ReportField,
    ReportTemplate,
    Task,
)

KIND = "task"
MAX_ATTACHMENTS = 10
MAX_NUMBER = Decimal(10**12)
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def recipient_link() -> str:
    """The address of a unit's copy of a task with "{recipient}" where its id goes: the link every reminder carries."""
    return reverse("recipient_detail", kwargs={"recipient_id": 0}).replace("/0/", "/{recipient}/")


def task_remind(*, actor, task, parent: Recipient | None = None, now=None) -> int:
    """催办: the issuer reminds her recipients not done, or a delegating unit (`parent`) the units it handed down to."""
    return dispatch_remind(actor=actor, dispatch=task.dispatch, parent=parent, link=recipient_link(), now=now)


def tasks_chase(*, now=None) -> dict:
    """Periodic: every late unit reminded once a day, linking to its copy (dispatch_chase)."""
    return dispatch_chase(kind=KIND, now=now, link=recipient_link())


def report_template_create(*, actor, unit: Unit, name: str, fields: list[dict], now=None) -> ReportTemplate:
    """A report form: `fields` are {key, label, kind, figure (computed), aggregate, required} in order."""
    now = now or timezone.now()
    if not allows(actor, Action.EDIT, unit.path):
        raise OutOfScope("not her unit")
    name = (name or "").strip()
    if not name or not fields:
        raise ValidationError(_("请填写报表名称和至少一个栏目。"))
    rows, keys = [], set()
    for position, spec in enumerate(fields):
        key, kind = str(spec.get("key", "")).strip(), spec.get("kind")
        if not _KEY.match(key) or key in keys:
            raise ValidationError(_("栏目代码“%(key)s”无效或重复（小写字母开头，字母数字下划线）。")
                                  % {"key": key[:40]})
        if kind not in FieldKind.values:
            raise ValidationError(_("栏目“%(key)s”的类型无效。") % {"key": key})
        figure = str(spec.get("figure", "") or "")
        if kind == FieldKind.COMPUTED and figure_get(figure) is None:
            raise ValidationError(_("栏目“%(key)s”的数据来源“%(figure)s”不存在。")
                                  % {"key": key, "figure": figure[:60]})
        required = bool(spec.get("required")) and kind in (FieldKind.NUMBER, FieldKind.TEXT)
        aggregate = spec.get("aggregate") or (Aggregate.SUM if kind == FieldKind.NUMBER else Aggregate.NONE)
        if aggregate not in Aggregate.values:
            raise ValidationError(_("栏目“%(key)s”的汇总方式无效。") % {"key": key})
        keys.add(key)
        rows.append(ReportField(position=position, key=key, label=str(spec.get("label") or key)[:100], kind=kind,
                                figure=figure if kind == FieldKind.COMPUTED else "", aggregate=aggregate,
                                required=required))
    with write_path():
        template = ReportTemplate.objects.create(unit=unit, unit_path=unit.path, name=name[:100], created_by=actor,
                                                 created_at=now)
        for row in rows:
            row.template = template
        ReportField.objects.bulk_create(rows)
        audit_record(actor=actor, action="report_template.create", obj=template, now=now)
    return template


def task_issue(*, actor, unit: Unit, title: str, body: str, deadline: dt.datetime, period_start: int,
               period_end: int, template: ReportTemplate | None = None, level: int | None = None,
               units: list[Unit] | None = None, attachments=(), now=None) -> Task:
    """工作任务: sent to every unit of `level` below `unit` (or the picked `units`), with its report form."""
    now = now or timezone.now()
    if not may_issue_work(actor, unit.path):
        raise OutOfScope("may not issue here")
    if not (190001 <= period_start <= period_end <= 299912) or period_start % 100 not in range(1, 13) or \
            period_end % 100 not in range(1, 13):
        raise ValidationError(_("统计期间无效：起始月不能晚于截止月。"))
    if template is not None and not unit.path.startswith(template.unit_path):
        raise ValidationError(_("只能使用本单位或上级单位的报表模板。"))
    attachments = list(attachments)
    if len(attachments) > MAX_ATTACHMENTS:
        raise ValidationError(_("附件最多%(n)d个。") % {"n": MAX_ATTACHMENTS})
    types = [attachment_check(f, kinds=DOCUMENTS) for f in attachments]
    with write_path():
        dispatch = dispatch_send(actor=actor, kind=KIND, unit=unit, title=title, deadline=deadline, level=level,
                                 units=units, now=now)
        task = Task.objects.create(dispatch=dispatch, unit_path=unit.path, body=(body or "").strip(),
                                   period_start=period_start, period_end=period_end, template=template)
        for upload, content_type in zip(attachments, types, strict=True):
            Attachment.objects.create(task=task, file=upload, name=upload.name[:200], size=upload.size,
                                      content_type=content_type, uploaded_by=actor, uploaded_at=now)
    return task


def _number(raw, label: str):
    text = str(raw).strip().replace(",", "")
    if text == "":
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("“%(label)s”须填写数字。") % {"label": label}) from None
    if not value.is_finite() or value < 0:
        raise ValidationError(_("“%(label)s”不能是负数。") % {"label": label})
    if value >= MAX_NUMBER:
        raise ValidationError(_("“%(label)s”的数字太大。") % {"label": label})
    return int(value) if value == value.to_integral_value() else float(value)


def _aggregate(rule: str, values: list):
    values = [v for v in values if isinstance(v, int | float)]
    if not values or rule == Aggregate.NONE:
        return None
    return {Aggregate.SUM: sum, Aggregate.MAX: max, Aggregate.MIN: min}[rule](values)


def children_totals(recipient: Recipient, fields: list[ReportField]) -> tuple[dict, int, int]:
    """({key: aggregate of the submitted children's reports}, reported, delegated to) for a delegating unit."""
    children = list(Recipient.objects.filter(parent=recipient).values_list("pk", flat=True))
    reports = list(Report.objects.filter(recipient_id__in=children).values_list("entered", "computed"))
    totals = {}
    for f in fields:
        if f.kind == FieldKind.NUMBER:
            totals[f.key] = _aggregate(f.aggregate, [entered.get(f.key) for entered, _c in reports])
    return totals, len(reports), len(children)


def _frozen(value):
    """A figure as a report keeps it: money (an exact Decimal of yuan) as its text, so JSON holds it exactly."""
    return str(value) if isinstance(value, Decimal) else value


def report_prefill(recipient: Recipient) -> dict:
    """What the report form opens with: every computed field filled for the unit's subtree and the task's period,
    and, for a unit that delegated, its children's numbers aggregated by the template's rule."""
    task = recipient.dispatch.task
    fields = list(task.template.fields.all()) if task.template else []
    keys = [f.figure for f in fields if f.is_computed]
    values = figure_values([recipient.unit_id], keys, start=task.period_start, end=task.period_end).get(
        recipient.unit_id, {})
    delegated = recipient.state == RecipientState.DELEGATED or recipient.children.exists()
    totals, reported, sent = children_totals(recipient, fields) if delegated else ({}, 0, 0)
    rows = []
    for f in fields:
        figure = figure_get(f.figure) if f.is_computed else None
        rows.append({
            "field": f,
            "value": values.get(f.figure) if f.is_computed else totals.get(f.key),
            "source": (figure.source or figure.label) if figure else "",
            "from_children": f.kind == FieldKind.NUMBER and delegated and f.aggregate != Aggregate.NONE,
        })
    return {"rows": rows, "as_of": timezone.now(), "delegated": delegated, "children_reported": reported,
            "children_sent": sent}


def report_submit(*, actor, recipient: Recipient, entered: dict, files: dict | None = None, version: int | None = None,
                  now=None) -> Report:
    """填报: the computed values are frozen as of now, beside what she typed; for a unit that delegated, its
    children's aggregated numbers are taken as they stand. Completes the unit's part of the task in the same
    transaction; a closed task, a negative number or a bad file saves nothing."""
    now = now or timezone.now()
    files = files or {}
    task = Task.objects.select_related("template").get(pk=recipient.dispatch_id)
    fields = list(task.template.fields.all()) if task.template else []
    prefill = report_prefill(recipient)
    computed, typed, types = {}, {}, {}
    for row in prefill["rows"]:
        f = row["field"]
        if f.is_computed:
            computed[f.key] = _frozen(row["value"])
        elif row["from_children"]:
            typed[f.key] = row["value"]
        elif f.kind == FieldKind.NUMBER:
            typed[f.key] = _number(entered.get(f.key, ""), f.label)
        elif f.kind == FieldKind.TEXT:
            typed[f.key] = str(entered.get(f.key, "") or "").strip()[:2000]
        if f.required and typed.get(f.key) in (None, "") and not row["from_children"]:
            raise ValidationError(_("请填写“%(label)s”。") % {"label": f.label})
    for f in fields:
        if f.kind == FieldKind.FILE and files.get(f.key) is not None:
            types[f.key] = attachment_check(files[f.key], kinds=PHOTOS + ("pdf",))
    unknown = set(files) - {f.key for f in fields if f.kind == FieldKind.FILE}
    if unknown:
        raise ValidationError(_("这份报表没有可以上传文件的栏目“%(key)s”。") % {"key": sorted(unknown)[0][:40]})
    made = {}

    def freeze(locked: Recipient) -> None:
        made["report"] = Report.objects.create(
            recipient=locked, task=task, unit_id=locked.unit_id, unit_path=locked.unit_path, computed=computed,
            entered=typed, as_of=now, submitted_at=now, submitted_by=actor, computed_count=len(computed),
            typed_count=sum(1 for f in fields if f.kind in (FieldKind.NUMBER, FieldKind.TEXT, FieldKind.FILE)
                            and not (f.kind == FieldKind.NUMBER and prefill["delegated"]
                                     and f.aggregate != Aggregate.NONE)))
        for key, upload in files.items():
            if upload is not None:
                Attachment.objects.create(report=made["report"], field_key=key, file=upload, name=upload.name[:200],
                                          size=upload.size, content_type=types[key], uploaded_by=actor,
                                          uploaded_at=now)
        audit_record(actor=actor, action="report.submit", obj=made["report"], now=now)

    with write_path():
        recipient_complete(actor=actor, recipient=recipient, version=version, now=now, before_done=freeze)
    return made["report"]


def task_complete(*, actor, recipient: Recipient, version: int | None = None, now=None) -> Recipient:
    """完成 a task that asks for no report."""
    task = Task.objects.select_related("template").get(pk=recipient.dispatch_id)
    if task.template_id is not None:
        raise ValidationError(_("这项任务需要填报报表，请先填报。"))
    return recipient_complete(actor=actor, recipient=recipient, version=version, now=now)


def report_differences(report: Report) -> list[dict]:
    """The computed fields whose records have changed since the report was submitted: frozen vs now."""
    fields = list(report.task.template.fields.filter(kind=FieldKind.COMPUTED)) if report.task.template else []
    now_values = figure_values([report.unit_id], [f.figure for f in fields], start=report.task.period_start,
                               end=report.task.period_end).get(report.unit_id, {})
    out = []
    for f in fields:
        then, current = report.computed.get(f.key), _frozen(now_values.get(f.figure))
        if then != current:
            out.append({"field": f, "submitted": then, "now": current})
    return out


MAX_PRIORITIES = 20


def priorities_set(*, actor, unit: Unit, year: int, items: list[dict], version: int | None = None,
                   now=None) -> PrioritySet:
    """工作重点: a leader of `unit` (or above) sets its priorities for the level below it for `year` — `items` are
    {text, task} in order (a task issued by the unit or above, optional). Setting again replaces them and needs the
    version she edited (`version`); a stale one (someone saved in between) is a Conflict and writes nothing."""
    now = now or timezone.now()
    if not may_issue_work(actor, unit.path):
        raise OutOfScope("may not set priorities here")
    if unit.level >= Level.VILLAGE:
        raise ValidationError(_("村(社区)没有下级，不需要确定下级的工作重点。"), code="priorities_no_level_below")
    if not 2000 <= int(year) <= 2100:
        raise ValidationError(_("年度不正确。"), code="priorities_year")
    rows = []
    for spec in items:
        text = " ".join(str(spec.get("text") or "").split())
        task = spec.get("task")
        if not text:
            if task is not None:
                raise ValidationError(_("关联了任务的一条工作重点没有填写内容。"), code="priorities_text")
            continue
        if len(text) > 200:
            raise ValidationError(_("每条工作重点不超过200字。"), code="priorities_long")
        if task is not None and not unit.path.startswith(task.unit_path):
            raise ValidationError(_("只能关联本单位或上级下发的任务。"), code="priorities_task")
        rows.append(PriorityItem(position=len(rows), text=text, task=task))
    if not rows:
        raise ValidationError(_("请至少填写一条工作重点。"), code="priorities_empty")
    if len(rows) > MAX_PRIORITIES:
        raise ValidationError(_("工作重点最多%(n)d条。") % {"n": MAX_PRIORITIES}, code="priorities_many")
    stale = Conflict(_("工作重点已被他人修改，请刷新后在最新内容上修改。"), code="priorities_stale")
    try:
        with write_path():
            current = PrioritySet.objects.select_for_update().filter(unit=unit, year=year).first()
            if current is None:
                if version:
                    raise stale
                priorities = PrioritySet.objects.create(unit=unit, unit_path=unit.path, year=year,
                                                        target_level=unit.level + 1, version=1, updated_at=now,
                                                        updated_by=actor)
            else:
                if version != current.version:
                    raise stale
                PrioritySet.objects.filter(pk=current.pk).update(version=current.version + 1, updated_at=now,
                                                                 updated_by=actor)
                current.items.all().delete()
                priorities = PrioritySet.objects.get(pk=current.pk)
            for row in rows:
                row.priorities = priorities
            PriorityItem.objects.bulk_create(rows)
            audit_record(actor=actor, action="priorities.set", obj=priorities, now=now, changes={
                "year": year, "version": priorities.version,
                "items": [[r.text, r.task_id] for r in rows]})
    except IntegrityError:  # two first versions at once: the other one is saved
        raise stale from None
    return priorities
