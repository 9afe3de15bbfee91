"""Forms of 征求基层意见 and 提案建议: shape and widgets only; the rules (who may ask, what evidence may hold, the
version of a reply) are consultations.inquiries' and consultations.proposals'."""

import datetime as dt
import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fulian.core.figures import figures_defined
from fulian.core.forms import DateInput
from fulian.orgs.models import Level

from .models import Addressee, ProposalKind, ProposalOutcome, Stance


class MonthField(forms.CharField):
    """A month as <input type=month> sends it (2026-03), cleaned to the YYYYMM of the figures (202603)."""

    widget = forms.TextInput(attrs={"type": "month"})

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


def _token_field():
    return forms.CharField(widget=forms.HiddenInput, max_length=40, required=False)


class _WithToken(forms.Form):
    """A hidden client token made at render, so a double tap posts the same one twice."""

    client_token = _token_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["client_token"].initial = uuid.uuid4().hex


class InquiryForm(_WithToken):
    question = forms.CharField(label=_("征求意见的问题"), max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 5}),
                               help_text=_("写清楚请下级妇联回答什么，如：对《妇女发展规划（征求意见稿）》有何意见？"))
    deadline = forms.DateField(label=_("反馈截止日期"), widget=DateInput)
    level = forms.TypedChoiceField(label=_("发给"), coerce=int, choices=())
    units = forms.MultipleChoiceField(label=_("或只发给这些下级单位"), required=False,
                                      widget=forms.CheckboxSelectMultiple,
                                      help_text=_("可选：选了就只发给所选单位，不再按层级下发。"))
    consultation = forms.TypedChoiceField(label=_("关联的议事协商(可不选)"), required=False, coerce=int,
                                          empty_value=None, choices=())

    field_order = ["question", "deadline", "level", "units", "consultation"]

    def __init__(self, *args, unit, children=(), consultations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [(lv.value, _("全部%(level)s") % {"level": lv.label})
                                        for lv in Level if lv.value > unit.level]
        self.fields["units"].choices = [(str(u.pk), u.name) for u in children]
        self.fields["consultation"].choices = [("", "—")] + [(str(c.pk), c.title) for c in consultations]
        if not self.is_bound:
            self.fields["deadline"].initial = timezone.localdate() + dt.timedelta(days=14)

    def clean_deadline(self):
        day = self.cleaned_data["deadline"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("截止日期不能早于今天。"))
        return day

    @property
    def deadline_at(self) -> dt.datetime:
        """The end of the deadline's day, local time (a unit may answer all that day)."""
        day = self.cleaned_data["deadline"]
        return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59)))


class InquiryAnswerForm(forms.Form):
    stance = forms.ChoiceField(label=_("本单位意见"), choices=Stance.choices, widget=forms.RadioSelect)
    text = forms.CharField(label=_("具体意见"), required=False, max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 5}),
                           help_text=_("“原则同意，有修改意见”和“不同意”请写明具体意见。"))


class InquirySummaryForm(forms.Form):
    summary = forms.CharField(label=_("意见汇总"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6}))


class ProposalForm(_WithToken):
    kind = forms.ChoiceField(label=_("类型"), choices=ProposalKind.choices)
    addressee = forms.ChoiceField(label=_("提交对象"), choices=Addressee.choices)
    addressee_name = forms.CharField(label=_("具体机关(可不填)"), max_length=100, required=False,
                                     widget=forms.TextInput(attrs={"placeholder": _("如：正定县人大常委会")}))
    subject = forms.CharField(label=pgettext_lazy("proposal", "题目"), max_length=150)
    submitted_on = forms.DateField(label=_("提交日期"), widget=DateInput)
    text = forms.CharField(label=_("内容"), max_length=20000, widget=forms.Textarea(attrs={"rows": 10}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["submitted_on"].initial = timezone.localdate()


class EvidenceForm(forms.Form):
    """One row of 数据依据: a registry figure of a unit over months — numbers only, nothing typed."""

    figure = forms.ChoiceField(label=_("统计指标"), required=False, choices=())
    unit = forms.TypedChoiceField(label=_("单位"), required=False, coerce=int, empty_value=None, choices=())
    start = MonthField(label=_("开始年月"), required=False)
    end = MonthField(label=_("结束年月"), required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["figure"].choices = [("", "—")] + [(f.key, str(f.label)) for f in figures_defined()]
        self.fields["unit"].choices = [(str(u.pk), u.name) for u in units]

    def clean(self):
        data = super().clean()
        if not data.get("figure"):
            return data
        for name in ("start", "end"):
            if not data.get(name) and name not in self.errors:
                self.add_error(name, _("请填写年月。"))
        if data.get("unit") is None and "unit" not in self.errors:
            self.add_error("unit", _("请选择单位。"))
        return data

    def item(self) -> dict | None:
        """{figure, unit_id, start, end} for proposals.evidence_build, or None for a blank row."""
        data = self.cleaned_data
        if not data.get("figure"):
            return None
        return {"figure": data["figure"], "unit_id": data["unit"], "start": data["start"], "end": data["end"]}


class _EvidenceRows(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "units": self.units}

    def __init__(self, *args, units=(), **kwargs):
        self.units = units
        super().__init__(*args, **kwargs)

    def items(self) -> list[dict]:
        return [item for form in self.forms if (item := form.item()) is not None]


EvidenceFormSet = forms.formset_factory(EvidenceForm, formset=_EvidenceRows, extra=3, max_num=20,
                                        absolute_max=20, validate_max=True)


class ProposalReplyForm(forms.Form):
    reply = forms.CharField(label=_("答复内容"), max_length=20000, widget=forms.Textarea(attrs={"rows": 6}))
    replied_on = forms.DateField(label=_("答复日期"), widget=DateInput)
    outcome = forms.ChoiceField(label=_("办理结果"),
                                choices=[(v, label) for v, label in ProposalOutcome.choices if v])
    public = forms.BooleanField(label=_("在网上妇女之家公开(仅限采纳或部分采纳的)"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
