"""Forms of the task pages: they parse what was typed (ISO dates and months, numbers as text); the rules are the
services' (work.services), whose ValidationError the view shows on the form."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fulian.core.figures import figures_defined
from fulian.orgs.models import Level

from .models import Aggregate, FieldKind

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
FIELD_ROWS = 10


class DateTimeLocalInput(forms.DateTimeInput):
    """<input type=datetime-local> takes ISO only (2026-06-17T17:00), like <input type=date>."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_LOCAL)


class MonthInput(forms.TextInput):
    input_type = "month"


class MonthField(forms.CharField):
    """A month as <input type=month> sends it (2026-03), cleaned to the YYYYMM the figures use (202603)."""

    widget = MonthInput

    def prepare_value(self, value):
        if isinstance(value, int):
            return f"{value // 100:04d}-{value % 100:02d}"
        return value

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            month = dt.datetime.strptime(text.strip(), "%Y-%m")
        except ValueError:
            raise forms.ValidationError(_("请按“年-月”填写月份，例如 2026-03。")) from None
        return month.year * 100 + month.month


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class TaskForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(label=_("任务内容"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    deadline = forms.DateTimeField(label=_("截止时间"), widget=DateTimeLocalInput(),
                                   input_formats=[DATETIME_LOCAL, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"])
    period_start = MonthField(label=_("统计起始月"))
    period_end = MonthField(label=_("统计截止月"))
    template = forms.ModelChoiceField(label=_("报表"), queryset=None, required=False,
                                      empty_label=_("不需要填报表（办完点“完成”）"))
    level = forms.TypedChoiceField(label=_("下发到"), coerce=int, choices=())
    units = forms.CharField(label=_("或只发给这些单位"), required=False, max_length=200000,
                            widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("可选：填写区划代码或单位全称，每行一个（或用逗号隔开）。填了就只发给这些单位，"
                                        "不再按层级下发。"))
    attachments = MultipleFileField(label=_("附件"), required=False,
                                    help_text=_("可选，最多10个：pdf、jpg、png、webp、docx、xlsx，每个不超过10 MB。"))

    def __init__(self, *args, unit, templates, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        now = timezone.localtime(now)
        self.fields["template"].queryset = templates
        self.fields["level"].choices = [(lv.value, lv.label) for lv in Level if lv.value > unit.level]
        self.fields["period_start"].initial = now.year * 100 + 1
        self.fields["period_end"].initial = now.year * 100 + now.month
        self.fields["deadline"].initial = (now + dt.timedelta(days=7)).replace(hour=17, minute=0, second=0,
                                                                              microsecond=0)

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and start > end:
            self.add_error("period_end", _("截止月不能早于起始月。"))
        return data


class DelegateForm(forms.Form):
    level = forms.TypedChoiceField(label=_("转给"), coerce=int, choices=())

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [(lv.value, _("全部%(level)s") % {"level": lv.label})
                                        for lv in Level if lv.value > unit.level]


class ReportForm(forms.Form):
    """The typed fields of a report (computed ones are shown, not posted). Numbers are posted as text and
    parsed by report_submit, which gives the message for a negative or malformed one."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            f = row["field"]
            if f.is_computed or row["from_children"]:
                continue
            if f.kind == FieldKind.NUMBER:
                self.fields[f.key] = forms.CharField(
                    label=f.label, required=f.required, max_length=20,
                    widget=forms.NumberInput(attrs={"min": "0", "step": "any", "inputmode": "decimal"}))
            elif f.kind == FieldKind.TEXT:
                self.fields[f.key] = forms.CharField(label=f.label, required=f.required, max_length=2000,
                                                     widget=forms.Textarea(attrs={"rows": 3}))
            elif f.kind == FieldKind.FILE:
                self.fields[f.key] = forms.FileField(
                    label=f.label, required=False, help_text=_("可选：jpg、png、webp 或 pdf。"),
                    widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.webp,.pdf"}))
        for row in rows:
            row["bound"] = self[row["field"].key] if row["field"].key in self.fields else None

    def entered(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if not hasattr(v, "read")}

    def uploads(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if hasattr(v, "read")}


class TemplateForm(forms.Form):
    name = forms.CharField(label=_("报表名称"), max_length=100)


class TemplateFieldForm(forms.Form):
    key = forms.CharField(label=_("栏目代码"), max_length=40, required=False,
                          widget=forms.TextInput(attrs={"placeholder": "women", "autocapitalize": "off"}))
    label = forms.CharField(label=_("栏目名称"), max_length=100, required=False)
    kind = forms.ChoiceField(label=_("类型"), choices=FieldKind.choices, initial=FieldKind.NUMBER, required=False)
    figure = forms.ChoiceField(label=_("数据来源（系统计算）"), required=False)
    aggregate = forms.ChoiceField(label=_("上级汇总"), choices=Aggregate.choices, initial=Aggregate.SUM,
                                  required=False)
    required = forms.BooleanField(label=_("必填"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["figure"].choices = [("", "—")] + [(f.key, f"{f.label} ({f.key})") for f in figures_defined()]


TemplateFieldFormSet = forms.formset_factory(TemplateFieldForm, extra=FIELD_ROWS, max_num=40)


PRIORITY_ROWS = 8


class PrioritiesForm(forms.Form):
    year = forms.IntegerField(widget=forms.HiddenInput, min_value=2000, max_value=2100)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class PriorityItemForm(forms.Form):
    text = forms.CharField(label=_("工作重点"), max_length=200, required=False,
                           widget=forms.TextInput(attrs={"maxlength": "200"}))
    task = forms.ModelChoiceField(label=_("相关任务（可选）"), queryset=None, required=False, empty_label="—")

    def __init__(self, *args, tasks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = tasks


PriorityItemFormSet = forms.formset_factory(PriorityItemForm, extra=0, max_num=20, absolute_max=40)
