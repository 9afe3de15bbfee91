"""Forms of the public award pages (no login): proving a phone to vote, lodging an objection in 公示; and the
cadre's finding on an objection."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ObjectionOutcome
from .notice import MAX_FINDING, MAX_TEXT


class VoterForm(forms.Form):
    """Her phone and the one-time code sent to it: proved once, then she votes with the pass it gives."""

    phone = forms.CharField(label=_("手机号"), max_length=20, widget=forms.TextInput(
        attrs={"inputmode": "tel", "autocomplete": "tel"}))
    code = forms.CharField(label=_("验证码"), max_length=6, required=False, widget=forms.TextInput(
        attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))
    nomination = forms.IntegerField(required=False, min_value=1, max_value=2**53, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if not (data.get("code") or "").strip() and "code" not in self.errors:
            self.add_error("code", _("请先获取验证码，再填写收到的6位数字。"))
        return data


class ObjectionForm(forms.Form):
    """An objection about one shortlisted family during 公示: what she knows; her name and a contact are asked
    for follow-up, and may be left out (匿名)."""

    nomination = forms.TypedChoiceField(label=_("反映哪个家庭"), coerce=int, empty_value=None)
    text = forms.CharField(label=_("反映的情况"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 6}))
    anonymous = forms.BooleanField(label=_("匿名反映（不留姓名和联系方式）"), required=False)
    name = forms.CharField(label=_("姓名"), max_length=30, required=False,
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    contact = forms.CharField(label=_("联系方式"), max_length=40, required=False, help_text=_(
        "手机号或其他联系方式，只用于核查时联系您，不会公开。"), widget=forms.TextInput(attrs={"autocomplete": "tel"}))
    client_token = forms.CharField(max_length=40, widget=forms.HiddenInput)

    def __init__(self, *args, families=(), **kwargs):
        kwargs.setdefault("initial", {}).setdefault("client_token", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        self.fields["nomination"].choices = [("", _("请选择"))] + [
            (f["id"], f"{f['family_name']}（{f['village']}）") for f in families]


class FindingForm(forms.Form):
    """核查结论 of an objection: what was found, and whether it is upheld."""

    outcome = forms.ChoiceField(label=_("核查结论"), choices=ObjectionOutcome.choices, widget=forms.RadioSelect)
    finding = forms.CharField(label=_("核查情况"), max_length=MAX_FINDING, widget=forms.Textarea(attrs={"rows": 5}))
