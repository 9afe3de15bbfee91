import time

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from fulian.orgs.places import PlaceField

from .models import CaseKind, Partner, Urgency


class HelpForm(forms.Form):
    """The public help form. `started` is a signed timestamp and `website` a honeypot: a form filled in under
    three seconds or with the hidden field set is a bot."""

    kind = forms.ChoiceField(label=_("您需要什么帮助？"), choices=CaseKind.choices, widget=forms.RadioSelect)
    place = PlaceField(label=_("您所在的村(社区)"), help_text=_("输入村(社区)名称或拼音首字母，从列表中点选"))
    description = forms.CharField(label=_("发生了什么？需要什么帮助？"), max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 5}))
    anonymous = forms.BooleanField(label=_("匿名求助（不留姓名和电话，只能用查询码查看进展）"), required=False)
    name = forms.CharField(label=_("称呼"), max_length=50, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel"}))
    safe_time = forms.CharField(label=_("什么时间方便联系您？"), max_length=100, required=False)
    sms_code = forms.BooleanField(label=_("把查询码用短信发到我的手机"), required=False,
                                  help_text=_("拿着您手机的人也可能看到这条短信。短信里不会出现“妇联”或“求助”字样。"))
    show_in_mine = forms.BooleanField(label=_("在“我的”里显示这次求助"), required=False,
                                      help_text=_("不勾选，这次求助不会出现在您的账号里，只能用查询码查看。"))
    website = forms.CharField(required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))
    started = forms.CharField(widget=forms.HiddenInput)
    client_token = forms.CharField(widget=forms.HiddenInput, max_length=40)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        import uuid

        if not self.is_bound:  # a posted form shows what was posted: the start and the token it came with
            self.fields["started"].initial = signing.dumps(time.time())
            self.fields["client_token"].initial = uuid.uuid4().hex

    def looks_automated(self) -> bool:
        if self.cleaned_data.get("website"):
            return True
        try:
            started = signing.loads(self.cleaned_data.get("started", ""), max_age=86400)
        except signing.BadSignature:
            return True
        from django.conf import settings

        return time.time() - float(started) < settings.HELP_MIN_SECONDS


class CadreIntakeForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=CaseKind.choices)
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=[("", _("按类别默认"))] + list(Urgency.choices),
                                required=False)
    source = forms.ChoiceField(label=_("来源"), choices=[("hotline", _("热线电话")), ("walk_in", _("来访"))])
    unit_code = PlaceField(label=_("所在村(社区)"), help_text=_("输入名称、拼音首字母或区划代码，从列表中点选"))
    description = forms.CharField(label=_("情况"), widget=forms.Textarea(attrs={"rows": 4}))
    name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    phone = forms.CharField(label=_("电话"), max_length=20, required=False)
    address = forms.CharField(label=_("住址"), max_length=200, required=False)
    anonymous = forms.BooleanField(label=_("匿名"), required=False)
    client_token = forms.CharField(widget=forms.HiddenInput, max_length=40)


class PartnerForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类别"), choices=Partner.Kind.choices)
    phone = forms.CharField(label=_("电话"), max_length=20, required=False)
    email = forms.EmailField(label=_("邮箱"), required=False)


class CasePauseForm(forms.Form):
    reason = forms.CharField(label=_("暂缓原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("例如：当事人暂时联系不上、等待法院排期。"))


class CaseCloseForm(forms.Form):
    """Closing cannot be undone: the form asks her to tick 确认办结 (checked on the server, so it holds without
    JavaScript)."""

    outcome = forms.CharField(label=_("办理结果（内部记录）"), max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    outcome_public = forms.CharField(
        label=_("告知求助人的结果"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("她用查询码查看进展时会看到这段话；不填只显示“已办结”。不要写可能让她处于危险的内容。"))
    confirm = forms.BooleanField(label=_("确认办结（办结后不能再办理或修改）"),
                                 error_messages={"required": _("请勾选“确认办结”。")})
