import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fulian.core.forms import DateInput

from .models import Channel, NeedCategory


class ContactForm(forms.Form):
    contacted_on = forms.DateField(label=_("联系日期"), widget=DateInput())
    channel = forms.ChoiceField(label=_("方式"), choices=Channel.choices, widget=forms.RadioSelect,
                                initial=Channel.HOME_VISIT)
    views = forms.CharField(label=_("思想动态"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    help_given = forms.CharField(label=_("提供的帮助"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    need_categories = forms.MultipleChoiceField(label=_("需求"), required=False, choices=NeedCategory.choices,
                                                widget=forms.CheckboxSelectMultiple)
    need_description = forms.CharField(label=_("需求说明"), required=False, max_length=300)
    follow_up_on = forms.DateField(label=_("回访日期"), required=False, widget=DateInput())
    field_week = forms.TypedChoiceField(label=_("下基层工作周"), required=False, coerce=int, empty_value=None,
                                        choices=[("", "—")])
    client_token = forms.CharField(widget=forms.HiddenInput, max_length=40)

    def __init__(self, *args, weeks=(), trainings=None, **kwargs):
        """`trainings`: {"completions": [(id, label)], "kinds": [(value, label)]} — her completed trainings a
        contact may follow up (the hook "training.outcome_choices"); none: the outcome fields are left out."""
        super().__init__(*args, **kwargs)
        self.fields["field_week"].choices = [("", "—")] + [(w.pk, f"{w.title} ({w.unit.name})") for w in weeks]
        self.fields["contacted_on"].initial = timezone.localdate()
        self.fields["client_token"].initial = uuid.uuid4().hex
        if trainings and trainings.get("completions"):
            self.fields["outcome_completion"] = forms.TypedChoiceField(
                label=_("培训成效：哪次培训"), required=False, coerce=int, empty_value=None,
                choices=[("", "—")] + list(trainings["completions"]))
            self.fields["outcome_kind"] = forms.ChoiceField(label=_("成效"), required=False,
                                                            choices=[("", "—")] + list(trainings["kinds"]))
            self.fields["outcome_amount"] = forms.DecimalField(label=_("月收入变化(元)"), required=False,
                                                               max_digits=10, decimal_places=2)
            self.fields["outcome_note"] = forms.CharField(label=_("成效说明"), required=False, max_length=300)

    def clean(self):
        data = super().clean()
        if "outcome_completion" in self.fields and bool(data.get("outcome_completion")) != bool(
                data.get("outcome_kind")):
            self.add_error("outcome_kind", _("记录培训成效请同时选择培训和成效。"))
        return data

    def training_outcome(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("outcome_completion"):
            return None
        return {"completion_id": data["outcome_completion"], "kind": data["outcome_kind"],
                "amount": data.get("outcome_amount"), "note": data.get("outcome_note") or ""}


class FieldWeekForm(forms.Form):
    title = forms.CharField(label=_("主题"), max_length=100, initial="双月下基层工作周")
    starts_on = forms.DateField(label=_("开始日期"), widget=DateInput())
    ends_on = forms.DateField(label=_("结束日期"), widget=DateInput())
    participants = forms.ModelMultipleChoiceField(label=_("参加干部"), queryset=None, required=False,
                                                  widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, cadres=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = cadres


class SummaryForm(forms.Form):
    summary = forms.CharField(label=_("工作小结"), widget=forms.Textarea(attrs={"rows": 6}))


class SpreadForm(forms.Form):
    cadres = forms.ModelMultipleChoiceField(label=_("联系干部"), queryset=None, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, cadres=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadres"].queryset = cadres
