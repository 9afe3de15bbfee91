from django import forms


class DateInput(forms.DateInput):
    """<input type=date> takes ISO dates only (2026-03-08): a localised value (2026/03/08) shows as empty and the
    saved date is lost on the next save. Every date field uses this widget."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class RatingSelect(forms.RadioSelect):
    """1–5 as a row of large buttons (≥44 px tall): plain radio inputs under styled labels, so the choice works
    without JavaScript and with a keyboard; `low` and `high` say what 1 and 5 mean."""

    template_name = "core/widgets/rating.html"

    def __init__(self, *, low: str = "", high: str = "", attrs=None):
        super().__init__(attrs=attrs)
        self.low, self.high = low, high

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update({"low": self.low, "high": self.high})
        return context


def errors_to_form(form, exc, field_of_code: dict) -> None:
    """A service's ValidationError on the field its code names in `field_of_code` (when the form has that field),
    else above the form, so she sees what to change beside what she typed."""
    if hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for error in exc.error_list:
        field = field_of_code.get(error.code)
        form.add_error(field if field in form.fields else None, error)
