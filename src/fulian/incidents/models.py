"""维权事件: an infringement of women's rights that the federation learned of, the unit's actions with a clock from
the first report, and its public statements (portal articles on the publishing review's fast track). The women
concerned are linked through their cases, which stay need-to-know (cases.services.may_handle)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Severity(models.TextChoices):
    GENERAL = "general", _("一般")
    SERIOUS = "serious", _("较大")
    MAJOR = "major", _("重大")


class IncidentStatus(models.TextChoices):
    OPEN = "open", _("待响应")
    RESPONDING = "responding", _("处置中")
    CLOSED = "closed", _("已办结")


class ActionKind(models.TextChoices):
    STATEMENT = "statement", _("表明态度/发声")
    VISIT = "visit", _("走访当事人")
    AUTHORITIES = "authorities", _("联系有关部门")
    LEGAL_AID = "legal_aid", _("法律援助")
    COUNSELLING = "counselling", _("心理支持")
    OTHER = "other", _("其他")


class Incident(models.Model):
    """One incident of a unit. The clock starts at `reported_at` (first report); `statement_due` is fixed when the
    incident is recorded (first report + INCIDENT_STATEMENT_HOURS), so changing the setting moves no old deadline."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("责任单位"))
    unit_path = models.CharField(max_length=64, db_index=True)
    title = models.CharField(_("事件"), max_length=120)
    description = models.TextField(_("经过"), blank=True)
    place_unit = models.ForeignKey("orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("发生地（单位）"))
    place_text = models.CharField(_("发生地点"), max_length=200, blank=True)
    reported_at = models.DateTimeField(_("首次报告时间"))
    sources = models.JSONField(_("来源链接"), default=list, blank=True)
    severity = models.CharField(_("严重程度"), max_length=10, choices=Severity.choices, default=Severity.GENERAL)
    status = models.CharField(_("状态"), max_length=12, choices=IncidentStatus.choices, default=IncidentStatus.OPEN)
    outcome = models.TextField(_("处置结果"), blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    statement_due = models.DateTimeField(_("首次声明时限"))
    first_action_at = models.DateTimeField(_("首次行动时间"), null=True, blank=True)
    first_statement_at = models.DateTimeField(_("首次声明时间"), null=True, blank=True)
    chase_stage = models.PositiveSmallIntegerField(default=0)  # 1: reminded "due within 2 h"; 2: reminded "late"
    client_token = models.CharField(max_length=40, null=True, blank=True, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("登记时间"))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("维权事件")
        verbose_name_plural = _("维权事件")
        ordering = ["-reported_at", "-id"]
        indexes = [models.Index(fields=["unit_path", "reported_at"]), models.Index(fields=["status", "statement_due"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(statement_due__gte=models.F("reported_at")),
                                   name="incident_due_after_report"),
            models.CheckConstraint(condition=~models.Q(status="closed", closed_at__isnull=True),
                                   name="incident_closed_has_time"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status == IncidentStatus.CLOSED


class IncidentCase(models.Model):
    """A woman concerned, through her case: linked by someone who may handle that case."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="case_links")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    linked_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["incident", "case"], name="incident_case_once")]

    def __str__(self):
        return f"{self.incident_id} · {self.case_id}"


class IncidentAction(models.Model):
    """行动: what the unit did, and when (the hours since the first report are shown beside it)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="actions")
    unit_path = models.CharField(max_length=64, db_index=True)
    kind = models.CharField(_("行动"), max_length=12, choices=ActionKind.choices)
    text = models.TextField(_("内容"))
    at = models.DateTimeField(_("时间"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField()
    client_token = models.CharField(max_length=40, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("处置行动")
        verbose_name_plural = _("处置行动")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.incident_id}"


class IncidentStatement(models.Model):
    """A statement written from the incident: the article itself lives in the portal and goes through its review."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="statements")
    article = models.OneToOneField("portal.Article", on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=64, db_index=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.incident_id} · {self.article_id}"
