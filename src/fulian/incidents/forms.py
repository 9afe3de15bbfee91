"""Forms of the incident pages: they parse (ISO date-times, one link per line); the rules are incidents.services'."""

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fulian.core.tree import subtree_q
from fulian.orgs.models import Unit
from fulian.portal.models import Category

from .models import ActionKind, Severity

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
FORMATS = [DATETIME_LOCAL, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_LOCAL)


def _now_local():
    return timezone.localtime().replace(second=0, microsecond=0)


class TokenMixin(forms.Form):
    """A hidden token made when the form is drawn: the same form sent twice makes one record."""

    token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["token"].initial = uuid.uuid4().hex


class IncidentForm(TokenMixin):
    title = forms.CharField(label=_("发生了什么"), max_length=120,
                            widget=forms.TextInput(attrs={"placeholder": _("一句话概括")}))
    reported_at = forms.DateTimeField(label=_("首次报告时间"), widget=DateTimeLocalInput(), input_formats=FORMATS,
                                      help_text=_("最早得知此事的时间，响应计时从这里开始。"))
    severity = forms.ChoiceField(label=_("严重程度"), choices=Severity.choices, initial=Severity.GENERAL)
    place_unit = forms.ModelChoiceField(label=_("发生地（单位）"), queryset=Unit.objects.none(), required=False,
                                        empty_label=_("本单位"))
    place_text = forms.CharField(label=_("具体地点"), max_length=200, required=False)
    description = forms.CharField(label=_("经过"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    sources = forms.CharField(label=_("来源链接"), required=False, max_length=6000,
                              widget=forms.Textarea(attrs={"rows": 2, "inputmode": "url"}),
                              help_text=_("可选：新闻或帖子的网址，每行一个，以 http:// 或 https:// 开头。"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        # her unit and two levels below it (a county: its townships and villages), in tree order
        self.fields["place_unit"].queryset = Unit.objects.filter(subtree_q(unit.path),
                                                                 level__lte=unit.level + 2).order_by("path")
        if not self.is_bound and "reported_at" not in self.initial:
            self.fields["reported_at"].initial = _now_local()


class ActionForm(TokenMixin):
    kind = forms.ChoiceField(label=_("行动"), choices=ActionKind.choices)
    text = forms.CharField(label=_("做了什么"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    at = forms.DateTimeField(label=_("时间"), widget=DateTimeLocalInput(), input_formats=FORMATS, required=False,
                             help_text=_("不填即为现在。"))


class StatementForm(forms.Form):
    category = forms.ChoiceField(label=_("栏目"), choices=[(c.value, c.label) for c in (Category.NOTICE,
                                                                                         Category.BULLETIN)])
    title = forms.CharField(label=_("声明标题"), max_length=120)
    body = forms.CharField(label=_("声明正文"), widget=forms.Textarea(attrs={"rows": 6}))


class CaseLinkForm(forms.Form):
    case = forms.CharField(label=_("个案编号或查询码"), max_length=40)


class CloseForm(forms.Form):
    outcome = forms.CharField(label=_("处置结果"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
