"""Her comment on the portal: which section, the comment, her name (or 匿名显示), and — unless she is signed in to
我的 — her phone and the one-time code sent to it. The client token makes a double tap one comment. Shape only; the
rules (period, audience, the code) are consultations.comments'."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from fulian.core.forms import errors_to_form as core_errors_to_form

from .comments import MAX_COMMENT
from .forms import section_choices

# a service's error code → the field it is about (anything else is shown above the form)
FIELD_OF_CODE = {"comment_text": "text", "comment_long": "text", "section": "section", "phone_not_mobile": "phone",
                 "otp_wrong": "code", "otp_expired": "code", "name_blank": "name", "name_long": "name",
                 "name_digits": "name"}


class CommentForm(forms.Form):
    section = forms.ChoiceField(label=_("对哪一条提意见"), required=False)
    text = forms.CharField(label=_("您的意见"), max_length=MAX_COMMENT, widget=forms.Textarea(attrs={"rows": 4}))
    name = forms.CharField(label=_("姓名"), max_length=30, required=False,
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    anonymous = forms.BooleanField(label=_("匿名显示（公开时不显示姓名）"), required=False)
    phone = forms.CharField(label=_("手机号"), max_length=20, widget=forms.TextInput(
        attrs={"inputmode": "tel", "autocomplete": "tel"}))
    code = forms.CharField(label=_("验证码"), max_length=6, required=False, widget=forms.TextInput(
        attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))
    client_token = forms.CharField(max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, sections=(), signed_in: bool = False, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("client_token", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        self.signed_in = signed_in
        self.fields["section"].choices = section_choices(sections)
        if signed_in:
            del self.fields["phone"], self.fields["code"]

    def clean(self):
        data = super().clean()
        if not self.signed_in and not (data.get("code") or "").strip() and "code" not in self.errors:
            self.add_error("code", _("请先获取验证码，再填写收到的6位数字。"))
        return data


def errors_to_form(form, exc) -> None:
    core_errors_to_form(form, exc, FIELD_OF_CODE)
