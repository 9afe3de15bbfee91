"""Check-in pages: the organiser's screen with the QR code that changes every minute, her phone's tick list, and the
public page the code opens on a woman's phone (no sign-in). They parse, call activities.checkin, render."""

import io
import uuid

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from fulian.core.burden import entry_accept
from fulian.core.params import param_int
from fulian.core.policy import Action

from . import checkin
from .models import AttendanceMethod
from .selectors import access_session_by_id


def _checkin_url(request, session, now) -> str:
    """The absolute address the QR code carries (WeChat's scanner opens it)."""
    return request.build_absolute_uri(reverse("checkin_public", args=[session.pk, checkin.checkin_code(session,
                                                                                                       now=now)]))


@login_required
def checkin_display(request, session_id: int):
    """The screen at the door: a big QR code (an image the page reloads when the code changes) and the count."""
    session = access_session_by_id(request.user, session_id, need=Action.EDIT)
    now = timezone.now()
    return render(request, "activities/checkin_display.html", {
        "session": session, "activity": session.activity, "code": checkin.checkin_code(session, now=now),
        "count": checkin.attendance_count(session), "is_open": checkin.checkin_is_open(session, now=now),
        "opens_at": checkin.checkin_opens_at(session), "sessions": session.activity.sessions.all(),
    })


@login_required
@require_GET
@never_cache
def checkin_qr(request, session_id: int):
    """This minute's QR code as an SVG image (an image, so the page's script never inserts markup)."""
    session = access_session_by_id(request.user, session_id, need=Action.EDIT)
    out = io.BytesIO()
    segno.make(_checkin_url(request, session, timezone.now()), error="m").save(out, kind="svg", scale=10, border=2,
                                                                               title="QR")
    return HttpResponse(out.getvalue(), content_type="image/svg+xml")


@login_required
@require_GET
@never_cache
def checkin_status(request, session_id: int):
    """{code, count, open}: the display's script reloads the image when the code changes and shows the count."""
    session = access_session_by_id(request.user, session_id, need=Action.EDIT)
    now = timezone.now()
    return JsonResponse({"code": checkin.checkin_code(session, now=now), "count": checkin.attendance_count(session),
                         "open": checkin.checkin_is_open(session, now=now)})


@login_required
def checkin_roll(request, session_id: int):
    """The organiser's phone list: confirmed sign-ups with a 签到 button each, the others who came, a walk-in form."""
    session = access_session_by_id(request.user, session_id, need=Action.EDIT)
    q = request.GET.get("q", "")
    roll = checkin.roll_of(session, q=q)
    for row in roll["rows"]:
        row["token"] = uuid.uuid4().hex
    return render(request, "activities/checkin_roll.html", {
        "session": session, "activity": session.activity, "q": q, "walk_in_token": uuid.uuid4().hex,
        "sessions": session.activity.sessions.all(), "undo_until": session.ends_at + checkin.UNDO_AFTER_END,
        "can_undo": timezone.now() <= session.ends_at + checkin.UNDO_AFTER_END, **roll,
    })


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_POST
def checkin_tick(request, session_id: int):
    """A tick (signup) or a walk-in (name, phone), each with its client token: the page's script sends it again
    until it is through, so the same token must give the same attendance. JSON for the script, a redirect for a
    plain form."""
    session = access_session_by_id(request.user, session_id, need=Action.EDIT)
    signup = None
    signup_id = param_int(request.POST, "signup")
    if signup_id is not None:
        signup = checkin.signup_of_session(session, signup_id)
        if signup is None:
            raise Http404("sign-up")
    try:
        done = checkin.attendance_record(
            session=session, signup=signup, name=request.POST.get("name", ""), phone=request.POST.get("phone", ""),
            method=AttendanceMethod.TICK if signup is not None else AttendanceMethod.WALK_IN, actor=request.user,
            client_token=request.POST.get("client_token", ""))
    except ValidationError as exc:
        if _wants_json(request):
            return JsonResponse({"detail": " ".join(exc.messages)}, status=400)
        messages.error(request, " ".join(exc.messages))
        return redirect("checkin_roll", session_id=session.pk)
    entry_accept(request)
    if _wants_json(request):
        return JsonResponse({"id": done.pk, "name": done.name, "phone_last4": done.phone[-4:],
                             "time": timezone.localtime(done.checked_at).strftime("%H:%M"),
                             "method": done.get_method_display(), "count": checkin.attendance_count(session)})
    messages.success(request, _("%(name)s 已签到。") % {"name": done.name})
    return redirect("checkin_roll", session_id=session.pk)


@login_required
@require_POST
def checkin_undo(request, session_id: int):
    session = access_session_by_id(request.user, session_id, need=Action.EDIT)
    attendance = checkin.attendance_of_session(session, param_int(request.POST, "attendance"))
    if attendance is None:
        raise Http404("attendance")
    try:
        checkin.attendance_remove(actor=request.user, attendance=attendance)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已撤销 %(name)s 的签到。") % {"name": attendance.name})
    return redirect("checkin_roll", session_id=session.pk)


@never_cache
def checkin_public(request, session_id: int, code: str):
    """What the QR code opens on her phone: a good scan gives a form (her phone, and her name if she did not sign
    up) with a pass valid for a few minutes; the answer is 已签到 or why not."""
    session = checkin.session_for_checkin(session_id)
    if session is None:
        raise Http404("session")
    now = timezone.now()
    context = {"session": session, "activity": session.activity, "code": code}
    if request.method == "POST":
        try:
            done = checkin.checkin_by_code(
                session=session, code=code, form_pass=request.POST.get("pass", ""),
                phone=request.POST.get("phone", ""), name=request.POST.get("name", ""),
                client_token=request.POST.get("client_token", ""), now=now)
        except checkin.TooManyCheckins as exc:
            return render(request, "activities/checkin_public.html",
                          {**context, "refused": " ".join(exc.messages)}, status=429)
        except ValidationError as exc:
            context.update(error=" ".join(exc.messages), phone=request.POST.get("phone", ""),
                           name=request.POST.get("name", ""), form_pass=request.POST.get("pass", ""),
                           client_token=request.POST.get("client_token", "") or uuid.uuid4().hex)
            if exc.code in ("checkin_pass_expired", "checkin_expired", "checkin_wrong_code", "checkin_not_yet",
                            "checkin_ended", "checkin_not_published"):
                context["refused"] = context.pop("error")
            return render(request, "activities/checkin_public.html", context, status=400)
        return render(request, "activities/checkin_done.html", {
            **context, "attendance": done, "name": checkin.name_masked(done.name),
            "waiting": checkin.is_waiting(done)})
    try:
        checkin.checkin_code_check(session, code, now=now)
    except ValidationError as exc:
        return render(request, "activities/checkin_public.html", {**context, "refused": " ".join(exc.messages)},
                      status=400)
    return render(request, "activities/checkin_public.html", {
        **context, "form_pass": checkin.checkin_pass(session, now=now), "client_token": uuid.uuid4().hex})
