"""Family awards (家庭评选): 最美家庭, 五好家庭, 美丽庭院 and a unit's own.

An AwardCampaign is launched by a unit and sent down the tree on the dispatch mechanism (kind "award"); a lower
unit may run its own round under it (`parent`). Families are nominated (Nomination) by a village or community
federation from the registry's Family, by themselves or others on the portal (phone proved by a one-time code), or
from the media by a cadre. A nomination waits at one unit at a time (`at_unit`): that unit's reviewers score it
(Score), and the unit decides (Decision): recommend it up to its parent (within its quota), keep it at its own
level, or decline it. Before a nomination first moves on, an eligibility check looks for an open domestic-violence
or family-dispute case of a member (EligibilityCheck): it is then held for someone with need-to-know of that case,
and shown to everyone else as an ordinary 未推荐. At the awarding unit the shortlist may be put to a public vote
(Vote: one per proved phone per campaign per day, never decisive) and is then shown in public notice (公示) for at
least five working days (core.workdays), when anyone may lodge an Objection that blocks the award until the
reviewing unit records its finding. Awarded families get a numbered core Certificate, a showcase page and story
relays (StoryRelay: activities of the activities module that pass their story on). Every row carries a unit path,
so scope is one prefix test.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fulian.core.storage import PrivateStorage


class AwardKind(models.TextChoices):
    MOST_BEAUTIFUL = "most_beautiful", _("最美家庭")
    FIVE_GOOD = "five_good", _("五好家庭")
    COURTYARD = "courtyard", _("美丽庭院")
    OWN = "own", _("其他评选")


class CampaignStatus(models.TextChoices):
    OPEN = "open", _("推荐评审中")
    NOTICE = "notice", _("公示中")
    AWARDED = "awarded", _("已表彰")
    CANCELLED = "cancelled", _("已撤销")


class AwardCampaign(models.Model):
    """评选活动: launched by `unit` (its awarding unit), sent down to the units of a level below on a Dispatch.

    `criteria`: [{"key": "k1", "label": "家风家教", "max": 25}, …] — what reviewers score. `tiers`: [{"name": "十佳",
    "quota": 10}, {"name": "百优", "quota": 100}] or [] for one honour with `award_quota` (None: no limit).
    `quotas`: {"<level>": n} — each unit of that level recommends at most n to its parent (e.g. {"3": 5}: each
    county at most 5 to the city). Dates: nominations until `nominate_until`, review until `review_until`, the
    public vote (optional) from `vote_from` to `vote_until`, then 公示 of `notice_days` working days (≥ 5)."""

    dispatch = models.OneToOneField("dispatch.Dispatch", on_delete=models.PROTECT, related_name="award_campaign")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="rounds",
                               verbose_name=_("上级评选"))
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("评选单位"), on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=64, db_index=True)
    kind = models.CharField(_("评选类别"), max_length=16, choices=AwardKind.choices)
    name = models.CharField(_("评选名称"), max_length=100)
    year = models.PositiveSmallIntegerField(_("年度"))
    description = models.TextField(_("评选标准和要求"), blank=True)
    criteria = models.JSONField(_("评分项"), default=list, blank=True)
    tiers = models.JSONField(_("奖项档次"), default=list, blank=True)
    award_quota = models.PositiveIntegerField(_("表彰名额"), null=True, blank=True)
    quotas = models.JSONField(_("各级推荐名额"), default=dict, blank=True)
    nominate_until = models.DateField(_("推荐截止"))
    review_until = models.DateField(_("评审截止"))
    portal_open = models.BooleanField(_("接受网上自荐和他荐"), default=True)
    vote_from = models.DateField(_("网络投票开始"), null=True, blank=True)
    vote_until = models.DateField(_("网络投票结束"), null=True, blank=True)
    notice_days = models.PositiveSmallIntegerField(_("公示工作日数"), default=5)
    notice_from = models.DateField(_("公示开始"), null=True, blank=True)
    notice_until = models.DateField(_("公示结束"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.OPEN)
    awarded_at = models.DateTimeField(_("表彰时间"), null=True, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    version = models.PositiveIntegerField(default=1)
    client_token = models.CharField(max_length=40, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("家庭评选")
        verbose_name_plural = _("家庭评选")
        indexes = [models.Index(fields=["unit_path", "-year"], name="award_campaign_scope")]

    def __str__(self):
        return self.name


class Channel(models.TextChoices):
    ORGANISATION = "org", _("组织推荐")
    SELF = "self", _("自我推荐")
    OTHERS = "others", _("他人推荐")
    MEDIA = "media", _("媒体推荐")


PORTAL_CHANNELS = (Channel.SELF, Channel.OTHERS)


class NominationState(models.TextChoices):
    PENDING = "pending", _("待评审")
    HELD = "held", _("待核查")  # eligibility: shown to all but need-to-know as DECLINED (未推荐)
    KEPT = "kept", _("本级保留")
    DECLINED = "declined", _("未推荐")
    SHORTLISTED = "shortlisted", _("入围")
    AWARDED = "awarded", _("已表彰")
    MERGED = "merged", _("已合并")
    WITHDRAWN = "withdrawn", _("已撤回")


class Nomination(models.Model):
    """A family put forward in a campaign. `unit_path` is the family's village (社区): whose subtree may see it.
    `at_unit` holds it now (it decides next); `level_reached` is the highest level it has reached.
    `members`: [{"name": "张秀英", "relation": "本人", "woman_id": 12 | null, "consent": true}] — only the names of
    members who consented are ever shown in public (`consent_recorded_by` / `_at` say who recorded it)."""

    campaign = models.ForeignKey(AwardCampaign, on_delete=models.CASCADE, related_name="nominations")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("所在村(社区)"), on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=64)
    at_unit = models.ForeignKey("orgs.Unit", verbose_name=_("当前评审单位"), on_delete=models.PROTECT,
                                related_name="+")
    at_path = models.CharField(max_length=64)
    level_reached = models.PositiveSmallIntegerField(_("推荐到"))
    family = models.ForeignKey("people.Family", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="award_nominations", verbose_name=_("家庭"))
    family_name = models.CharField(_("家庭名称"), max_length=60)
    family_phone = models.CharField(_("家庭联系电话"), max_length=20, blank=True)
    title = models.CharField(_("事迹标题"), max_length=100, blank=True)
    story = models.TextField(_("家庭事迹"))
    members = models.JSONField(_("家庭成员"), default=list, blank=True)
    consent_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                            on_delete=models.SET_NULL, related_name="+")
    consent_recorded_at = models.DateTimeField(null=True, blank=True)
    channel = models.CharField(_("推荐渠道"), max_length=8, choices=Channel.choices)
    source = models.CharField(_("媒体来源"), max_length=200, blank=True)
    nominator_name = models.CharField(_("推荐人"), max_length=30, blank=True)
    nominator_phone = models.CharField(_("推荐人手机号"), max_length=20, blank=True)
    state = models.CharField(_("状态"), max_length=12, choices=NominationState.choices,
                             default=NominationState.PENDING)
    reason = models.CharField(_("未推荐原因"), max_length=200, blank=True)
    tier = models.CharField(_("奖项档次"), max_length=30, blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged",
                                    verbose_name=_("合并到"))
    eligibility_checked_at = models.DateTimeField(null=True, blank=True)
    awarded_at = models.DateTimeField(null=True, blank=True)
    certificate = models.ForeignKey("core.Certificate", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    client_token = models.CharField(max_length=40, null=True, blank=True, unique=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("评选推荐")
        verbose_name_plural = _("评选推荐")
        indexes = [
            # the standing page's one grouped query reads only these columns: answered from the index alone
            models.Index(fields=["campaign", "unit_path", "state", "channel", "level_reached"],
                         name="nomination_standing"),
            models.Index(fields=["campaign", "at_path", "state"], name="nomination_queue"),
            models.Index(fields=["campaign", "family_phone"], name="nomination_phone"),
        ]
        constraints = [
            # one live nomination of a registry family per campaign: a second is merged into the first
            models.UniqueConstraint(fields=["campaign", "family"], condition=models.Q(family__isnull=False)
                                    & ~models.Q(state__in=["merged", "withdrawn"]), name="nomination_family_once"),
        ]

    def __str__(self):
        return self.family_name


class Photo(models.Model):
    """A photo of a nominated family (private storage; shown in public only once the family is awarded or in 公示,
    and only when `public`)."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="awards/%Y/%m/", storage=PrivateStorage())
    content_type = models.CharField(max_length=40)
    caption = models.CharField(_("说明"), max_length=100, blank=True)
    public = models.BooleanField(_("可公开"), default=True)
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    def __str__(self):
        return self.caption or self.file.name


class EligibilityCheck(models.Model):
    """An open domestic-violence or family-dispute case of a member, found when the nomination first moved on.
    Only someone with need-to-know of that case (its handlers and the leaders above it: the cases app says who,
    through a hook) sees this row and decides; everyone else sees the nomination as 未推荐."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="checks")
    case_id = models.BigIntegerField()
    case_path = models.CharField(max_length=64)
    found_at = models.DateTimeField()
    cleared = models.BooleanField(null=True, blank=True)  # None: waiting; True: may go on; False: stays 未推荐
    # the decision the holding unit wanted when the check held it: carried out once the check is cleared
    wanted_kind = models.CharField(max_length=14, blank=True)
    wanted_tier = models.CharField(max_length=30, blank=True)
    wanted_unit = models.ForeignKey("orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    wanted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    note = models.CharField(_("核查意见"), max_length=200, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["case_path", "cleared"], name="eligibility_queue")]

    def __str__(self):
        return f"{self.nomination_id} case {self.case_id}"


class Score(models.Model):
    """One reviewer's scores of a nomination at her unit's level: {criterion key: points}; `total` their sum."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="scores")
    unit_path = models.CharField(max_length=64)
    level = models.PositiveSmallIntegerField()
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    points = models.JSONField(default=dict)
    total = models.DecimalField(max_digits=7, decimal_places=2)
    comment = models.CharField(_("评语"), max_length=500, blank=True)
    scored_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["nomination", "level", "reviewer"], name="score_once")]

    def __str__(self):
        return f"{self.nomination_id} {self.total}"


class DecisionKind(models.TextChoices):
    RECOMMEND = "recommend", _("推荐上报")
    KEEP = "keep", _("本级保留")
    DECLINE = "decline", _("不予推荐")
    SHORTLIST = "shortlist", _("确定入围")
    AWARD = "award", _("表彰")
    CLEAR = "clear", _("核查通过")
    HOLD_DECLINE = "hold_decline", _("核查不通过")
    MERGE = "merge", _("合并重复")


class Decision(models.Model):
    """What a unit decided about a nomination, level by level: the nomination's history. Quotas count the live
    RECOMMEND decisions of a unit in a campaign (`undone_at` is set when a later decision of the same unit replaces
    it)."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="decisions")
    campaign = models.ForeignKey(AwardCampaign, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=64)
    level = models.PositiveSmallIntegerField()
    kind = models.CharField(_("决定"), max_length=14, choices=DecisionKind.choices)
    reason = models.CharField(_("理由"), max_length=200, blank=True)
    tier = models.CharField(_("奖项档次"), max_length=30, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField()
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["campaign", "unit", "kind"], name="decision_quota")]

    def __str__(self):
        return f"{self.nomination_id} {self.kind}"


class Vote(models.Model):
    """A public vote for a shortlisted family: one per proved phone (kept as a keyed hash) per campaign per day."""

    campaign = models.ForeignKey(AwardCampaign, on_delete=models.CASCADE, related_name="+", db_index=False)
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="votes")
    unit_path = models.CharField(max_length=64)
    phone_hash = models.CharField(max_length=64)
    day = models.DateField()
    cast_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "phone_hash", "day"], name="vote_once_a_day")]

    def __str__(self):
        return f"{self.nomination_id} {self.day}"


class ObjectionOutcome(models.TextChoices):
    UPHELD = "upheld", _("反映属实，不予表彰")
    DISMISSED = "dismissed", _("反映不属实，维持")


class Objection(models.Model):
    """异议 lodged during 公示: private to the reviewing unit (`unit_path`, the campaign's) and the units above it; it
    blocks the family's award until that unit records its finding (`outcome`). Anonymous allowed; a contact is for
    follow-up only and never shown beyond that unit."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="objections")
    campaign = models.ForeignKey(AwardCampaign, on_delete=models.CASCADE, related_name="+")
    unit_path = models.CharField(max_length=64)
    text = models.TextField(_("异议内容"))
    anonymous = models.BooleanField(_("匿名"), default=False)
    name = models.CharField(_("姓名"), max_length=30, blank=True)
    contact = models.CharField(_("联系方式"), max_length=40, blank=True)
    lodged_at = models.DateTimeField()
    outcome = models.CharField(_("核查结论"), max_length=10, choices=ObjectionOutcome.choices, blank=True)
    finding = models.TextField(_("核查情况"), blank=True)
    found_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    found_at = models.DateTimeField(null=True, blank=True)
    client_token = models.CharField(max_length=40, null=True, blank=True, unique=True)

    class Meta:
        indexes = [models.Index(fields=["campaign", "outcome"], name="objection_open")]

    def __str__(self):
        return f"{self.nomination_id} {self.lodged_at:%Y-%m-%d}"


class VenueKind(models.TextChoices):
    VILLAGE = "village", _("进村")
    COMMUNITY = "community", _("进社区")
    AGENCY = "agency", _("进机关")
    SCHOOL = "school", _("进校园")
    BARRACKS = "barracks", _("进军营")
    OTHER = "other", _("其他")


class StoryRelay(models.Model):
    """故事传递: an awarded family's story passed on at an activity (the activities module's Activity, by id: awards
    never imports activities) in a village, community, agency, school or barracks."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="relays")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=64, db_index=True)
    venue = models.CharField(_("传递到"), max_length=10, choices=VenueKind.choices)
    activity_id = models.BigIntegerField(null=True, blank=True)
    title = models.CharField(_("活动名称"), max_length=100)
    held_on = models.DateField(_("日期"))
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["nomination", "activity_id"],
                                               condition=models.Q(activity_id__isnull=False), name="relay_once")]

    def __str__(self):
        return self.title
