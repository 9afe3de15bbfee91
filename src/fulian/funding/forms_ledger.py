"""Forms of a unit's ledger (收入、支出、拨付下级), a correction (更正) and a receipt's confirmation (确认到账).
Shape and widgets only: amounts stay text as typed (allocations.amount_clean says what is wrong with one), the
rules are funding.ledger's."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fulian.core.forms import DateInput
from fulian.core.params import is_ascii_digits
from fulian.orgs.models import Level, Unit
from fulian.orgs.places import PlaceField

from .models import LinkKind, Purpose, Source

AMOUNT_ATTRS = {"inputmode": "decimal", "autocomplete": "off", "placeholder": _("元，如 1200.50")}


def amount_field(label, *, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label, max_length=30, required=required, widget=forms.TextInput(attrs=AMOUNT_ATTRS))


class _Once(forms.Form):
    """A hidden token made when the form is drawn: a second tap of the same form posts nothing twice."""

    client_token = forms.CharField(widget=forms.HiddenInput, max_length=40, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["client_token"].initial = uuid.uuid4().hex


class ReceiptForm(_Once):
    on_date = forms.DateField(label=_("到账日期"), widget=DateInput)
    amount = amount_field(_("金额(元)"))
    source = forms.ChoiceField(label=_("经费来源"), choices=Source.choices)
    payer = forms.CharField(label=_("付款方(上级妇联以外的来源)"), max_length=100, required=False)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    field_order = ["on_date", "amount", "source", "payer", "note"]


class ExpenseForm(_Once):
    on_date = forms.DateField(label=_("支出日期"), widget=DateInput)
    amount = amount_field(_("金额(元)"))
    purpose = forms.ChoiceField(label=_("用途"), choices=Purpose.choices)
    note = forms.CharField(label=_("说明(用途为“其他”时必填)"), max_length=300, required=False)
    file = forms.FileField(label=_("票据(PDF或照片，可不传)"), required=False,
                           widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/*"}))
    link_kind = forms.ChoiceField(label=_("关联(可不填)"), required=False,
                                  choices=[("", _("不关联"))] + list(LinkKind.choices))
    link_id = forms.CharField(label=_("关联的编号"), max_length=19, required=False,
                              widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))

    field_order = ["on_date", "amount", "purpose", "note", "file", "link_kind", "link_id"]

    def clean_link_id(self):
        value = (self.cleaned_data.get("link_id") or "").strip()
        if value and not is_ascii_digits(value):
            raise ValidationError(_("编号要是数字。"), code="link_id")
        return value


class DisbursementForm(_Once):
    to_unit = PlaceField(label=_("拨付给(本单位以下的单位)"), levels=tuple(Level)[1:],
                         help_text=_("输入名称、拼音首字母或区划代码，从列表中点选"),
                         error_messages={"required": _("请选择拨付给哪个下级单位。")})
    on_date = forms.DateField(label=_("拨付日期"), widget=DateInput)
    amount = amount_field(_("金额(元)"))
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    field_order = ["to_unit", "on_date", "amount", "note"]

    def __init__(self, *args, unit: Unit, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["to_unit"]
        field.levels = tuple(level for level in Level if level > unit.level)
        field.limit_to(user=user, under=unit)


class CorrectForm(forms.Form):
    reason = forms.CharField(label=_("更正原因"), max_length=300)
    amount = amount_field(_("正确的金额(元，只冲销不重记时不填)"), required=False)
    on_date = forms.DateField(label=_("正确的日期(不填则同原日期)"), required=False, widget=DateInput)


class ConfirmForm(forms.Form):
    on_date = forms.DateField(label=_("到账日期"), widget=DateInput)
