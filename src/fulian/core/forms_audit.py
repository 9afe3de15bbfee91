"""The filters of 操作审计, for the page and the API alike: one parse, a clear 400 for a bad value."""

import datetime as dt

from django import forms
from django.core.exceptions import BadRequest
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from .forms import DateInput
from .selectors_audit import AuditFilters, action_choices, object_type_choices, unit_path_of_code

MAX_DAYS = 3660  # a range longer than ten years is a mistake, not a search
# the days a search may name: beyond them a local midnight (or "until" + 1 day) leaves Python's datetime range and
# the query would fail with OverflowError (a 500) instead of a 400
FIRST_DAY, LAST_DAY = dt.date(1970, 1, 1), dt.date(2999, 12, 31)


def day_in_range(day: dt.date) -> bool:
    return FIRST_DAY <= day <= LAST_DAY


class AuditSearchForm(forms.Form):
    since = forms.DateField(label=_("起始日期"), required=False, widget=DateInput)
    until = forms.DateField(label=_("截止日期"), required=False, widget=DateInput)
    # narrow inputs: a label and its input fit a 390-px phone on one line
    actor = forms.CharField(label=_("操作人用户名"), max_length=150, required=False,
                            widget=forms.TextInput(attrs={"size": 14}))
    action = forms.ChoiceField(label=_("操作"), required=False)
    action_prefix = forms.CharField(
        label=_("操作名前缀"), max_length=60, required=False, widget=forms.TextInput(attrs={"size": 14}),
        validators=[RegexValidator(r"^[a-z0-9_.]+$", _("只能包含小写字母、数字、下划线和点，例如 case."))])
    object_type = forms.ChoiceField(label=_("对象类型"), required=False)
    unit = forms.CharField(
        label=_("组织代码"), max_length=24, required=False,
        widget=forms.TextInput(attrs={"size": 14, "inputmode": "numeric"}),
        help_text=_("12 位区划代码，含其下级组织"),
        validators=[RegexValidator(r"^[0-9]{12}(-[0-9]{1,6})*$", _("请填写 12 位区划代码"))])
    ip = forms.GenericIPAddressField(label=_("来源地址"), required=False, unpack_ipv4=True,
                                     widget=forms.TextInput(attrs={"size": 14}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = action_choices()
        self.fields["object_type"].choices = object_type_choices()

    def clean_actor(self):
        return self.cleaned_data["actor"].strip()

    def clean(self):
        data = super().clean()
        for name in ("since", "until"):
            if data.get(name) and not day_in_range(data[name]):
                self.add_error(name, _("日期超出范围"))
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("截止日期不能早于起始日期"))
        elif since and until and (until - since).days > MAX_DAYS:
            self.add_error("until", _("日期范围太长"))
        code = data.get("unit")
        if code:
            path = unit_path_of_code(code)
            if path is None:
                self.add_error("unit", _("没有这个组织代码"))
            data["unit_path"] = path or ""
        return data

    def filters(self) -> AuditFilters:
        data = self.cleaned_data
        return AuditFilters(since=data.get("since"), until=data.get("until"), actor=data.get("actor") or "",
                            action=data.get("action") or "", action_prefix=data.get("action_prefix") or "",
                            object_type=data.get("object_type") or "", unit_code=data.get("unit") or "",
                            unit_path=data.get("unit_path") or "", ip=data.get("ip") or "")


def audit_filters_from(data) -> AuditFilters:
    """The filters of a query string; BadRequest (400) naming the bad field and why."""
    form = AuditSearchForm(data)
    if not form.is_valid():
        raise BadRequest("; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items()))
    return form.filters()
