"""Settings shared by every environment; each value that differs per machine reads the
environment, so local development needs none of them set."""

import base64
import hashlib
import os
from datetime import timedelta
from email.utils import getaddresses
from pathlib import Path

import dj_database_url
import sentry_sdk
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from core.logs import LOG_FORMATS, logging_config

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    return _env_number(name, default, int, "a whole number")


def env_float(name: str, default: float) -> float:
    return _env_number(name, default, float, "a number")


def _env_number(name, default, kind, words):
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return kind(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be {words}, not {value!r}.") from None


def csp_hash(source: str) -> str:
    """The Content-Security-Policy source that allows exactly this inline text."""
    digest = base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()
    return f"'sha256-{digest}'"


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

DJANGO_APPS = [
    "core.apps.AdminConfig",  # django.contrib.admin on core.sites.AdminSite
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Its index expressions (OpClass: the trigram indexes); harmless on SQLite.
    "django.contrib.postgres",
]
THIRD_PARTY_APPS = [
    "anymail",
    # django-axes, named in the reader's language (core.apps.AxesConfig).
    "core.apps.AxesConfig",
    "csp",
    "django_countries",
    "django_guid",
    "django_tasks",
    "django_tasks_db",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "phonenumber_field",
    "rest_framework",
    "simple_history",
]
LOCAL_APPS = [
    "core",
    "customers",
    "contacts",
    "communications",
    "sales",
    "transfers",
    "activity",
    "search",
    "api",
    "privacy",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    # /healthz and /readyz, answered before the host check, the TLS redirect and
    # the sign-in (core.health).
    "core.middleware.ProbeMiddleware",
    # The request's id (X-Request-ID), then its line in the log (core.logs).
    "django_guid.middleware.guid_middleware",
    "core.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Above every middleware that may answer by itself (the 400 page for unusable
    # characters), so that every answer refuses to be framed.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # Static files are answered here, before the middleware below.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # Every page Django renders may show customer data: no shared or disk cache.
    "core.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language: the browser's Accept-Language, else English ...
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # ... unless the signed-in user chose one (core.languages).
    "core.middleware.UserLanguageMiddleware",
    # Every page but the sign-in page needs a login.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A control character in the address (a NUL byte in a search) is answered with
    # a page saying so, before a view can send it to the database.
    "core.middleware.UnusableCharactersMiddleware",
    # Records the signed-in user on every history row written during the request.
    "simple_history.middleware.HistoryRequestMiddleware",
    # ... and groups them: what one request wrote is one entry of the Activity Log.
    "core.middleware.HistoryGroupMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

# Background work (django-tasks, the backport of Django 6's django.tasks): run by
# `python manage.py worker` (core.worker); where the tasks queue: TASKS, below.
# Finished tasks' results are kept this many days, then the worker removes them.
TASK_RESULTS_KEPT_DAYS = env_int("TASK_RESULTS_KEPT_DAYS", 7)
# An erased person's copy on an issued document is kept this many years from the
# document's date (the fiscal retention period), then erased (docs/privacy.md).
PRIVACY_RETENTION_YEARS = env_int("PRIVACY_RETENTION_YEARS", 7)
# /readyz (core.health) answers 503 when no worker has said it is alive for this
# many seconds (it does every 15), or when the oldest due task has waited this long.
# 0 turns that check off.
READINESS_WORKER_SEEN_SECONDS = env_int("READINESS_WORKER_SEEN_SECONDS", 120)
READINESS_TASK_WAIT_SECONDS = env_int("READINESS_TASK_WAIT_SECONDS", 300)
READINESS_OUTBOX_WAIT_SECONDS = env_int("READINESS_OUTBOX_WAIT_SECONDS", 300)

WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Persistent connections: a new PostgreSQL connection costs a few milliseconds per
# request (1.2–1.9× the time of a database page under HTTP, docs/benchmarks-scale.md).
# The health check replaces a connection the server has closed before it is used.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles a plan when its estimated cost passes jit_above_cost;
    # for the short queries of these pages that compilation costs more (0.1–0.5 s)
    # than the query itself. Off for the application's connections; POSTGRES_JIT=on
    # gives it back (docs/benchmarks-scale.md, "JIT").
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "options", f"-c jit={'on' if env_bool('POSTGRES_JIT', False) else 'off'}"
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers take the lock when their transaction starts, so two concurrent writes
    # queue up instead of one failing half-way with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A cache every worker shares when REDIS_URL is set (several gunicorn workers, several
# machines): sessions are then read from it and written through to the database
# (`cached_db`), so a flushed or restarted Redis signs nobody out. Without Redis each
# process keeps its own cache in memory and sessions stay in the database alone: a
# per-process cache of sessions would let a worker that did not see a sign-out go on
# accepting the signed-out session.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "contacts"),
            "TIMEOUT": 300,
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# The largest file an import in the browser takes (bytes): 100,000 rows of contacts
# are about 10 MB.
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", 20_000_000))

# Where the tasks are queued: in the database (django-tasks-db, the default: nothing
# more to run), or in Redis with TASKS_BACKEND=rq (django-tasks-rq, at REDIS_URL or
# TASKS_REDIS_URL), for a company that outgrows the database queue. `manage.py
# worker` runs either; the outbox behaves the same on both (docs/communications.md).
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
# The queues: "default", and the outbox's (COMMUNICATIONS_QUEUE, below).
TASK_QUEUES = sorted({"default", os.environ.get("COMMUNICATIONS_QUEUE", "default")})
if TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": TASK_QUEUES}}
    RQ_QUEUES = {
        name: {
            "URL": os.environ.get("TASKS_REDIS_URL", REDIS_URL)
            or "redis://127.0.0.1:6379/0",
            "DEFAULT_TIMEOUT": 600,
        }
        for name in TASK_QUEUES
    }
elif TASKS_BACKEND == "database":
    TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}
    }
else:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be database or rq, not {TASKS_BACKEND!r}."
    )

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]
# django-axes first: it refuses a locked-out user before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "customers:list"
LOGOUT_REDIRECT_URL = "login"

# How long a sign-in lasts, in seconds: a working day unless SESSION_COOKIE_AGE says
# otherwise. Sessions live in the database, which every worker shares (read through
# Redis when REDIS_URL is set: SESSION_ENGINE above).
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 9 * 60 * 60)

# Sign-in lockout (django-axes, docs/security.md). The failures are counted per user
# name *and* client address, in the database, so every gunicorn worker sees them.
# An administrator unlocks in the admin (Axes → Access attempts) or with
# `manage.py axes_reset_username NAME`.
# Quiet start-up (no banner on every manage.py command); failures are still logged.
AXES_VERBOSE = False
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env_int("SIGN_IN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SIGN_IN_LOCKOUT_MINUTES", 15))
# A further attempt while locked out starts the wait again, so "try again in N
# minutes" on the page is always true.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.sign_in.locked_out_response"
# The client's address: REMOTE_ADDR, unless TRUSTED_PROXY_COUNT proxies in front of
# the application each append to X-Forwarded-For (see core/sign_in.py).
AXES_CLIENT_IP_CALLABLE = "core.sign_in.client_ip_address"
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Content-Security-Policy (django-csp): everything from this site only, no inline
# script or style. The pages and Django's admin need nothing more; the admin's
# history page (django-simple-history's object_history_list.html) has one inline
# style attribute, allowed by its hash alone (tests/core/test_security_headers.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": ["'unsafe-hashes'", csp_hash("border-top: 0")],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
# Permissions-Policy (django-permissions-policy): no page uses any of these.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
}

# The language of a page: the user's choice (core.UserPreferences, chosen in the
# header), else the browser's Accept-Language, else LANGUAGE_CODE. Every string a
# user reads is translated; the catalogues are in locale/ (docs/translations.md).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("nl", _("Dutch"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The language emails to a contact go out in when the contact has none of its own.
ORGANISATION_LANGUAGE = os.environ.get("ORGANISATION_LANGUAGE", LANGUAGE_CODE)
# The organisation's own country (ISO 3166 code): the header search ranks a number
# typed nationally as a number of this country first.
ORGANISATION_COUNTRY = os.environ.get("ORGANISATION_COUNTRY", "NL").upper()
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Amsterdam")
USE_I18N = True
USE_TZ = True
# Dates and times in one format per language (config/formats/en: "9 Feb 2026, 14:05").
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "static/"
# Where collectstatic puts the static files whitenoise serves in production.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "contacts@localhost")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Who the emails to customers come from: the organisation's name and postal address
# (lines separated by "|" or new lines) in every email's footer. DEFAULT_FROM_EMAIL
# must be a real address outside development (communications.E001).
ORGANISATION_NAME = os.environ.get("ORGANISATION_NAME", "Customer Contacts")
ORGANISATION_ADDRESS = os.environ.get("ORGANISATION_ADDRESS", "")

# The outbox (docs/communications.md): how long a worker's claim on a delivery holds
# (past it, a delivery still `sending` becomes `unconfirmed`), after how long a due
# delivery whose task got lost is asked for again, how many deliveries one task
# sends, and how often the worker's sweep runs. The mail provider's tracking
# webhooks must sign in with ANYMAIL_WEBHOOK_SECRET ("user:password", basic auth).
COMMUNICATIONS_CLAIM_SECONDS = env_int("COMMUNICATIONS_CLAIM_SECONDS", 300)
COMMUNICATIONS_REQUEUE_SECONDS = env_int("COMMUNICATIONS_REQUEUE_SECONDS", 120)
COMMUNICATIONS_BATCH_SIZE = env_int("COMMUNICATIONS_BATCH_SIZE", 50)
COMMUNICATIONS_SWEEP_SECONDS = env_int("COMMUNICATIONS_SWEEP_SECONDS", 30)
# The task queue the outbox's tasks go to (one of the backend's queues).
COMMUNICATIONS_QUEUE = os.environ.get("COMMUNICATIONS_QUEUE", "default")  # TASKS
ANYMAIL = {"WEBHOOK_SECRET": os.environ.get("ANYMAIL_WEBHOOK_SECRET", "")}
# The providers whose tracking webhooks are served (anymail's names: postmark,
# mailgun, sendgrid, …), at /communications/webhooks/<provider>/tracking/.
MAIL_PROVIDER_WEBHOOKS = env_list("MAIL_PROVIDER_WEBHOOKS", [])

# The JSON API (api/, docs/api.md): Django REST Framework with bearer tokens only. The
# session never authenticates a resource, so no write can ride on a signed-in
# browser (no CSRF to check); JSON in and out, no browsable HTML renderer.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.ResourcePermission"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.IdCursorPagination",
    "DEFAULT_SCHEMA_CLASS": "api.schema.ResourceSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_VERSIONING_CLASS": None,
    "COERCE_DECIMAL_TO_STRING": True,
    "DATETIME_FORMAT": "iso-8601",
}
# Requests a token may make per minute; past them 429 with Retry-After. Counted in
# the cache, which every worker shares when REDIS_URL is set (api/throttling.py).
API_RATE_LIMIT = env_int("API_RATE_LIMIT", 60)
SPECTACULAR_SETTINGS = {
    "TITLE": "Customer Contacts API",
    "DESCRIPTION": (
        "Customers with their billing address and contact card, contact details "
        "and sales documents, with the permissions of the token's user. "
        "Guide: docs/api.md."
    ),
    "VERSION": "1",
    # The document describes the resources, not itself.
    "SERVE_INCLUDE_SCHEMA": False,
    # Operations are tagged and named after the resource (customers_list).
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SERVE_AUTHENTICATION": [
        "api.authentication.BearerTokenAuthentication",
        # The reference page (a signed-in person's browser) reads the document
        # with its session: a read, never a write.
        "rest_framework.authentication.SessionAuthentication",
    ],
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "DocumentStatus": "sales.models.SalesDocument.Status",
        "ContactDetailKind": "contacts.models.ContactDetail.Kind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
    ],
}

# History is read-only: the admin shows past versions but offers no Revert (and
# core.admin.HistoryAdmin refuses a revert that is posted anyway).
SIMPLE_HISTORY_REVERT_DISABLED = True

# How long the header search may run before it is stopped with a message
# (search.selectors.search_time_limit), in milliseconds.
SEARCH_TIMEOUT_MS = env_int("SEARCH_TIMEOUT_MS", 2000)

PHONENUMBER_DB_FORMAT = "E164"
PHONENUMBER_DEFAULT_FORMAT = "INTERNATIONAL"

# The currency a new sales order or invoice starts with (ISO 4217 code).
DEFAULT_CURRENCY = os.environ.get("DEFAULT_CURRENCY", "EUR")

# Whether email addresses are checked against DNS when saved. Off by default: the
# check needs network access and a slow resolver would slow every save.
CONTACTS_EMAIL_CHECK_DELIVERABILITY = env_bool(
    "CONTACTS_EMAIL_CHECK_DELIVERABILITY", False
)

# Logs (core.logs): a line a person reads, or LOG_FORMAT=json for one JSON object a
# line; every line of a request carries its id, and each request ends with a line of
# its own. Errors go to Sentry when SENTRY_DSN is set, else by mail to ADMINS.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "human")
if LOG_FORMAT not in LOG_FORMATS:
    raise ImproperlyConfigured(
        f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, not {LOG_FORMAT!r}."
    )
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
LOGGING = logging_config(
    log_format=LOG_FORMAT,
    level=os.environ.get("LOG_LEVEL", "INFO"),
    mail_admins=not SENTRY_DSN,
)
# "Name <address>, address": who gets the error mails.
ADMINS = getaddresses(env_list("ADMINS", []))
# The request id: the client's X-Request-ID when it is a UUID, else a new one; sent
# back in the response's X-Request-ID (django-guid).
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": True,
    "RETURN_HEADER": True,
    "EXPOSE_HEADER": False,
}
if SENTRY_DSN:
    # Errors and their stack traces, without personal data: no user, no cookies, no
    # request bodies (send_default_pii), nor the values of local variables.
    sentry_sdk.init(
        dsn=SENTRY_DSN,
        send_default_pii=False,
        include_local_variables=False,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        release=os.environ.get("SENTRY_RELEASE") or None,
        traces_sample_rate=env_float("SENTRY_TRACES_SAMPLE_RATE", 0.0),
    )
