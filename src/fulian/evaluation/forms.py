import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from fulian.core.forms import DateInput, RatingSelect
from fulian.core.params import is_ascii_digits
from fulian.orgs.places import PlaceField

from .models import Rate


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=120, initial="妇女群众四率调查")
    starts_on = forms.DateField(label=_("开始日期"), widget=DateInput())
    ends_on = forms.DateField(label=_("结束日期"), widget=DateInput())
    standard = forms.BooleanField(label=_("使用标准四率问卷"), required=False, initial=True)
    questions = forms.CharField(
        label=_("自定义题目"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "不用标准问卷时填写，每行一题：题目 | 题型(单选/多选/打分/文字) | 选项用;分隔 | "
            "计入(知晓率/参与率/满意率/受益率，可空) | 肯定答案(选项序号从1起用;分隔，打分题写最低满意分)"
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = dt.date.today()
        self.fields["starts_on"].initial = today
        self.fields["ends_on"].initial = today + dt.timedelta(days=30)


KINDS = {"单选": "single", "多选": "multiple", "打分": "scale", "文字": "text"}
RATES = {str(r.label): r.value for r in Rate}


def parse_question_lines(text: str) -> list[dict]:
    """'题目 | 单选 | 是;否 | 知晓率 | 1' per line → question specs for services.survey_create."""
    specs = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")] + [""] * 5
        kind = KINDS.get(parts[1], parts[1])
        positive = [int(p) for p in parts[4].replace("；", ";").split(";") if is_ascii_digits(p.strip())]
        if kind != "scale":
            positive = [p - 1 for p in positive]
        specs.append(
            {
                "text": parts[0],
                "kind": kind,
                "choices": parts[2].replace("；", ";").split(";"),
                "rate": RATES.get(parts[3], parts[3]),
                "positive": positive,
            }
        )
    return specs


class AnswerForm(forms.Form):
    """Built from a survey's questions; field names are the question ids."""

    def __init__(self, *args, survey, ask_phone: bool, **kwargs):
        super().__init__(*args, **kwargs)
        for q in survey.questions.all():
            name = str(q.pk)
            label = f"{q.position}. {q.text}"
            if q.kind == "single":
                self.fields[name] = forms.TypedChoiceField(
                    label=label,
                    required=q.required,
                    coerce=int,
                    choices=list(enumerate(q.choices)),
                    widget=forms.RadioSelect,
                )
            elif q.kind == "multiple":
                self.fields[name] = forms.TypedMultipleChoiceField(
                    label=label,
                    required=q.required,
                    coerce=int,
                    choices=list(enumerate(q.choices)),
                    widget=forms.CheckboxSelectMultiple,
                )
            elif q.kind == "scale":
                self.fields[name] = forms.TypedChoiceField(
                    label=label,
                    required=q.required,
                    coerce=int,
                    choices=[(i, str(i)) for i in range(1, 6)],
                    widget=RatingSelect(low=_("很不满意") if q.rate == Rate.SATISFACTION else _("最低"),
                                        high=_("很满意") if q.rate == Rate.SATISFACTION else _("最高")),
                )
            else:
                self.fields[name] = forms.CharField(
                    label=label, required=q.required, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
                )
        if ask_phone:
            self.fields["phone"] = forms.CharField(
                label=_("手机号（只用于保证每人填写一次，不会公开）"),
                max_length=20,
                widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
            )
            self.fields["code"] = forms.CharField(
                label=_("短信验证码（选填：验证过手机号的答卷才计入四率）"),
                max_length=8,
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
            )


class PlaceChoiceForm(forms.Form):
    """The survey page reached without a village link: she names her village first (GET, so the link can be shared)."""

    u = PlaceField(label=_("您所在的村(社区)"), help_text=_("输入村(社区)名称或拼音首字母，从列表中点选"))


class WeightsForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("层级"),
        coerce=int,
        choices=[(2, _("市")), (3, _("县")), (4, _("乡镇(街道)")), (5, _("村(社区)"))],
        initial=3,
    )
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    awareness = forms.IntegerField(label=Rate.AWARENESS.label, min_value=0, max_value=100, initial=25)
    participation = forms.IntegerField(label=Rate.PARTICIPATION.label, min_value=0, max_value=100, initial=25)
    satisfaction = forms.IntegerField(label=Rate.SATISFACTION.label, min_value=0, max_value=100, initial=25)
    benefit = forms.IntegerField(label=Rate.BENEFIT.label, min_value=0, max_value=100, initial=25)

    def clean(self):
        data = super().clean()
        if all(data.get(r.value) is not None for r in Rate) and not any(data[r.value] for r in Rate):
            raise forms.ValidationError(_("至少给一个率大于0的权重。"), code="weights_zero")
        return data

    def weights(self) -> dict[str, int]:
        return {r.value: self.cleaned_data[r.value] for r in Rate}
