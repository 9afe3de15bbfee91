from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
