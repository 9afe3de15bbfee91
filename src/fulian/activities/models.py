"""Activities, trainings and brand projects (活动、培训、品牌项目).

An Activity belongs to a unit and happens in one or more Sessions (a course has several). It may belong to a
Project (a brand such as 龙妹家政, or a campaign's own project) and to a Campaign sent down the tree on the dispatch
mechanism (the province launches 家风讲坛进万家; every unit's activities under it roll up). Women (or families) sign
up (SignUp: confirmed, or waiting when full, or cancelled) and check in to each session (Attendance: by the
session's rotating QR code, a cadre's tick, or as a walk-in). A training completed gives a Completion (with a core
Certificate) and, later, Outcomes (employed, started a business, income change). Every row carries the activity's
unit_path, so scope is one prefix test.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityKind(models.TextChoices):
    CLASS = "class", _("妇女讲习所课堂")
    COURSE = "course", _("培训班")
    LECTURE = "lecture", _("家风讲坛")
    READING = "reading", _("亲子阅读")
    VOLUNTEER = "volunteer", _("志愿服务")
    CAMPAIGN_EVENT = "campaign_event", _("主题活动")
    OTHER = "other", _("其他")


# kinds whose completion is recorded and certified, and whose outcomes are followed up
TRAINING_KINDS = (ActivityKind.CLASS, ActivityKind.COURSE)
# kinds counted by families as well as women (parent–child reading, family education)
FAMILY_KINDS = (ActivityKind.READING, ActivityKind.LECTURE)


class Audience(models.TextChoices):
    OPEN = "open", _("面向社会公开")
    SUBTREE = "subtree", _("本辖区妇女")
    INVITED = "invited", _("邀请参加")


class ActivityStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    CANCELLED = "cancelled", _("已取消")


class ProjectKind(models.TextChoices):
    BRAND = "brand", _("品牌项目")
    CAMPAIGN = "campaign", _("主题活动项目")
    CHARITY = "charity", _("公益慈善项目")


class Project(models.Model):
    """项目: a brand (龙妹家政), a campaign's project or a charity project of a unit, with partners, budget,
    targets and a period; its activities and their figures are its results."""

    unit = models.ForeignKey("orgs.Unit", verbose_name=_("主办单位"), on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=64, db_index=True)
    name = models.CharField(_("项目名称"), max_length=100)
    kind = models.CharField(_("项目类别"), max_length=10, choices=ProjectKind.choices, default=ProjectKind.BRAND)
    description = models.TextField(_("项目简介"), blank=True)
    partners = models.JSONField(_("合作单位"), default=list, blank=True)
    budget = models.DecimalField(_("预算(元)"), max_digits=12, decimal_places=2, null=True, blank=True)
    # [{"figure": "<figure registry name>", "label": "...", "target": 100}, …]: results are the figures' values
    targets = models.JSONField(_("目标"), default=list, blank=True)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("项目")
        verbose_name_plural = _("项目")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="project_period"),
            models.CheckConstraint(condition=models.Q(budget__isnull=True) | models.Q(budget__gte=0),
                                   name="project_budget_not_negative"),
        ]

    def __str__(self):
        return self.name


class Campaign(models.Model):
    """A theme campaign (家风讲坛进万家) sent down the tree: the dispatch holds who launched it, to which level and
    by when; each receiving unit's activities under it roll up to the launching unit."""

    dispatch = models.OneToOneField("dispatch.Dispatch", on_delete=models.CASCADE, primary_key=True,
                                    related_name="campaign")
    unit_path = models.CharField(max_length=64, db_index=True)
    body = models.TextField(_("活动要求"), blank=True)
    kind = models.CharField(_("活动类型"), max_length=16, choices=ActivityKind.choices, blank=True)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    # each receiving unit holds at least this many activities under it (0: no number asked)
    activities_each = models.PositiveIntegerField(_("每个单位至少开展(场)"), default=0)

    class Meta:
        verbose_name = _("主题活动")
        verbose_name_plural = _("主题活动")
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                              name="campaign_period")]

    def __str__(self):
        return self.dispatch.title


class Activity(models.Model):
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("主办单位"), on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=64, db_index=True)
    title = models.CharField(_("活动名称"), max_length=120)
    kind = models.CharField(_("活动类型"), max_length=16, choices=ActivityKind.choices)
    description = models.TextField(_("活动介绍"), blank=True)
    home = models.ForeignKey("orgs.WomensHome", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("妇女之家"))
    address = models.CharField(_("地点"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("开始时间"))  # of the first session
    ends_at = models.DateTimeField(_("结束时间"))  # of the last session
    capacity = models.PositiveIntegerField(_("名额"), null=True, blank=True, help_text=_("不填为不限"))
    audience = models.CharField(_("参加对象"), max_length=8, choices=Audience.choices, default=Audience.OPEN)
    organiser = models.CharField(_("承办"), max_length=100, blank=True)
    partners = models.JSONField(_("合作单位"), default=list, blank=True)
    for_families = models.BooleanField(_("以家庭为单位报名"), default=False)
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.PROTECT, related_name="activities",
                                verbose_name=_("所属项目"))
    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="activities", verbose_name=_("所属主题活动"))
    status = models.CharField(_("状态"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.DRAFT)
    signups_confirmed = models.PositiveIntegerField(default=0)  # kept with the sign-ups, under the activity's lock
    signups_waiting = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    client_token = models.CharField(max_length=40, null=True, blank=True, unique=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        indexes = [
            models.Index(fields=["status", "starts_at"], name="activity_calendar"),
            models.Index(fields=["unit_path", "starts_at"], name="activity_scope_time"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gte=models.F("starts_at")), name="activity_time"),
            models.CheckConstraint(condition=models.Q(capacity__isnull=True) | models.Q(capacity__gte=1),
                                   name="activity_capacity_positive"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_training(self) -> bool:
        return self.kind in TRAINING_KINDS


class Session(models.Model):
    """One sitting of an activity; check-in is per session, by a QR code that changes every minute and is valid
    only from shortly before it starts until it ends (activities.checkin)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="sessions")
    unit_path = models.CharField(max_length=64, db_index=True)
    number = models.PositiveSmallIntegerField(_("第几次"))
    title = models.CharField(_("内容"), max_length=120, blank=True)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    secret = models.CharField(max_length=64)  # signs the rotating check-in codes; never shown

    class Meta:
        verbose_name = _("场次")
        verbose_name_plural = _("场次")
        ordering = ["activity", "number"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "number"], name="session_number_once"),
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="session_time"),
        ]

    def __str__(self):
        return f"{self.activity} #{self.number}"


class SignUpState(models.TextChoices):
    CONFIRMED = "confirmed", _("已报名")
    WAITING = "waiting", _("候补")
    CANCELLED = "cancelled", _("已取消")


class SignUpChannel(models.TextChoices):
    ACCOUNT = "account", _("本人登录报名")
    PHONE = "phone", _("手机验证报名")
    CADRE = "cadre", _("干部代报名")
    API = "api", _("应用报名")


class SignUp(models.Model):
    """One woman's (or one family's) place on an activity. One live sign-up per phone and activity; a full
    activity puts her on the waiting list (WAITING, in `waiting_since` order) and a cancellation promotes the
    first waiting."""

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="signups")
    unit_path = models.CharField(max_length=64, db_index=True)  # the activity's
    name = models.CharField(_("姓名"), max_length=30)
    phone = models.CharField(_("手机号"), max_length=20)  # E.164-less 11 digits, as core.phone normalises
    phone_verified = models.BooleanField(default=False)
    woman = models.ForeignKey("people.Woman", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("名册中的妇女"))
    family = models.ForeignKey("people.Family", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("家庭"))
    family_size = models.PositiveSmallIntegerField(_("家庭参加人数"), default=1)
    # the 我的 account she was signed in with (a string reference: portal is a sibling app, never imported here)
    account = models.ForeignKey("portal.WomanAccount", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    channel = models.CharField(_("报名方式"), max_length=8, choices=SignUpChannel.choices)
    state = models.CharField(_("状态"), max_length=10, choices=SignUpState.choices)
    created_at = models.DateTimeField()
    waiting_since = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    client_token = models.CharField(max_length=40, null=True, blank=True, unique=True)
    # a secret for her own cancel link (hashed)
    cancel_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        indexes = [models.Index(fields=["activity", "state", "waiting_since"], name="signup_queue")]
        constraints = [
            models.UniqueConstraint(fields=["activity", "phone"], condition=~models.Q(state="cancelled"),
                                    name="one_live_signup_per_phone"),
            models.CheckConstraint(condition=models.Q(family_size__gte=1, family_size__lte=20),
                                   name="signup_family_size"),
        ]

    def __str__(self):
        return f"{self.name} · {self.activity}"


class AttendanceMethod(models.TextChoices):
    QR = "qr", _("扫码签到")
    TICK = "tick", _("组织者勾选")
    WALK_IN = "walk_in", _("现场登记")
    SHEET = "sheet", _("签到表导入")


class Attendance(models.Model):
    """Who was at one session. A walk-in is recorded by name and phone and linked to a registry record only on a
    match; no registry record is made here and no ID number is asked."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="attendances")
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="attendances")
    unit_path = models.CharField(max_length=64, db_index=True)
    signup = models.ForeignKey(SignUp, null=True, blank=True, on_delete=models.PROTECT, related_name="attendances")
    woman = models.ForeignKey("people.Woman", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    family = models.ForeignKey("people.Family", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("姓名"), max_length=30)
    phone = models.CharField(_("手机号"), max_length=20)
    method = models.CharField(_("签到方式"), max_length=8, choices=AttendanceMethod.choices)
    checked_at = models.DateTimeField(_("签到时间"))
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    client_token = models.CharField(max_length=40, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("签到")
        verbose_name_plural = _("签到")
        # "her first check-in at this unit this month" (women_reached), asked on every check-in
        indexes = [models.Index(fields=["phone", "unit_path", "checked_at"], name="attendance_reach")]
        constraints = [models.UniqueConstraint(fields=["session", "phone"], name="one_attendance_per_phone")]

    def __str__(self):
        return f"{self.name} · {self.session}"


class Completion(models.Model):
    """A training completed (结业) by one participant, with its numbered, verifiable certificate."""

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="completions")
    signup = models.OneToOneField(SignUp, on_delete=models.PROTECT, related_name="completion")
    unit_path = models.CharField(max_length=64, db_index=True)
    woman = models.ForeignKey("people.Woman", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    certificate = models.ForeignKey("core.Certificate", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    completed_at = models.DateTimeField(_("结业时间"))
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("结业")
        verbose_name_plural = _("结业")

    def __str__(self):
        return f"{self.signup} · {self.completed_at:%Y-%m-%d}"


class OutcomeKind(models.TextChoices):
    EMPLOYED = "employed", _("实现就业")
    BUSINESS = "business", _("自主创业")
    INCOME = "income", _("收入增加")
    OTHER = "other", _("其他")


class Outcome(models.Model):
    """What a training led to, recorded later (by a cadre, or from a contact log)."""

    completion = models.ForeignKey(Completion, on_delete=models.PROTECT, related_name="outcomes")
    unit_path = models.CharField(max_length=64, db_index=True)
    kind = models.CharField(_("成效"), max_length=10, choices=OutcomeKind.choices)
    # monthly income change in yuan (INCOME), else optional
    amount = models.DecimalField(_("月收入变化(元)"), max_digits=10, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    recorded_on = models.DateField(_("记录日期"))
    contact_log_id = models.PositiveIntegerField(null=True, blank=True)  # contacts.ContactLog (a sibling app)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("培训成效")
        verbose_name_plural = _("培训成效")

    def __str__(self):
        return f"{self.get_kind_display()} · {self.recorded_on}"
