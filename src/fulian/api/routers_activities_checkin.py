"""Check-in (签到): a woman's own check-in with the code of the session's QR link (the app, the mini-program), and
the organiser's list, tick and walk-in, and undo — the same activities.checkin services as the pages."""

from django.http import Http404
from ninja import Router, Status
from ninja.pagination import paginate

from fulian.activities import checkin
from fulian.activities.models import AttendanceMethod
from fulian.activities.selectors import access_session_by_id
from fulian.core.policy import Action

from .pagination import CappedPagination
from .schemas import ErrorOut
from .schemas_activities_checkin import AttendanceIn, CheckInAttendanceOut, CheckInPublicIn, CheckInPublicOut

router = Router(tags=["activities"])
public_router = Router(tags=["activities"])


@public_router.post("/public/checkin", response={201: CheckInPublicOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut,
                                                 429: ErrorOut}, auth=None)
def public_checkin(request, payload: CheckInPublicIn):
    """She checks in with the code of the session's QR link (read it from the scanned address). A code older than
    the last minute, another session's, or one used outside the session's check-in time answers 400 and saves
    nothing; the same phone twice in a session is one check-in."""
    session = checkin.session_for_checkin(payload.session_id)
    if session is None:
        raise Http404("session")
    try:
        done = checkin.checkin_by_code(session=session, code=payload.code, phone=payload.phone, name=payload.name,
                                       client_token=payload.client_token)
    except checkin.TooManyCheckins as exc:
        return Status(429, {"detail": " ".join(exc.messages)})
    return Status(201, {"session_id": session.pk, "activity_id": session.activity_id,
                        "activity_title": session.activity.title, "session_number": session.number,
                        "name": checkin.name_masked(done.name), "checked_at": done.checked_at,
                        "signed_up": done.signup_id is not None, "waiting": checkin.is_waiting(done)})


@router.get("/sessions/{session_id}/attendance", response={200: list[CheckInAttendanceOut], 404: ErrorOut})
@paginate(CappedPagination)
def attendance_list(request, session_id: int):
    """Who checked in to the session, latest first."""
    session = access_session_by_id(request.auth, session_id)
    return checkin.attendances_of(session)


@router.post("/sessions/{session_id}/attendance", response={201: CheckInAttendanceOut, 400: ErrorOut, 404: ErrorOut,
                                                            409: ErrorOut})
def attendance_add(request, session_id: int, payload: AttendanceIn):
    """The organiser ticks a sign-up (`signup_id`) or adds a walk-in (`name`, `phone`; linked to the registry only
    when exactly one woman under the activity's unit has that phone). Retry with the same `client_token`."""
    session = access_session_by_id(request.auth, session_id, need=Action.EDIT)
    signup = None
    if payload.signup_id is not None:
        signup = checkin.signup_of_session(session, payload.signup_id)
        if signup is None:
            raise Http404("sign-up")
    done = checkin.attendance_record(
        session=session, signup=signup, name=payload.name, phone=payload.phone, actor=request.auth,
        method=AttendanceMethod.TICK if signup is not None else AttendanceMethod.WALK_IN,
        client_token=payload.client_token)
    return Status(201, done)


@router.delete("/sessions/{session_id}/attendance/{attendance_id}", response={204: None, 400: ErrorOut,
                                                                              404: ErrorOut, 409: ErrorOut})
def attendance_delete(request, session_id: int, attendance_id: int):
    """Undo a wrong tick, until two hours after the session ends; the figures go down with it."""
    session = access_session_by_id(request.auth, session_id, need=Action.EDIT)
    attendance = checkin.attendance_of_session(session, attendance_id)
    if attendance is None:
        raise Http404("attendance")
    checkin.attendance_remove(actor=request.auth, attendance=attendance)
    return Status(204, None)
