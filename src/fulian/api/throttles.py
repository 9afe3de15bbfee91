"""Per-client rate limits: each bearer token (an app, a program) and each signed-in session has its own
budget; anonymous callers are counted by address."""

import hashlib

from django.conf import settings
from ninja.throttling import SimpleRateThrottle


class _SettingRate(SimpleRateThrottle):
    """The rate is read from settings on each request, so a deployment (or a test) can change it."""

    setting = ""

    def __init__(self):
        super().__init__(getattr(settings, self.setting))

    def allow_request(self, request):
        self.rate = getattr(settings, self.setting)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)


class ClientRateThrottle(_SettingRate):
    scope = "client"
    setting = "API_RATE_CLIENT"

    def get_cache_key(self, request):
        header = request.headers.get("Authorization", "")
        if header.lower().startswith("bearer "):
            ident = "t" + hashlib.sha256(header[7:].strip().encode()).hexdigest()[:32]
        elif getattr(request, "user", None) is not None and request.user.is_authenticated:
            ident = f"u{request.user.pk}"
        else:
            return None
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AnonymousRateThrottle(_SettingRate):
    scope = "anonymous"
    setting = "API_RATE_ANONYMOUS"

    def get_cache_key(self, request):
        if request.headers.get("Authorization") or (getattr(request, "user", None) and request.user.is_authenticated):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
