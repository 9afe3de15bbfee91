"""Shape and widgets of the review forms; the rules are awards.review's (shared with the API)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .eligibility import neutral_reason
from .models import DecisionKind
from .review import MAX_COMMENT, MAX_REASON


class ScoreForm(forms.Form):
    """One number field per criterion of the campaign (0..its max), and a comment."""

    comment = forms.CharField(label=_("评语"), required=False, max_length=MAX_COMMENT,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, criteria: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        fields = {}
        for c in criteria:
            fields[f"p_{c['key']}"] = forms.DecimalField(
                label=f"{c['label']}（{c['max']}）", min_value=0, max_value=c["max"], decimal_places=1, max_digits=5,
                widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.5", "min": 0, "max": c["max"]}))
        fields["comment"] = self.fields.pop("comment")
        self.fields = fields | {k: v for k, v in self.fields.items() if k not in fields}
        self.criteria = criteria

    def points(self) -> dict:
        return {c["key"]: self.cleaned_data[f"p_{c['key']}"] for c in self.criteria}


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label=_("决定"), widget=forms.RadioSelect)
    tier = forms.ChoiceField(label=_("奖项档次"), required=False)
    reason = forms.CharField(label=_("理由"), required=False, max_length=MAX_REASON,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("不予推荐须写明理由。"))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, kinds, tiers: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, DecisionKind(k).label) for k in kinds]
        if tiers:
            self.fields["tier"].choices = [("", _("请选择"))] + [(t["name"], t["name"]) for t in tiers]
        else:
            del self.fields["tier"]
        self.fields["reason"].widget.attrs["placeholder"] = neutral_reason()
