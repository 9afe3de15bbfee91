from django import forms
from django.utils.translation import gettext_lazy as _

from fulian.core.forms import DateInput


class HomeForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    address = forms.CharField(label=_("地址"), max_length=200)
    latitude = forms.DecimalField(label=_("纬度"), required=False, max_digits=9, decimal_places=6)
    longitude = forms.DecimalField(label=_("经度"), required=False, max_digits=9, decimal_places=6)
    opening_hours = forms.CharField(label=_("开放时间"), max_length=100, required=False)
    facilities = forms.CharField(label=_("设施"), max_length=300, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    photo = forms.FileField(label=_("照片"), required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))


class ActivityForm(forms.Form):
    held_on = forms.DateField(label=_("日期"), widget=DateInput())
    title = forms.CharField(label=_("活动"), max_length=120)
    participants = forms.IntegerField(label=_("参加人数"), min_value=0, initial=0)


class NearestForm(forms.Form):
    lat = forms.FloatField(label=_("纬度"), min_value=-90, max_value=90)
    lng = forms.FloatField(label=_("经度"), min_value=-180, max_value=180)
