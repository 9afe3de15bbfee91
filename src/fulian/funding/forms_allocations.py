"""Forms of an allocation (下达经费: a unit's own budget line, or a share it was allocated split on), paying shares
(按分配拨付) and entering population. Shape and widgets only; the rule is checked by allocations.rule_clean and the
plan by allocation_preview, whose messages the page shows."""

import hashlib
import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fulian.core.forms import DateInput
from fulian.orgs.models import Level, Unit

from .forms_ledger import amount_field
from .models import Basis

RULE_FIELDS = ("year", "amount", "kept", "basis", "target_level", "per_village", "floor_per_village", "care_weight",
               "min_village_share")
PERCENT_ATTRS = {"inputmode": "decimal", "autocomplete": "off", "placeholder": "%"}


def keep_name(level: int) -> str:
    return f"keep_{int(level)}"


class AllocationForm(forms.Form):
    """下达经费 from a unit (`share` None) or 往下分配 of a share (the amount is the share less what the unit keeps)."""

    title = forms.CharField(label=_("名称"), max_length=100,
                            widget=forms.TextInput(attrs={"placeholder": _("如：村级妇联工作经费")}))
    year = forms.TypedChoiceField(label=_("年度"), coerce=int)
    amount = amount_field(_("分配金额(元)"), required=False)
    kept = amount_field(_("本级留用(元，可为0)"), required=False)
    basis = forms.ChoiceField(label=_("分配依据"), choices=Basis.choices)
    target_level = forms.TypedChoiceField(label=_("分配到"), coerce=int)
    per_village = amount_field(_("每个村(社区)妇联定额(元，按定额分配时填)"), required=False)
    floor_per_village = amount_field(_("每个村(社区)妇联保底(元，可不填)"), required=False)
    care_weight = forms.CharField(label=_("关爱对象加权(一名关爱对象多算几人，可不填)"), max_length=10, required=False,
                                  widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
    min_village_share = forms.CharField(label=_("到村最低比例(%，可不填；整个逐级分配都要达到)"), max_length=10,
                                        required=False, widget=forms.TextInput(attrs=PERCENT_ATTRS))
    pay_by = forms.DateField(label=_("拨付期限"), widget=DateInput)
    client_token = forms.CharField(widget=forms.HiddenInput, max_length=40, required=False)

    def __init__(self, *args, unit: Unit, share=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit, self.share = unit, share
        today = timezone.localdate()
        self.fields["year"].choices = [(y, _("%(year)d年度") % {"year": y}) for y in (today.year + 1, today.year,
                                                                                      today.year - 1)]
        below = [level for level in Level if level > unit.level]
        self.fields["target_level"].choices = [(int(level), level.label) for level in below]
        self.keep_levels = [level for level in below if level < Level.VILLAGE]
        for level in self.keep_levels:
            self.fields[keep_name(level)] = forms.CharField(
                label=_("%(level)s级留用比例(%%，逐级分配时；可不填)") % {"level": level.label}, max_length=10,
                required=False, widget=forms.TextInput(attrs=PERCENT_ATTRS))
        if share is not None:  # the share's year, and the cascade root's minimum village share
            for name in ("year", "amount", "min_village_share"):
                del self.fields[name]
        else:
            del self.fields["kept"]
            self.fields["amount"].help_text = _("按定额分配时可不填：定额×村(社区)妇联个数")
        if not self.is_bound:
            self.fields["client_token"].initial = uuid.uuid4().hex
        self.order_fields(["title", "year", "amount", "kept", "basis", "target_level", "per_village",
                           "floor_per_village", "care_weight", *[keep_name(level) for level in self.keep_levels],
                           "min_village_share", "pay_by"])

    def level_keep(self) -> dict[int, str]:
        data = self.cleaned_data
        return {int(level): data[keep_name(level)] for level in self.keep_levels if data.get(keep_name(level))}

    def fingerprint(self) -> str:
        """What the plan was computed from: 确认下达 writes only the plan she has seen."""
        data = self.cleaned_data
        parts = [str(data.get(name, "")).strip() for name in (*RULE_FIELDS, "title")]
        parts += [f"{level}={value}" for level, value in sorted(self.level_keep().items())]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


class PayForm(forms.Form):
    on_date = forms.DateField(label=_("拨付日期"), widget=DateInput)


class PopulationForm(forms.Form):
    """One input per child unit (`p_<unit id>`): blank keeps what was entered."""

    def __init__(self, *args, units: list[Unit], entered: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.units = units
        for unit in units:
            self.fields[f"p_{unit.pk}"] = forms.CharField(
                label=unit.name, max_length=14, required=False, initial=entered.get(unit.pk),
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))

    def rows(self):
        return [(unit, self[f"p_{unit.pk}"]) for unit in self.units]
