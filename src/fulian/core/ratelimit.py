"""Fixed-window counters in the shared cache (Redis in production), for limits that every worker must see.

A limit is a key (what is counted: an address, a phone, a username) and a budget per window. On Redis a hit is
one round trip (INCR and EXPIRE NX in one pipeline: atomic, and the key expires with its window); on other
caches it is `cache.add` + `cache.incr`. The window is part of the key, so old counters expire by themselves.
"""

import time

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache


def _key(name: str, ident: str, seconds: int, now: float | None) -> str:
    window = int((now if now is not None else time.time()) // seconds)
    return f"rl:{name}:{ident}:{seconds}:{window}"


def rate_hit(name: str, ident: str | None, *, limit: int, seconds: int, now: float | None = None) -> bool:
    """Count one hit for `ident`; True while the count is within `limit` for this window."""
    key = _key(name, ident or "-", seconds, now)
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        real_key = backend.make_and_validate_key(key)
        pipe = backend._cache.get_client(real_key, write=True).pipeline(transaction=False)
        pipe.incr(real_key)
        pipe.expire(real_key, seconds + 1, nx=True)
        count = pipe.execute()[0]
        return count <= limit
    cache.add(key, 0, seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds + 1)
        count = 1
    return count <= limit


def rate_count(name: str, ident: str | None, *, seconds: int, now: float | None = None) -> int:
    """How many hits `ident` has in this window, without counting one."""
    return cache.get(_key(name, ident or "-", seconds, now), 0)
