"""Tidtam settings: one file, read from the environment, failing closed outside development."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from tidtam.lib.env import ConfigurationError, env_bool, env_list, env_str

# ModelAdmin[Project], ModelForm[Kpi] …: Django's generic classes take their type parameters
# at run time too, as the type checker (mypy --strict) reads them.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

# Development (a built-in secret key, local hosts, static files from static/, cookies without
# TLS) is an explicit choice: TIDTAM_DEV alone turns it on. DEBUG only shows Django's debug
# pages; it never relaxes a production setting.
DEBUG = env_bool("DEBUG", default=False)
DEVELOPMENT = env_bool("TIDTAM_DEV", default=False)

if DEVELOPMENT:
    SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-never-use-in-production")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
else:
    SECRET_KEY = env_str("SECRET_KEY")
    if len(SECRET_KEY) < 32 or SECRET_KEY.startswith("dev-only"):
        raise ConfigurationError("SECRET_KEY must be a random string of at least 32 characters")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ConfigurationError("ALLOWED_HOSTS is required outside development")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "django_htmx",
    "django_tasks",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ninja",  # the API's documentation page and its vendored Swagger UI files
    "tidtam.jobs.apps.TaskResultsConfig",  # django_tasks_db, named in Thai
    "tidtam.lib",
    "tidtam.orgs",
    "tidtam.accounts",
    "tidtam.strategy",
    "tidtam.projects",
    "tidtam.reporting",
    "tidtam.indicators",
    "tidtam.standing",
    "tidtam.search",
    "tidtam.audit",
    "tidtam.jobs",
    "tidtam.planimport",
    "tidtam.dashboards",
    "tidtam.legacy",
    "tidtam.opendata",
    "tidtam.demo",
    "tidtam.accounts.apps.SignInLockoutConfig",  # django-axes, named in Thai
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so that static files (an SVG opened on its own) carry the policy too.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tidtam.lib.language.ThaiFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "tidtam.lib.web.RefuseNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tidtam.accounts.middleware.SessionSafetyMiddleware",
    "tidtam.accounts.middleware.TwoFactorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it answers a locked-out sign-in with its own page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tidtam.urls"
WSGI_APPLICATION = "tidtam.wsgi.application"

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
                "tidtam.accounts.context_processors.access",
                "tidtam.dashboards.public_cache.csrf_placeholder",
            ],
            "builtins": [
                "tidtam.lib.templatetags.thai",
                "tidtam.lib.templatetags.people",
                "tidtam.standing.templatetags.badges",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'tidtam.sqlite3'}"),
        # Persistent connections (seconds; 0 closes each at the end of its request), checked
        # before each request reuses one.
        conn_max_age=int(env_str("DB_CONN_MAX_AGE", "0" if DEVELOPMENT else "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers go on while the importer writes; IMMEDIATE avoids lock upgrades failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Every query of a page is short: compiling one with JIT (15 to 20 ms, whenever the
    # planner's estimate passes jit_above_cost) costs more than it saves.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    if env_bool("DB_PREPARED_STATEMENTS", default=True):
        # Planning a page's short queries costs PostgreSQL more than running them (the project
        # page: 5 ms of planning, 1 ms of execution). With the parameters bound on the server,
        # psycopg prepares a query once a connection has run it `prepare_threshold` times, and
        # the server keeps its plan for as long as the connection lives (DB_CONN_MAX_AGE).
        # Turn it off behind a transaction-mode connection pooler (PgBouncer before 1.21).
        DATABASES["default"]["OPTIONS"] |= {"server_side_binding": True, "prepare_threshold": 2}

# Redis, when REDIS_URL is set, is shared by every application server: the cache (public pages,
# the API's rate limits) and the job queue (RQ). Without it each process caches in its own memory
# and jobs wait in the database.
REDIS_URL = env_str("REDIS_URL", "")
CACHES: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "tidtam",
    }
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}
# Public pages (home, the project list, a project's page) served to anonymous readers from the
# cache for at most this many seconds (0: never); a change of what they show is seen at once.
PUBLIC_PAGE_CACHE_SECONDS = int(env_str("PUBLIC_PAGE_CACHE_SECONDS", "600"))

# A PostgreSQL read replica (streaming replication of the primary), when there is one: the
# pages that only read are sent to it (tidtam/lib/replica.py).
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
    # The test suite reads its own test database through the alias.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
READ_REPLICA = bool(DATABASE_REPLICA_URL)
DATABASE_ROUTERS = ["tidtam.lib.replica.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Development serves static files straight from static/; production runs collectstatic first
# (make serve does) into STATIC_ROOT, with hashed names WhiteNoise serves as immutable.
STATIC_ROOT = None if DEVELOPMENT else env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles"))
WHITENOISE_USE_FINDERS = DEVELOPMENT
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEVELOPMENT
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = env_str("MEDIA_ROOT", str(VAR_DIR / "media"))
# Report attachments larger than this many megabytes are refused; a report holds at most
# this many files, of at most this many megabytes in all (reporting/attachments.py).
TIDTAM_ATTACHMENT_MAX_MB = int(env_str("TIDTAM_ATTACHMENT_MAX_MB", "10"))
TIDTAM_ATTACHMENTS_PER_REPORT = int(env_str("TIDTAM_ATTACHMENTS_PER_REPORT", "10"))
TIDTAM_ATTACHMENTS_TOTAL_MB = int(env_str("TIDTAM_ATTACHMENTS_TOTAL_MB", "50"))
# Request limits. Form fields other than files: at most 2.5 MB (Django's default; the longest
# form, a report with every text at its limit, is under 200 KB). An uploaded file is held in
# memory up to 1 MB, larger ones go to a temporary file, so a request costs at most
# DATA_UPLOAD_MAX_NUMBER_FILES MB of memory. A request with more files than that is refused
# (400) before any is read; it is well above the files a report may hold, so that an officer
# who picks too many gets the page saying the limit. The bytes of a whole request are capped
# by the web server in front (nginx client_max_body_size, above TIDTAM_ATTACHMENTS_TOTAL_MB).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 1_048_576
DATA_UPLOAD_MAX_NUMBER_FILES = 40

# Background jobs: the database backend needs no other server (`manage.py db_worker` runs
# them); with REDIS_URL they go to RQ on Redis (`manage.py rqworker --with-scheduler default`,
# which scripts/serve.sh runs), so that workers on several machines share one queue.
# TASKS_BACKEND names a backend explicitly.
TASKS = {
    "default": {
        "BACKEND": env_str(
            "TASKS_BACKEND",
            "django_tasks_rq.RQBackend" if REDIS_URL else "django_tasks_db.DatabaseBackend",
        ),
        "QUEUES": ["default"],
    }
}
if REDIS_URL:
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    # A job (an export, a book) may run this long before RQ stops it.
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
    # The job class that runs a django-tasks task (the worker reads it from here).
    RQ = {"JOB_CLASS": "django_tasks_rq.Job"}
# A running job silent (no progress written) for this many seconds lost its worker.
JOBS_STALE_SECONDS = int(env_str("JOBS_STALE_SECONDS", "600"))
# Finished jobs and their files are kept this many days (`manage.py purge_jobs`).
JOBS_KEEP_DAYS = int(env_str("JOBS_KEEP_DAYS", "7"))
# Exports of up to this many rows are answered at once; larger ones run as a job.
EXPORT_SYNC_ROWS = int(env_str("EXPORT_SYNC_ROWS", "5000"))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Sign-in lockout (django-axes): 5 failures within 15 minutes for one account from one address
# lock that pair for 15 minutes. Unknown accounts are counted and answered alike, so the
# answer never tells whether an account exists. The admin's sign-in goes through the same
# backends; an administrator unlocks under "Access attempts" or with `manage.py axes_reset`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "tidtam.accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "tidtam.lib.web.client_address"
# Reverse proxies in front of the application servers (nginx alone: 1); each appends the
# address it received the request from to X-Forwarded-For.
PROXY_COUNT = int(env_str("PROXY_COUNT", "0"))

# Two-factor sign-in (accounts/two_factor.py): anyone may turn it on for their own account
# from the "Two-factor sign-in" page; with TWO_FACTOR_REQUIRED, administrators and
# evaluators must, before any other page (the admin's too). Off by default, so that a fresh
# install and the demo accounts sign in without a phone. Codes are TOTP (RFC 6238, 30-second
# steps, one step either side accepted), named in the authenticator app after the issuer.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", default=False)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Tidtam")

# The open API's rate limits, requests per minute: per personal token, and per address for
# requests without one. Counted in the cache (one per process unless CACHES names a shared one).
API_RATE_TOKEN = int(env_str("API_RATE_TOKEN", "600"))
API_RATE_ANONYMOUS = int(env_str("API_RATE_ANONYMOUS", "60"))

# A signed-in session left idle this long is signed out (SessionSafetyMiddleware); the cookie
# itself lasts a working day at most.
SESSION_IDLE_MINUTES = int(env_str("SESSION_IDLE_MINUTES", "30"))
SESSION_COOKIE_AGE = 12 * 60 * 60

# E-mail goes to the console unless an SMTP host is configured.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(env_str("EMAIL_PORT", "587"))
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "tidtam@localhost")
# The site's own address, for links in e-mail sent outside a request (reminders).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

SESSION_COOKIE_SECURE = not DEVELOPMENT
CSRF_COOKIE_SECURE = not DEVELOPMENT
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEVELOPMENT)
SECURE_HSTS_SECONDS = 0 if DEVELOPMENT else 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEVELOPMENT
SECURE_HSTS_PRELOAD = not DEVELOPMENT
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp) on every response: scripts, styles, images, fonts and
# requests from the site itself only; no inline script, event handler, <style> element or
# style attribute, and no eval. Scripts are files under static/js; positions computed on the
# server are classes of static/css/positions.css (lib/positions.py); HTMX runs without eval
# (<meta name="htmx-config"> in base.html). "data:" images are the icons inside the API
# documentation's style sheet. Nothing may frame a page, and forms post to the site only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
