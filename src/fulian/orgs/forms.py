from django import forms
from django.utils.translation import gettext_lazy as _

from fulian.core.forms import DateInput

from .models import Conversion, Kind, PostKind


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("组织名称"), max_length=100)
    kind = forms.ChoiceField(
        label=_("类别"),
        choices=[(k.value, k.label) for k in Kind if k != Kind.GEOGRAPHIC],
        initial=Kind.NEW_ORGANISATION,
    )


class ConversionForm(forms.Form):
    conversion = forms.ChoiceField(choices=[(Conversion.CONGRESS, Conversion.CONGRESS.label),
                                            (Conversion.FEDERATION, Conversion.FEDERATION.label)])


class StaffForm(forms.Form):
    """One cadre of the named roster; the rules (a 挂职 cadre's end date, an account once) are building.staff_add's."""

    name = forms.CharField(label=_("姓名"), max_length=30)
    kind = forms.ChoiceField(label=_("人员类别"), choices=PostKind.choices, initial=PostKind.FULL_TIME)
    post = forms.CharField(label=_("职务"), max_length=40, required=False)
    starts_on = forms.DateField(label=_("到岗日期"), widget=DateInput())
    ends_on = forms.DateField(label=_("离岗/挂职期满日期"), widget=DateInput(), required=False,
                              help_text=_("挂职干部必填；其他人员离岗时再填。"))
    seconded_from = forms.CharField(label=_("派出单位（挂职）"), max_length=100, required=False)
    phone = forms.CharField(label=_("电话"), max_length=20, required=False)
    account = forms.ModelChoiceField(label=_("干部账号"), queryset=None, required=False,
                                     empty_label=_("没有账号"))

    def __init__(self, *args, unit, user, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        from fulian.core.policy import scope_q

        self.fields["account"].queryset = (get_user_model().objects.filter(scope_q(user, field="unit__path"),
                                                                           unit=unit, is_active=True)
                                           .order_by("username"))


class StaffEndForm(forms.Form):
    ends_on = forms.DateField(label=_("离岗日期"), widget=DateInput())
