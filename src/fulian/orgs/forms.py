from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Conversion, Kind


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("组织名称"), max_length=100)
    kind = forms.ChoiceField(
        label=_("类别"),
        choices=[(k.value, k.label) for k in Kind if k != Kind.GEOGRAPHIC],
        initial=Kind.NEW_ORGANISATION,
    )


class ConversionForm(forms.Form):
    conversion = forms.ChoiceField(choices=[(Conversion.CONGRESS, Conversion.CONGRESS.label),
                                            (Conversion.FEDERATION, Conversion.FEDERATION.label)])
