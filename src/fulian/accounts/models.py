from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from fulian.core.policy import Role


class CadreManager(UserManager):
    def get_queryset(self):
        # request.user's unit is needed on every page for the data scope: fetch it with the user.
        return super().get_queryset().select_related("unit")


class User(AbstractUser):
    """A cadre account: belongs to one unit, acts within its subtree according to her roles."""

    full_name = models.CharField(_("姓名"), max_length=60, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("所属组织"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="accounts",
    )
    roles = models.JSONField(_("角色"), default=list, blank=True)

    objects = CadreManager()

    class Meta:
        verbose_name = _("干部账号")
        verbose_name_plural = _("干部账号")

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or self.username

    @property
    def role_labels(self) -> list[str]:
        labels = dict(Role.choices)
        return [str(labels.get(r, r)) for r in self.roles or []]


class ApiToken(models.Model):
    """A bearer token for programs. Only its SHA-256 is stored; the token is shown once, at creation."""

    user = models.ForeignKey(User, verbose_name=_("账号"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("用途"), max_length=60)
    prefix = models.CharField(_("前缀"), max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"))
    expires_at = models.DateTimeField(_("到期时间"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        from django.utils import timezone

        return self.revoked_at is None and self.expires_at > timezone.now()


class PasswordHistory(models.Model):
    """Hashes of her earlier passwords, so a new one cannot be an old one (PASSWORD_HISTORY)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    changed_at = models.DateTimeField()

    def __str__(self):
        return f"{self.user_id} {self.changed_at:%Y-%m-%d}"
