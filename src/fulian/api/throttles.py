"""Per-client rate limits: each authenticated principal (a cadre's token or session, a woman's app token) has its
own budget; everyone else — including a caller who sends a made-up bearer token — is counted by address.

The address is the one the audit records (`core.context.client_ip`: X-Real-IP only behind a trusted proxy),
never a client-supplied X-Forwarded-For. Throttles run after authentication, so `request.auth` tells who it is.
"""

from django.conf import settings
from ninja.throttling import SimpleRateThrottle

from fulian.core.context import client_ip


def principal(request) -> str | None:
    """'accounts.user:<id>', 'portal.womanaccount:<id>', … for whoever authenticated; None for anyone else."""
    auth = getattr(request, "auth", None)
    if auth is not None and getattr(auth, "pk", None) is not None and hasattr(auth, "_meta"):
        return f"{auth._meta.label_lower}:{auth.pk}"
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"{user._meta.label_lower}:{user.pk}"
    return None


class _SettingRate(SimpleRateThrottle):
    """The rate is read from settings on each request, so a deployment (or a test) can change it."""

    setting = ""

    def __init__(self):
        super().__init__(getattr(settings, self.setting))

    def allow_request(self, request):
        self.rate = getattr(settings, self.setting)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_ident(self, request):
        return client_ip(request) or "-"


class ClientRateThrottle(_SettingRate):
    scope = "client"
    setting = "API_RATE_CLIENT"

    def get_cache_key(self, request):
        ident = principal(request)
        if ident is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AnonymousRateThrottle(_SettingRate):
    scope = "anonymous"
    setting = "API_RATE_ANONYMOUS"

    def get_cache_key(self, request):
        if principal(request) is not None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
