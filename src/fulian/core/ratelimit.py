"""Fixed-window counters in the shared cache (Redis in production), for limits that every worker must see.

A limit is a key (what is counted: an address, a phone, a username) and a budget per window. On Redis a hit is
one round trip (INCR, and EXPIRE when it created the key, in one script: atomic, and the key expires with its
window; a pipeline object cost more than the round trip); on other caches it is `cache.add` + `cache.incr`. The
window is part of the key, so old counters expire by themselves.
"""

import time

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache


def _key(name: str, ident: str, seconds: int, now: float | None) -> str:
    window = int((now if now is not None else time.time()) // seconds)
    return f"rl:{name}:{ident}:{seconds}:{window}"


_HIT = "local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end return n"
_script = []
_clients: dict = {}


def _redis_hit(backend: RedisCache, key: str, seconds: int) -> int:
    pool = backend._cache._get_connection_pool(write=True)
    client = _clients.get(pool)
    if client is None:  # Django builds a client (and its table of reply parsers) on every call: one per pool here
        client = _clients[pool] = backend._cache._client(connection_pool=pool)
    if not _script:
        _script.append(client.register_script(_HIT))  # run by its hash; loaded again if the server forgot it
    return _script[0](keys=[key], args=[seconds + 1], client=client)


def rate_hit(name: str, ident: str | None, *, limit: int, seconds: int, now: float | None = None) -> bool:
    """Count one hit for `ident`; True while the count is within `limit` for this window."""
    key = _key(name, ident or "-", seconds, now)
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        return _redis_hit(backend, backend.make_and_validate_key(key), seconds) <= limit
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
