"""fulian settings, read from the environment (see README "Configuration").

Development defaults need no environment at all: SQLite file in var/, DEBUG on. Set
FULIAN_ENV=production for the hardened mode that passes `manage.py check --deploy`.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def env(name: str, default: str = "") -> str:
    """A setting from NAME, or from the file named by NAME_FILE (for secrets mounted as files)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def envbool(name: str, default: str) -> bool:
    return env(name, default).strip().lower() in ("1", "true", "yes", "on")


def envint(name: str, default: str, *, low: int | None = None, high: int | None = None) -> int:
    """An integer setting; one that is not a number, or outside [low, high], stops the start with its name."""
    raw = env(name, default)
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None
    if (low is not None and value < low) or (high is not None and value > high):
        raise ImproperlyConfigured(f"{name} must be between {low} and {high}, not {value}")
    return value


def envchoice(name: str, default: str, choices: tuple[str, ...]) -> str:
    """A setting of a few named values; a misspelt one stops the start instead of quietly meaning the default."""
    value = env(name, default).strip()
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


PRODUCTION = env("FULIAN_ENV", "development") == "production"
DEBUG = envbool("DEBUG", "false" if PRODUCTION else "true")

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) must be set when FULIAN_ENV=production")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production-0123456789abcdef"  # noqa: S105

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")
TRUST_X_REAL_IP = envbool("TRUST_X_REAL_IP", "false")
TRUSTED_PROXIES = envlist("TRUSTED_PROXIES", "127.0.0.1,::1")  # the proxy addresses whose X-Real-IP is believed

INSTALLED_APPS = [
    "fulian.core.apps.FulianAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # its bundled Swagger UI (static files, no CDN, no inline script)
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "fulian.core.apps.CoreConfig",
    "fulian.orgs",
    "fulian.accounts",
    "fulian.people",
    "fulian.dispatch",
    "fulian.contacts",
    "fulian.evaluation",
    "fulian.cases",
    "fulian.portal",
    "fulian.work",
    "fulian.activities",
    "fulian.awards",
    "fulian.care",
    "fulian.funding",
    "fulian.consultations",
    "fulian.supervision",
    "fulian.meetings",
    "fulian.incidents",
    "fulian.api",
    "fulian.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "fulian.core.middleware.HostileInputMiddleware",
    "fulian.core.middleware.SecurityHeadersMiddleware",
    "fulian.core.middleware.DatabaseDownMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "fulian.core.middleware.ChineseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): her second factor passed this session
    "fulian.core.middleware.RequestContextMiddleware",
    "fulian.accounts.middleware.SessionControlMiddleware",  # her sessions list, ended sessions, concurrent limit
    "fulian.accounts.middleware.SecondFactorMiddleware",  # enrolment/verification and forced password change first
    "fulian.core.burden.EntryTimeMiddleware",  # the burden meter: minutes from a form's render to its accepted save
    "django.contrib.messages.middleware.MessageMiddleware",
    "fulian.portal.middleware.WomanAccountMiddleware",
    "fulian.core.middleware.HtmxSignInMiddleware",  # outside the idle timeout, which answers with a redirect
    "fulian.core.middleware.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "fulian.urls"
WSGI_APPLICATION = "fulian.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fulian.core.context_processors.navigation",
            ],
        },
    },
]

# SQLite file by default; PostgreSQL (production) when DATABASE_URL says so.
DATA_DIR = Path(env("FULIAN_DATA_DIR", str(PROJECT_DIR / "var")))
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'fulian.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", "60"),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers go on while a writer works; the pragmas are applied on every new connection.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", "redis://127.0.0.1:6379/0")
# live figures of a province and a city are spread over this many counter rows each, so concurrent writers in one
# province seldom wait for one another's row lock (evaluation.models.Tally.slot); 1 turns spreading off
FIGURE_SLOTS = envint("FIGURE_SLOTS", "16")
# Rate limits and lockouts are counted in this cache: it must be shared by every worker. CACHE_BACKEND=redis (the
# default in production, REDIS_URL), db (the database, when there is no Redis: run `manage.py createcachetable`)
# or locmem (one process: development and tests). CACHE_REDIS=true is the older spelling of redis.
CACHE_BACKEND = env("CACHE_BACKEND", "redis" if PRODUCTION or envbool("CACHE_REDIS", "false") else "locmem")
CACHES = {"default": {
    "redis": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
    "db": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "fulian_cache"},
    "locmem": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}[CACHE_BACKEND]}

# Background work through the Django Tasks API: the database backend by default (worker:
# `manage.py db_worker`), RQ on Redis for scale-out (TASKS_BACKEND=rq, worker: `manage.py rqworker default`).
TASKS_BACKEND = env("TASKS_BACKEND", "db")
TASKS = {
    "default": {
        "BACKEND": {
            "db": "django_tasks_db.DatabaseBackend",
            "rq": "django_tasks_rq.RQBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[TASKS_BACKEND],
    }
}
if TASKS_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}

# Personal data: ID numbers are stored encrypted (Fernet keys, comma-separated, newest first, so keys can
# be rotated) and looked up through an HMAC keyed with ID_HASH_KEY. Both default to keys derived from
# SECRET_KEY in development; set them (or their _FILE) in production and keep them out of the database.
FIELD_ENCRYPTION_KEYS = envlist("FIELD_ENCRYPTION_KEYS", "")
ID_HASH_KEY = env("ID_HASH_KEY", "")
# The cipher of sealed fields (core.crypto): fernet (AES-128-CBC + HMAC) today; sm4 for 密评 (SM4 keys, base64 of 16
# bytes, comma-separated, newest first). Rotation: put the new key first, run `manage.py keys_rotate`.
FIELD_CIPHER = envchoice("FIELD_CIPHER", "fernet", ("fernet", "sm4"))
SM4_KEYS = envlist("SM4_KEYS", "")
if PRODUCTION and FIELD_CIPHER == "sm4" and not SM4_KEYS:
    raise ImproperlyConfigured("SM4_KEYS must be set when FIELD_CIPHER=sm4 and FULIAN_ENV=production")
if PRODUCTION and not (FIELD_ENCRYPTION_KEYS and ID_HASH_KEY):
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS and ID_HASH_KEY must be set when FULIAN_ENV=production")

# Notifications: one sender per outbox channel (dotted path); SMS by SMS_PROVIDER (core.sms); WeChat logs until a
# sender is written.
OUTBOX_SENDERS = {
    "in_app": "fulian.core.outbox.send_in_app",
    "email": "fulian.core.outbox.send_email",
    "sms": env("OUTBOX_SMS_SENDER", "fulian.core.sms.send_sms"),
    "wechat": env("OUTBOX_WECHAT_SENDER", "fulian.core.outbox.send_logged"),
    "weibo": env("OUTBOX_WEIBO_SENDER", "fulian.core.outbox.send_logged"),
    "app": env("OUTBOX_APP_SENDER", "fulian.core.outbox.send_logged"),
}
# Real SMS providers (core.sms): SMS_PROVIDER = log (development stand-in) | aliyun | tencent; keys come from
# SMS_ACCESS_KEY_ID / SMS_ACCESS_KEY_SECRET (or their _FILE); one template id per message kind.
SMS_PROVIDER = envchoice("SMS_PROVIDER", "log", ("log", "aliyun", "tencent"))
SMS_SIGN_NAME = env("SMS_SIGN_NAME", "")
SMS_ACCESS_KEY_ID = env("SMS_ACCESS_KEY_ID", "")
SMS_ACCESS_KEY_SECRET = env("SMS_ACCESS_KEY_SECRET", "")
SMS_SDK_APP_ID = env("SMS_SDK_APP_ID", "")  # Tencent Cloud's SmsSdkAppId
SMS_REGION = env("SMS_REGION", "")
SMS_ENDPOINT = env("SMS_ENDPOINT", "")  # only to point the SDK at a stand-in server in tests
SMS_TEMPLATE_CODE = env("SMS_TEMPLATE_CODE", "")  # one-time codes and second factors: a template with one {code}
SMS_TEMPLATE_NOTICE = env("SMS_TEMPLATE_NOTICE", "")  # notifications: a template with one text parameter

# Survivor-safe help pages: where the quick-exit button goes, and how many requests an address may file.
QUICK_EXIT_URL = env("QUICK_EXIT_URL", "https://www.weather.com.cn/")
HELP_REQUESTS_PER_HOUR = envint("HELP_REQUESTS_PER_HOUR", "5")
# Women's one-time codes: limits per hour (counted in the shared cache); OTP_ECHO prints codes to the console
# (development only: never set it in production).
OTP_REQUESTS_PER_PHONE = envint("OTP_REQUESTS_PER_PHONE", "5")
OTP_REQUESTS_PER_ADDRESS = envint("OTP_REQUESTS_PER_ADDRESS", "20")
OTP_VERIFY_PER_ADDRESS = envint("OTP_VERIFY_PER_ADDRESS", "30")
OTP_FAILURES_PER_PHONE = envint("OTP_FAILURES_PER_PHONE", "10")
CERTIFICATE_CHECKS_PER_HOUR = envint("CERTIFICATE_CHECKS_PER_HOUR", "60")  # public certificate checks per address
PLACE_SEARCHES_PER_MINUTE = envint("PLACE_SEARCHES_PER_MINUTE", "120")  # the place picker: searches per address
SURVEY_ANSWERS_PER_ADDRESS = envint("SURVEY_ANSWERS_PER_ADDRESS", "30")  # public answers per address per hour
OTP_ECHO = envbool("OTP_ECHO", "true" if DEBUG else "false")
HELP_MIN_SECONDS = envint("HELP_MIN_SECONDS", "3")  # a form filled in faster than this is a bot

# Maps: a tile URL template for Leaflet (e.g. Tianditu with your key); empty shows points without a base map.
MAP_TILE_URL = env("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = env("MAP_TILE_ATTRIBUTION", "")

# Contact network: a woman counts as "in touch" when contacted within this many days.
CONTACT_RECENT_DAYS = envint("CONTACT_RECENT_DAYS", "60")
IMPORT_MAX_ROWS = envint("IMPORT_MAX_ROWS", "200000")
# Uploaded rosters: at most this many bytes as uploaded and unpacked (an xlsx is a zip: a small file can unpack
# to gigabytes), kept under PRIVATE_ROOT (never served) and deleted after IMPORT_RETENTION_DAYS (imports_purge).
IMPORT_MAX_BYTES = envint("IMPORT_MAX_BYTES", str(20 * 1024 * 1024))
IMPORT_MAX_UNPACKED_BYTES = envint("IMPORT_MAX_UNPACKED_BYTES", str(400 * 1024 * 1024))
IMPORT_MAX_SHARED_STRINGS_BYTES = envint("IMPORT_MAX_SHARED_STRINGS_BYTES", str(64 * 1024 * 1024))
IMPORT_RETENTION_DAYS = envint("IMPORT_RETENTION_DAYS", "7")
IMPORT_STALE_MINUTES = envint("IMPORT_STALE_MINUTES", "10")  # a running import silent this long has died
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
ATTACHMENT_MAX_BYTES = envint("ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024))  # a task document or report photo
# A rights incident (维权事件): the unit's first public statement is due this many hours after the first report.
INCIDENT_STATEMENT_HOURS = envint("INCIDENT_STATEMENT_HOURS", "24", low=1, high=24 * 30)
# Committee meetings (执委会、常委会): the share of entitled members that must attend (法定人数) and vote for a
# decision. more_than_half (过半数, the federations' rule), half (半数及以上) or two_thirds (三分之二及以上).
MEETING_QUORUM = envchoice("MEETING_QUORUM", "more_than_half", ("more_than_half", "half", "two_thirds"))
MEETING_MAJORITY = envchoice("MEETING_MAJORITY", "more_than_half", ("more_than_half", "half", "two_thirds"))
# Activities: public calendar views per address a minute, sign-ups per phone an hour, check-ins per address an hour
# (generous: a Women's Home's Wi-Fi or a mobile network puts a whole class behind one address)
CALENDAR_VIEWS_PER_MINUTE = envint("CALENDAR_VIEWS_PER_MINUTE", "300", low=1)
ACTIVITY_SIGNUPS_PER_PHONE = envint("ACTIVITY_SIGNUPS_PER_PHONE", "20", low=1)
CHECKINS_PER_ADDRESS = envint("CHECKINS_PER_ADDRESS", "300", low=1)
# Family awards: public award pages per address a minute; portal nominations per phone a day; votes per address an
# hour (one vote per proved phone per campaign per day is the rule; this stops a script behind one address);
# objections per address an hour
AWARD_PAGE_VIEWS_PER_MINUTE = envint("AWARD_PAGE_VIEWS_PER_MINUTE", "300", low=1)
AWARD_NOMINATIONS_PER_PHONE = envint("AWARD_NOMINATIONS_PER_PHONE", "5", low=1)
AWARD_VOTES_PER_ADDRESS = envint("AWARD_VOTES_PER_ADDRESS", "300", low=1)
AWARD_OBJECTIONS_PER_ADDRESS = envint("AWARD_OBJECTIONS_PER_ADDRESS", "10", low=1)
# Hostile input: a request body over this is refused (uploads: rosters ≤ IMPORT_MAX_BYTES, photos ≤ 5 MB); so is a
# query value over MAX_QUERY_VALUE characters.
MAX_REQUEST_BYTES = envint("MAX_REQUEST_BYTES", str(21 * 1024 * 1024))
MAX_QUERY_VALUE = envint("MAX_QUERY_VALUE", "1000")
MAX_TEXT_CHARS = envint("MAX_TEXT_CHARS", "20000")  # one form field (a note, an article) at most
MAX_JSON_BYTES = envint("MAX_JSON_BYTES", str(1024 * 1024))  # an API request body (files go as multipart)
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "fulian.core.passwords.LettersAndDigitsValidator"},
    {"NAME": "fulian.core.passwords.PredictablePasswordValidator"},
    {"NAME": "fulian.core.passwords.PasswordHistoryValidator"},
]
PASSWORD_HISTORY = envint("PASSWORD_HISTORY", "5")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Level-3 controls (等保 2.0 三级). Second factor: required for system administrators and for chairs and
# vice-chairs at county level and above (accounts.twofactor), optional for everyone else; a factor locks after
# SECOND_FACTOR_ATTEMPTS wrong codes until a recovery code or a chair above resets it.
SECOND_FACTOR_REQUIRED = envbool("SECOND_FACTOR_REQUIRED", "true")
SECOND_FACTOR_ATTEMPTS = envint("SECOND_FACTOR_ATTEMPTS", "5", low=1)
SECOND_FACTOR_RECOVERY_CODES = envint("SECOND_FACTOR_RECOVERY_CODES", "10", low=1)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "网上妇女之家")
# Passwords: the initial password a chair sets must be changed at first sign-in; expiry is off by default
# (0 days; 等保 assessors accept no expiry with a second factor, NIST SP 800-63B advises against forced expiry).
PASSWORD_EXPIRY_DAYS = envint("PASSWORD_EXPIRY_DAYS", "0", low=0)
# Sessions: a cadre may be signed in on at most this many devices at once (the oldest session ends); 0 = no limit.
SESSIONS_PER_ACCOUNT = envint("SESSIONS_PER_ACCOUNT", "3", low=0)
# Tamper-evident audit: `audit_seal` (every minute) chains committed rows; `audit_archive` moves sealed rows older
# than AUDIT_RETENTION_DAYS (at least 180) to compressed, hashed files in AUDIT_ARCHIVE_DIR.
AUDIT_RETENTION_DAYS = envint("AUDIT_RETENTION_DAYS", "365", low=180)
AUDIT_ARCHIVE_DIR = Path(env("AUDIT_ARCHIVE_DIR", str(DATA_DIR / "audit-archive")))
AUDIT_SEAL_KEY = env("AUDIT_SEAL_KEY", "")  # keys the chain's links; derived from SECRET_KEY when unset
AUDIT_SEAL_BATCH = envint("AUDIT_SEAL_BATCH", "20000", low=100)  # rows at most in one link (a backlog: several)

# Lockout: after AXES_FAILURE_LIMIT failed logins for one username from one address, the pair is
# locked for AXES_COOLOFF_MINUTES; a system administrator can unlock earlier (`axes_reset`).
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = envint("LOGIN_COOLOFF_MINUTES", "30") / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "fulian.core.context.client_ip"  # the audit's address: X-Real-IP behind a trusted proxy
# Beyond that lockout (accounts.forms.LoginForm): failures from one address across usernames per hour, and a
# per-username back-off (2, 4, 8 … seconds, at most LOGIN_BACKOFF_MAX_SECONDS) after the first free failures.
LOGIN_FAILURES_PER_ADDRESS = envint("LOGIN_FAILURES_PER_ADDRESS", "50")
LOGIN_FAILURES_PER_USERNAME_FREE = envint("LOGIN_FAILURES_PER_USERNAME_FREE", "10")
LOGIN_BACKOFF_MAX_SECONDS = envint("LOGIN_BACKOFF_MAX_SECONDS", "300")
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Idle timeout: a session unused for this many minutes is ended (checked by IdleTimeoutMiddleware).
SESSION_IDLE_MINUTES = envint("SESSION_IDLE_MINUTES", "30")
WOMAN_ACCOUNT_DORMANT_DAYS = envint("WOMAN_ACCOUNT_DORMANT_DAYS", "60")  # a number unused this long may be recycled
# the absolute limit of a signed-in session, however active (IdleTimeoutMiddleware); SESSION_MAX_SECONDS, when set,
# replaces the hours (a browser test watches a phone's kept page go when the limit passes)
SESSION_COOKIE_AGE = envint("SESSION_MAX_SECONDS", str(envint("SESSION_MAX_HOURS", "12") * 3600), low=10)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_FROM_BROWSER = envbool("LANGUAGE_FROM_BROWSER", "false")
TIME_ZONE = env("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", str(DATA_DIR / "static")))
# Static files are served compressed (gzip) under content-hashed names with a far-future cache (WhiteNoise, after
# `collectstatic`): ECharts goes over a 400 kbit/s village connection as ~350 KB instead of 1 MB, once.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": env("STATICFILES_STORAGE", "whitenoise.storage.CompressedManifestStaticFilesStorage")},
}
WHITENOISE_MAX_AGE = 365 * 24 * 3600
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(DATA_DIR / "media")))
MEDIA_URL = "/media/"
PRIVATE_ROOT = Path(env("PRIVATE_ROOT", str(DATA_DIR / "private")))

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "fulian@localhost")

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "true")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "31536000")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "true")
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "true")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}

NINJA_PAGINATION_PER_PAGE = 50
# API rate limits per client (bearer token or signed-in session) and per anonymous address
API_RATE_CLIENT = env("API_RATE_CLIENT", "1200/m")
API_RATE_ANONYMOUS = env("API_RATE_ANONYMOUS", "120/m")
API_TOKEN_DAYS = envint("API_TOKEN_DAYS", "90")  # a program's token expires; make a new one on the account page
API_BAD_TOKENS_PER_MINUTE = envint("API_BAD_TOKENS_PER_MINUTE", "30")
