"""Forms of help plans (帮扶台账): opening one with its first goal, changing it (with its version), closing it,
another goal, a record of help given, and an offer's outcome. Shape and widgets only; the rules are care.plans'
and care.matching's."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from fulian.core.forms import DateInput

from .models import GoalCategory, HelpKind, OfferOutcome, PlanOutcome, Skill


def _cadre_label(cadre) -> str:
    unit = cadre.unit.name if cadre.unit_id else ""
    return f"{cadre.get_full_name()} · {unit}"


class _Coordinates(forms.Form):
    lat = forms.FloatField(label=_("纬度(可不填)"), required=False, min_value=-90, max_value=90,
                           widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}))
    lng = forms.FloatField(label=_("经度(可不填)"), required=False, min_value=-180, max_value=180,
                           widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}))


class _PlanFields(_Coordinates):
    title = forms.CharField(label=_("帮扶事项"), max_length=100,
                            widget=forms.TextInput(attrs={"placeholder": _("如：就近就业帮扶")}))
    responsible = forms.ChoiceField(label=_("责任干部"))
    review_on = forms.DateField(label=_("复核日期"), widget=DateInput)

    field_order = ["title", "responsible", "review_on", "lat", "lng"]

    def __init__(self, *args, cadres=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].choices = [(str(c.pk), _cadre_label(c)) for c in cadres]


class PlanForm(_PlanFields):
    """建立帮扶台账 with its first goal."""

    category = forms.ChoiceField(label=_("第一个帮扶目标：类别"), choices=GoalCategory.choices)
    text = forms.CharField(label=_("帮扶目标"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))
    skills = forms.MultipleChoiceField(label=_("她的技能(就业类目标据此对接)"), required=False,
                                       choices=Skill.choices, widget=forms.CheckboxSelectMultiple)
    client_token = forms.CharField(widget=forms.HiddenInput, max_length=40, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["client_token"].initial = uuid.uuid4().hex


class PlanEditForm(_PlanFields):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class PlanCloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("结案情况"), choices=PlanOutcome.choices)
    note = forms.CharField(label=_("结案说明"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class GoalForm(forms.Form):
    category = forms.ChoiceField(label=_("目标类别"), choices=GoalCategory.choices)
    text = forms.CharField(label=_("帮扶目标"), max_length=300)
    skills = forms.MultipleChoiceField(label=_("她的技能"), required=False, choices=Skill.choices,
                                       widget=forms.CheckboxSelectMultiple)


class HelpForm(forms.Form):
    given_on = forms.DateField(label=_("日期"), widget=DateInput)
    kind = forms.ChoiceField(label=_("帮扶方式"), choices=HelpKind.choices)
    amount = forms.DecimalField(label=_("金额(元)"), required=False, min_value=0, max_digits=12, decimal_places=2,
                                widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}))
    hours = forms.DecimalField(label=_("时长(小时)"), required=False, min_value=0, max_digits=8, decimal_places=1,
                               widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.5"}))
    provider = forms.CharField(label=_("提供方"), max_length=100)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)
    client_token = forms.CharField(widget=forms.HiddenInput, max_length=40, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["client_token"].initial = uuid.uuid4().hex


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("落实情况"), choices=OfferOutcome.choices)
    on = forms.DateField(label=_("落实日期"), widget=DateInput)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)
