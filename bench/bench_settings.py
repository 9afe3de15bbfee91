"""Settings for the bench server: fulian's, plus a bare reference view, no rate limit on help requests."""

from fulian.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bench_urls"
HELP_REQUESTS_PER_HOUR = 10**9
HELP_MIN_SECONDS = 0
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
