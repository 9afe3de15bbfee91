"""Pages of 账号安全: second factor enrolment and verification, recovery codes, 我的登录设备, and a chair's reset and
session ending for a cadre (from her edit page)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from fulian.core.policy import may_end_sessions_of, may_reset_second_factor, needs_second_factor
from fulian.core.qr import qr_svg

from . import selectors, sessions, twofactor
from .forms import CodeForm

CODES_KEY = "fulian_recovery_codes"  # shown once, on the page after the redirect


def _next(request, default="account_security"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return redirect(default).url


def _verified(request) -> bool:
    return getattr(request.user, "is_verified", lambda: False)()


def _otp_login(request, device) -> None:
    """Her session passed the second factor: it gets a new key, so a key learnt before (while only the password was
    proved) is worth nothing now."""
    otp_login(request, device)
    request.session.cycle_key()


def _enrolled(request, device, codes):
    _otp_login(request, device)
    request.session[CODES_KEY] = codes
    messages.success(request, _("双因素认证已启用。"))
    return redirect("twofactor_codes")


@login_required
def account_security(request):
    user = request.user
    factor = twofactor.second_factor_of(user)
    return render(request, "accounts/security.html", {
        "factor": factor,
        "required": needs_second_factor(user),
        "codes_left": twofactor.recovery_codes_left(user) if factor else 0,
        "sessions_count": sessions.sessions_of(user).count(),
        "password_due": selectors.password_change_due(user),
    })


@login_required
def twofactor_enrol(request):
    return render(request, "accounts/twofactor_enrol.html", {
        "required": needs_second_factor(request.user), "has_phone": bool(request.user.phone),
        "phone_tail": request.user.phone[-4:], "next": _next(request, "home")})


@login_required
def twofactor_totp(request):
    form = CodeForm(request.POST or None)
    device = twofactor.pending_totp(request.user)
    if request.method == "POST" and device is not None and form.is_valid():
        try:
            codes = twofactor.totp_confirm(user=request.user, code=form.cleaned_data["code"],
                                           verified=_verified(request))
        except ValidationError as exc:
            form.add_error("code", exc)
        else:
            return _enrolled(request, twofactor.primary_device(request.user), codes)
    if device is None or request.GET.get("new"):
        device = twofactor.totp_begin(user=request.user)
    uri = twofactor.totp_uri(device)
    return render(request, "accounts/twofactor_totp.html", {
        "form": form, "qr": qr_svg(uri, scale=4), "secret": twofactor.totp_secret_text(device)})


@login_required
def twofactor_sms(request):
    form = CodeForm(request.POST or None) if "code" in request.POST else CodeForm()
    sent = False
    if request.method == "POST":
        try:
            if "send" in request.POST:
                twofactor.sms_begin(user=request.user)
                sent = True
            elif form.is_valid():
                codes = twofactor.sms_confirm(user=request.user, code=form.cleaned_data["code"],
                                              verified=_verified(request))
                return _enrolled(request, twofactor.primary_device(request.user), codes)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            sent = "code" in request.POST
    return render(request, "accounts/twofactor_sms.html", {
        "form": form, "sent": sent, "phone_tail": request.user.phone[-4:], "has_phone": bool(request.user.phone)})


@login_required
def twofactor_codes(request):
    """Her recovery codes, once: right after enrolment or regeneration."""
    codes = request.session.pop(CODES_KEY, None)
    if not codes:
        return redirect("account_security")
    return render(request, "accounts/twofactor_codes.html", {"codes": codes})


@login_required
@require_POST
def twofactor_recovery_new(request):
    try:
        request.session[CODES_KEY] = twofactor.recovery_codes_regenerate(user=request.user,
                                                                         verified=_verified(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("account_security")
    return redirect("twofactor_codes")


@login_required
@require_POST
def twofactor_remove(request):
    try:
        twofactor.second_factor_remove(user=request.user, verified=_verified(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("双因素认证已关闭。"))
    return redirect("account_security")


@login_required
def twofactor_verify(request):
    """After the password: her app's or SMS code, or a recovery code."""
    user = request.user
    factor = twofactor.second_factor_of(user)
    if factor is None or getattr(user, "is_verified", lambda: False)():
        return redirect(_next(request, "home"))
    form = CodeForm(request.POST or None) if "code" in request.POST else CodeForm()
    if request.method == "POST":
        try:
            if "send" in request.POST:
                twofactor.verify_challenge(user=user)
                messages.info(request, _("验证码已发送到尾号 %(tail)s 的手机。") % {
                    "tail": twofactor.sms_number(user)[-4:]})
            elif form.is_valid():
                device = twofactor.second_factor_verify(user=user, code=form.cleaned_data["code"])
                _otp_login(request, device)
                if device.name == twofactor.RECOVERY_DEVICE:
                    messages.warning(request, _("已使用一个恢复码，还剩 %(n)d 个。") % {
                        "n": twofactor.recovery_codes_left(user)})
                return redirect(_next(request, "home"))
        except ValidationError as exc:
            if "code" in request.POST:
                form.add_error(None, exc)
            else:
                messages.error(request, " ".join(exc.messages))
        factor.refresh_from_db()
    return render(request, "accounts/twofactor_verify.html", {
        "form": form, "factor": factor, "next": _next(request, "home"), "phone_tail": twofactor.sms_number(user)[-4:]})


@login_required
def my_sessions(request):
    current = sessions.key_hash(request.session.session_key or "")
    return render(request, "accounts/sessions.html", {
        "rows": sessions.sessions_of(request.user), "current_hash": current})


@login_required
@require_POST
def my_session_end(request, cadre_session_id: int):
    row = sessions.access_session_by_id(request.user, cadre_session_id)
    sessions.session_end(actor=request.user, row=row)
    messages.success(request, _("已结束该设备上的登录。"))
    return redirect("my_sessions")


@login_required
@require_POST
def my_sessions_end_others(request):
    count = sessions.sessions_end_all(actor=request.user, account=request.user,
                                      keep_key=request.session.session_key)
    messages.success(request, _("已结束其他 %(n)d 个设备上的登录。") % {"n": count})
    return redirect("my_sessions")


@login_required
@require_POST
def account_twofactor_reset(request, account_id: int):
    account = selectors.access_account_by_id(request.user, account_id)
    if not may_reset_second_factor(request.user, account):
        raise Http404("account not found")
    try:
        twofactor.second_factor_reset(actor=request.user, account=account, password=request.POST.get("password", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已重置 %(username)s 的双因素认证并设置了新的初始密码："
                                    "她用新密码登录、改密码后重新启用。") % {"username": account.username})
    return redirect("account_edit", account_id=account.pk)


@login_required
@require_POST
def account_sessions_end(request, account_id: int):
    account = selectors.access_account_by_id(request.user, account_id)
    if not may_end_sessions_of(request.user, account):
        raise Http404("account not found")
    count = sessions.sessions_end_all(actor=request.user, account=account)
    messages.success(request, _("已结束 %(username)s 的 %(n)d 个登录。") % {"username": account.username, "n": count})
    return redirect("account_edit", account_id=account.pk)
