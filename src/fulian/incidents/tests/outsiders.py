"""The record behind every incident id route, for api/tests/test_outsiders.py: one incident of 正定县."""

import datetime as dt

from django.utils import timezone


def records(*, county, village, chair, cadre) -> dict:
    from fulian.incidents.services import incident_create

    incident = incident_create(actor=chair, unit=county, title="某村妇女遭家暴视频流传",
                               reported_at=timezone.now() - dt.timedelta(hours=1), place_unit=village,
                               sources=["https://example.com/news/1"])
    return {"incident_id": incident.pk}
