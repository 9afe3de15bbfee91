"""Settings for the bench server: fulian's, plus a bare reference view, no rate limit on help requests."""

from fulian.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bench_urls"
HELP_REQUESTS_PER_HOUR = 10**9
HELP_MIN_SECONDS = 0
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
# the bench serves no static files and runs no collectstatic: templates name static files without a manifest
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
# as in production: rate limits counted in Redis (its own database number, so the bench never meets other keys)
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/7"}}
