"""The one settings module. Every value that differs between machines comes from the
environment (see the configuration table in README.md); the defaults run on SQLite with
no other service."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from xstatic.pkg import bootstrap as xstatic_bootstrap

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="insecure-development-key-never-use-in-production")
else:
    SECRET_KEY = env.str("SECRET_KEY")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "template_partials",
    "axes",
    "csp",
    "school",
    "privacy",
    "notifications",
    "homework",
    "sanctions",
    "clubs",
    "parents",
    "consultations",
    "reports",
    "mis",
    "sso",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: writes who looked at which pupil once the response is sent.
    "privacy.access_log.middleware.AccessLogMiddleware",
    # After authentication: a guardian sees their preferred language until they choose one.
    "school.middleware.GuardianLanguageMiddleware",
    # After authentication: pages in the time zone of the school being viewed.
    "school.middleware.SchoolTimeZoneMiddleware",
    # After the time zone: a guardian's first parents' page of the day records a visit.
    "parents.visits.PortalVisitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Axes must come last: it turns a locked-out login attempt into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "homework_mgmt.urls"
WSGI_APPLICATION = "homework_mgmt.wsgi.application"

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
                "school.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# A connection kept between requests may have been dropped by a database restart: check it
# (one cheap query) before each request reuses it, instead of answering that request 500.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool(
    "CONN_HEALTH_CHECKS", default=DATABASES["default"]["CONN_MAX_AGE"] != 0
)
# PostgreSQL's JIT compiler picks queries by the planner's cost estimate: a report query
# with hundreds of FILTERs over a few thousand rows looks costly, and was compiled for 1.7 s
# to run for 0.15 s (families' engagement on a school of 1,342 pupils). The pages' queries
# are short: JIT off unless DATABASE_JIT says otherwise (a pooler that refuses startup
# options can set it on and leave it to the server's setting).
if DATABASES["default"]["ENGINE"].endswith("postgresql") and not env.bool(
    "DATABASE_JIT", default=False
):
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "school.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Stops a password login where the school signs staff and pupils in with its account.
    "sso.backends.PasswordOffBackend",
    "school.auth.AccountBackend",
    # Signing in with the school's account (OpenID Connect, per school: sso/).
    "sso.backends.SchoolAccountBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# Sign-in with the school's Microsoft or Google account (sso/, README "Signing in with the
# school's account"): mozilla-django-oidc's settings; each school's service is in the database.
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_AUTHENTICATION_CALLBACK_URL = "sso_callback"
# Kept in the session for signing out of the school's account too (its id_token_hint).
OIDC_STORE_ID_TOKEN = True
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT", default=10)
# The key the schools' client secrets are encrypted with (any long random string); by
# default the SECRET_KEY. Changing it means entering each school's secret again.
SSO_SECRET_KEY = env.str("SSO_SECRET_KEY", default=SECRET_KEY)
# Plain-http sign-in services on this machine (127.0.0.1): development and the tests only.
SSO_ALLOW_LOOPBACK_HTTP = env.bool("SSO_ALLOW_LOOPBACK_HTTP", default=DEBUG)
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=60 * 60 * 24)
# Reset emails asked for in an hour: per address (a mailbox cannot be flooded) and per
# client address (one client cannot try many addresses). A school's pupils share one
# address, so the second is higher.
PASSWORD_RESET_LIMIT_PER_ADDRESS = env.int("PASSWORD_RESET_LIMIT_PER_ADDRESS", default=3)
PASSWORD_RESET_LIMIT_PER_CLIENT = env.int("PASSWORD_RESET_LIMIT_PER_CLIENT", default=20)

# Pupils log in on shared classroom computers: sessions end when the browser closes and
# last at most a school day otherwise.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 8)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Every pupil of a school shares its one public IP address, so lock out by username only.
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "school.auth.lockout_username"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "en-gb"
# Parents choose among these in the switcher (base.html); Urdu pages read right to left.
LANGUAGES = [("en-gb", "English"), ("pl", "Polski"), ("ur", "اردو")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = None

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("bootstrap", xstatic_bootstrap.BASE_DIR),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "media/"


def email_config(url: str) -> dict:
    """Django's mail settings from an EMAIL_URL. django-environ reads `filemail:///srv/mail`
    as the relative path `srv/mail`; here everything after `filemail://` is the folder, so
    `filemail:///srv/mail` and `filemail:////srv/mail` are both /srv/mail, `filemail://mail`
    is relative to the project, and `filemail://` alone is var/mail/."""
    config = environ.Env.email_url_config(url)
    if url.startswith("filemail:"):
        path = unquote(url.partition("://")[2].partition("?")[0])
        if path.startswith("/"):
            path = "/" + path.lstrip("/")  # POSIX keeps a leading "//" as it is
        config["EMAIL_FILE_PATH"] = str(BASE_DIR / path) if path else str(VAR_DIR / "mail")
    return config


vars().update(email_config(env.str("EMAIL_URL", default="filemail://")))
# Seconds before giving up on the mail server (the worker retries; with the broker down
# the web process sends, and must not hang on it).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Homework <homework@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
# Without Redis there is no worker: tasks run in the web process when queued.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Tasks outside the apps' tasks.py modules, which the worker must import too.
CELERY_IMPORTS = ["homework_mgmt.accounts", "mis.nightly", "privacy.retention.tasks"]
CELERY_BEAT_SCHEDULE = {
    # Sends what the queue lost (Redis down when the event happened).
    "notifications-sweep": {
        "task": "notifications.tasks.notifications_sweep",
        "schedule": timedelta(minutes=5),
    },
    # The daily digest of the kinds parents chose to get once a day.
    "notifications-digests": {
        "task": "notifications.tasks.digests_send",
        "schedule": crontab(hour=17, minute=30),
    },
    # The retention schedule of every school that confirmed one (privacy/retention/).
    "privacy-retention-nightly": {
        "task": "privacy.retention.tasks.retention_nightly",
        "schedule": crontab(hour=1, minute=30),
    },
    # Rate-limit counts whose hour is over.
    "school-ratelimits-prune": {
        "task": "school.tasks.ratelimits_prune",
        "schedule": crontab(hour=3, minute=15),
    },
    # Monday morning at each school (hourly: Monday 7 o'clock comes at a different hour
    # in each school's time zone): what is set for each child this week.
    "parents-weekly-digests": {
        "task": "parents.tasks.weekly_digests_write",
        "schedule": crontab(minute=5),
    },
    # Import files read but never confirmed or discarded (they hold personal data).
    "mis-unconfirmed-discard": {
        "task": "mis.tasks.import_runs_unconfirmed_discard",
        "schedule": crontab(hour=3, minute=45),
    },
    # Subject access exports nobody downloaded in time (they hold a whole record).
    "privacy-exports-expire": {
        "task": "privacy.tasks.subject_access_exports_expire",
        "schedule": crontab(hour=4, minute=5),
    },
    # Two days before a consultation closes: a reminder to the families not answering.
    "consultations-closing-reminders": {
        "task": "consultations.tasks.closing_reminders_send",
        "schedule": crontab(hour=16, minute=0),
    },
}

# The nightly import from the schools' MIS (README "Importing from the MIS"): each school's
# scheduled exports land in MIS_IMPORT_ROOT/<school slug>/; unset, there is no nightly run.
MIS_IMPORT_ROOT = env.str("MIS_IMPORT_ROOT", default="")
# When beat starts it, in TIME_ZONE ("HH:MM"); after the MIS's own overnight export.
MIS_IMPORT_AT = env.str("MIS_IMPORT_AT", default="02:30")
# Days a processed file is kept in the folder's done/ and failed/ (it holds personal data).
MIS_IMPORT_KEEP_DAYS = env.int("MIS_IMPORT_KEEP_DAYS", default=30)
# Days an import read but never confirmed keeps its file before it is discarded.
MIS_UNCONFIRMED_KEEP_DAYS = env.int("MIS_UNCONFIRMED_KEEP_DAYS", default=14)
# Days a subject access export waits to be downloaded before its file is removed.
PRIVACY_EXPORT_KEEP_DAYS = env.int("PRIVACY_EXPORT_KEEP_DAYS", default=7)
# Who looked (privacy/access_log): a member of staff who opened this many pupils they do
# not teach, tutor or lead in the window is listed as unusual access.
PRIVACY_UNUSUAL_PUPILS = env.int("PRIVACY_UNUSUAL_PUPILS", default=10)
if MIS_IMPORT_ROOT:
    _mis_at = MIS_IMPORT_AT.strip().split(":")
    if not (
        len(_mis_at) == 2
        and all(part.isdigit() for part in _mis_at)
        and int(_mis_at[0]) < 24
        and int(_mis_at[1]) < 60
    ):
        raise ImproperlyConfigured(f"MIS_IMPORT_AT must be a time as HH:MM, not {MIS_IMPORT_AT!r}.")
    CELERY_BEAT_SCHEDULE["mis-nightly-import"] = {
        "task": "mis.nightly.mis_nightly_import",
        "schedule": crontab(hour=int(_mis_at[0]), minute=int(_mis_at[1])),
    }

# Rows the nightly retention job deals with in one transaction (privacy/retention/).
PRIVACY_RETENTION_BATCH = env.int("PRIVACY_RETENTION_BATCH", default=500)
# Text messages go through this provider class (dotted path): the console one logs them.
SMS_PROVIDER = env.str("SMS_PROVIDER", default="notifications.channels.ConsoleSMSProvider")
# The address emails link to (the parents' pages, the notification settings).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# `make bench` only (bench/run.py sets it): serves the reference page every page's throughput
# is compared with (homework_mgmt/bench_urls.py). Off everywhere else.
BENCH_REFERENCE_PAGE = env.bool("BENCH_REFERENCE_PAGE", default=False)

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# A reverse proxy that terminates TLS is always in front: it sets X-Forwarded-Proto, and
# the last address of X-Forwarded-For is the client's (school.ratelimits.client_address).
BEHIND_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", default=False)
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    if BEHIND_TLS_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# security.W021: submitting a domain to the browsers' HSTS preload list is a decision for
# whoever owns the whole domain, not for this application (SECURE_HSTS_PRELOAD=true opts in).
# axes.W006: locking out by username alone is deliberate (see AXES_LOCKOUT_PARAMETERS).
# models.W040: SQLite (make run) keeps the homework tallies' covering index (INCLUDE, for
# PostgreSQL's index-only reads) as a plain index, which is all it needs there.
SILENCED_SYSTEM_CHECKS = env.list(
    "SILENCED_SYSTEM_CHECKS", default=["security.W021", "axes.W006", "models.W040"]
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # Without a broker every task runs in the web process: one "Task ... succeeded"
        # line per message would drown the development server's log (and seed_demo's).
        "celery.app.trace": {"level": "INFO" if REDIS_URL else "WARNING"},
    },
}
