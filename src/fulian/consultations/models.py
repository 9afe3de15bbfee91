"""Consultations and representation (议事协商、代表妇女参与).

A unit opens a Consultation on a draft — a village rule (乡规民约), a community convention, a plan, a decision of
the federation — its text in Sections, a period and an audience (the women of its subtree, its executive committee,
or the public). Comments come per section (or on the whole) from women on the portal or 我的 (their phone proved by
a one-time code), or from cadres who gathered them on visits; each is shown only after the organiser approves it
(先审后发), and may be shown without her name. The organiser answers and records each section's outcome (adopted,
changed, not adopted, with reasons) and publishes the final text; a committee consultation can end in a vote of a
meeting (meetings.Decision.consultation).

An Inquiry puts a question to the units below through the dispatch mechanism (征求基层意见): each answers with its
view (InquiryAnswer), and the asking unit writes the summary. A Proposal is what the federation puts to the
people's congress, the government or the CPPCC (提案, 建议, comments on a draft law or rule): its text, the evidence
from the registry's figures (counts only — never a case's content), the reply and its outcome; adopted ones can be
listed on the portal.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DraftKind(models.TextChoices):
    VILLAGE_RULE = "village_rule", _("村规民约")
    CONVENTION = "convention", _("居民公约")
    PLAN = "plan", _("规划计划")
    DECISION = "decision", _("妇联决定")
    OTHER = "other", _("其他")


class Audience(models.TextChoices):
    SUBTREE = "subtree", _("本辖区妇女")
    COMMITTEE = "committee", _("执委会委员")
    PUBLIC = "public", _("社会公众")


class ConsultationState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    OPEN = "open", _("征求意见中")
    CLOSED = "closed", _("征求意见结束")
    FINAL = "final", _("已公布定稿")


class Consultation(models.Model):
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("发起单位"))
    unit_path = models.CharField(max_length=64, db_index=True)
    kind = models.CharField(_("类型"), max_length=14, choices=DraftKind.choices)
    title = models.CharField(_("标题"), max_length=120)
    intro = models.TextField(_("说明"), blank=True)
    audience = models.CharField(_("征求对象"), max_length=10, choices=Audience.choices)
    opens_on = models.DateField(_("开始日期"))
    closes_on = models.DateField(_("截止日期"))
    state = models.CharField(_("状态"), max_length=8, choices=ConsultationState.choices,
                             default=ConsultationState.DRAFT)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    final_text = models.TextField(_("定稿"), blank=True)
    final_note = models.TextField(_("采纳情况说明"), blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    comments_approved = models.PositiveIntegerField(default=0)
    comments_pending = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)
    client_token = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("议事协商")
        verbose_name_plural = _("议事协商")
        indexes = [models.Index(fields=["unit_path", "-created_at"]),
                   models.Index(fields=["state", "audience", "closes_on"])]
        constraints = [models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")),
                                              name="consultation_closes_after_it_opens")]

    def __str__(self):
        return self.title

    def is_open_on(self, day) -> bool:
        return self.state == ConsultationState.OPEN and self.opens_on <= day <= self.closes_on


class Outcome(models.TextChoices):
    PENDING = "", _("待定")
    ADOPTED = "adopted", _("采纳")
    CHANGED = "changed", _("修改后采纳")
    NOT_ADOPTED = "not_adopted", _("未采纳")


class Section(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="sections")
    number = models.PositiveSmallIntegerField(_("序号"))
    heading = models.CharField(_("条目"), max_length=100, blank=True)
    text = models.TextField(_("草案内容"))
    outcome = models.CharField(_("采纳情况"), max_length=12, choices=Outcome.choices, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    final_text = models.TextField(_("定稿内容"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("条目")
        verbose_name_plural = _("条目")
        ordering = ["consultation", "number"]
        constraints = [models.UniqueConstraint(fields=["consultation", "number"], name="one_section_number")]

    def __str__(self):
        return f"{self.number}. {self.heading}"


class CommentChannel(models.TextChoices):
    PORTAL = "portal", _("网上妇女之家")
    ACCOUNT = "account", _("我的")
    API = "api", _("应用")
    CADRE = "cadre", _("干部走访收集")


class CommentState(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已发布")
    REJECTED = "rejected", _("未发布")


class Comment(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="comments")
    unit_path = models.CharField(max_length=64)  # the consultation's: scoped with it
    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.CASCADE, related_name="comments")
    text = models.TextField(_("意见"))
    name = models.CharField(_("姓名"), max_length=30, blank=True)
    anonymous = models.BooleanField(_("匿名显示"), default=False)
    phone = models.CharField(max_length=20, blank=True)  # proved by a one-time code (never shown)
    channel = models.CharField(max_length=8, choices=CommentChannel.choices)
    woman = models.ForeignKey("people.Woman", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    gathered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    state = models.CharField(max_length=10, choices=CommentState.choices, default=CommentState.PENDING)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(_("不发布的原因"), max_length=200, blank=True)
    answer = models.TextField(_("答复"), blank=True)
    created_at = models.DateTimeField()
    client_token = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("意见")
        verbose_name_plural = _("意见")
        indexes = [models.Index(fields=["consultation", "state", "created_at"]),
                   models.Index(fields=["unit_path", "state"])]

    def __str__(self):
        return self.text[:30]

    @property
    def shown_name(self) -> str:
        return _("匿名") if self.anonymous or not self.name else self.name


class Inquiry(models.Model):
    """征求基层意见: a question sent down the tree (a Dispatch of kind "inquiry")."""

    dispatch = models.OneToOneField("dispatch.Dispatch", on_delete=models.PROTECT, related_name="inquiry")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=64, db_index=True)
    consultation = models.ForeignKey(Consultation, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="inquiries")
    question = models.TextField(_("征求意见的问题"))
    summary = models.TextField(_("意见汇总"), blank=True)
    summarised_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    client_token = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("征求基层意见")
        verbose_name_plural = _("征求基层意见")

    def __str__(self):
        return self.question[:40]


class Stance(models.TextChoices):
    AGREE = "agree", pgettext_lazy("stance", "同意")
    AGREE_WITH_CHANGES = "changes", _("原则同意，有修改意见")
    DISAGREE = "disagree", _("不同意")
    NO_VIEW = "none", _("无意见")


class InquiryAnswer(models.Model):
    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="answers")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=64)
    stance = models.CharField(_("意见"), max_length=10, choices=Stance.choices)
    text = models.TextField(_("具体意见"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField()

    class Meta:
        verbose_name = _("基层意见")
        verbose_name_plural = _("基层意见")
        constraints = [models.UniqueConstraint(fields=["inquiry", "unit"], name="one_answer_per_unit")]

    def __str__(self):
        return f"{self.unit_path}: {self.stance}"


class ProposalKind(models.TextChoices):
    PROPOSAL = "proposal", _("政协提案")
    SUGGESTION = "suggestion", _("人大建议")
    POLICY = "policy", _("对政府的建议")
    DRAFT_COMMENT = "draft_comment", _("对法律法规草案的意见")


class Addressee(models.TextChoices):
    CONGRESS = "congress", _("人大")
    GOVERNMENT = "government", _("政府")
    CPPCC = "cppcc", _("政协")


class ProposalOutcome(models.TextChoices):
    WAITING = "", _("待答复")
    ADOPTED = "adopted", _("已采纳")
    PARTLY = "partly", _("部分采纳")
    STUDYING = "studying", _("研究办理中")
    NOT_ADOPTED = "not_adopted", _("未采纳")


class Proposal(models.Model):
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("提出单位"))
    unit_path = models.CharField(max_length=64, db_index=True)
    kind = models.CharField(_("类型"), max_length=14, choices=ProposalKind.choices)
    addressee = models.CharField(_("提交对象"), max_length=10, choices=Addressee.choices)
    addressee_name = models.CharField(_("具体机关"), max_length=100, blank=True)
    subject = models.CharField(pgettext_lazy("proposal", "题目"), max_length=150)
    submitted_on = models.DateField(_("提交日期"))
    text = models.TextField(_("内容"))
    # [{"figure", "label", "unit_id", "unit", "start", "end", "value"}]: registry figures, counts only
    evidence = models.JSONField(_("数据依据"), default=list, blank=True)
    consultation = models.ForeignKey(Consultation, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="proposals")
    reply = models.TextField(_("答复"), blank=True)
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    outcome = models.CharField(_("办理结果"), max_length=12, choices=ProposalOutcome.choices, blank=True)
    public = models.BooleanField(_("在网上妇女之家公开"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)
    client_token = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("提案建议")
        verbose_name_plural = _("提案建议")
        indexes = [models.Index(fields=["unit_path", "-submitted_on"]),
                   models.Index(fields=["public", "outcome", "-replied_on"])]

    def __str__(self):
        return self.subject
