"""Tasks (工作任务) sent down the tree on the dispatch mechanism, the report forms they ask for, and the reports
the receiving units submit. A report's computed fields come from the figure registry (core.figures); only what
the records cannot know is typed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fulian.core.storage import PrivateStorage


class ReportTemplate(models.Model):
    """A report form: its fields in order. Kept by the unit that made it (and usable by units below it)."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属单位"))
    unit_path = models.CharField(max_length=64, db_index=True)
    name = models.CharField(_("报表名称"), max_length=100)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("报表模板")
        verbose_name_plural = _("报表模板")

    def __str__(self):
        return self.name


class FieldKind(models.TextChoices):
    COMPUTED = "computed", _("系统计算")
    NUMBER = "number", _("填写数字")
    TEXT = "text", _("填写文字")
    FILE = "file", _("上传照片或文件(可选)")


class Aggregate(models.TextChoices):
    SUM = "sum", _("求和")
    MAX = "max", _("取最大")
    MIN = "min", _("取最小")
    NONE = "none", _("不汇总")


class ReportField(models.Model):
    template = models.ForeignKey(ReportTemplate, on_delete=models.CASCADE, related_name="fields")
    position = models.PositiveSmallIntegerField(default=0)
    key = models.SlugField(max_length=40)
    label = models.CharField(_("栏目"), max_length=100)
    kind = models.CharField(_("类型"), max_length=10, choices=FieldKind.choices)
    figure = models.CharField(_("数据来源"), max_length=60, blank=True)
    aggregate = models.CharField(_("上级汇总"), max_length=6, choices=Aggregate.choices, default=Aggregate.SUM)
    required = models.BooleanField(_("必填"), default=False)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["template", "key"], name="report_field_key_unique"),
            # a photo or file is never required: forced photo evidence is what the 减负 rules forbid
            models.CheckConstraint(condition=~models.Q(kind="file", required=True), name="report_file_never_required"),
            models.CheckConstraint(condition=~models.Q(kind="computed", figure=""), name="computed_field_has_figure"),
        ]

    def __str__(self):
        return self.label

    @property
    def is_computed(self) -> bool:
        return self.kind == FieldKind.COMPUTED


class Task(models.Model):
    """The content of a task: the dispatch holds who sent it, to whom, by when, and each recipient's state."""

    dispatch = models.OneToOneField("dispatch.Dispatch", on_delete=models.CASCADE, primary_key=True,
                                    related_name="task")
    unit_path = models.CharField(max_length=64, db_index=True)
    body = models.TextField(_("任务内容"), blank=True)
    period_start = models.PositiveIntegerField(_("统计起始月"))  # YYYYMM
    period_end = models.PositiveIntegerField(_("统计截止月"))
    template = models.ForeignKey(ReportTemplate, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="tasks", verbose_name=_("报表"))

    class Meta:
        verbose_name = _("工作任务")
        verbose_name_plural = _("工作任务")
        constraints = [models.CheckConstraint(condition=models.Q(period_start__lte=models.F("period_end")),
                                              name="task_period_in_order")]

    def __str__(self):
        return self.dispatch.title


class Attachment(models.Model):
    """A task's attachment, or a file a unit added to its report (kept privately, served through a scoped view)."""

    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    report = models.ForeignKey("Report", null=True, blank=True, on_delete=models.CASCADE, related_name="files")
    field_key = models.CharField(max_length=40, blank=True)
    file = models.FileField(upload_to="work/%Y/%m/", storage=PrivateStorage())
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        constraints = [models.CheckConstraint(
            condition=models.Q(task__isnull=False, report__isnull=True) | models.Q(task__isnull=True,
                                                                                  report__isnull=False),
            name="attachment_of_task_or_report")]

    def __str__(self):
        return self.name


class Report(models.Model):
    """A receiving unit's submitted report: computed values frozen with their as-of time beside what was typed.
    Later records never change it; the page shows the difference."""

    recipient = models.OneToOneField("dispatch.Recipient", on_delete=models.CASCADE, related_name="report")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=64, db_index=True)
    computed = models.JSONField(default=dict)  # field key -> value as of `as_of`
    entered = models.JSONField(default=dict)  # field key -> what the unit typed (or its children's aggregate)
    as_of = models.DateTimeField()
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    computed_count = models.PositiveSmallIntegerField(default=0)  # fields filled by the system (the burden meter)
    typed_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("报表")
        verbose_name_plural = _("报表")

    def __str__(self):
        return f"{self.task} · {self.unit}"



class PrioritySet(models.Model):
    """工作重点: what a unit sets, for a year, as the priorities of the level below it; every unit under it of that
    level sees them (工作台, unit page), and a unit sees those of all its ancestors for the year. Editing replaces
    the items and bumps `version` (a stale edit is a conflict); the audit keeps each version's items."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("确定单位"))
    unit_path = models.CharField(max_length=64, db_index=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    target_level = models.PositiveSmallIntegerField(_("适用层级"))
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("工作重点")
        verbose_name_plural = _("工作重点")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="priorities_one_per_unit_year"),
            models.CheckConstraint(condition=models.Q(year__gte=2000, year__lte=2100), name="priorities_year_range"),
        ]
        indexes = [models.Index(fields=["year", "unit_path"], name="priorities_year_path")]

    def __str__(self):
        return f"{self.unit} {self.year}"


class PriorityItem(models.Model):
    priorities = models.ForeignKey(PrioritySet, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("工作重点"), max_length=200)
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("相关任务"))

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.text
