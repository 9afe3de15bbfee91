"""Forms of the organising pages (activities, projects, campaigns): they parse what was typed — ISO dates and
datetime-local times, names one per line — and the services (activities.services, .projects, .campaigns) give
the rules, whose ValidationError the view shows on the form."""

import datetime as dt
import re
import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fulian.core.forms import DateInput
from fulian.orgs.models import Level, WomensHome

from .models import ActivityKind, ActivityStatus, Audience, Project, ProjectKind

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
SESSION_ROWS = 60
TARGET_ROWS = 12
_SPLIT = re.compile(r"[\n\r,，、;；]+")


def names_split(text: str) -> list[str]:
    """Partner names typed one per line (or separated by 、，；)."""
    return [part.strip() for part in _SPLIT.split(text or "") if part.strip()]


class DateTimeLocalInput(forms.DateTimeInput):
    """<input type=datetime-local> takes ISO only (2026-06-17T09:00), like <input type=date>."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_LOCAL)


def _datetime_field(label):
    return forms.DateTimeField(label=label, required=False, widget=DateTimeLocalInput(),
                               input_formats=[DATETIME_LOCAL, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"])


class MonthField(forms.CharField):
    """A month as <input type=month> sends it (2026-03), cleaned to YYYYMM (202603)."""

    widget = forms.TextInput(attrs={"type": "month"})

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            month = dt.datetime.strptime(text.strip(), "%Y-%m")
        except ValueError:
            raise forms.ValidationError(_("请按“年-月”填写月份，例如 2026-03。")) from None
        return month.year * 100 + month.month


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("活动类型"), choices=ActivityKind.choices)
    title = forms.CharField(label=_("活动名称"), max_length=120)
    description = forms.CharField(label=_("活动介绍"), required=False, max_length=20000,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    home = forms.ModelChoiceField(label=_("妇女之家"), queryset=WomensHome.objects.none(), required=False,
                                  empty_label=_("不在妇女之家（填写地点）"))
    address = forms.CharField(label=_("地点"), max_length=200, required=False,
                              help_text=_("不在妇女之家时必填；在妇女之家时可补充具体房间"))
    capacity = forms.IntegerField(label=_("名额"), min_value=1, max_value=100000, required=False,
                                  help_text=_("不填为不限"))
    audience = forms.ChoiceField(label=_("参加对象"), choices=Audience.choices, initial=Audience.OPEN)
    organiser = forms.CharField(label=_("承办"), max_length=100, required=False)
    partners = forms.CharField(label=_("合作单位"), required=False, max_length=3000,
                               widget=forms.Textarea(attrs={"rows": 2}), help_text=_("每行一个"))
    for_families = forms.BooleanField(label=_("以家庭为单位报名"), required=False)
    project = forms.ModelChoiceField(label=_("所属项目"), queryset=Project.objects.none(), required=False,
                                     empty_label="—")
    campaign = forms.ModelChoiceField(label=_("所属主题活动"), queryset=None, required=False, empty_label="—")
    client_token = forms.CharField(widget=forms.HiddenInput, max_length=40, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, homes, projects, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home"].queryset = WomensHome.objects.filter(pk__in=[h.pk for h in homes]).select_related(
            "unit").order_by("unit_path", "name")
        self.fields["home"].label_from_instance = lambda h: f"{h.name}（{h.unit.name}）"
        self.fields["project"].queryset = projects
        self.fields["campaign"].queryset = campaigns
        self.fields["campaign"].label_from_instance = lambda c: f"{c.dispatch.title}（{c.dispatch.unit.name}）"
        if not self.is_bound and not self.initial.get("client_token"):
            self.initial["client_token"] = uuid.uuid4().hex

    def values(self) -> dict:
        """What activity_save takes as `values`."""
        data = self.cleaned_data
        return {"title": data["title"], "kind": data["kind"], "description": data["description"],
                "home": data["home"], "address": data["address"], "capacity": data["capacity"],
                "audience": data["audience"], "organiser": data["organiser"],
                "partners": names_split(data["partners"]), "for_families": data["for_families"],
                "project": data["project"], "campaign": data["campaign"]}


class SessionForm(forms.Form):
    starts_at = _datetime_field(_("开始时间"))
    ends_at = _datetime_field(_("结束时间"))
    title = forms.CharField(label=_("内容"), max_length=120, required=False)

    def clean(self):
        data = super().clean()
        if (data.get("starts_at") is None) != (data.get("ends_at") is None) and not self.errors:
            raise forms.ValidationError(_("请同时填写这一场的开始和结束时间。"))
        return data


SessionFormSet = forms.formset_factory(SessionForm, extra=0, max_num=SESSION_ROWS, absolute_max=SESSION_ROWS,
                                       validate_max=True)


def session_rows(formset) -> list[tuple]:
    """The filled rows of a valid session formset as (starts_at, ends_at, title)."""
    return [(f["starts_at"], f["ends_at"], f.get("title") or "") for f in formset.cleaned_data
            if f and f.get("starts_at") is not None]


def session_formset(data=None, *, sessions=(), extra: int = 3):
    """The session rows: the activity's sessions, then `extra` empty rows for more (a course has several)."""
    initial = [{"starts_at": timezone.localtime(s.starts_at), "ends_at": timezone.localtime(s.ends_at),
                "title": s.title} for s in sessions]
    formset = SessionFormSet(data, initial=initial, prefix="session")
    if data is None:
        formset.extra = extra
    return formset


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=200)


class ActivityFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=[("", _("全部类型"))] + ActivityKind.choices)
    month = MonthField(label=_("月份"), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False,
                               choices=[("", _("全部状态"))] + ActivityStatus.choices)
    project = forms.ModelChoiceField(label=_("项目"), queryset=None, required=False, empty_label=_("全部项目"))
    campaign = forms.ModelChoiceField(label=_("主题活动"), queryset=None, required=False,
                                      empty_label=_("全部主题活动"))

    def __init__(self, *args, projects, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        self.fields["campaign"].queryset = campaigns
        self.fields["campaign"].label_from_instance = lambda c: c.dispatch.title


class AttendanceSheetForm(forms.Form):
    file = forms.FileField(label=_("签到表（.xlsx）"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))


class ProjectForm(forms.Form):
    name = forms.CharField(label=_("项目名称"), max_length=100)
    kind = forms.ChoiceField(label=_("项目类别"), choices=ProjectKind.choices)
    description = forms.CharField(label=_("项目简介"), required=False, max_length=20000,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    partners = forms.CharField(label=_("合作单位"), required=False, max_length=3000,
                               widget=forms.Textarea(attrs={"rows": 2}), help_text=_("每行一个"))
    budget = forms.DecimalField(label=_("预算(元)"), required=False, min_value=0, max_digits=12, decimal_places=2)
    starts_on = forms.DateField(label=_("开始日期"), widget=DateInput())
    ends_on = forms.DateField(label=_("结束日期"), widget=DateInput())
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("结束日期不能早于开始日期。"))
        return data


class TargetForm(forms.Form):
    figure = forms.ChoiceField(label=_("目标指标"), required=False)
    target = forms.IntegerField(label=_("目标数"), required=False, min_value=1, max_value=10**9)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["figure"].choices = [("", "—")] + list(choices)

    def clean(self):
        data = super().clean()
        if bool(data.get("figure")) != (data.get("target") is not None) and not self.errors:
            raise forms.ValidationError(_("请同时选择指标并填写目标数。"))
        return data


TargetFormSet = forms.formset_factory(TargetForm, extra=0, max_num=TARGET_ROWS, absolute_max=TARGET_ROWS,
                                      validate_max=True)


def target_formset(data=None, *, targets=(), choices=(), extra: int = 3):
    formset = TargetFormSet(data, initial=[{"figure": t["figure"], "target": t["target"]} for t in targets],
                            prefix="target", form_kwargs={"choices": choices})
    if data is None:
        formset.extra = extra
    return formset


def target_rows(formset) -> list[dict]:
    return [{"figure": f["figure"], "target": f["target"]} for f in formset.cleaned_data if f and f.get("figure")]


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("主题活动名称"), max_length=200)
    body = forms.CharField(label=_("活动要求"), required=False, max_length=20000,
                           widget=forms.Textarea(attrs={"rows": 5}))
    kind = forms.ChoiceField(label=_("活动类型"), required=False,
                             choices=[("", _("不限类型"))] + ActivityKind.choices)
    starts_on = forms.DateField(label=_("开始日期"), widget=DateInput())
    ends_on = forms.DateField(label=_("结束日期"), widget=DateInput())
    deadline = forms.DateField(label=_("完成期限"), widget=DateInput(),
                               help_text=_("各单位在这一天之前开展活动并点“完成”"))
    level = forms.TypedChoiceField(label=_("下发到"), coerce=int, choices=())
    activities_each = forms.IntegerField(label=_("每个单位至少开展(场)"), min_value=0, max_value=1000, initial=1)

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [(lv.value, _("全部%(level)s") % {"level": lv.label})
                                        for lv in Level if lv.value > unit.level]
        if not self.is_bound:
            today = timezone.localdate()
            self.fields["starts_on"].initial = today
            self.fields["ends_on"].initial = today + dt.timedelta(days=30)
            self.fields["deadline"].initial = today + dt.timedelta(days=30)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("结束日期不能早于开始日期。"))
        return data
