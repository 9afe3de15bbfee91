"""Forms of the care registry: a woman into a care group and out of it, and a child under a family (with the
guardian's consent). Shape and widgets only; the rules are care.registry's, whose ValidationError the view shows."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from fulian.core.forms import DateInput

from .models import CareGroup, ChildSituation, DisabilityGrade, EndReason, LowIncomeKind


def _token_initial(form) -> None:
    if not form.is_bound:
        form.fields["client_token"].initial = uuid.uuid4().hex


class MembershipForm(forms.Form):
    group = forms.ChoiceField(label=_("关爱类别"), choices=CareGroup.choices)
    start_on = forms.DateField(label=_("纳入日期"), widget=DateInput)
    low_income_kind = forms.ChoiceField(label=_("低收入类别(低收入妇女填写)"), required=False,
                                        choices=[("", "—")] + LowIncomeKind.choices)
    disability_grade = forms.TypedChoiceField(label=_("残疾人证等级(残疾妇女填写)"), required=False, coerce=int,
                                              empty_value=None, choices=[("", "—")] + DisabilityGrade.choices)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)
    client_token = forms.CharField(widget=forms.HiddenInput, max_length=40, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _token_initial(self)


class MembershipEndForm(forms.Form):
    end_on = forms.DateField(label=_("退出日期"), widget=DateInput)
    reason = forms.ChoiceField(label=_("退出原因"), choices=EndReason.choices)


class _ChildFields(forms.Form):
    name = forms.CharField(label=_("儿童姓名"), max_length=30)
    sex = forms.ChoiceField(label=_("性别"), choices=[("f", _("女")), ("m", _("男"))], widget=forms.RadioSelect)
    birth_date = forms.DateField(label=_("出生日期"), widget=DateInput)
    school = forms.CharField(label=_("学校和年级"), max_length=100, required=False)
    situation = forms.ChoiceField(label=_("儿童类别"), choices=ChildSituation.choices)
    situation_note = forms.CharField(label=_("情况说明"), max_length=300, required=False,
                                     widget=forms.Textarea(attrs={"rows": 3}))
    guardian = forms.ChoiceField(label=_("母亲或监护人(家庭成员)"), required=False)
    guardian_name = forms.CharField(label=_("监护人姓名(不在名册时填写)"), max_length=30, required=False)
    guardian_relation = forms.CharField(label=_("与儿童关系"), max_length=20,
                                        widget=forms.TextInput(attrs={"placeholder": _("如：母亲、祖母")}))
    guardian_phone = forms.CharField(label=_("监护人电话"), max_length=20, required=False,
                                     widget=forms.TextInput(attrs={"inputmode": "tel"}))

    def __init__(self, *args, guardians=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guardian"].choices = [("", _("不在名册中"))] + [(str(w.pk), w.name) for w in guardians]


class ChildForm(_ChildFields):
    """登记儿童: the guardian's consent (who and when) comes first — without it nothing is kept."""

    consent_by = forms.CharField(label=_("同意人(父母或监护人)"), max_length=30)
    consent_on = forms.DateField(label=_("同意日期"), widget=DateInput)
    consent_note = forms.CharField(label=_("同意方式"), max_length=100, required=False,
                                   widget=forms.TextInput(attrs={"placeholder": _("如：签字同意书、当面口头同意")}))
    client_token = forms.CharField(widget=forms.HiddenInput, max_length=40, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _token_initial(self)


class ChildEditForm(_ChildFields):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ChildEndForm(forms.Form):
    ended_on = forms.DateField(label=_("不再关爱日期"), widget=DateInput)
