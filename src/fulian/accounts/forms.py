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
