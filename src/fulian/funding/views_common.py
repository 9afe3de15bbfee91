"""What the funding pages share: the checked query parameters (a bad one is a 400), a pager counted to core.paging's
cap, percentages as a cadre reads them, the units above her page she may open, and a service's refusal put on the
field it is about."""

from django.utils import timezone

from fulian.core.forms import errors_to_form as core_errors_to_form
from fulian.core.params import param_int
from fulian.core.policy import Action, allows
from fulian.orgs.selectors import unit_ancestors

from .population import OLDEST_YEAR

# a service's error code → the form field it is about (anything else is shown above the form)
FIELD_OF_CODE = {
    "amount_number": "amount", "amount_negative": "amount", "amount_precision": "amount", "amount_too_big": "amount",
    "date_future": "on_date", "date_past": "on_date", "date_before_paid": "on_date", "source": "source",
    "purpose": "purpose", "note_required": "note", "link_kind": "link_kind", "link_id": "link_id",
    "to_unit": "to_unit", "reason_required": "reason", "too_big": "file", "bad_type": "file", "title": "title",
    "basis": "basis", "target_level": "target_level", "per_village": "per_village", "care_weight": "care_weight",
    "level_keep": None, "pay_by": "pay_by", "kept_too_much": "kept", "nothing_to_split": "kept", "year": "year",
}


def param_year(data, *, name: str = "year") -> int:
    today = timezone.localdate()
    return param_int(data, name, default=today.year, lo=OLDEST_YEAR, hi=today.year + 1)






def percent(value, places: int = 1) -> str:
    """A fraction (0.765) as 76.5%; — when there is none (nothing allocated)."""
    if value is None:
        return "—"
    return f"{float(value) * 100:.{places}f}%"


def ancestors_in_scope(user, unit) -> list:
    """The units above `unit` whose funding page she may open (root first), for the breadcrumb."""
    return [a for a in unit_ancestors(unit) if a.pk != unit.pk and allows(user, Action.VIEW, a.path)]


def errors_to_form(form, exc) -> None:
    """A service's ValidationError on the field its code names (when the form has it), else above the form."""
    core_errors_to_form(form, exc, FIELD_OF_CODE)
