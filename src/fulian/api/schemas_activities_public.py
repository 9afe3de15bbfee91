import datetime as dt

from ninja import Field, Schema

from fulian.activities.models import ActivityKind, ActivityStatus, Audience, SignUpState

from .schemas import enum_of


class CalendarSessionOut(Schema):
    number: int
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime


class CalendarActivityOut(Schema):
    id: int
    title: str
    kind: enum_of(ActivityKind)
    starts_at: dt.datetime = Field(description="of the first session")
    ends_at: dt.datetime = Field(description="of the last session")
    status: enum_of(ActivityStatus) = Field(description="published, or cancelled (the detail only)")
    audience: enum_of(Audience) = Field(description="open (anyone) or subtree (本辖区妇女: women of the organising "
                                                    "unit's registry)")
    for_families: bool = Field(description="a family signs up together (family_size)")
    unit_name: str = Field(description="the organising federation")
    organiser: str
    home_id: int | None
    place_name: str = Field(description="the Women's Home, if it is held at one")
    address: str
    latitude: float | None = Field(description="WGS-84, of the Women's Home")
    longitude: float | None
    directions_url: str = Field(description="opens Amap at the place (GCJ-02), '' without coordinates")
    capacity: int | None = Field(description="null: no limit")
    places_left: int | None
    is_full: bool = Field(description="a sign-up now goes to the waiting list")
    distance_km: float | None = Field(None, description="to the Women's Home, when searched by position")

    @staticmethod
    def resolve_unit_name(obj):
        return obj.unit.federation_name


class CalendarActivityDetailOut(CalendarActivityOut):
    description: str
    partners: list[str]
    sessions: list[CalendarSessionOut]

    @staticmethod
    def resolve_sessions(obj):
        return list(obj.sessions.order_by("number"))


class CalendarCodeIn(Schema):
    phone: str = Field(max_length=20)


class CalendarSignUpIn(Schema):
    name: str = Field(min_length=1, max_length=30)
    phone: str = Field(max_length=20)
    code: str = Field(max_length=6, description="the one-time code sent by POST /public/activities/{id}/code")
    family_size: int = Field(1, ge=1, le=20, description="how many of the family come (family activities)")
    client_token: str | None = Field(None, min_length=16, max_length=40,
                                     description="resend the same token (a retry): one sign-up, the same answer")


class CalendarMySignUpIn(Schema):
    name: str = Field(min_length=1, max_length=30)
    family_size: int = Field(1, ge=1, le=20)
    client_token: str | None = Field(None, min_length=16, max_length=40)


class CalendarSignUpOut(Schema):
    activity_id: int
    activity_title: str
    starts_at: dt.datetime
    name: str
    family_size: int
    state: enum_of(SignUpState)
    waiting_position: int | None = Field(description="候补第N位 while waiting")
    created: bool = Field(description="false: this phone had signed up already, here is that sign-up")
    token: str = Field(description="her secret link's key: GET /public/signups/{token}, cancel with POST "
                                   "/public/signups/{token}/cancel; keep it")
    link: str = Field(description="the page of her sign-up on the portal (same secret)")
