from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.utils.translation import gettext_lazy as _

from fulian.core.policy import Role


class TokenForm(forms.Form):
    name = forms.CharField(label=_("用途"), max_length=60, help_text=_("例如：县妇联数据对接程序"))


class AccountForm(forms.Form):
    username = forms.RegexField(label=_("用户名"), max_length=40, regex=r"^[A-Za-z0-9_.@-]+$",
                                help_text=_("字母、数字或 _ . @ -"))
    full_name = forms.CharField(label=_("姓名"), max_length=60)
    phone = forms.RegexField(label=_("手机号"), regex=r"^1[3-9]\d{9}$", required=False,
                             error_messages={"invalid": _("请输入11位手机号。")})
    roles = forms.MultipleChoiceField(label=_("角色"), choices=Role.choices, widget=forms.CheckboxSelectMultiple)
    password = forms.CharField(label=_("初始密码"), widget=forms.PasswordInput,
                               help_text=password_validators_help_text_html)
