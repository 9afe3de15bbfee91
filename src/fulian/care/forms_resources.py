"""Forms of resources (帮扶资源), 跨省协作 agreements and a batch matching's unit. Shape and widgets only; the rules
are care.resources' and care.matching's."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from fulian.core.forms import DateInput
from fulian.orgs.models import Level
from fulian.orgs.places import PlaceField

from .forms_plans import _Coordinates
from .models import CareGroup, ProviderKind, ResourceKind, Skill, Visibility

ALL_LEVELS = (Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE)


class ResourceForm(_Coordinates):
    kind = forms.ChoiceField(label=_("资源类别"), choices=ResourceKind.choices)
    title = forms.CharField(label=_("名称"), max_length=100,
                            widget=forms.TextInput(attrs={"placeholder": _("如：家政服务员岗位")}))
    provider = forms.CharField(label=_("提供方"), max_length=100)
    provider_kind = forms.ChoiceField(label=_("提供方类别"), choices=ProviderKind.choices)
    capacity = forms.IntegerField(label=_("名额(份)"), required=False, min_value=1, max_value=100000,
                                  help_text=_("培训名额不填：名额以培训活动的为准。"),
                                  widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    activity_id = forms.TypedChoiceField(label=_("培训活动(培训名额填写)"), required=False, coerce=int,
                                         empty_value=None)
    amount = forms.DecimalField(label=_("每份金额(元，可不填)"), required=False, min_value=0, max_digits=12,
                                decimal_places=2, widget=forms.NumberInput(attrs={"inputmode": "decimal"}))
    starts_on = forms.DateField(label=_("开始日期"), widget=DateInput)
    ends_on = forms.DateField(label=_("结束日期"), widget=DateInput)
    visibility = forms.ChoiceField(label=_("可见范围"), choices=Visibility.choices, initial=Visibility.SUBTREE)
    place_unit = PlaceField(label=_("所在地(可不填，默认本单位)"), required=False, levels=ALL_LEVELS,
                            help_text=_("输入名称或拼音首字母，从列表中点选"))
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    groups = forms.MultipleChoiceField(label=_("面向的关爱类别(不选：不限)"), required=False,
                                       choices=CareGroup.choices, widget=forms.CheckboxSelectMultiple)
    skills = forms.MultipleChoiceField(label=_("要求的技能(不选：不限)"), required=False, choices=Skill.choices,
                                       widget=forms.CheckboxSelectMultiple)
    age_min = forms.IntegerField(label=_("最小年龄"), required=False, min_value=0, max_value=120)
    age_max = forms.IntegerField(label=_("最大年龄"), required=False, min_value=0, max_value=120)
    description = forms.CharField(label=_("说明"), max_length=5000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    client_token = forms.CharField(widget=forms.HiddenInput, max_length=40, required=False)

    field_order = ["kind", "title", "provider", "provider_kind", "capacity", "activity_id", "amount", "starts_on",
                   "ends_on", "visibility", "place_unit", "address", "lat", "lng", "groups", "skills", "age_min",
                   "age_max", "description"]

    def __init__(self, *args, user, courses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place_unit"].limit_to(user=user)
        self.fields["activity_id"].choices = [("", "—")] + [(str(pk), label) for pk, label in courses]
        if not self.is_bound:
            self.fields["client_token"].initial = uuid.uuid4().hex


class ResourceEditForm(forms.Form):
    """What may change once offers exist (care.resources.resource_update)."""

    title = forms.CharField(label=_("名称"), max_length=100)
    capacity = forms.IntegerField(label=_("名额(份)"), required=False, min_value=1, max_value=100000)
    ends_on = forms.DateField(label=_("结束日期"), widget=DateInput)
    visibility = forms.ChoiceField(label=_("可见范围"), choices=Visibility.choices)
    description = forms.CharField(label=_("说明"), max_length=5000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class AgreementForm(forms.Form):
    name = forms.CharField(label=_("协作名称"), max_length=100,
                           widget=forms.TextInput(attrs={"placeholder": _("如：京津冀妇女发展协作")}))
    provinces = forms.MultipleChoiceField(label=_("协作省份(至少两个)"), widget=forms.CheckboxSelectMultiple)
    starts_on = forms.DateField(label=_("开始日期"), widget=DateInput)
    ends_on = forms.DateField(label=_("结束日期(可不填)"), required=False, widget=DateInput)

    def __init__(self, *args, provinces=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provinces"].choices = [(str(p.pk), p.name) for p in provinces]


class BatchForm(forms.Form):
    unit = PlaceField(label=_("批量对接的单位"), levels=(Level.CITY, Level.COUNTY, Level.TOWNSHIP),
                      help_text=_("县(区)、乡镇(街道)或市：其下全部待对接的就业目标与可用岗位"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].limit_to(user=user)
