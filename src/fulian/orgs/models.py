from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fulian.core.tree import ancestor_paths, subtree_q


class Level(models.IntegerChoices):
    PROVINCE = 1, _("省")
    CITY = 2, _("市")
    COUNTY = 3, _("县")
    TOWNSHIP = 4, _("乡镇(街道)")
    VILLAGE = 5, _("村(社区)")


class Kind(models.TextChoices):
    GEOGRAPHIC = "geo", _("地方妇联")
    NEW_ORGANISATION = "new_org", _("两新组织妇女组织")
    AGENCY = "agency", _("机关事业单位妇委会")


class Conversion(models.TextChoices):
    """村妇代会 → 村妇联 (改建); only village-level geographic units have a conversion to make."""

    NOT_APPLICABLE = "na", _("不适用")
    CONGRESS = "congress", _("妇代会(未改建)")
    FEDERATION = "federation", _("已改建妇联")


class SourceStatus(models.TextChoices):
    CURRENT = "current", _("现行")
    REMOVED = "removed", _("区划已撤销(保留数据)")
    LOCAL = "local", _("非区划组织")


class UnitQuerySet(models.QuerySet):
    def subtree(self, unit, *, include_self: bool = True):
        return self.filter(subtree_q(unit.path, include_self=include_self))

    def ancestors_of(self, unit, *, include_self: bool = False):
        paths = ancestor_paths(unit.path)
        if not include_self:
            paths = paths[:-1]
        return self.filter(path__in=paths).order_by("path")


class Unit(models.Model):
    """A federation (妇联) or women's organisation: one node of the five-level work network."""

    code = models.CharField(_("代码"), max_length=24, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices)
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices, default=Kind.GEOGRAPHIC)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(_("树路径"), max_length=64, unique=True)
    name_initials = models.CharField(_("拼音首字母"), max_length=60, blank=True, db_index=True)
    name_pinyin = models.CharField(_("拼音"), max_length=200, blank=True)
    conversion = models.CharField(
        _("改建状态"), max_length=12, choices=Conversion.choices, default=Conversion.NOT_APPLICABLE
    )
    source_status = models.CharField(
        _("区划状态"), max_length=10, choices=SourceStatus.choices, default=SourceStatus.CURRENT
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("组织")
        verbose_name_plural = _("组织")
        ordering = ["path"]
        indexes = [
            models.Index(fields=["level", "path"]),
            models.Index(fields=["parent", "code"]),
            # covers the subtree summaries (counts by level, kind, conversion) without touching the table
            models.Index(fields=["path", "level", "kind", "conversion"], name="unit_subtree_cover"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=5), name="unit_level_1_to_5"),
            models.CheckConstraint(
                condition=models.Q(parent__isnull=True) | ~models.Q(level=Level.PROVINCE),
                name="unit_province_is_root",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_geographic(self) -> bool:
        return self.kind == Kind.GEOGRAPHIC

    @property
    def may_have_organisations(self) -> bool:
        """Women's organisations of new economic and social organisations hang under a county or township."""
        return self.is_geographic and self.level in (Level.COUNTY, Level.TOWNSHIP)

    @property
    def federation_name(self) -> str:
        return f"{self.name}妇联" if self.is_geographic else self.name


class HomeHost(models.TextChoices):
    """Where a Women's Home is, as the reform puts them "wherever women gather" (哪里有妇女，哪里就有妇女之家)."""

    VILLAGE = "village", _("村(社区)")
    SERVICE_CENTRE = "service_centre", _("党群服务中心")
    ENTERPRISE = "enterprise", _("企业")
    PARK = "park", _("产业园区")
    SCHOOL = "school", _("学校")
    LECTURE_HALL = "lecture_hall", _("妇女讲习所")
    MARKET = "market", _("商务楼宇/市场")
    OTHER = "other", _("其他")


class WomensHome(models.Model):
    """妇女之家: a place where women gather (village, community, enterprise, park …), with what happens there."""

    unit = models.ForeignKey(Unit, verbose_name=_("所属组织"), on_delete=models.PROTECT, related_name="homes")
    unit_path = models.CharField(max_length=64, db_index=True)
    name = models.CharField(_("名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    opening_hours = models.CharField(_("开放时间"), max_length=100, blank=True)
    facilities = models.CharField(_("设施"), max_length=300, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    photo = models.FileField(_("照片"), upload_to="homes/%Y/", blank=True)
    is_active = models.BooleanField(_("开放"), default=True)
    host = models.CharField(_("依托场所"), max_length=16, choices=HomeHost.choices, default=HomeHost.VILLAGE)
    host_name = models.CharField(_("依托单位名称"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("妇女之家")
        verbose_name_plural = _("妇女之家")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True) | models.Q(latitude__gte=-90, latitude__lte=90),
                name="home_latitude_range",
            ),
            models.CheckConstraint(condition=models.Q(longitude__isnull=True)
                                   | models.Q(longitude__gte=-180, longitude__lte=180), name="home_longitude_range"),
        ]

    def __str__(self):
        return self.name


class HomeActivity(models.Model):
    home = models.ForeignKey(WomensHome, on_delete=models.CASCADE, related_name="activities")
    held_on = models.DateField(_("日期"))
    title = models.CharField(_("活动"), max_length=120)
    participants = models.PositiveIntegerField(_("参加人数"), default=0)

    class Meta:
        verbose_name = _("妇女之家活动")
        verbose_name_plural = _("妇女之家活动")
        ordering = ["-held_on"]

    def __str__(self):
        return self.title


class BodyKind(models.TextChoices):
    CONGRESS = "congress", _("妇女代表大会")
    EXECUTIVE = "executive", _("执行委员会")
    STANDING = "standing", _("常务委员会")


class Body(models.Model):
    """A leadership body of a unit for one term (届)."""

    unit = models.ForeignKey(Unit, verbose_name=_("组织"), on_delete=models.PROTECT, related_name="bodies")
    unit_path = models.CharField(max_length=64, db_index=True)
    kind = models.CharField(_("机构"), max_length=10, choices=BodyKind.choices)
    term_start = models.DateField(_("任期开始"))
    term_end = models.DateField(_("任期结束"))

    class Meta:
        verbose_name = _("领导机构")
        verbose_name_plural = _("领导机构")
        ordering = ["-term_start"]
        constraints = [
            models.CheckConstraint(condition=models.Q(term_end__gt=models.F("term_start")), name="body_term_order"),
            models.UniqueConstraint(fields=["unit", "kind", "term_start"], name="body_one_per_term"),
        ]

    def __str__(self):
        return f"{self.unit} {self.get_kind_display()} {self.term_start:%Y}"


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("主席")
    VICE_CHAIR_FULL = "vice_full", _("专职副主席")
    VICE_CHAIR_PART = "vice_part", _("兼职副主席")
    MEMBER = "member", _("委员")
    DELEGATE = "delegate", _("代表")


class BodyMember(models.Model):
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("姓名"), max_length=30)
    role = models.CharField(_("职务"), max_length=10, choices=MemberRole.choices)
    is_grassroots = models.BooleanField(_("基层一线"), default=False)
    ethnicity = models.CharField(_("民族"), max_length=20, blank=True)
    sector = models.CharField(_("界别/行业"), max_length=40, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("出生年份"), null=True, blank=True)

    class Meta:
        verbose_name = _("成员")
        verbose_name_plural = _("成员")
        constraints = [models.UniqueConstraint(fields=["body"], condition=models.Q(role="chair"),
                                               name="one_chair_per_body")]

    def __str__(self):
        return self.name


class Election(models.Model):
    """换届: planned for a date, held when the new bodies are elected."""

    unit = models.ForeignKey(Unit, verbose_name=_("组织"), on_delete=models.PROTECT, related_name="elections")
    unit_path = models.CharField(max_length=64, db_index=True)
    planned_on = models.DateField(_("计划日期"))
    held_on = models.DateField(_("召开日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("换届")
        verbose_name_plural = _("换届")
        ordering = ["-planned_on"]

    def __str__(self):
        return f"{self.unit} {self.planned_on:%Y}"


class PostKind(models.TextChoices):
    FULL_TIME = "full_time", _("专职干部")
    SECONDED = "seconded", _("挂职干部")
    PART_TIME = "part_time", _("兼职干部")
    SOCIAL_WORKER = "social_worker", _("妇女社会工作者")


class Post(models.Model):
    """Staffing of a unit: the quota (编制) by kind. How many are in post is not typed: it is counted from the named
    roster (StaffMember, building.posts_with_filled)."""

    unit = models.ForeignKey(Unit, verbose_name=_("组织"), on_delete=models.PROTECT, related_name="posts")
    unit_path = models.CharField(max_length=64, db_index=True)
    kind = models.CharField(_("类别"), max_length=14, choices=PostKind.choices)
    quota = models.PositiveIntegerField(_("编制/定额"))

    class Meta:
        verbose_name = _("人员编制")
        verbose_name_plural = _("人员编制")
        constraints = [models.UniqueConstraint(fields=["unit", "kind"], name="post_one_per_kind")]

    def __str__(self):
        return f"{self.unit} {self.get_kind_display()}"


class StaffMember(models.Model):
    """人员花名册: one cadre of a unit by name, of a staff type (专职/挂职/兼职/社工), from `starts_on` until the day
    she leaves (`ends_on`, exclusive: on that day she no longer counts; for a 挂职 cadre the end of her
    secondment). Staffing counts are the members current on a day. `account` links her cadre account when she
    has one (her contact quota follows her staff type)."""

    unit = models.ForeignKey(Unit, verbose_name=_("组织"), on_delete=models.PROTECT, related_name="staff")
    unit_path = models.CharField(max_length=64, db_index=True)
    name = models.CharField(_("姓名"), max_length=30)
    account = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("干部账号"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="staff_records")
    kind = models.CharField(_("人员类别"), max_length=14, choices=PostKind.choices)
    post = models.CharField(_("职务"), max_length=40, blank=True)
    seconded_from = models.CharField(_("派出单位"), max_length=100, blank=True)
    starts_on = models.DateField(_("到岗日期"))
    ends_on = models.DateField(_("离岗日期"), null=True, blank=True)
    phone = models.CharField(_("电话"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("人员花名册")
        verbose_name_plural = _("人员花名册")
        ordering = ["kind", "starts_on", "id"]
        indexes = [models.Index(fields=["unit_path", "kind", "ends_on"], name="staff_subtree_kind"),
                   models.Index(fields=["account", "ends_on"], name="staff_account_current")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gt=models.F("starts_on")),
                name="staff_ends_after_start"),
            models.CheckConstraint(condition=~models.Q(kind="seconded", ends_on__isnull=True),
                                   name="staff_secondment_has_end"),
        ]

    def __str__(self):
        return self.name

    def is_current(self, day) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on > day)


def staff_current_q(day, prefix: str = "") -> models.Q:
    """Roster members in post on `day` (`prefix` for a lookup through a relation, e.g. "staff__")."""
    return (models.Q(**{f"{prefix}starts_on__lte": day})
            & (models.Q(**{f"{prefix}ends_on__isnull": True}) | models.Q(**{f"{prefix}ends_on__gt": day})))


class Volunteer(models.Model):
    """巾帼志愿者."""

    unit = models.ForeignKey(Unit, verbose_name=_("组织"), on_delete=models.PROTECT, related_name="volunteers")
    unit_path = models.CharField(max_length=64, db_index=True)
    name = models.CharField(_("姓名"), max_length=30)
    phone = models.CharField(_("电话"), max_length=20, blank=True)
    skills = models.CharField(_("专长"), max_length=200, blank=True)
    team = models.CharField(_("队伍"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("巾帼志愿者")
        verbose_name_plural = _("巾帼志愿者")

    def __str__(self):
        return self.name


class ServiceRecord(models.Model):
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="records")
    served_on = models.DateField(_("日期"))
    hours = models.DecimalField(_("时长(小时)"), max_digits=5, decimal_places=1)
    activity = models.CharField(_("服务内容"), max_length=200)

    class Meta:
        verbose_name = _("志愿服务记录")
        verbose_name_plural = _("志愿服务记录")
        ordering = ["-served_on"]
        constraints = [models.CheckConstraint(condition=models.Q(hours__gt=0, hours__lte=24),
                                              name="service_hours_positive")]

    def __str__(self):
        return f"{self.volunteer} {self.served_on} {self.hours}h"


class SocialOrganisation(models.Model):
    """女性社会组织 linked, guided and supported by a federation."""

    class Category(models.TextChoices):
        PROFESSIONAL = "professional", _("专业类")
        PUBLIC_WELFARE = "public_welfare", _("公益类")
        SERVICE = "service", _("服务类")

    unit = models.ForeignKey(Unit, verbose_name=_("联系组织"), on_delete=models.PROTECT, related_name="social_orgs")
    unit_path = models.CharField(max_length=64, db_index=True)
    name = models.CharField(_("名称"), max_length=100)
    category = models.CharField(_("类别"), max_length=14, choices=Category.choices)
    contact = models.CharField(_("联系人/电话"), max_length=100, blank=True)
    support = models.TextField(_("扶持情况"), blank=True)

    class Meta:
        verbose_name = _("女性社会组织")
        verbose_name_plural = _("女性社会组织")
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="social_org_unique")]

    def __str__(self):
        return self.name


class MediaAccount(models.Model):
    """1网+2微+N群: a unit's website, WeChat and Weibo accounts and work groups."""

    class Platform(models.TextChoices):
        WEBSITE = "website", _("网站")
        WECHAT = "wechat", _("微信公众号")
        WEIBO = "weibo", _("微博")
        GROUP = "group", _("工作群")

    unit = models.ForeignKey(Unit, verbose_name=_("组织"), on_delete=models.PROTECT, related_name="media")
    unit_path = models.CharField(max_length=64, db_index=True)
    platform = models.CharField(_("平台"), max_length=8, choices=Platform.choices)
    name = models.CharField(_("名称"), max_length=100)
    url = models.CharField(_("地址"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("新媒体账号")
        verbose_name_plural = _("新媒体账号")
        constraints = [models.UniqueConstraint(fields=["unit", "platform", "name"], name="media_unique")]

    def __str__(self):
        return self.name


class FollowerCount(models.Model):
    account = models.ForeignKey(MediaAccount, on_delete=models.CASCADE, related_name="counts")
    counted_on = models.DateField(_("统计日期"))
    followers = models.PositiveIntegerField(_("关注/成员数"))

    class Meta:
        ordering = ["-counted_on"]
        constraints = [models.UniqueConstraint(fields=["account", "counted_on"], name="follower_count_per_day")]

    def __str__(self):
        return f"{self.account} {self.counted_on}: {self.followers}"
