from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fulian.core.fields import SealedTextField


class CaseKind(models.TextChoices):
    DOMESTIC_VIOLENCE = "dv", _("家庭暴力")
    MEDIATION = "mediation", _("婚姻家庭纠纷调解")
    LEGAL_AID = "legal_aid", _("法律援助")
    PETITION = "petition", _("信访代理")
    ASSISTANCE = "assistance", _("困难帮扶救助")
    OTHER = "other", _("其他")


class Urgency(models.TextChoices):
    URGENT = "urgent", _("紧急")
    HIGH = "high", _("较急")
    NORMAL = "normal", _("一般")


class RiskLevel(models.TextChoices):
    """The handler's assessment of the danger she is in (domestic violence cases)."""

    LOW = "low", _("低")
    MEDIUM = "medium", _("中")
    HIGH = "high", _("高")


class CaseStatus(models.TextChoices):
    NEW = "new", _("待受理")
    IN_PROGRESS = "in_progress", _("办理中")
    PAUSED = "paused", _("暂缓")
    CLOSED = "closed", _("已办结")


class Source(models.TextChoices):
    PORTAL = "portal", _("网上求助")
    HOTLINE = "hotline", _("热线电话")
    WALK_IN = "walk_in", _("来访")
    CONTACT = "contact", _("联系走访中发现")
    API = "api", _("应用/小程序")


class DeadlineRule(models.Model):
    """How fast a case must see its first action and be resolved, by kind and urgency (data maintenance)."""

    kind = models.CharField(_("类别"), max_length=12, choices=CaseKind.choices)
    urgency = models.CharField(_("紧急程度"), max_length=8, choices=Urgency.choices)
    first_action_hours = models.PositiveIntegerField(_("首次响应时限(小时)"))
    resolve_days = models.PositiveIntegerField(_("办结时限(天)"))

    class Meta:
        verbose_name = _("办理时限")
        verbose_name_plural = _("办理时限")
        constraints = [models.UniqueConstraint(fields=["kind", "urgency"], name="deadline_rule_unique")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.get_urgency_display()}"


class Case(models.Model):
    """A request for help or a rights-protection case. Details and contacts are encrypted and shown only to its
    handlers and the leaders of its unit and the units above; every read of them is in the read log."""

    tracking_code = models.CharField(_("查询码"), max_length=12, unique=True)
    client_token = models.CharField(max_length=40, null=True, blank=True, unique=True)
    kind = models.CharField(_("类别"), max_length=12, choices=CaseKind.choices)
    urgency = models.CharField(_("紧急程度"), max_length=8, choices=Urgency.choices)
    status = models.CharField(_("状态"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.NEW)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("承办组织"), on_delete=models.PROTECT, related_name="cases")
    unit_path = models.CharField(max_length=64, db_index=True)
    home_unit = models.ForeignKey("orgs.Unit", verbose_name=_("所在村(社区)"), on_delete=models.PROTECT,
                                  related_name="+")
    escalations = models.PositiveSmallIntegerField(_("上报次数"), default=0)
    woman = models.ForeignKey("people.Woman", null=True, blank=True, on_delete=models.SET_NULL, related_name="cases")
    need = models.OneToOneField("contacts.Need", null=True, blank=True, on_delete=models.SET_NULL, related_name="case")
    is_anonymous = models.BooleanField(_("匿名"), default=False)
    account = models.ForeignKey("portal.WomanAccount", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="cases", help_text="her own account, when she asked while signed in")
    sealed = models.TextField(help_text="Fernet-encrypted JSON: description, contact name/phone/address, details")
    first_action_due = models.DateTimeField(_("首次响应时限"))
    resolve_due = models.DateTimeField(_("办结时限"))
    first_action_at = models.DateTimeField(_("首次响应"), null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    risk_level = models.CharField(_("风险等级"), max_length=8, choices=RiskLevel.choices, blank=True)
    outcome = SealedTextField(_("办理结果"), blank=True)
    outcome_public = SealedTextField(_("告知求助人的结果"), blank=True,
                                      help_text="what the handler chose to tell her: shown with her tracking code")
    satisfaction = models.PositiveSmallIntegerField(_("满意度"), null=True, blank=True)
    handlers = models.ManyToManyField(settings.AUTH_USER_MODEL, through="CaseHandler", related_name="handled_cases")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("个案")
        verbose_name_plural = _("个案")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "first_action_due"]), models.Index(fields=["unit_path", "status"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.tracking_code}"

    @property
    def tracking_display(self) -> str:
        """The code as she reads it aloud or copies it: ABCDE-FGHJK (spaces, dashes and case are ignored)."""
        code = self.tracking_code
        return f"{code[:5]}-{code[5:]}" if len(code) > 5 else code

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED


class CaseHandler(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    assigned_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="case_handler_unique")]

    def __str__(self):
        return f"{self.user} ← {self.case}"


class TimelineEntry(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    action = models.CharField(max_length=20)
    text = SealedTextField(blank=True)
    is_public = models.BooleanField(default=False, help_text="shown to the woman with her tracking code")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class Partner(models.Model):
    class Kind(models.TextChoices):
        LEGAL_AID = "legal_aid", _("法律援助中心")
        POLICE = "police", _("公安派出所")
        COURT = "court", _("法院")
        SHELTER = "shelter", _("庇护所")
        CIVIL_AFFAIRS = "civil_affairs", _("民政部门")
        HOSPITAL = "hospital", _("医院")
        SOCIAL_ORG = "social_org", _("社会组织")

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="partners")
    unit_path = models.CharField(max_length=64, db_index=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类别"), max_length=14, choices=Kind.choices)
    phone = models.CharField(_("电话"), max_length=20, blank=True)
    email = models.EmailField(_("邮箱"), blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("合作单位")
        verbose_name_plural = _("合作单位")

    def __str__(self):
        return self.name


class Referral(models.Model):
    class Status(models.TextChoices):
        SENT = "sent", _("已转介，待确认")
        RECEIVED = "received", _("对方已接收")
        DONE = "done", _("已办结")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="referrals")
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.SENT)
    ack_code = models.CharField(max_length=24, unique=True)
    sent_at = models.DateTimeField()
    chase_at = models.DateTimeField(help_text="next reminder while unacknowledged")
    chases = models.PositiveSmallIntegerField(default=0)
    received_at = models.DateTimeField(null=True, blank=True)
    outcome = SealedTextField(_("结果"), blank=True)

    def __str__(self):
        return f"{self.case} → {self.partner}"
