from django import forms
from django.utils.translation import gettext_lazy as _

from fulian.core.forms import DateInput
from fulian.orgs.places import PlaceField

from .vocabularies import ETHNICITIES, Occupation, TagCode


class WomanForm(forms.Form):
    """Shape and widgets only; the rules live in services.woman_data_clean (shared with the API and import)."""

    name = forms.CharField(label=_("姓名"), max_length=30)
    id_number = forms.CharField(label=_("身份证号"), max_length=24, required=False,
                                widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}))
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel"}))
    unit_code = PlaceField(label=_("所在村(社区)"), help_text=_("输入名称、拼音首字母或区划代码，从列表中点选"))
    ethnicity = forms.ChoiceField(label=_("民族"), required=False, choices=[("", "—")] + [(e, e) for e in ETHNICITIES])
    occupation = forms.ChoiceField(label=_("职业"), required=False, choices=[("", "—")] + list(Occupation.choices))
    tags = forms.MultipleChoiceField(label=_("标签"), required=False, choices=TagCode.choices,
                                     widget=forms.CheckboxSelectMultiple)
    consent_purpose = forms.CharField(label=_("同意用途"), max_length=200, required=False,
                                      help_text=_("本人同意登记信息的用途（个人信息保护法）"))
    consent_on = forms.DateField(label=_("同意日期"), required=False, widget=DateInput())
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_code"].limit_to(user=user)

    def clean_unit_code(self) -> str:
        """The services take the code (as the API and the import do); the picker has found it within her scope."""
        unit = self.cleaned_data["unit_code"]
        return unit.code if unit is not None else ""

    def apply_errors(self, error_dict: dict) -> None:
        for field, messages in error_dict.items():
            target = "consent_on" if field == "consent" else field
            for message in messages:
                self.add_error(target if target in self.fields else None, message)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("名册文件(.xlsx)"))


class MergeForm(forms.Form):
    survivor = forms.IntegerField(widget=forms.HiddenInput)
    duplicate = forms.IntegerField(widget=forms.HiddenInput)
