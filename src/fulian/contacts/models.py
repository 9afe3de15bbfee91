from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fulian.core.fields import SealedCharField, SealedTextField
from fulian.orgs.models import Level, PostKind


class LevelQuota(models.Model):
    """How many women a cadre of each level keeps in regular touch with (editable in data maintenance)."""

    level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices, unique=True)
    quota = models.PositiveIntegerField(_("联系人数"))

    class Meta:
        verbose_name = _("联系人数标准")
        verbose_name_plural = _("联系人数标准")

    def __str__(self):
        return f"{self.get_level_display()}: {self.quota}"


class StaffKindQuota(models.Model):
    """How many women a cadre of a staff type (专职/挂职/兼职/社工, from the named roster) keeps in touch with: where
    a type has a row, it replaces her level's quota ("每名专职、挂职和兼职妇联干部经常性联系一定数量的…妇女群众")."""

    kind = models.CharField(_("人员类别"), max_length=14, choices=PostKind.choices, unique=True)
    quota = models.PositiveIntegerField(_("联系人数"))

    class Meta:
        verbose_name = _("按人员类别的联系人数标准")
        verbose_name_plural = _("按人员类别的联系人数标准")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.quota}"


class Assignment(models.Model):
    """A cadre keeps in touch with a woman. A woman may have several cadres; ending keeps the history."""

    woman = models.ForeignKey("people.Woman", on_delete=models.PROTECT, related_name="assignments")
    cadre = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments",
                              verbose_name=_("联系干部"))
    assigned_on = models.DateField(_("开始联系"))
    ended_on = models.DateField(_("结束联系"), null=True, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        verbose_name = _("联系分工")
        verbose_name_plural = _("联系分工")
        constraints = [
            models.UniqueConstraint(fields=["woman", "cadre"], condition=models.Q(ended_on__isnull=True),
                                    name="one_active_assignment_per_pair"),
        ]
        indexes = [models.Index(fields=["cadre", "ended_on"])]

    def __str__(self):
        return f"{self.cadre} → {self.woman}"


class Channel(models.TextChoices):
    HOME_VISIT = "home_visit", _("上门走访")
    PHONE = "phone", _("电话")
    WECHAT = "wechat", _("微信")
    MEETING = "meeting", _("会议活动")
    FIELD_WEEK = "field_week", _("下基层工作周")


class NeedCategory(models.TextChoices):
    EMPLOYMENT = "employment", _("就业创业")
    LEGAL = "legal", _("法律维权")
    FAMILY = "family", _("婚姻家庭")
    HEALTH = "health", _("健康")
    CHILDREN = "children", _("子女教育")
    HARDSHIP = "hardship", _("生活困难")
    OTHER = "other", _("其他")


class NeedStatus(models.TextChoices):
    OPEN = "open", _("待解决")
    MET = "met", _("已解决")
    CASE = "case", _("已转服务个案")


class FieldWeek(models.Model):
    """双月下基层工作周: a unit's planned week in the field, its visits (contact logs) and its summary."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="field_weeks",
                             verbose_name=_("组织"))
    unit_path = models.CharField(max_length=64, db_index=True)
    title = models.CharField(_("主题"), max_length=100)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    participants = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="field_weeks",
                                          verbose_name=_("参加干部"))
    summary = models.TextField(_("工作小结"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("下基层工作周")
        verbose_name_plural = _("下基层工作周")
        ordering = ["-starts_on"]
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                              name="field_week_ends_after_start")]
        # the check of a two-month window asks, per unit, for a week that ends after the window opens
        indexes = [models.Index(fields=["unit", "ends_on"], name="field_week_unit_ends")]

    def __str__(self):
        return self.title


class FieldWeekReminder(models.Model):
    """A unit reminded that it held no field week in the two-month window starting `window_start`: one row per unit
    and window, so a second click, or the periodic check after a page's reminder, reminds nobody twice."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+")
    unit_path = models.CharField(max_length=64, db_index=True)
    window_start = models.DateField(_("双月起始"))
    reminded_at = models.DateTimeField(_("提醒时间"))
    reminded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        verbose_name = _("下基层工作周提醒")
        verbose_name_plural = _("下基层工作周提醒")
        constraints = [models.UniqueConstraint(fields=["unit", "window_start"], name="field_week_reminder_once")]

    def __str__(self):
        return f"{self.unit_id} {self.window_start}"


class ContactLog(models.Model):
    woman = models.ForeignKey("people.Woman", on_delete=models.PROTECT, related_name="contact_logs")
    cadre = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contact_logs",
                              verbose_name=_("联系干部"))
    unit_path = models.CharField(max_length=64)
    contacted_on = models.DateField(_("联系日期"))
    channel = models.CharField(_("方式"), max_length=12, choices=Channel.choices)
    views = SealedTextField(_("思想动态"), blank=True)
    help_given = SealedTextField(_("提供的帮助"), blank=True)
    follow_up_on = models.DateField(_("回访日期"), null=True, blank=True)
    field_week = models.ForeignKey(FieldWeek, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="contact_logs", verbose_name=_("下基层工作周"))
    client_token = models.CharField(max_length=40, null=True, blank=True, unique=True)
    moved_from = models.ForeignKey("people.Woman", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", help_text="set when a merge moved this log")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("联系记录")
        verbose_name_plural = _("联系记录")
        ordering = ["-contacted_on", "-id"]
        indexes = [models.Index(fields=["unit_path", "contacted_on"]), models.Index(fields=["cadre", "contacted_on"])]

    def __str__(self):
        return f"{self.contacted_on} {self.woman}"


class Need(models.Model):
    contact_log = models.ForeignKey(ContactLog, on_delete=models.PROTECT, related_name="needs")
    woman = models.ForeignKey("people.Woman", on_delete=models.PROTECT, related_name="needs")
    unit_path = models.CharField(max_length=64)
    category = models.CharField(_("需求类别"), max_length=12, choices=NeedCategory.choices)
    description = SealedCharField(_("需求"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=NeedStatus.choices, default=NeedStatus.OPEN)
    resolved_on = models.DateField(_("解决日期"), null=True, blank=True)
    resolution = SealedCharField(_("解决情况"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("需求")
        verbose_name_plural = _("需求")
        indexes = [models.Index(fields=["unit_path", "status", "category"])]

    def __str__(self):
        return f"{self.get_category_display()} {self.woman}"


class SyncState(models.TextChoices):
    APPLIED = "applied", _("已同步")
    NOTED = "noted", _("已同步（附说明）")


class SyncReceipt(models.Model):
    """What became of one item a cadre's phone queued offline (a contact, a need met, a help request), kept under
    the item's client token: the same item sent again (the answer was lost on a dropping line) gets the same answer
    and changes nothing. Only items that were applied are kept; a refused item stays on the phone to be corrected."""

    token = models.CharField(max_length=40, unique=True)
    cadre = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12)
    state = models.CharField(max_length=8, choices=SyncState.choices)
    message = models.CharField(max_length=300, blank=True)
    link = models.CharField(max_length=100, blank=True)
    made_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("离线同步回执")
        verbose_name_plural = _("离线同步回执")

    def __str__(self):
        return f"{self.kind} {self.token}"
