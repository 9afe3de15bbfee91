from ninja.security import HttpBearer, SessionAuth

from fulian.accounts.services import token_authenticate


class TokenAuth(HttpBearer):
    """`Authorization: Bearer fl_…` — tokens are created on the account page (账号 → API 令牌)."""

    def authenticate(self, request, token):
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


session_auth = SessionAuth()
