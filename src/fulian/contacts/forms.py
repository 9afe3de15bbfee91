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

    def __init__(self, *args, weeks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field_week"].choices = [("", "—")] + [(w.pk, f"{w.title} ({w.unit.name})") for w in weeks]
        self.fields["contacted_on"].initial = timezone.localdate()
        self.fields["client_token"].initial = uuid.uuid4().hex


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
