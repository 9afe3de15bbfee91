import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from fulian.orgs.models import Level
from fulian.orgs.places import PlaceField

from .models import MemberSex, Relation


class FamilyForm(forms.Form):
    """Shape and widgets only; the rules are people.families' (shared with the API)."""

    name = forms.CharField(label=_("家庭名称"), max_length=60, help_text=_("如：张秀英家"))
    unit = PlaceField(label=_("所在村(社区)"), levels=(Level.VILLAGE,),
                      help_text=_("输入名称、拼音首字母或区划代码，从列表中点选"))
    address = forms.CharField(label=_("住址"), max_length=200, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel"}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    client_token = forms.CharField(widget=forms.HiddenInput, max_length=40, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].limit_to(user=user)
        if not self.is_bound:
            self.fields["client_token"].initial = uuid.uuid4().hex


class FounderForm(FamilyForm):
    """创建家庭 from her page: she is its first member, as 户主 or another relation."""

    relation = forms.ChoiceField(label=_("她与户主的关系"), choices=Relation.choices, initial=Relation.HEAD)


class MemberForm(forms.Form):
    """A man or a child: name, relation, sex and birth year only (no ID number is asked or kept)."""

    name = forms.CharField(label=_("姓名"), max_length=30)
    relation = forms.ChoiceField(label=_("与户主关系"), choices=Relation.choices)
    sex = forms.ChoiceField(label=_("性别"), choices=MemberSex.choices, widget=forms.RadioSelect)
    birth_year = forms.IntegerField(label=_("出生年份"), min_value=1900, max_value=2100,
                                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}))


class JoinForm(forms.Form):
    """A registry woman joins a family: the family (or the woman) and her relation to its head."""

    target = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    relation = forms.ChoiceField(label=_("与户主关系"), choices=Relation.choices)
