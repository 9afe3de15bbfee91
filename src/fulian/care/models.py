"""Care and matching (关爱帮扶、资源对接).

The care registry marks a woman of the registry in care groups with dates in and out (CareMembership), so a count
per group is true for any date. Left-behind and migrant children are registered under a Family of the registry,
linked to their mother or guardian (Child); minors' data is sensitive personal information (PIPL arts. 28 and 31):
guardian consent is recorded, only the cadres who care for the family and the chairs above read it, and every read
is logged. A help plan (帮扶台账, HelpPlan) follows a woman and her family over time: goals (HelpGoal, one may come
from a need of a contact log), help given (HelpGiven), a review date and an outcome. Units and partners offer
resources (Resource: jobs, seats in a course of the activities module, micro-loans, donations, volunteer hours,
charity projects) seen in their subtree, the province, or partner provinces by agreement (PartnerAgreement). The
matching engine proposes resources for a goal, nearest first; a cadre sends an Offer, the woman accepts or
declines, acceptance takes capacity atomically, and the outcome closes the goal. Every row carries a unit path.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fulian.core.fields import SealedCharField


class CareGroup(models.TextChoices):
    LEFT_BEHIND = "left_behind", _("留守妇女")
    MIGRANT = "migrant", _("流动妇女")
    LOW_INCOME = "low_income", _("低收入妇女")
    SINGLE_MOTHER = "single_mother", _("单亲母亲")
    DISABLED = "disabled", _("残疾妇女")
    ELDERLY_ALONE = "elderly_alone", _("独居老年妇女")
    OTHER = "other", _("其他困难妇女")


# one bit per group, for eligibility tests inside the database (a resource's groups ∩ hers ≠ ∅)
GROUP_BITS = {g: 1 << i for i, g in enumerate(CareGroup.values)}


class LowIncomeKind(models.TextChoices):
    """低收入人口 as the civil affairs and rural revitalisation departments classify them."""

    DIBAO = "dibao", _("低保对象")
    TEKUN = "tekun", _("特困人员")
    MONITORED = "monitored", _("防止返贫监测对象")
    LIFTED = "lifted", _("脱贫户")
    OTHER = "other", _("其他低收入")


class DisabilityGrade(models.IntegerChoices):
    """残疾人证 grades (GB/T 26341-2010): 一级 the most severe."""

    ONE = 1, _("一级")
    TWO = 2, _("二级")
    THREE = 3, _("三级")
    FOUR = 4, _("四级")


class EndReason(models.TextChoices):
    NO_LONGER = "no_longer", _("情况已改变")
    MOVED = "moved", _("迁出")
    DIED = "died", _("去世")
    WRONG = "wrong", _("登记有误")


class CareMembership(models.Model):
    """She belongs to `group` from `start_on` until `end_on` (exclusive; open while NULL)."""

    woman = models.ForeignKey("people.Woman", on_delete=models.PROTECT, related_name="care_memberships")
    unit_path = models.CharField(max_length=64)
    group = models.CharField(_("关爱类别"), max_length=14, choices=CareGroup.choices)
    low_income_kind = models.CharField(_("低收入类别"), max_length=10, choices=LowIncomeKind.choices, blank=True)
    disability_grade = models.PositiveSmallIntegerField(_("残疾等级"), choices=DisabilityGrade.choices, null=True,
                                                        blank=True)
    note = SealedCharField(_("说明"), max_length=200, blank=True)
    start_on = models.DateField(_("纳入日期"))
    end_on = models.DateField(_("退出日期"), null=True, blank=True)
    end_reason = models.CharField(_("退出原因"), max_length=10, choices=EndReason.choices, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    client_token = models.CharField(max_length=40, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("关爱对象")
        verbose_name_plural = _("关爱对象")
        indexes = [models.Index(fields=["unit_path", "group", "start_on"], name="care_membership_scope"),
                   models.Index(fields=["woman", "group"], name="care_membership_woman")]
        constraints = [
            models.UniqueConstraint(fields=["woman", "group"], condition=models.Q(end_on__isnull=True),
                                    name="care_membership_one_open"),
            models.CheckConstraint(condition=models.Q(end_on__isnull=True) | models.Q(end_on__gt=models.F("start_on")),
                                   name="care_membership_period"),
        ]

    def __str__(self):
        return f"{self.woman_id} {self.group}"


class ChildSituation(models.TextChoices):
    LEFT_BEHIND = "left_behind", _("留守儿童")
    MIGRANT = "migrant", _("流动儿童")
    HARDSHIP = "hardship", _("困境儿童")


class Child(models.Model):
    """A child of a Family of the registry, linked to the mother or guardian. Sensitive: see care.policy."""

    family = models.ForeignKey("people.Family", on_delete=models.PROTECT, related_name="care_children")
    unit_path = models.CharField(max_length=64)
    name = models.CharField(_("姓名"), max_length=30)
    sex = models.CharField(_("性别"), max_length=1, choices=[("f", _("女")), ("m", _("男"))])
    birth_date = models.DateField(_("出生日期"))
    school = SealedCharField(_("学校和年级"), max_length=100, blank=True)
    guardian = models.ForeignKey("people.Woman", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("母亲或监护人(名册)"))
    guardian_name = models.CharField(_("监护人姓名"), max_length=30)
    guardian_relation = models.CharField(_("与儿童关系"), max_length=20)
    guardian_phone = models.CharField(_("监护人电话"), max_length=20, blank=True)
    situation = models.CharField(_("儿童类别"), max_length=12, choices=ChildSituation.choices)
    situation_note = SealedCharField(_("情况说明"), max_length=300, blank=True)
    consent_by = models.CharField(_("同意人"), max_length=30)
    consent_on = models.DateField(_("监护人同意日期"))
    consent_note = SealedCharField(_("同意方式"), max_length=100, blank=True)
    ended_on = models.DateField(_("不再关爱日期"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    client_token = models.CharField(max_length=40, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("关爱儿童")
        verbose_name_plural = _("关爱儿童")
        indexes = [models.Index(fields=["unit_path", "situation"], name="care_child_scope")]

    def __str__(self):
        return self.name


class PlanState(models.TextChoices):
    OPEN = "open", _("帮扶中")
    CLOSED = "closed", _("已结案")


class PlanOutcome(models.TextChoices):
    GOAL_MET = "goal_met", _("目标达成")
    MOVED = "moved", _("迁出")
    OTHER = "other", _("其他")


class GoalCategory(models.TextChoices):
    """What a goal asks for; the same words as a contact log's need (contacts.NeedCategory)."""

    EMPLOYMENT = "employment", _("就业创业")
    HARDSHIP = "hardship", _("生活困难")
    CHILDREN = "children", _("子女教育")
    HEALTH = "health", _("健康")
    FAMILY = "family", _("婚姻家庭")
    LEGAL = "legal", _("法律维权")
    OTHER = "other", _("其他")


class Skill(models.TextChoices):
    """The trades Hebei's 妇女脱贫行动 trains for (乡村旅游、手工编织、家政服务…)."""

    DOMESTIC = "domestic", _("家政服务")
    HANDICRAFT = "handicraft", _("手工编织")
    TOURISM = "tourism", _("乡村旅游")
    ECOMMERCE = "ecommerce", _("电商直播")
    FARMING = "farming", _("种植养殖")
    CATERING = "catering", _("餐饮")
    CARE_WORK = "care_work", _("养老护理")
    SEWING = "sewing", _("缝纫加工")


SKILL_BITS = {s: 1 << i for i, s in enumerate(Skill.values)}


class HelpPlan(models.Model):
    """帮扶台账 of a woman in care (and her family): goals, help over time, a review date, an outcome."""

    woman = models.ForeignKey("people.Woman", on_delete=models.PROTECT, related_name="help_plans")
    family = models.ForeignKey("people.Family", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="help_plans", verbose_name=_("家庭"))
    unit_path = models.CharField(max_length=64)
    title = models.CharField(_("帮扶事项"), max_length=100)
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="care_plans",
                                    verbose_name=_("责任干部"))
    review_on = models.DateField(_("复核日期"))
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lng = models.FloatField(_("经度"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=8, choices=PlanState.choices, default=PlanState.OPEN)
    outcome = models.CharField(_("结案情况"), max_length=10, choices=PlanOutcome.choices, blank=True)
    outcome_note = SealedCharField(_("结案说明"), max_length=300, blank=True)
    opened_on = models.DateField(_("建档日期"))
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    client_token = models.CharField(max_length=40, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("帮扶台账")
        verbose_name_plural = _("帮扶台账")
        indexes = [models.Index(fields=["unit_path", "state", "review_on"], name="care_plan_scope"),
                   models.Index(fields=["responsible", "state"], name="care_plan_responsible")]

    def __str__(self):
        return self.title


class GoalState(models.TextChoices):
    OPEN = "open", _("待对接")
    MET = "met", _("已达成")
    DROPPED = "dropped", _("已放弃")


class HelpGoal(models.Model):
    """A goal of a plan: what the matching engine proposes resources for. `need_id` is the contact log's need it
    came from (contacts), closed with it."""

    plan = models.ForeignKey(HelpPlan, on_delete=models.CASCADE, related_name="goals")
    woman = models.ForeignKey("people.Woman", on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=64)
    category = models.CharField(_("目标类别"), max_length=12, choices=GoalCategory.choices)
    text = SealedCharField(_("帮扶目标"), max_length=300)
    skills_mask = models.PositiveIntegerField(_("技能"), default=0)
    groups_mask = models.PositiveIntegerField(default=0)  # her care groups when the goal was set or matched
    age = models.PositiveSmallIntegerField(null=True, blank=True)
    need_id = models.PositiveIntegerField(null=True, blank=True, unique=True)
    state = models.CharField(_("状态"), max_length=8, choices=GoalState.choices, default=GoalState.OPEN)
    met_on = models.DateField(_("达成日期"), null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("帮扶目标")
        verbose_name_plural = _("帮扶目标")
        indexes = [models.Index(fields=["unit_path", "state", "category"], name="care_goal_scope")]

    def __str__(self):  # never its sealed text: a str() may end up in an audit row's plain object_repr
        return f"{self.get_category_display()} #{self.pk}"


class HelpKind(models.TextChoices):
    MONEY = "money", _("资金")
    GOODS = "goods", _("物资")
    TRAINING = "training", _("培训")
    JOB = "job", _("就业岗位")
    LOAN = "loan", _("小额贷款")
    SERVICE = "service", _("志愿服务")
    OTHER = "other", _("其他")


class HelpGiven(models.Model):
    plan = models.ForeignKey(HelpPlan, on_delete=models.CASCADE, related_name="help")
    unit_path = models.CharField(max_length=64)
    given_on = models.DateField(_("日期"))
    kind = models.CharField(_("帮扶方式"), max_length=10, choices=HelpKind.choices)
    amount = models.DecimalField(_("金额(元)"), max_digits=12, decimal_places=2, null=True, blank=True)
    hours = models.DecimalField(_("时长(小时)"), max_digits=8, decimal_places=1, null=True, blank=True)
    provider = models.CharField(_("提供方"), max_length=100)
    note = SealedCharField(_("说明"), max_length=300, blank=True)
    offer = models.OneToOneField("Offer", null=True, blank=True, on_delete=models.SET_NULL, related_name="help")
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    client_token = models.CharField(max_length=40, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("帮扶记录")
        verbose_name_plural = _("帮扶记录")
        indexes = [models.Index(fields=["unit_path", "given_on"], name="care_help_scope")]

    def __str__(self):
        return f"{self.given_on} {self.get_kind_display()}"


class PartnerAgreement(models.Model):
    """An agreement between provincial federations (京津冀妇女发展协作): the resources each marks "partners" are
    seen by the others' units while it runs."""

    name = models.CharField(_("协作名称"), max_length=100)
    provinces = models.ManyToManyField("orgs.Unit", related_name="+", verbose_name=_("协作省份"))
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("跨省协作")
        verbose_name_plural = _("跨省协作")

    def __str__(self):
        return self.name


class ResourceKind(models.TextChoices):
    JOB = "job", _("就业岗位")
    COURSE_SEAT = "course_seat", _("培训名额")
    MICRO_LOAN = "micro_loan", _("小额贷款")
    DONATION = "donation", _("捐赠(款物)")
    VOLUNTEER = "volunteer", _("志愿服务时长")
    CHARITY = "charity", _("公益项目")


class ProviderKind(models.TextChoices):
    FEDERATION = "federation", _("妇联")
    SOCIAL_ORG = "social_org", _("社会组织")
    ENTERPRISE = "enterprise", _("企业")
    SCHOOL = "school", _("培训学校")
    CHARITY = "charity", _("慈善机构")
    PARTNER = "partner", _("外省妇联")


class Visibility(models.TextChoices):
    SUBTREE = "subtree", _("本级及下级")
    PROVINCE = "province", _("全省")
    PARTNERS = "partners", _("全省及协作省份")


class ResourceState(models.TextChoices):
    OPEN = "open", _("开放")
    CLOSED = "closed", _("已关闭")


class Resource(models.Model):
    """What a unit or a partner offers. `remaining` is taken by acceptances (one UPDATE … WHERE remaining > 0); a
    course seat's places are the course's own (activities), mirrored here for ordering only. `place_path` and
    `place_depth` (the unit where it is) order proposals by distance in the tree; `lat`/`lng` by kilometres."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("发布单位"))
    unit_path = models.CharField(max_length=64)
    province_path = models.CharField(max_length=64)
    kind = models.CharField(_("资源类别"), max_length=12, choices=ResourceKind.choices)
    title = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    provider = models.CharField(_("提供方"), max_length=100)
    provider_kind = models.CharField(_("提供方类别"), max_length=12, choices=ProviderKind.choices)
    capacity = models.PositiveIntegerField(_("名额(份)"))
    remaining = models.PositiveIntegerField(_("剩余"))
    amount = models.DecimalField(_("每份金额(元)"), max_digits=12, decimal_places=2, null=True, blank=True)
    activity_id = models.PositiveIntegerField(_("培训活动"), null=True, blank=True)
    groups_mask = models.PositiveIntegerField(default=0)  # 0: any woman
    skills_mask = models.PositiveIntegerField(default=0)  # 0: no skill asked for
    age_min = models.PositiveSmallIntegerField(_("最小年龄"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("最大年龄"), null=True, blank=True)
    place_unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("所在地"))
    place_path = models.CharField(max_length=64)
    place_depth = models.PositiveSmallIntegerField()
    address = models.CharField(_("地址"), max_length=200, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lng = models.FloatField(_("经度"), null=True, blank=True)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    visibility = models.CharField(_("可见范围"), max_length=10, choices=Visibility.choices,
                                  default=Visibility.SUBTREE)
    state = models.CharField(_("状态"), max_length=8, choices=ResourceState.choices, default=ResourceState.OPEN)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    client_token = models.CharField(max_length=40, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("帮扶资源")
        verbose_name_plural = _("帮扶资源")
        indexes = [
            models.Index(fields=["kind", "place_path", "place_depth"], name="care_resource_place"),
            models.Index(fields=["unit_path", "state"], name="care_resource_scope"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(remaining__lte=models.F("capacity")),
                                   name="care_resource_remaining"),
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                   name="care_resource_period"),
        ]

    def __str__(self):
        return self.title


class OfferState(models.TextChoices):
    SENT = "sent", _("待答复")
    ACCEPTED = "accepted", _("已接受")
    DECLINED = "declined", _("已谢绝")
    WITHDRAWN = "withdrawn", _("已撤回")


class OfferOutcome(models.TextChoices):
    EMPLOYED = "employed", _("已就业")
    TRAINED = "trained", _("已培训")
    RECEIVED = "received", _("已收到帮扶")
    NOT_TAKEN = "not_taken", _("未落实")


class Offer(models.Model):
    """A resource offered to a woman for a goal. Accepting takes one place of the resource."""

    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="offers")
    goal = models.ForeignKey(HelpGoal, on_delete=models.PROTECT, related_name="offers")
    woman = models.ForeignKey("people.Woman", on_delete=models.PROTECT, related_name="care_offers")
    unit_path = models.CharField(max_length=64)
    state = models.CharField(_("状态"), max_length=10, choices=OfferState.choices, default=OfferState.SENT)
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by_self = models.BooleanField(default=False)
    signup_id = models.PositiveIntegerField(null=True, blank=True)  # the course sign-up an accepted seat made
    outcome = models.CharField(_("落实情况"), max_length=10, choices=OfferOutcome.choices, blank=True)
    outcome_on = models.DateField(_("落实日期"), null=True, blank=True)
    outcome_note = SealedCharField(_("说明"), max_length=300, blank=True)
    batch = models.ForeignKey("MatchBatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="offers")
    client_token = models.CharField(max_length=40, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("资源对接")
        verbose_name_plural = _("资源对接")
        indexes = [models.Index(fields=["unit_path", "state"], name="care_offer_scope")]
        constraints = [
            models.UniqueConstraint(fields=["goal", "resource"], condition=models.Q(state__in=["sent", "accepted"]),
                                    name="care_offer_once"),
        ]

    def __str__(self):
        return f"{self.resource_id} → {self.woman_id}"


class BatchState(models.TextChoices):
    PROPOSED = "proposed", _("待审批")
    APPROVED = "approved", _("已审批")
    DISCARDED = "discarded", _("已放弃")


class MatchBatch(models.Model):
    """A county's batch matching: open employment goals against open job places; the proposed assignment waits
    for a cadre's approval, which sends the offers. `pairs`: [[goal id, resource id, km or null], …]."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=64, db_index=True)
    state = models.CharField(_("状态"), max_length=10, choices=BatchState.choices, default=BatchState.PROPOSED)
    pairs = models.JSONField(default=list)
    needs = models.PositiveIntegerField(_("待对接目标"))
    places = models.PositiveIntegerField(_("岗位名额"))
    matched = models.PositiveIntegerField(_("匹配"))
    mean_distance = models.FloatField(_("平均距离"), null=True)
    greedy_matched = models.PositiveIntegerField(_("就近贪心匹配"))
    greedy_mean_distance = models.FloatField(_("就近贪心平均距离"), null=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("批量对接")
        verbose_name_plural = _("批量对接")

    def __str__(self):
        return f"{self.unit_path} {self.created_at:%Y-%m-%d}"
