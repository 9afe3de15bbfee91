from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fulian.core.storage import PrivateStorage


class Category(models.TextChoices):
    BULLETIN = "bulletin", _("改革信息台")
    PRACTICE = "practice", _("典型做法")
    NOTICE = "notice", _("通知公告")
    POLICY = "policy", _("政策法规")


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    REVIEW = "review", _("待审核")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


class Article(models.Model):
    """A piece for the portal and the other channels: written, reviewed by a leader, then published."""

    unit = models.ForeignKey("orgs.Unit", verbose_name=_("发布组织"), on_delete=models.PROTECT, related_name="articles")
    unit_path = models.CharField(max_length=64, db_index=True)
    category = models.CharField(_("栏目"), max_length=10, choices=Category.choices)
    title = models.CharField(_("标题"), max_length=120)
    body = models.TextField(_("正文"))
    issuer = models.CharField(_("发文机关/文号"), max_length=120, blank=True, help_text=_("政策法规填写"))
    status = models.CharField(_("状态"), max_length=10, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT)
    channels = models.JSONField(_("推送渠道"), default=list, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    review_note = models.CharField(_("审核意见"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("文章")
        verbose_name_plural = _("文章")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status", "category", "published_at"])]

    def __str__(self):
        return self.title


class WomanAccount(models.Model):
    """A woman's own account (optional): signed in with her phone and a one-time code."""

    phone = models.CharField(_("手机号"), max_length=20, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField(null=True, blank=True)
    # app tokens issued before this moment are dead (signing out everywhere)
    tokens_valid_after = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("妇女账号")
        verbose_name_plural = _("妇女账号")

    def __str__(self):
        return self.phone[:3] + "****" + self.phone[-4:]


class PracticeStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    HELD = "held", _("待处理")
    RETURNED = "returned", _("已退回")
    REVIEW = "review", _("发布审核中")
    PUBLISHED = "published", _("已发布")


class Practice(models.Model):
    """典型做法: written by a unit, passed up the tree level by level (each level holds it until it passes it up,
    returns it or publishes it as a portal article through the publishing review). Visible to the origin unit
    and every unit above it (`unit_path` is the origin's)."""

    unit = models.ForeignKey("orgs.Unit", verbose_name=_("报送单位"), on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=64, db_index=True)
    holder = models.ForeignKey("orgs.Unit", verbose_name=_("当前所在单位"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("标题"), max_length=120)
    body = models.TextField(_("正文"))
    status = models.CharField(_("状态"), max_length=10, choices=PracticeStatus.choices, default=PracticeStatus.DRAFT)
    note = models.CharField(_("退回意见"), max_length=500, blank=True)
    article = models.OneToOneField(Article, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="practice", verbose_name=_("发布的文章"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1)
    # the writing form's one-time token: a second click on 报送 finds the practice the first one made
    client_token = models.CharField(max_length=40, null=True, blank=True, unique=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    submitted_at = models.DateTimeField(_("首次报送时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("典型做法")
        verbose_name_plural = _("典型做法")
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["holder", "status"])]
        constraints = [
            models.CheckConstraint(condition=~models.Q(status="held", holder__isnull=True),
                                   name="practice_held_has_holder"),
            models.CheckConstraint(condition=~models.Q(status__in=["review", "published"], article__isnull=True),
                                   name="practice_published_has_article"),
        ]

    def __str__(self):
        return self.title


class PracticePhoto(models.Model):
    """A practice's photo, kept privately; served to cadres who see the practice, and to everyone once its article
    is published."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="portal/practices/%Y/%m/", storage=PrivateStorage())
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.name


class PracticeAction(models.TextChoices):
    SUBMIT = "submit", _("报送")
    PASS_UP = "pass_up", _("上报")
    RETURN = "return", _("退回")
    PUBLISH = "publish", _("送发布审核")
    PUBLISHED = "published", _("审核发布")
    REJECTED = "rejected", _("发布审核退回")


class PracticeStep(models.Model):
    """One step of a practice's trail: who did what at which unit, when, with what comment."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("操作"), max_length=10, choices=PracticeAction.choices)
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=64, db_index=True)  # the acting unit: "passed up" counts here
    to_unit = models.ForeignKey("orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()
    comment = models.CharField(_("意见"), max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.practice_id} {self.action}"
