"""Records of the completion and outcome routes for api/tests/test_outsiders.py: 正定县's one-session course, one
participant who attended and completed it, and one outcome."""

import datetime as dt

from django.utils import timezone


def records(*, county, village, chair, cadre) -> dict:
    from fulian.activities import outcomes, services
    from fulian.activities.models import Attendance, SignUp

    start = timezone.now() - dt.timedelta(days=2)
    activity = services.activity_publish(actor=chair, activity=services.activity_save(
        actor=chair, unit=county, values={"title": "电商培训班", "kind": "course", "address": "县职教中心"},
        sessions=[(start, start + dt.timedelta(hours=2))]))
    signup = SignUp.objects.create(activity=activity, unit_path=activity.unit_path, name="李梅", phone="13900000009",
                                   channel="cadre", state="confirmed", created_at=start, confirmed_at=start)
    Attendance.objects.create(session=activity.sessions.get(), activity=activity, unit_path=activity.unit_path,
                              signup=signup, name=signup.name, phone=signup.phone, method="tick", checked_at=start)
    completion = outcomes.completion_record(actor=chair, signup=signup)
    outcome = outcomes.outcome_record(actor=chair, completion=completion, kind="employed",
                                      recorded_on=timezone.localdate())
    return {"activity_id": activity.pk, "signup_id": signup.pk, "completion_id": completion.pk,
            "outcome_id": outcome.pk}
