from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_otp.models import Device

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
    # an initial password a chair set (or one a manager reset) is changed at her next sign-in
    must_change_password = models.BooleanField(_("须修改密码"), default=False)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)

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


class SecondFactor(models.Model):
    """Her second factor's state: which kind she enrolled and the wrong codes since her last good one. The secret
    itself lives in django-otp's device (a TOTPDevice, or an SmsDevice for her account phone); recovery codes are a
    StaticDevice. SECOND_FACTOR_ATTEMPTS wrong codes lock it until a recovery code or a reset by a chair above."""

    class Kind(models.TextChoices):
        TOTP = "totp", _("验证器应用")
        SMS = "sms", _("短信验证码")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="second_factor")
    kind = models.CharField(pgettext_lazy("second factor", "方式"), max_length=8, choices=Kind.choices)
    failures = models.PositiveSmallIntegerField(_("连续错误次数"), default=0)
    locked_at = models.DateTimeField(_("锁定时间"), null=True, blank=True)
    enrolled_at = models.DateTimeField(_("启用时间"))

    class Meta:
        verbose_name = _("双因素认证")
        verbose_name_plural = _("双因素认证")

    def __str__(self):
        return f"{self.user_id} {self.kind}"

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class SmsDevice(Device):
    """A django-otp device whose codes are sent through core.otp (the outbox) to the phone she enrolled with — kept
    here, so changing her account's phone does not move her codes — and OTPMiddleware treats an SMS-verified session
    like a TOTP-verified one."""

    number = models.CharField(_("手机号"), max_length=20)

    class Meta:
        verbose_name = _("短信验证设备")
        verbose_name_plural = _("短信验证设备")

    def verify_token(self, token):
        from django.core.exceptions import ValidationError

        from fulian.core.otp import otp_check

        try:
            otp_check(phone=self.number, code=str(token))
        except ValidationError:
            return False
        return True


class CadreSession(models.Model):
    """One signed-in browser session of a cadre, for 我的登录设备 and the concurrent-session limit. Only a SHA-256 of
    the session key is kept: this table alone cannot be used to take over a session."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="cadre_sessions")
    key_hash = models.CharField(max_length=64, unique=True)
    device = models.CharField(_("设备"), max_length=80, blank=True)
    user_agent = models.CharField(max_length=200, blank=True)
    ip = models.GenericIPAddressField(_("地址"), null=True, blank=True)
    created_at = models.DateTimeField(_("登录时间"))
    last_used_at = models.DateTimeField(_("最近使用"))

    class Meta:
        verbose_name = _("登录会话")
        verbose_name_plural = _("登录会话")
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self):
        return f"{self.user_id} {self.device} {self.created_at:%Y-%m-%d %H:%M}"
