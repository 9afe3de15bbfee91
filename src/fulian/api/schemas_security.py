import datetime as dt

from ninja import Field, Schema

from fulian.accounts.models import SecondFactor

from .schemas import enum_of


class SecondFactorOut(Schema):
    enrolled: bool
    kind: enum_of(SecondFactor.Kind) | None = Field(
        None, description="totp (an authenticator app) or sms (codes to her account phone)")
    locked: bool = Field(description="too many wrong codes: a recovery code or a chair above unlocks it")
    required: bool = Field(description="her post requires a second factor")
    recovery_codes_left: int
    verified: bool = Field(description="this session passed the second factor (always false with a token)")


class TotpBeginOut(Schema):
    otpauth_uri: str = Field(description="otpauth://totp/… for an authenticator app (show as a QR code)")
    secret: str = Field(description="the same secret in base32, for typing in by hand")


_CURRENT_CODE = ("a code of the factor you have now (app, SMS or recovery code): needed to change a factor you have "
                 "unless this is a session that passed it — a token alone only makes a first enrolment")


class SecondFactorCodeIn(Schema):
    code: str = Field(min_length=1, max_length=20)
    current_code: str | None = Field(None, max_length=20, description=_CURRENT_CODE)


class SecondFactorProofIn(Schema):
    current_code: str | None = Field(None, max_length=20, description=_CURRENT_CODE)


class SecondFactorResetIn(Schema):
    password: str = Field(min_length=1, max_length=128,
                          description="her new initial password (she must change it at her next sign-in, then enrols)")


class RecoveryCodesOut(Schema):
    recovery_codes: list[str] = Field(description="shown once: each works once in place of a code")


class CadreSessionOut(Schema):
    id: int
    device: str
    ip: str | None
    created_at: dt.datetime
    last_used_at: dt.datetime
    current: bool = Field(description="the session making this call")


class SessionsEndedOut(Schema):
    ended: int
