"""What a signed-in cadre must do before anything else (a second factor, a new password), and the record of her
sessions. Requests of programs with an API token pass untouched: their token is their proof."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from fulian.core.context import client_ip

from . import sessions
from .selectors import password_change_due, second_factor_duty


def _bearer(request) -> bool:
    return request.META.get("HTTP_AUTHORIZATION", "").startswith("Bearer ")


class SessionControlMiddleware:
    """Records a cadre's session when she signs in (however she signed in), touches its last use at most once a
    minute, forgets it when she signs out, and signs out a session whose record was ended elsewhere."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        key_before = None
        if session is not None and user is not None and user.is_authenticated and not _bearer(request):
            key_before = session.session_key
            if key_before and session.get(sessions.MARK_KEY) == sessions.key_hash(key_before):
                now = time.time()
                if now - session.get(sessions.TOUCH_KEY, 0) > sessions.TOUCH_SECONDS:
                    if not sessions.session_touch(session_key=key_before):
                        logout(request)
                        if request.path.startswith("/api/"):
                            return JsonResponse({"detail": "this session has been ended"}, status=401)
                        return redirect_to_login(request.get_full_path())
                    session[sessions.TOUCH_KEY] = now
        response = self.get_response(request)
        self._after(request, key_before)
        return response

    def _after(self, request, key_before):
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if session is None or user is None or _bearer(request):
            return
        if not user.is_authenticated:
            if key_before:  # she signed out during this request
                sessions.session_forget(session_key=key_before)
            return
        key = session.session_key
        if not key:
            return
        if second_factor_duty(user) == "verify":
            # a password alone is not a sign-in yet: recorded (and counted against SESSIONS_PER_ACCOUNT) only once her
            # second factor passes — else whoever knows her password could push her verified sessions out
            return
        mark = session.get(sessions.MARK_KEY)
        if mark == sessions.key_hash(key):
            return
        if mark and sessions.session_rekey(old_hash=mark, session_key=key):  # same session, key cycled
            pass
        else:
            sessions.session_start(user=user, session_key=key, user_agent=request.META.get("HTTP_USER_AGENT", ""),
                                   ip=client_ip(request))
        session[sessions.MARK_KEY] = sessions.key_hash(key)
        session[sessions.TOUCH_KEY] = time.time()


# what each duty leaves reachable, besides signing out, the language switch and static files
_OPEN = {
    "verify": ("twofactor_verify",),
    "password": ("password_change", "password_change_done"),
    "enrol": ("twofactor_enrol", "twofactor_totp", "twofactor_sms", "twofactor_codes"),
}
_EVERYWHERE = ("logout", "set_language", "service_worker", "manifest", "offline_page")
_API_REFUSALS = {
    "verify": ("second_factor_verify", "verify your second factor first (sign in on the web)"),
    "enrol": ("second_factor_enrol", "enrol a second factor first (sign in on the web)"),
    "password": ("password_change", "change your password first (sign in on the web)"),
}


class SecondFactorMiddleware:
    """A cadre with a second factor not yet verified this session reaches only the verification page; one whose
    password must change (set by a chair, or expired) only the password page; one who needs a factor and has none
    only enrolment. A session-authenticated API call in any of these states gets 403 JSON, never a redirect."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._paths = None

    def _open_paths(self):
        if self._paths is None:
            self._paths = {
                duty: tuple(reverse(name) for name in names + _EVERYWHERE) for duty, names in _OPEN.items()
            }
        return self._paths

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        duty = second_factor_duty(user) or ("password" if password_change_due(user) else None)
        if duty is None:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            if _bearer(request):
                # a program's token decides, never the browser session beside it
                request.user = AnonymousUser()
                return self.get_response(request)
            code, detail = _API_REFUSALS[duty]
            return JsonResponse({"detail": detail, "code": code}, status=403)
        # the open pages by their exact paths: a prefix would also open what lies below them (codes/new/)
        if request.path.startswith(settings.STATIC_URL or "/static/") or request.path in self._open_paths()[duty]:
            return self.get_response(request)
        target = reverse(_OPEN[duty][0])
        if request.method == "GET" and duty != "password":
            target += "?" + urlencode({"next": request.get_full_path()})
        if request.headers.get("HX-Request") == "true":
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)
