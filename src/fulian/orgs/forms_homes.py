from django import forms
from django.utils.translation import gettext_lazy as _

from .models import HomeHost, Level
from .places import PlaceField


class HomeForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    address = forms.CharField(label=_("地址"), max_length=200)
    latitude = forms.DecimalField(label=_("纬度"), required=False, max_digits=9, decimal_places=6)
    longitude = forms.DecimalField(label=_("经度"), required=False, max_digits=9, decimal_places=6)
    opening_hours = forms.CharField(label=_("开放时间"), max_length=100, required=False)
    facilities = forms.CharField(label=_("设施"), max_length=300, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    host = forms.ChoiceField(label=_("依托场所"), choices=HomeHost.choices, initial=HomeHost.VILLAGE, required=False,
                             help_text=_("哪里有妇女，哪里就有妇女之家：村(社区)、党群服务中心、企业、园区、学校、讲习所……"))
    host_name = forms.CharField(label=_("依托单位名称"), max_length=100, required=False,
                                help_text=_("如：某某公司、某某产业园、某某小学"))
    photo = forms.FileField(label=_("照片"), required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))

    def clean_host(self):
        return self.cleaned_data.get("host") or None  # not chosen: a new home is a village's, an old one keeps its


class NearestForm(forms.Form):
    """Where she is: the phone's position (filled in by locate.js), or the village, township or county she picks."""

    lat = forms.FloatField(min_value=-90, max_value=90, required=False, widget=forms.HiddenInput)
    lng = forms.FloatField(min_value=-180, max_value=180, required=False, widget=forms.HiddenInput)
    place = PlaceField(label=_("选择您所在的村(社区)、乡镇或县"), required=False,
                       levels=(Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE),
                       help_text=_("输入名称或拼音首字母，从列表中点选"))

    def clean(self):
        data = super().clean()
        if (data.get("lat") is None) != (data.get("lng") is None):
            raise forms.ValidationError(_("位置不完整，请重新定位或选择地方。"))
        return data

    @property
    def point(self) -> tuple[float, float] | None:
        data = getattr(self, "cleaned_data", {})
        return (data["lat"], data["lng"]) if data.get("lat") is not None and data.get("lng") is not None else None
