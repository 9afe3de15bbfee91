"""The public calendar's pages (no login): the list near her, an activity, signing up, and her sign-up's own page
(state, and cancel) reached by the secret link she was shown and sent. Her pages are never cached nor indexed."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from fulian.core.context import client_ip
from fulian.core.middleware import allow_geolocation
from fulian.core.ratelimit import rate_hit
from fulian.orgs.forms_homes import NearestForm

from . import calendar, signups
from .forms_public import SignUpForm
from .models import Audience, SignUpChannel, SignUpState


def _views_per_minute() -> int:
    return int(getattr(settings, "CALENDAR_VIEWS_PER_MINUTE", 300))


def _busy(request):
    return not rate_hit("calendar-page", client_ip(request), limit=_views_per_minute(), seconds=60)


def _too_many(request):
    return _private(render(request, "public_busy.html", status=429))


def _private(response):
    """Her own pages: never cached, never indexed."""
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _woman_account(request):
    """The woman signed in to 我的 on this browser, if any (set by the portal's middleware)."""
    account = getattr(request, "woman_account", None)
    return account if account else None


@allow_geolocation
def calendar_list(request):
    """Activities near her (her phone's position, or the place she picks), or all upcoming ones, soonest first."""
    if _busy(request):
        return _too_many(request)
    form = NearestForm(request.GET or None)
    now = timezone.now()
    page, place, near = None, None, False
    if form.is_valid() and (form.point is not None or form.cleaned_data["place"] is not None):
        near = True
        rows, place = calendar.calendar_near(now=now, place=form.cleaned_data["place"], point=form.point)
    else:
        page = Paginator(calendar.calendar_upcoming(now=now), calendar.CALENDAR_ROWS).get_page(request.GET.get("page"))
        rows = calendar.dressed(page.object_list)
    return render(request, "activities/public_calendar.html", {
        "form": form, "rows": rows, "page": page, "place": place, "near": near})


def calendar_detail(request, activity_id: int):
    """One activity on a phone: its time(s), place with directions, places left or 候补, organiser, description."""
    if _busy(request):
        return _too_many(request)
    activity = calendar.activity_public(activity_id)
    now = timezone.now()
    account = _woman_account(request)
    mine = None
    if account is not None:
        mine = next((s for s in calendar.signups_of_account(account) if s.activity_id == activity.pk
                     and s.state != SignUpState.CANCELLED), None)
    response = render(request, "activities/public_detail.html", {
        "activity": activity, "sessions": calendar.activity_sessions(activity), "now": now,
        "open": signups.signups_open(activity, now=now), "mine": mine,
        "mine_link": signups.signup_link(mine) if mine else "",
        "mine_position": signups.waiting_position(mine) if mine else None})
    return _private(response) if account is not None else response


def calendar_signup_new(request, activity_id: int):
    """Sign up: signed in to 我的, or name + phone + the one-time code (获取验证码 sends it)."""
    if _busy(request):
        return _too_many(request)
    activity = calendar.activity_public(activity_id)
    now = timezone.now()
    account = _woman_account(request)
    is_open = signups.signups_open(activity, now=now)
    form = SignUpForm(request.POST or None, activity=activity, signed_in=account is not None)
    if request.method == "POST" and is_open and "send_code" in request.POST and account is None:
        form = SignUpForm(None, activity=activity, signed_in=False, initial={
            k: request.POST.get(k, "") for k in ("name", "phone", "family_size", "client_token")})
        try:
            signups.signup_code_send(activity=activity, phone=request.POST.get("phone", ""), now=now)
            messages.info(request, _("验证码已发送到您的手机，请填写收到的6位数字后提交报名。"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    elif request.method == "POST" and is_open and form.is_valid():
        data = form.cleaned_data
        try:
            signup = signups.signup_create(
                activity=activity, name=data["name"], phone=data.get("phone", ""), code=data.get("code", ""),
                channel=SignUpChannel.ACCOUNT if account is not None else SignUpChannel.PHONE, account=account,
                family_size=data.get("family_size") or 1, client_token=data["client_token"], now=now)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if not signup.created:
                messages.info(request, _("这个手机号已经报过名了，下面是您的报名。"))
            return _private(redirect("calendar_signup", token=signups.signup_token(signup)))
    return _private(render(request, "activities/public_signup.html", {
        "activity": activity, "form": form, "account": account, "open": is_open,
        "invited": activity.audience == Audience.INVITED}))


def _by_token(token: str):
    signup = signups.signup_by_token(token)
    if signup is None:
        raise Http404("sign-up")
    return signup


def calendar_signup(request, token: str):
    """Her sign-up, by the link she was shown and sent: 已报名 / 候补第N位 / 已取消, and a way to cancel."""
    if _busy(request):
        return _too_many(request)
    signup = _by_token(token)
    return _private(render(request, "activities/public_signup_status.html", {
        "signup": signup, "activity": calendar.dressed([signup.activity])[0], "token": token,
        "position": signups.waiting_position(signup)}))


def calendar_signup_cancel(request, token: str):
    """取消报名 with the link's token: asked once, then done; her place goes to the first waiting."""
    if _busy(request):
        return _too_many(request)
    signup = _by_token(token)
    if request.method == "POST":
        try:
            signups.signup_cancel(signup=signup)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已取消报名。"))
        return _private(redirect("calendar_signup", token=token))
    return _private(render(request, "activities/public_signup_cancel.html", {
        "signup": signup, "activity": signup.activity, "token": token}))
