import datetime as dt

from django.conf import settings
from django.http import Http404
from django.utils import timezone

from fulian.core.policy import Action, needs_second_factor, scope_q

from .models import ApiToken, User


def accounts_for(user):
    """Accounts in the units whose accounts she manages."""
    return User.objects.filter(scope_q(user, field="unit__path", action=Action.MANAGE_ACCOUNTS)).order_by(
        "unit__path", "username"
    )


def tokens_of(user):
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def access_token_by_id(user, token_id: int) -> ApiToken:
    token = ApiToken.objects.filter(pk=token_id, user=user).first()
    if token is None:
        raise Http404("token not found")
    return token


def access_account_by_id(user, account_id: int) -> User:
    """An account whose unit she manages; 404 otherwise, like one that does not exist."""
    account = accounts_for(user).filter(pk=account_id).first()
    if account is None:
        raise Http404("account not found")
    return account


def cadres_for(user, *, need: str = Action.VIEW):
    """Active cadres of the units where she may `need` (the handler and contact-person pickers)."""
    return User.objects.filter(scope_q(user, field="unit__path", action=need), is_active=True, unit__isnull=False)


def access_cadre_by_id(user, cadre_id, *, need: str = Action.VIEW) -> User:
    """A cadre of her scope, for naming her handler or contact person; 404 otherwise."""
    from fulian.core.access import access_by_id

    return access_by_id(user, User, cadre_id, need=need, path_field="unit.path",
                        queryset=User.objects.filter(is_active=True, unit__isnull=False))


def second_factor_duty(user) -> str | None:
    """What her second factor asks of this session: "verify" (she has one, not yet passed), "enrol" (she needs one
    and has none) or None."""
    from .models import SecondFactor

    if getattr(user, "is_verified", lambda: False)():
        return None
    if SecondFactor.objects.filter(user=user).exists():
        return "verify"
    return "enrol" if needs_second_factor(user) else None


def password_change_due(user, *, now=None) -> str | None:
    """"initial" when a chair set her password (or reset it), "expired" past PASSWORD_EXPIRY_DAYS; else None."""
    if user.must_change_password:
        return "initial"
    days = settings.PASSWORD_EXPIRY_DAYS
    if days:
        changed = user.password_changed_at or user.date_joined
        if (now or timezone.now()) - changed > dt.timedelta(days=days):
            return "expired"
    return None
