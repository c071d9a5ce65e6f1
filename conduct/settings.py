"""Conduct settings. Everything a deployment changes comes from the environment (docs/deploy.md)."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from conduct.env import email_settings, envbool, envint, envlist, envnetworks, postgres_options
from conduct.lib.files import private_file

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = envbool("DEBUG", "0")
SECRET_KEY = os.getenv("SECRET_KEY", "")
if not SECRET_KEY:
    # No key given: keep a random one beside the SQLite file, so sessions survive a restart of a
    # single-machine install. A deployment with several servers must set SECRET_KEY.
    _key_file = BASE_DIR / "var" / "secret_key"
    _key_file.parent.mkdir(parents=True, exist_ok=True)
    if not _key_file.exists():
        import secrets

        _key_file.write_text(secrets.token_urlsafe(50))
        _key_file.chmod(0o600)
    SECRET_KEY = _key_file.read_text().strip()
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
# The school's reverse proxies (addresses or networks). Only a request from one of them may say
# with X-Forwarded-For where it came from (audit.services.client_ip); none by default.
TRUSTED_PROXIES = envnetworks("TRUSTED_PROXIES", "")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "conduct",
    "audit",
    "school",
    "notify",
    "patrol",
    "sanctions",
    "work",
    "pastoral",
    "reports",
    "privacy",
    "accounts",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
]

MIDDLEWARE = [
    # Reference data (the school, its calendar, roles...) read at most once per request.
    "conduct.lib.refcache.RequestMemo",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before anything reads a post: a post past its limit answers a page saying so.
    "conduct.middleware.RequestSizeLimit",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "conduct.middleware.LoginRequiredEverywhere",
    "conduct.middleware.SecondFactorRequired",
    "conduct.middleware.SignOutWhenIdle",
    "conduct.middleware.NoStoreWhenSignedIn",
    "conduct.middleware.ReflectionLock",
    # Last: turns a refused sign-in (too many failures) into the "signing in is paused" page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "conduct.urls"
ASGI_APPLICATION = "conduct.asgi.application"
WSGI_APPLICATION = "conduct.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "conduct" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "conduct.navigation.navigation",
            ],
        },
    },
]

# Database: SQLite in WAL mode by default; PostgreSQL (or any URL dj-database-url reads) via
# DATABASE_URL.
DATABASE_URL = os.getenv("DATABASE_URL", "")
if DATABASE_URL:
    # No persistent connections: a pool per process (DB_POOL_MAX) bounds them, whatever runs the
    # requests (conduct/request_threads.py runs them on REQUEST_THREADS threads; Django's own
    # handler made a thread per request, each keeping a connection that was never reused or
    # closed, until PostgreSQL refused everyone).
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"].setdefault("OPTIONS", {}).update(postgres_options())
else:
    SQLITE_PATH = Path(os.getenv("SQLITE_PATH", BASE_DIR / "var" / "conduct.sqlite3"))
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    # Readable by its owner only, from its creation (privacy.apps also fixes the WAL files).
    private_file(SQLITE_PATH)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            "OPTIONS": {
                # WAL lets readers carry on while one writer writes; IMMEDIATE takes the write
                # lock at BEGIN so two writers queue instead of failing half-way with "locked".
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            "TEST": {"NAME": os.getenv("SQLITE_TEST_PATH") or None},
            # Kept open between requests: each of a process's few request threads
            # (conduct/request_threads.py) keeps its own; opening one costs ~1 ms a request.
            "CONN_MAX_AGE": envint("SQLITE_CONN_MAX_AGE", "600"),
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django's cache holds reference data only (conduct/lib/refcache.py: the school, its calendar,
# periods, provisions, roles, the duty rota), each answer dropped on the next committed write to
# its tables. Every server process must share it: Redis when REDIS_URL is set (the same server as
# the channel layer), else files in CACHE_DIR, shared by every process on this machine (the
# server, the worker, `manage.py import_roster`).
if os.getenv("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "conduct",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.getenv("CACHE_DIR", str(BASE_DIR / "var" / "cache")),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

# Channels: in-memory layer for one process; Redis when REDIS_URL is set (several processes).
REDIS_URL = os.getenv("REDIS_URL", "")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
# The longest a request waits to hand a live event to the channel layer (patrol/events.py): a
# Redis that is down or hangs costs the person raising an on-call at most this.
LIVE_EVENT_TIMEOUT_SECONDS = float(os.getenv("LIVE_EVENT_TIMEOUT_SECONDS", "0.5"))

# Patrol: an on-call request nobody has claimed after this many seconds escalates to SLT on call.
ON_CALL_ESCALATE_AFTER_SECONDS = envint("ON_CALL_ESCALATE_AFTER_SECONDS", "120")

globals().update(email_settings(os.getenv("EMAIL_URL", "console:")))
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "conduct@school.example")
# Seconds the SMTP connection waits on the mail server (connecting, and each reply) before the
# attempt fails and is retried later: a server that accepts and never answers holds nothing up.
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", "10")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in throttling (django-axes, accounts/lockout.py). Failures are counted per username and
# per address; a school's staff often share one public address, so the address limit is higher.
# A lock lifts after LOGIN_LOCKOUT_MINUTES, when the data manager unlocks it, or when the
# password is reset by email.
AUTHENTICATION_BACKENDS = [
    "accounts.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_FAILURES_PER_ACCOUNT = envint("LOGIN_FAILURES_PER_ACCOUNT", "5")
LOGIN_FAILURES_PER_ADDRESS = envint("LOGIN_FAILURES_PER_ADDRESS", "30")
LOGIN_LOCKOUT_MINUTES = envint("LOGIN_LOCKOUT_MINUTES", "15")
AXES_ENABLED = envbool("LOGIN_THROTTLE", "1")
AXES_HANDLER = "accounts.lockout.LockoutHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = "accounts.lockout.failures_per_account"
AXES_COOLOFF_TIME = "accounts.lockout.lockout_time"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "audit.services.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ADMIN = False  # the data manager unlocks on Conduct's own page
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["password", "csrfmiddlewaretoken"]
# Sign-ins are in Conduct's audit log already: axes keeps only the failure counts.
AXES_DISABLE_ACCESS_LOG = True
# Two-factor sign-in (django-otp): an authenticator app's code after the password, required of
# every role that sees students' sensitive details (accounts.policies.must_use_two_factor) and
# optional for others. On unless turned off: the demo school (`make demo`) and the tests turn it
# off so the printed logins work with a password alone.
CONDUCT_REQUIRE_2FA = envbool("CONDUCT_REQUIRE_2FA", "1")
OTP_TOTP_ISSUER = os.getenv("OTP_TOTP_ISSUER", "Conduct")
# A wrong code doubles the wait before the next try (per device).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# A password link sent by email works once, for a day.
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", str(60 * 60 * 10))  # a school day
# A session also ends after this long unused (conduct.middleware.SignOutWhenIdle): shorter for
# roles that see students' sensitive details.
SESSION_IDLE_MINUTES_SENSITIVE = envint("SESSION_IDLE_MINUTES_SENSITIVE", "30")
SESSION_IDLE_MINUTES = envint("SESSION_IDLE_MINUTES", "120")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", "0")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True  # pages carry the token; no script reads the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Served over HTTPS (SECURE_COOKIES=1, docs/deploy.md): plain HTTP is sent to HTTPS, and
# browsers are told to use nothing else for a year (HSTS). The health check answers on HTTP
# for a load balancer.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "1" if SESSION_COOKIE_SECURE else "0")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = envint("HSTS_SECONDS", "31536000" if SESSION_COOKIE_SECURE else "0")
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("HSTS_INCLUDE_SUBDOMAINS", "1")
# Behind the school's TLS proxy (TRUSTED_PROXIES), it says a request came over HTTPS; it must
# overwrite the header from clients (docs/deploy.md).
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Asking browsers to preload HSTS binds the school's whole domain, for longer than this app
# lives: the school decides it on its domain, not Conduct (security.W021).
SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Content security policy (django-csp): scripts, styles, pictures and connections only from
# Conduct itself; no inline script or style, no plugins, no framing. The QR code for two-factor
# set-up is inline SVG markup, which CSP allows.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.getenv("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Serve straight from the apps' static folders too, so a fresh clone works before collectstatic.
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# An ordinary form (its text, not its files) is at most POST_MAX_BYTES: the longest text field
# takes 10,000 characters. Files are bounded apart, per upload, by UPLOAD_MAX_BYTES
# (conduct.middleware.RequestSizeLimit); a larger post answers a page saying so (413).
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("POST_MAX_BYTES", str(1024 * 1024))
UPLOAD_MAX_BYTES = envint("UPLOAD_MAX_BYTES", str(50 * 1024 * 1024))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Roster import (docs/import.md): a real bundle is a few MB and tens of thousands of rows; these
# stop a zip bomb or a runaway file. An import that would mark more than this percentage of the
# students, staff or classes as left is refused unless confirmed.
ROSTER_IMPORT_MAX_BYTES = envint("ROSTER_IMPORT_MAX_BYTES", str(50 * 1024 * 1024))
ROSTER_IMPORT_MAX_ROWS = envint("ROSTER_IMPORT_MAX_ROWS", "200000")
ROSTER_IMPORT_MAX_FIELD_CHARS = envint("ROSTER_IMPORT_MAX_FIELD_CHARS", "10000")
ROSTER_LEAVERS_MAX_PERCENT = envint("ROSTER_LEAVERS_MAX_PERCENT", "10")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "WARNING")},
}

# <select> boxes rendered in Python, the rest of a form by Django's templates (issue 15).
FORM_RENDERER = "conduct.lib.rendering.FastSelectRenderer"
