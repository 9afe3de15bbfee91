from django.http import Http404

from fulian.core.policy import Action, scope_q

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
