"""账号安全 over the API: her second factor (state, TOTP enrolment and confirmation, SMS enrolment, new recovery
codes), her sessions (list, end one, end the others), and an account manager's reset of a cadre's second factor and
ending of her sessions (404 outside her scope, or when the rule does not let her)."""

from django.http import Http404
from ninja import Router, Status

from fulian.accounts import selectors, sessions, twofactor
from fulian.core.policy import may_end_sessions_of, may_reset_second_factor, needs_second_factor

from .schemas import ErrorOut
from .schemas_security import (
    CadreSessionOut,
    RecoveryCodesOut,
    SecondFactorCodeIn,
    SecondFactorOut,
    SecondFactorProofIn,
    SecondFactorResetIn,
    SessionsEndedOut,
    TotpBeginOut,
)

router = Router(tags=["security"])


def _session_key(request) -> str | None:
    """The key of the browser session making this call (None for a token)."""
    if request.META.get("HTTP_AUTHORIZATION", "").startswith("Bearer "):
        return None
    return getattr(getattr(request, "session", None), "session_key", None)


def _verified(request) -> bool:
    """This call comes from a browser session that passed her second factor (never true with a token)."""
    return bool(_session_key(request) and getattr(request.user, "is_verified", lambda: False)())


@router.get("/me/second-factor", response=SecondFactorOut)
def my_second_factor(request):
    """The state of your second factor."""
    user = request.auth
    factor = twofactor.second_factor_of(user)
    return {"enrolled": factor is not None, "kind": factor.kind if factor else None,
            "locked": bool(factor and factor.is_locked), "required": needs_second_factor(user),
            "recovery_codes_left": twofactor.recovery_codes_left(user) if factor else 0,
            "verified": _verified(request)}


@router.post("/me/second-factor/totp", response=TotpBeginOut)
def my_totp_begin(request):
    """A new TOTP secret for an authenticator app; confirm it with the app's first code."""
    device = twofactor.totp_begin(user=request.auth)
    return {"otpauth_uri": twofactor.totp_uri(device), "secret": twofactor.totp_secret_text(device).replace(" ", "")}


@router.post("/me/second-factor/totp/confirm", response={200: RecoveryCodesOut, 400: ErrorOut})
def my_totp_confirm(request, payload: SecondFactorCodeIn):
    """The app's first code: the factor is on; your recovery codes, shown once. Replacing a factor you have needs it:
    a verified session, or `current_code`."""
    return {"recovery_codes": twofactor.totp_confirm(user=request.auth, code=payload.code, verified=_verified(request),
                                                     current_code=payload.current_code)}


@router.post("/me/second-factor/sms", response={204: None, 400: ErrorOut})
def my_sms_begin(request):
    """Send a code to your account phone, to enrol SMS as your second factor."""
    twofactor.sms_begin(user=request.auth)
    return Status(204, None)


@router.post("/me/second-factor/sms/confirm", response={200: RecoveryCodesOut, 400: ErrorOut})
def my_sms_confirm(request, payload: SecondFactorCodeIn):
    """The code sent to your phone: SMS is your second factor; your recovery codes, shown once. Replacing a factor you
    have needs it: a verified session, or `current_code`."""
    return {"recovery_codes": twofactor.sms_confirm(user=request.auth, code=payload.code, verified=_verified(request),
                                                    current_code=payload.current_code)}


@router.post("/me/second-factor/recovery-codes", response={200: RecoveryCodesOut, 400: ErrorOut})
def my_recovery_codes_new(request, payload: SecondFactorProofIn | None = None):
    """New recovery codes (the old ones stop working), shown once; from a verified session, or with `current_code`."""
    return {"recovery_codes": twofactor.recovery_codes_regenerate(
        user=request.auth, verified=_verified(request), current_code=payload.current_code if payload else None)}


@router.get("/me/sessions", response=list[CadreSessionOut])
def my_sessions_list(request):
    """Your signed-in browser sessions (device, address, last use), newest use first."""
    current = sessions.key_hash(_session_key(request) or "")
    return [{"id": r.pk, "device": r.device, "ip": r.ip, "created_at": r.created_at, "last_used_at": r.last_used_at,
             "current": r.key_hash == current} for r in sessions.sessions_of(request.auth)]


# before /me/sessions/{id}, which would otherwise take "end-others" for an id
@router.post("/me/sessions/end-others", response=SessionsEndedOut)
def my_sessions_end_others(request):
    """End every session of yours but the one making this call (with a token: every session)."""
    return {"ended": sessions.sessions_end_all(actor=request.auth, account=request.auth,
                                               keep_key=_session_key(request))}


@router.delete("/me/sessions/{cadre_session_id}", response={204: None, 404: ErrorOut})
def my_session_end(request, cadre_session_id: int):
    """End one of your sessions: it is signed out at once."""
    row = sessions.access_session_by_id(request.auth, cadre_session_id)
    sessions.session_end(actor=request.auth, row=row)
    return Status(204, None)


@router.post("/accounts/{account_id}/second-factor/reset", response={204: None, 400: ErrorOut, 404: ErrorOut})
def account_second_factor_reset(request, account_id: int, payload: SecondFactorResetIn):
    """A chair above her clears her second factor (a lost phone, a lock) and gives her a new initial password, which
    she must change at her next sign-in before she enrols again (whoever knew the old password cannot enrol first).
    Every session and API token of hers ends."""
    account = selectors.access_account_by_id(request.auth, account_id)
    if not may_reset_second_factor(request.auth, account):
        raise Http404("account")
    twofactor.second_factor_reset(actor=request.auth, account=account, password=payload.password)
    return Status(204, None)


@router.post("/accounts/{account_id}/sessions/end", response={200: SessionsEndedOut, 404: ErrorOut})
def account_sessions_end(request, account_id: int):
    """End every session of a cadre whose account you manage (a lost phone, a departure)."""
    account = selectors.access_account_by_id(request.auth, account_id)
    if not may_end_sessions_of(request.auth, account):
        raise Http404("account")
    return {"ended": sessions.sessions_end_all(actor=request.auth, account=account)}
