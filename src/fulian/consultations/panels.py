"""Consultations on a page consultations does not own (core.panels): those open for comment on the portal home."""

from django.utils import timezone

from fulian.core.panels import panel_register

from .drafts import public_consultations
from .models import ConsultationState

PORTAL_ROWS = 5


def portal_open(request, _obj):
    today = timezone.localdate()
    rows = list(public_consultations().filter(state=ConsultationState.OPEN, opens_on__lte=today,
                                              closes_on__gte=today).order_by("closes_on", "pk")[:PORTAL_ROWS])
    return {"consultations": rows} if rows else None


panel_register("portal.home", order=20, template="consultations/_portal_panel.html", context=portal_open)
