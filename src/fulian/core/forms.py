from django import forms


class DateInput(forms.DateInput):
    """<input type=date> takes ISO dates only (2026-03-08): a localised value (2026/03/08) shows as empty and the
    saved date is lost on the next save. Every date field uses this widget."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
