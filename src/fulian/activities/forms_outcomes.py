from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fulian.core.forms import DateInput

from .models import OutcomeKind


class OutcomeForm(forms.Form):
    """Shape and widgets only; the rules are activities.outcomes.outcome_record's (shared with the API)."""

    kind = forms.ChoiceField(label=_("成效"), choices=OutcomeKind.choices, widget=forms.RadioSelect)
    amount = forms.DecimalField(label=_("月收入增加(元)"), required=False, max_digits=10, decimal_places=2,
                                min_value=0, help_text=_("收入增加必填；就业、创业可填月收入"),
                                widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}))
    note = forms.CharField(label=_("说明"), required=False, max_length=300,
                           widget=forms.Textarea(attrs={"rows": 2}), help_text=_("如：在县家政公司做育婴师"))
    recorded_on = forms.DateField(label=_("记录日期"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recorded_on"].initial = timezone.localdate()
