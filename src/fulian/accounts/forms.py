import time

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fulian.core.context import client_ip
from fulian.core.policy import Role
from fulian.core.ratelimit import rate_count, rate_hit


class TokenForm(forms.Form):
    name = forms.CharField(label=_("用途"), max_length=60, help_text=_("例如：县妇联数据对接程序"))


class AccountForm(forms.Form):
    username = forms.RegexField(label=_("用户名"), max_length=40, regex=r"^[A-Za-z0-9_.@-]+$",
                                help_text=_("字母、数字或 _ . @ -"))
    full_name = forms.CharField(label=_("姓名"), max_length=60)
    phone = forms.RegexField(label=_("手机号"), regex=r"^1[3-9][0-9]{9}$", required=False,
                             error_messages={"invalid": _("请输入11位手机号。")})
    roles = forms.MultipleChoiceField(label=_("角色"), choices=Role.choices, widget=forms.CheckboxSelectMultiple)
    password = forms.CharField(label=_("初始密码"), widget=forms.PasswordInput,
                               help_text=password_validators_help_text_html)


class AccountEditForm(forms.Form):
    full_name = forms.CharField(label=_("姓名"), max_length=60)
    phone = forms.RegexField(label=_("手机号"), regex=r"^1[3-9][0-9]{9}$", required=False,
                             error_messages={"invalid": _("请输入11位手机号。")})
    unit_code = forms.RegexField(label=_("所属组织代码"), regex=r"^[0-9]{12}$",
                                 help_text=_("12位区划代码。调到其他组织时，她联系的妇女转交给原组织的其他干部，"
                                             "她承办的个案交回原组织领导重新指定。"),
                                 error_messages={"invalid": _("请输入12位组织代码。")})
    roles = forms.MultipleChoiceField(label=_("角色"), choices=Role.choices, widget=forms.CheckboxSelectMultiple,
                                      required=False)
    is_active = forms.BooleanField(label=_("账号有效"), required=False,
                                   help_text=_("停用后不能登录，API 令牌全部撤销。"))


class PasswordSetForm(forms.Form):
    password = forms.CharField(label=_("新密码"), widget=forms.PasswordInput,
                               help_text=password_validators_help_text_html)


class LoginForm(AuthenticationForm):
    """Sign-in with two limits besides the lockout of one username from one address (django-axes): failures from
    one address across all usernames, and a per-username back-off that slows guessing from many addresses
    without locking the real cadre out (she waits seconds, not half an hour). Counted in the shared cache."""

    def clean(self):
        username = (self.data.get("username") or "").strip().lower()
        ip = client_ip(self.request)
        now = time.time()
        if rate_count("login-fail-address", ip, seconds=3600) >= settings.LOGIN_FAILURES_PER_ADDRESS:
            raise ValidationError(_("这个网络地址登录失败次数太多，请一小时后再试。"), code="address_limited")
        wait = int((cache.get(f"login-backoff:{username}") or 0) - now)
        if wait > 0:
            raise ValidationError(_("这个账号近期登录失败较多，请 %(s)d 秒后再试。") % {"s": wait}, code="backoff")
        try:
            return super().clean()
        except ValidationError:
            rate_hit("login-fail-address", ip, limit=10**9, seconds=3600)
            fails = cache.get(f"login-fails:{username}", 0) + 1
            cache.set(f"login-fails:{username}", fails, 3600)
            free = settings.LOGIN_FAILURES_PER_USERNAME_FREE
            if fails > free:
                delay = min(2 ** (fails - free), settings.LOGIN_BACKOFF_MAX_SECONDS)
                cache.set(f"login-backoff:{username}", now + delay, delay + 1)
            raise


class CodeForm(forms.Form):
    code = forms.CharField(label=_("验证码"), max_length=20, help_text=_("验证器应用或短信中的 6 位数字，或一个恢复码"),
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text",
                                                         "autofocus": True}))
