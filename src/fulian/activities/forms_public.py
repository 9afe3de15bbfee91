import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from .signups import MAX_FAMILY_SIZE


class SignUpForm(forms.Form):
    """Her sign-up on the public calendar: her name, and — unless she is signed in to 我的 — her phone and the
    one-time code sent to it; a family activity asks how many of the family come. The client token makes a double
    tap one sign-up."""

    name = forms.CharField(label=_("姓名"), max_length=30, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    phone = forms.CharField(label=_("手机号"), max_length=20, widget=forms.TextInput(
        attrs={"inputmode": "tel", "autocomplete": "tel"}))
    code = forms.CharField(label=_("验证码"), max_length=6, required=False, widget=forms.TextInput(
        attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))
    family_size = forms.IntegerField(label=_("家庭参加人数"), min_value=1, max_value=MAX_FAMILY_SIZE, initial=2)
    client_token = forms.CharField(max_length=40, widget=forms.HiddenInput)

    def __init__(self, *args, activity, signed_in: bool, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("client_token", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        self.signed_in = signed_in
        if signed_in:
            del self.fields["phone"], self.fields["code"]
        if not activity.for_families:
            del self.fields["family_size"]

    def clean(self):
        data = super().clean()
        if not self.signed_in and not (data.get("code") or "").strip() and "code" not in self.errors:
            self.add_error("code", _("请先获取验证码，再填写收到的6位数字。"))
        return data
