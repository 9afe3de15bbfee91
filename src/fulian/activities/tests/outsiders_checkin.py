"""Records of check-in's id routes for api/tests/test_outsiders.py: a walk-in's attendance at a published lecture of
正定县 (the session routes use the session of activities.tests.outsiders)."""

import datetime as dt

from django.utils import timezone


def records(*, county, village, chair, cadre) -> dict:
    from fulian.activities import checkin, services
    from fulian.activities.models import AttendanceMethod

    start = timezone.now() - dt.timedelta(minutes=10)
    activity = services.activity_publish(actor=chair, activity=services.activity_save(
        actor=chair, unit=county, values={"title": "家风讲坛", "kind": "lecture", "address": "正定县文化馆"},
        sessions=[(start, start + dt.timedelta(hours=2))]))
    attendance = checkin.attendance_record(session=activity.sessions.get(), name="李红", phone="13600136000",
                                           method=AttendanceMethod.WALK_IN, actor=chair)
    return {"attendance_id": attendance.pk}
