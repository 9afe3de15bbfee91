import re
from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .context import Origin, client_ip, reset_origin, set_origin

LAST_SEEN_KEY = "fulian_last_seen"
SIGNED_IN_KEY = "fulian_signed_in"  # when this session began: it ends SESSION_MAX_HOURS later, however active


def session_ends_at(request) -> float | None:
    """When her signed-in session ends at the latest (a timestamp): the absolute limit, SESSION_COOKIE_AGE after
    it began. A phone's cached pages are cleared then (the offline 今日工作)."""
    started = request.session.get(SIGNED_IN_KEY) if hasattr(request, "session") else None
    return started + settings.SESSION_COOKIE_AGE if started else None


class ChineseFirstMiddleware:
    """zh-Hans unless she chose otherwise with the language switch (a cookie), whatever the browser says.

    Put before LocaleMiddleware. A cadre whose phone is set to English still gets the Chinese UI she
    is trained on; LANGUAGE_FROM_BROWSER=true restores Django's negotiation.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.LANGUAGE_FROM_BROWSER:
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class RequestContextMiddleware:
    """Records where each request comes from for the audit trail."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        channel = "api" if request.path.startswith("/api/") else "web"
        token = set_origin(
            Origin(ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")[:200], channel=channel)
        )
        try:
            return self.get_response(request)
        finally:
            reset_origin(token)


class IdleTimeoutMiddleware:
    """Ends a signed-in session that has been idle longer than SESSION_IDLE_MINUTES.

    The last-seen time is written at most once a minute, so an active cadre does not cost a session
    write on every click.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and LAST_SEEN_KEY in request.session:
            now = timezone.now().timestamp()
            last_seen = request.session[LAST_SEEN_KEY]
            started = request.session.get(SIGNED_IN_KEY, last_seen)
            idle = now - last_seen > settings.SESSION_IDLE_MINUTES * 60
            if idle or now - started > settings.SESSION_COOKIE_AGE:
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                hours = settings.SESSION_COOKIE_AGE // 3600
                messages.info(request, _("您已长时间未操作，请重新登录。") if idle else
                              _("登录已超过%(hours)d小时，请重新登录。") % {"hours": hours})
                return redirect_to_login(request.get_full_path())
            if now - last_seen > 60:
                request.session[LAST_SEEN_KEY] = now
            request.session.setdefault(SIGNED_IN_KEY, started)
        elif user is not None and user.is_authenticated:
            request.session[LAST_SEEN_KEY] = request.session[SIGNED_IN_KEY] = timezone.now().timestamp()
        return self.get_response(request)


class HostileInputMiddleware:
    """Refuses, with a clear 400, what no form of ours sends and what would otherwise reach the database as an
    error: bodies over MAX_REQUEST_BYTES, NUL characters (PostgreSQL cannot store them) and query values over
    MAX_QUERY_VALUE characters (a 60 KB search pattern is an attack, not a search)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = self._problem(request)
        if problem:
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": problem}, status=400)
            return HttpResponseBadRequest(problem, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    def _problem(self, request) -> str:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return "bad Content-Length"
        if length > settings.MAX_REQUEST_BYTES:
            return _("提交的内容太大（上限 %(mb)d MB）。") % {"mb": settings.MAX_REQUEST_BYTES // 2**20}
        if "\x00" in request.path:
            return _("地址中有非法字符。")
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in v for v in values):
                return _("参数中有非法字符。")
            if any(len(v) > settings.MAX_QUERY_VALUE for v in values):
                return _("参数太长。")
        if request.method in ("POST", "PUT", "PATCH"):
            content_type = request.META.get("CONTENT_TYPE", "")
            if content_type.startswith("application/json"):
                if length > settings.MAX_JSON_BYTES:
                    return _too_long()
                if b"\x00" in request.body or _JSON_NUL.search(request.body):
                    return _("提交的内容中有非法字符。")
            elif content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
                if request.path.startswith("/api/"):
                    # a route reading a JSON body reads request.body, which the form parsing below would consume:
                    # read (and keep) it first — the form is then parsed from that copy
                    request.body  # noqa: B018  (read for its side effect: Django keeps it)
                limit = settings.MAX_TEXT_CHARS
                for key, values in request.POST.lists():
                    if "\x00" in key or any("\x00" in v for v in values):
                        return _("提交的内容中有非法字符。")
                    if any(len(v) > limit for v in values):
                        return _too_long()
        return ""


# a NUL written as JSON's escape \u0000 — not a text that only looks like one (a backslash typed before "u0000",
# which JSON writes as \\u0000): an odd number of backslashes before "u0000"
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")


def _too_long() -> str:
    """Translated only when it is the answer (every post used to pay for it)."""
    return _("填写的内容太长（每项最多 %(n)d 字）。") % {"n": settings.MAX_TEXT_CHARS}


def content_security_policy() -> str:
    """Scripts only from our own static files (no inline script, no inline event handlers, no eval); images also
    from the map tile server when one is configured."""
    tiles = ""
    if settings.MAP_TILE_URL:
        parts = urlsplit(settings.MAP_TILE_URL.replace("{s}", "x"))
        host = parts.hostname or ""
        if "{s}" in settings.MAP_TILE_URL.split("/")[2]:
            host = "*." + host.split(".", 1)[1]
        tiles = f" {parts.scheme}://{host}"
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        f"img-src 'self' data: blob:{tiles}",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response (a view may widen Permissions-Policy, as
    the Women's Home finder does for geolocation with `allow_geolocation`)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = content_security_policy()

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


PERMISSIONS_POLICY = "geolocation=(), camera=(), microphone=(), payment=(), usb=()"


def allow_geolocation(view):
    """For the pages that locate her (the finder): geolocation for this site only, nothing else widened."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Permissions-Policy"] = PERMISSIONS_POLICY.replace("geolocation=()", "geolocation=(self)")
        return response

    return wrapped


class DatabaseDownMiddleware:
    """When the database is unreachable (restart, failover): the API answers JSON 503 with Retry-After, a page
    answers 503 with a retry button — and a form she posted comes back filled with what she typed (hidden fields of
    this page, never browser storage), so pressing 再试一次 sends it again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db import InterfaceError, OperationalError
        from django.http import HttpResponse
        from django.middleware.csrf import get_token
        from django.template.loader import render_to_string

        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": "the service is briefly unavailable; try again shortly"}, status=503)
        else:
            kept = [(k, v) for k, values in request.POST.lists() for v in values if k != "csrfmiddlewaretoken"]
            # rendered without the request's context processors: they would ask the database again
            html = render_to_string("core/unavailable.html", {"kept": kept, "action": request.path,
                                                              "csrf": get_token(request)})
            response = HttpResponse(html, status=503)
        response["Retry-After"] = "30"
        return response


class HtmxSignInMiddleware:
    """An htmx request whose session has ended is sent to sign in as a whole page (HX-Redirect), coming back to the
    page she was on — instead of the sign-in form pasted into a table row."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.headers.get("HX-Request") != "true" or response.status_code not in (301, 302):
            return response
        from django.shortcuts import resolve_url
        from django.utils.http import urlencode

        login = resolve_url(settings.LOGIN_URL)
        if not response["Location"].startswith(login):
            return response
        current = urlsplit(request.headers.get("HX-Current-URL", "") or "/")
        back = current.path + (f"?{current.query}" if current.query else "")
        redirect = HttpResponse(status=204)
        redirect["HX-Redirect"] = f"{login}?{urlencode({'next': back})}"
        return redirect
