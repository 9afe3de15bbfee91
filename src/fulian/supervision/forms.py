import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fulian.core.forms import DateInput

from .services import MAX_TEXT


class TeamForm(forms.Form):
    name = forms.CharField(label=_("督导组名称"), max_length=100)
    members = forms.ModelMultipleChoiceField(label=_("成员"), queryset=None, widget=forms.CheckboxSelectMultiple,
                                             help_text=_("本单位或上级单位的干部"))
    regions = forms.ModelMultipleChoiceField(label=_("包片地区"), queryset=None, widget=forms.CheckboxSelectMultiple,
                                             help_text=_("本单位以下的单位"))

    def __init__(self, *args, cadres=None, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = cadres
        self.fields["members"].label_from_instance = lambda u: f"{u.full_name or u.username}（{u.unit.name}）"
        self.fields["regions"].queryset = units


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("督导日期"), widget=DateInput())
    places = forms.CharField(label=_("走访地点"), required=False, max_length=MAX_TEXT,
                             widget=forms.Textarea(attrs={"rows": 2}))
    checked = forms.TypedMultipleChoiceField(label=_("检查的任务"), required=False, coerce=int,
                                             widget=forms.CheckboxSelectMultiple)
    summary = forms.CharField(label=_("检查情况"), required=False, max_length=MAX_TEXT,
                              widget=forms.Textarea(attrs={"rows": 3}))
    client_token = forms.CharField(widget=forms.HiddenInput, max_length=40)

    def __init__(self, *args, tasks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checked"].choices = [
            (row["recipient"].pk, f"{row['recipient'].dispatch.title} · {row['recipient'].unit.name}")
            for row in tasks]
        if not self.is_bound:
            self.fields["visited_on"].initial = timezone.localdate()
            self.fields["client_token"].initial = uuid.uuid4().hex


class FindingForm(forms.Form):
    text = forms.CharField(label=_("发现问题"), required=False, max_length=MAX_TEXT,
                           widget=forms.Textarea(attrs={"rows": 2}))
    due_on = forms.DateField(label=_("整改期限"), required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        if (data.get("text") or "").strip() and not data.get("due_on") and "due_on" not in self.errors:
            self.add_error("due_on", _("请填写整改期限。"))
        return data


FindingFormSet = forms.formset_factory(FindingForm, extra=3, max_num=20, validate_max=True)


class CloseForm(forms.Form):
    note = forms.CharField(label=_("整改情况"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 4}))
    evidence = forms.FileField(label=_("照片或文件（可选）"), required=False)
