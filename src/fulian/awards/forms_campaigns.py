"""Forms of the campaign pages: they parse what was typed (ISO dates, the criteria and tiers as rows, a quota per
level below) and awards.campaigns gives the rules, whose ValidationError the view shows on the form."""

import datetime as dt
import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fulian.core.forms import DateInput
from fulian.orgs.models import Kind, Level, SourceStatus, Unit

from .campaigns import (
    CRITERION_MAX_POINTS,
    DEFAULT_CRITERIA,
    MAX_CRITERIA,
    MAX_NOTICE_DAYS,
    MAX_QUOTA,
    MAX_TEXT,
    MAX_TIERS,
    MIN_NOTICE_DAYS,
)
from .models import AwardKind

EXTRA_CRITERIA = 2


class CriterionForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)
    label = forms.CharField(label=_("评分项"), required=False, max_length=30)
    max = forms.IntegerField(label=_("满分"), required=False, min_value=1, max_value=CRITERION_MAX_POINTS)

    def clean(self):
        data = super().clean()
        if bool(data.get("label")) != (data.get("max") is not None) and not self.errors:
            raise forms.ValidationError(_("请同时填写评分项名称和满分。"))
        return data


class TierForm(forms.Form):
    name = forms.CharField(label=_("奖项档次"), required=False, max_length=30,
                           widget=forms.TextInput(attrs={"placeholder": _("如：十佳")}))
    quota = forms.IntegerField(label=_("名额"), required=False, min_value=1, max_value=MAX_QUOTA)

    def clean(self):
        data = super().clean()
        if bool(data.get("name")) != (data.get("quota") is not None) and not self.errors:
            raise forms.ValidationError(_("请同时填写奖项档次名称和名额。"))
        return data


CriterionFormSet = forms.formset_factory(CriterionForm, extra=0, max_num=MAX_CRITERIA, absolute_max=MAX_CRITERIA,
                                         validate_max=True)
TierFormSet = forms.formset_factory(TierForm, extra=0, max_num=MAX_TIERS, absolute_max=MAX_TIERS,
                                    validate_max=True)


def criteria_formset(data=None, *, kind: str = AwardKind.MOST_BEAUTIFUL):
    """The criteria rows, filled with the kind's defaults (plus blank rows to add one's own)."""
    defaults = DEFAULT_CRITERIA.get(kind, DEFAULT_CRITERIA[AwardKind.MOST_BEAUTIFUL])
    formset = CriterionFormSet(data, initial=[{"key": k, "label": label, "max": m} for k, label, m in defaults],
                               prefix="criteria")
    if data is None:
        formset.extra = EXTRA_CRITERIA
    return formset


def tiers_formset(data=None, *, tiers=()):
    formset = TierFormSet(data, initial=list(tiers), prefix="tiers")
    if data is None:
        formset.extra = 3
    return formset


def criteria_rows(formset) -> list[dict]:
    return [{"key": f.get("key") or "", "label": f["label"], "max": f["max"]}
            for f in formset.cleaned_data if f and f.get("label")]


def tier_rows(formset) -> list[dict]:
    return [{"name": f["name"], "quota": f["quota"]} for f in formset.cleaned_data if f and f.get("name")]


def quota_field(level: int) -> str:
    return f"quota_{level}"


class CampaignForm(forms.Form):
    kind = forms.ChoiceField(label=_("评选类别"), choices=AwardKind.choices)
    name = forms.CharField(label=_("评选名称"), max_length=100,
                           widget=forms.TextInput(attrs={"placeholder": _("如：2026年度“最美家庭”寻找活动")}))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    description = forms.CharField(label=_("评选标准和要求"), required=False, max_length=MAX_TEXT,
                                  widget=forms.Textarea(attrs={"rows": 5}))
    award_quota = forms.IntegerField(label=_("表彰名额"), required=False, min_value=1, max_value=MAX_QUOTA,
                                     help_text=_("不分档次时填写；不填为不限。分档次时按各档次名额。"))
    nominate_until = forms.DateField(label=_("推荐截止"), widget=DateInput())
    review_until = forms.DateField(label=_("评审截止"), widget=DateInput(),
                                   help_text=_("各级在这一天之前评审完下级推荐的家庭"))
    vote_from = forms.DateField(label=_("网络投票开始"), required=False, widget=DateInput(),
                                help_text=_("可选：对入围家庭的网络投票，只作参考"))
    vote_until = forms.DateField(label=_("网络投票结束"), required=False, widget=DateInput())
    notice_days = forms.IntegerField(label=_("公示工作日数"), min_value=MIN_NOTICE_DAYS, max_value=MAX_NOTICE_DAYS,
                                     initial=MIN_NOTICE_DAYS, help_text=_("至少5个工作日"))
    portal_open = forms.BooleanField(label=_("接受网上自荐和他荐"), required=False, initial=True)
    level = forms.TypedChoiceField(label=_("下发到"), coerce=int, choices=())
    units = forms.TypedMultipleChoiceField(label=_("或只发给这些单位"), coerce=int, required=False,
                                           widget=forms.CheckboxSelectMultiple,
                                           help_text=_("可选：勾选了就只发给这些下级单位，不再按层级下发。"))
    client_token = forms.CharField(widget=forms.HiddenInput, max_length=40, required=False)

    def __init__(self, *args, unit: Unit, kind: str = AwardKind.MOST_BEAUTIFUL, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        below = [lv for lv in Level if lv.value > unit.level]
        self.fields["level"].choices = [(lv.value, _("全部%(level)s") % {"level": lv.label}) for lv in below]
        self.children = list(Unit.objects.filter(parent=unit, kind=Kind.GEOGRAPHIC)
                             .exclude(source_status=SourceStatus.REMOVED).order_by("code")[:200])
        self.fields["units"].choices = [(u.pk, u.name) for u in self.children]
        for lv in below:
            self.fields[quota_field(lv.value)] = forms.IntegerField(
                label=_("每个%(level)s最多推荐") % {"level": lv.label}, required=False, min_value=1,
                max_value=MAX_QUOTA, help_text=_("向上一级推荐的家庭数；不填为不限"))
        if not self.is_bound:
            today = timezone.localdate()
            self.initial.setdefault("kind", kind)
            self.initial.setdefault("year", today.year)
            self.initial.setdefault("nominate_until", today + dt.timedelta(days=30))
            self.initial.setdefault("review_until", today + dt.timedelta(days=60))
            self.initial.setdefault("client_token", uuid.uuid4().hex)

    def quota_fields(self):
        return [self[name] for name in self.fields if name.startswith("quota_")]

    def main_fields(self):
        return [self[name] for name in self.fields if not name.startswith("quota_") and name != "client_token"]

    def quotas(self) -> dict[str, int]:
        return {name.removeprefix("quota_"): value for name, value in self.cleaned_data.items()
                if name.startswith("quota_") and value is not None}

    def picked_units(self) -> list[Unit] | None:
        picked = set(self.cleaned_data.get("units") or [])
        return [u for u in self.children if u.pk in picked] or None

    def clean(self):
        data = super().clean()
        if data.get("nominate_until") and data.get("review_until") and data["review_until"] < data["nominate_until"]:
            self.add_error("review_until", _("评审截止不能早于推荐截止。"))
        if bool(data.get("vote_from")) != bool(data.get("vote_until")):
            self.add_error("vote_until", _("网络投票须同时填写开始和结束日期。"))
        return data


class CampaignEditForm(forms.Form):
    name = forms.CharField(label=_("评选名称"), max_length=100)
    description = forms.CharField(label=_("评选标准和要求"), required=False, max_length=MAX_TEXT,
                                  widget=forms.Textarea(attrs={"rows": 5}))
    nominate_until = forms.DateField(label=_("推荐截止"), widget=DateInput())
    review_until = forms.DateField(label=_("评审截止"), widget=DateInput())
    vote_from = forms.DateField(label=_("网络投票开始"), required=False, widget=DateInput())
    vote_until = forms.DateField(label=_("网络投票结束"), required=False, widget=DateInput())
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class CampaignCancelForm(forms.Form):
    reason = forms.CharField(label=_("撤销原因"), max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
