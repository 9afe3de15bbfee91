import datetime as dt

from ninja import Field, Schema

from fulian.activities.models import AttendanceMethod

from .schemas import enum_of
from .schemas_people import Id


class CheckInPublicIn(Schema):
    session_id: Id
    code: str = Field(max_length=40, description="the code in the session's QR link (/checkin/<session_id>/<code>/): "
                                                 "this minute's or the last minute's")
    phone: str = Field(min_length=1, max_length=20, description="her phone; the one she signed up with, if she did")
    name: str = Field("", max_length=30, description="needed only when the phone has no sign-up (a walk-in)")
    client_token: str | None = Field(None, max_length=40, description="resend the same token: one check-in only")


class CheckInPublicOut(Schema):
    session_id: int
    activity_id: int
    activity_title: str
    session_number: int
    name: str = Field(description="her name as recorded, masked (王*兰)")
    checked_at: dt.datetime
    signed_up: bool = Field(description="linked to her sign-up (false: recorded as a walk-in)")
    waiting: bool = Field(description="her sign-up is on the waiting list (it stays there)")


class AttendanceIn(Schema):
    signup_id: Id | None = Field(None, description="tick a sign-up of the activity; or leave out and give name and "
                                                   "phone for a walk-in")
    name: str = Field("", max_length=30)
    phone: str = Field("", max_length=20)
    client_token: str | None = Field(None, max_length=40, description="resend the same token: one attendance only")


class CheckInAttendanceOut(Schema):
    id: int
    session_id: int
    activity_id: int
    signup_id: int | None
    woman_id: int | None = Field(description="the registry record, linked only on one exact phone match")
    family_id: int | None
    name: str
    phone: str
    method: enum_of(AttendanceMethod)
    checked_at: dt.datetime
    checked_by_id: int | None
