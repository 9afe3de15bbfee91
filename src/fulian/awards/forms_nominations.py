"""Forms of nominating (推荐): the cadre's (组织推荐 of a registry family, 媒体推荐 with its source), the portal's
(自我推荐 / 他人推荐 with a one-time code), and the list's filters. Members are rows of name, relation and a
consent tick (`member_rows`); the rules are awards.nominations'."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from fulian.orgs.models import Level
from fulian.orgs.places import PlaceField

from .models import Channel, NominationState
from .nominations import MAX_MEMBERS, SOURCE_MAX, STORY_MAX, TITLE_MAX, relation_label

BLANK_ROWS = 3
SHOWN_STATES = [(s, label) for s, label in NominationState.choices if s != NominationState.HELD]
PHOTO_ACCEPT = "image/jpeg,image/png,image/webp"


def members_posted(data) -> list[dict]:
    """The member rows of a posted form: member_name / member_relation by row, member_consent the ticked rows."""
    names, relations = data.getlist("member_name"), data.getlist("member_relation")
    ticked = set(data.getlist("member_consent"))
    rows = []
    for i, name in enumerate(names[:MAX_MEMBERS + BLANK_ROWS]):
        rows.append({"name": (name or "").strip(), "relation": (relations[i] if i < len(relations) else "").strip(),
                     "consent": str(i) in ticked})
    return [r for r in rows if r["name"]]


def member_rows(members, *, blanks: int = BLANK_ROWS) -> list[dict]:
    """Rows for the template: the members given (a family's, or what was posted) and a few blank ones."""
    rows = [{"index": i, "name": m.get("name", ""), "relation": m.get("relation", ""),
             "relation_label": relation_label(m.get("relation", "")), "consent": bool(m.get("consent")),
             "fixed": bool(m.get("woman_id") or m.get("fixed"))}
            for i, m in enumerate(members)]
    start = len(rows)
    rows += [{"index": start + i, "name": "", "relation": "", "relation_label": "", "consent": False,
              "fixed": False} for i in range(blanks)]
    return rows


class NominationFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部状态"))] + SHOWN_STATES)
    channel = forms.ChoiceField(label=_("推荐渠道"), required=False, choices=[("", _("全部渠道"))] + Channel.choices)
    q = forms.CharField(label=_("家庭名称或电话"), required=False, max_length=30,
                        widget=forms.TextInput(attrs={"placeholder": _("家庭名称或电话")}))


class _StoryFields(forms.Form):
    title = forms.CharField(label=_("事迹标题"), max_length=TITLE_MAX, required=False,
                            widget=forms.TextInput(attrs={"placeholder": _("如：孝老爱亲好儿媳")}))
    story = forms.CharField(label=_("家庭事迹"), max_length=STORY_MAX, widget=forms.Textarea(attrs={"rows": 8}),
                            help_text=_("至少20字：这个家庭的好家风、好故事。"))
    client_token = forms.CharField(max_length=40, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("client_token", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)


class NominateForm(_StoryFields):
    """A cadre's nomination. 组织推荐: the family was picked from the registry (the view passes it); 媒体推荐: the
    village, the family's name and phone, and the source."""

    village = PlaceField(label=_("家庭所在村(社区)"), required=False, levels=(Level.VILLAGE,),
                         help_text=_("输入村(社区)名称或拼音首字母，从列表中点选"))
    family_name = forms.CharField(label=_("家庭名称"), max_length=60, required=False,
                                  widget=forms.TextInput(attrs={"placeholder": _("如：张秀英家")}))
    family_phone = forms.CharField(label=_("家庭联系电话"), max_length=20, required=False,
                                   widget=forms.TextInput(attrs={"inputmode": "tel"}))
    source = forms.CharField(label=_("媒体来源"), max_length=SOURCE_MAX, required=False,
                             widget=forms.TextInput(attrs={"placeholder": _("如：《河北日报》2026-05-12")}))

    def __init__(self, *args, user, channel: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.channel = channel
        self.fields["village"].limit_to(user=user)
        if channel == Channel.ORGANISATION:
            for name in ("village", "family_name", "family_phone", "source"):
                del self.fields[name]
        else:
            self.fields["village"].required = True
            self.fields["family_name"].required = True
            self.fields["source"].required = True


class PublicNominateForm(_StoryFields):
    """The portal's nomination: the village (picker), the family, its members with consent, and the nominator's name
    and phone proved by the one-time code (获取验证码)."""

    is_self = forms.BooleanField(label=_("我推荐的是自己的家庭"), required=False)
    village = PlaceField(label=_("家庭所在村(社区)"), levels=(Level.VILLAGE,),
                         help_text=_("输入村(社区)名称或拼音首字母，从列表中点选"))
    family_name = forms.CharField(label=_("家庭名称"), max_length=60,
                                  widget=forms.TextInput(attrs={"placeholder": _("如：张秀英家")}))
    family_phone = forms.CharField(label=_("家庭联系电话（推荐别人家庭时填写，可不填）"), max_length=20,
                                   required=False, widget=forms.TextInput(attrs={"inputmode": "tel"}))
    nominator_name = forms.CharField(label=_("推荐人姓名"), max_length=30,
                                     widget=forms.TextInput(attrs={"autocomplete": "name"}))
    nominator_phone = forms.CharField(label=_("推荐人手机号"), max_length=20, widget=forms.TextInput(
        attrs={"inputmode": "tel", "autocomplete": "tel"}))
    code = forms.CharField(label=_("验证码"), max_length=6, required=False, widget=forms.TextInput(
        attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].limit_to(under=campaign.unit)

    def clean(self):
        data = super().clean()
        if not (data.get("code") or "").strip() and "code" not in self.errors:
            self.add_error("code", _("请先获取验证码，再填写收到的6位数字。"))
        return data
