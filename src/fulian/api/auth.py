from django.conf import settings
from ninja.errors import Throttled
from ninja.security import HttpBearer, SessionAuth

from fulian.accounts.services import token_authenticate
from fulian.core.context import client_ip
from fulian.core.ratelimit import rate_hit


def count_bad_token(request) -> None:
    """A made-up or dead bearer token is counted against the caller's address; past the limit, 429."""
    if not rate_hit("api-bad-token", client_ip(request), limit=settings.API_BAD_TOKENS_PER_MINUTE, seconds=60):
        raise Throttled(wait=60)


class TokenAuth(HttpBearer):
    """`Authorization: Bearer fl_…` — tokens are created on the account page (账号 → API 令牌)."""

    def authenticate(self, request, token):
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        elif not token.startswith("wm_"):
            count_bad_token(request)
        return user


session_auth = SessionAuth()
