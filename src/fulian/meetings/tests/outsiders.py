"""Records of the meetings' id routes for the outsider test (api/tests/test_outsiders.py)."""

import datetime as dt

from django.utils import timezone


def records(*, county, village, chair, cadre) -> dict:
    from fulian.meetings.services import decision_record, meeting_record

    meeting = meeting_record(actor=chair, unit=county, kind="chair_office",
                             held_at=timezone.make_aware(dt.datetime(2026, 3, 2, 9, 0)), attendees=["张敏", "李华"],
                             agenda="春季工作", minutes="纪要")
    decision = decision_record(actor=chair, meeting=meeting, title="开展春季走访")
    return {"meeting_id": meeting.pk, "decision_id": decision.pk}
