"""The public calendar for the app and mini-program: activities near her, one activity, a one-time code, signing up
(with the code, or with her 我的 app token), and her sign-up by its secret token (see it, cancel it). The same
services and reads as the portal's pages (activities.calendar, activities.signups)."""

from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, Status

from fulian.activities import calendar, signups
from fulian.activities.models import SignUpChannel
from fulian.orgs.models import Level
from fulian.orgs.places import place_resolve

from .routers_portal import WomanTokenAuth
from .schemas import ErrorOut
from .schemas_activities_public import (
    CalendarActivityDetailOut,
    CalendarActivityOut,
    CalendarCodeIn,
    CalendarMySignUpIn,
    CalendarSignUpIn,
    CalendarSignUpOut,
)

public_router = Router(tags=["activities"])
PLACE_LEVELS = (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE)


def _out(signup) -> dict:
    return {"activity_id": signup.activity_id, "activity_title": signup.activity.title,
            "starts_at": signup.activity.starts_at, "name": signup.name, "family_size": signup.family_size,
            "state": signup.state, "waiting_position": signups.waiting_position(signup),
            "created": getattr(signup, "created", False), "token": signups.signup_token(signup),
            "link": signups.signup_link(signup)}


def _by_token(token: str):
    signup = signups.signup_by_token(token)
    if signup is None:
        raise Http404("sign-up")
    return signup


@public_router.get("/public/activities", response={200: list[CalendarActivityOut], 400: ErrorOut}, auth=None)
def public_activities_list(request, place_code: str = Query("", max_length=24, description="a county, township or "
                                                                                           "village division code"),
                           lat: float | None = Query(None, ge=-90, le=90), lng: float | None = Query(None, ge=-180,
                                                                                                   le=180),
                           page: int = Query(1, ge=1, le=1000)):
    """Published activities open to the public (and those for a subtree's women, `audience` subtree). With `lat` and
    `lng` (her phone's position) or `place_code`: those near her, nearest Women's Homes first, then her township,
    county …; without: all not over yet, soonest first, 30 a page."""
    now = timezone.now()
    if (lat is None) != (lng is None):
        return Status(400, {"detail": "give both lat and lng, or neither"})
    if lat is not None or place_code:
        place = None if lat is not None else place_resolve("", key=place_code.strip(), levels=PLACE_LEVELS)
        rows, _place = calendar.calendar_near(now=now, place=place, point=(lat, lng) if lat is not None else None)
        return rows
    start = (page - 1) * calendar.CALENDAR_ROWS
    return calendar.dressed(calendar.calendar_upcoming(now=now)[start:start + calendar.CALENDAR_ROWS])


@public_router.get("/public/activities/{activity_id}", response={200: CalendarActivityDetailOut, 404: ErrorOut},
                   auth=None)
def public_activity_get(request, activity_id: int):
    """One published activity (or a cancelled one) open to the public or to a subtree; others are 404."""
    return calendar.activity_public(activity_id)


@public_router.post("/public/activities/{activity_id}/code", response={204: None, 400: ErrorOut, 404: ErrorOut},
                    auth=None)
def public_activity_code(request, activity_id: int, payload: CalendarCodeIn):
    """Send a one-time code to her phone (SMS, through the outbox) to sign up with; the same answer for every
    number."""
    signups.signup_code_send(activity=calendar.activity_public(activity_id), phone=payload.phone)
    return Status(204, None)


@public_router.post("/public/activities/{activity_id}/signups",
                    response={200: CalendarSignUpOut, 201: CalendarSignUpOut, 400: ErrorOut, 404: ErrorOut,
                              409: ErrorOut}, auth=None)
def public_activity_signup(request, activity_id: int, payload: CalendarSignUpIn):
    """Sign up with name, phone and the code just sent: 201 with her sign-up (confirmed, or waiting when full) and
    its secret token; 200 with the one there is when this phone had signed up already."""
    signup = signups.signup_create(
        activity=calendar.activity_public(activity_id), name=payload.name, phone=payload.phone, code=payload.code,
        channel=SignUpChannel.API, family_size=payload.family_size, client_token=payload.client_token)
    return Status(201 if signup.created else 200, _out(signup))


@public_router.post("/public/me/activities/{activity_id}/signups",
                    response={200: CalendarSignUpOut, 201: CalendarSignUpOut, 400: ErrorOut, 404: ErrorOut,
                              409: ErrorOut}, auth=WomanTokenAuth())
def public_me_activity_signup(request, activity_id: int, payload: CalendarMySignUpIn):
    """Sign up with her 我的 app token (her account's phone; no code): shows in her 我的."""
    signup = signups.signup_create(
        activity=calendar.activity_public(activity_id), name=payload.name, channel=SignUpChannel.API,
        account=request.auth, family_size=payload.family_size, client_token=payload.client_token)
    return Status(201 if signup.created else 200, _out(signup))


@public_router.get("/public/me/signups", response=list[CalendarSignUpOut], auth=WomanTokenAuth())
def public_me_signups(request):
    """The sign-ups she made with her account (never those that only share its number)."""
    return [_out(s) for s in calendar.signups_of_account(request.auth)]


@public_router.get("/public/signups/{token}", response={200: CalendarSignUpOut, 404: ErrorOut}, auth=None)
def public_signup_get(request, token: str):
    """Her sign-up by its secret token: 404 for a wrong one."""
    return _out(_by_token(token))


@public_router.post("/public/signups/{token}/cancel", response={200: CalendarSignUpOut, 400: ErrorOut,
                                                                404: ErrorOut}, auth=None)
def public_signup_cancel(request, token: str):
    """Cancel it (a second time changes nothing); her place goes to the first waiting."""
    return _out(signups.signup_cancel(signup=_by_token(token)))
