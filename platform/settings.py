"""Django settings for SENCo Hub.

Everything that differs between machines comes from the environment (see README). When
DATABASE_URL / REDIS_URL are missing, the embedded local services under .data/ are started and
used, so a fresh checkout works with nothing but Python.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False) if (BASE_DIR / ".env").exists() else None

if not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")):
    from infra.local_services import ensure_services

    os.environ.update(ensure_services())

DEBUG = env.bool("DEBUG", default=False)
TESTING = env.bool("SENCOHUB_TESTING", default=False)
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-change-me-in-production-0123456789"
SECRET_KEY = env("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
# Outside development and tests, the key signs hop links, password resets and sessions: a known
# or guessable key would let anyone sign themselves in as anyone. Refuse to start without one.
PRODUCTION = not DEBUG and not TESTING
if PRODUCTION and (
    SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5
):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters in production "
        "(python -c 'import secrets; print(secrets.token_urlsafe(64))')."
    )

# The platform domain hosts the trust console; each school is <slug>.<PLATFORM_DOMAIN>.
PLATFORM_DOMAIN = env("PLATFORM_DOMAIN", default="localhost")
# Port appended to generated links in development (":8000"); empty in production behind TLS.
PLATFORM_PORT = env("PLATFORM_PORT", default=":8000" if DEBUG else "")
PLATFORM_SCHEME = env("PLATFORM_SCHEME", default="http" if DEBUG else "https")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[PLATFORM_DOMAIN, f".{PLATFORM_DOMAIN}"])

# --- Applications ------------------------------------------------------------------------
SHARED_APPS = [
    # tenants comes before django_tenants so that its migrate command (which also keeps the
    # school template schema migrated) takes precedence.
    "tenants",
    "django_tenants",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django.forms",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "apps.core",
    "apps.trust",
    "apps.billing",
    # Two-step sign-in: authenticator apps (TOTP) and recovery codes, in the public schema.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "apps.security",
    "apps.api_access",
]
TENANT_APPS = [
    "django.contrib.contenttypes",
    "apps.school",
    "apps.pupils",
    "apps.audit",
    "apps.documents",
    "apps.exchange",
    "apps.provision",
    "apps.support",
    "apps.agencies",
    "apps.family",
    "apps.staff",
    "apps.retention",
    "apps.ehcp",
]
INSTALLED_APPS = list(dict.fromkeys(SHARED_APPS + TENANT_APPS))

TENANT_MODEL = "tenants.School"
TENANT_DOMAIN_MODEL = "tenants.Domain"
# New schools are provisioned by cloning this schema, which `migrate` keeps up to date.
TENANT_BASE_SCHEMA = "school_template"
# Set the search path once per connection and tenant change, not before every statement
# (halves the statements of a school page).
TENANT_LIMIT_SET_CALLS = True
TENANT_CREATION_FAKES_MIGRATIONS = True
# `migrate` skips schools already at the template's state and migrates the rest with this many
# worker processes at once (tenants.fleet); `--workers N` overrides it for one run.
FLEET_MIGRATION_WORKERS = env.int("FLEET_MIGRATION_WORKERS", default=2)
SHOW_PUBLIC_IF_NO_TENANT_FOUND = False
PUBLIC_SCHEMA_URLCONF = "sencohub.urls_public"
ROOT_URLCONF = "sencohub.urls_school"
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]

AUTH_USER_MODEL = "tenants.User"
AUTHENTICATION_BACKENDS = ["tenants.auth.EmailBackend"]
LOGIN_URL = "sign-in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "sign-in"

MIDDLEWARE = [
    # Order matters and is documented in tenants/middleware.py.
    "tenants.middleware.SchoolRoutingMiddleware",
    # Before anything reads the body (CSRF reads request.POST): oversized bodies are refused
    # from their Content-Length.
    "apps.core.limits.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before the session lifetime check, which tells a signed-out user why.
    "django.contrib.messages.middleware.MessageMiddleware",
    "tenants.session_limits.SessionLifetimeMiddleware",
    # A session reaches nothing until the second sign-in step is passed where it is needed.
    "apps.security.middleware.MfaMiddleware",
    "tenants.middleware.AccessGateMiddleware",
    "tenants.middleware.BillingGateMiddleware",
    # Every successful school GET leaves an audit row unless the view wrote one or is marked
    # @no_pupil_data (apps.audit.reads).
    "apps.audit.reads.AuditedReadsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "apps.core.headers.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "apps" / "core" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.core.context_processors.shell",
            ],
        },
    },
]

# Form widgets render with the design system's classes (apps/core/templates/django/forms).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

WSGI_APPLICATION = "sencohub.wsgi.application"

# --- Data stores -------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["ENGINE"] = "django_tenants.postgresql_backend"
# A Unix-socket directory arrives URL-quoted ("postgres://user@%2Fpath%2Fto%2Fsocket/db").
DATABASES["default"]["HOST"] = unquote(DATABASES["default"].get("HOST", ""))
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# What sits between the web processes and PostgreSQL: a pooler must run in session mode (each
# school's search path is set once per session; tenants.checks refuses "transaction").
DATABASE_POOL_MODE = env("DATABASE_POOL_MODE", default="session")

REDIS_URL = env("REDIS_URL")


def _celery_url(url: str) -> str:
    # kombu spells a Unix socket "redis+socket:///path"; redis-py spells it "unix:///path".
    return "redis+socket://" + url[len("unix://") :] if url.startswith("unix://") else url


CACHES = {
    # Brute-force counters and API throttles: one state for every host (no per-school prefix),
    # so guessing cannot be spread across school subdomains.
    "security": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="sencohub") + "-security",
    },
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        # Keys are prefixed with the schema by django-tenants' key function: a school's cache
        # entries can never be read from another school.
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="sencohub"),
    },
    # Which school a host is and who may enter it (tenants.routing): shared by every web
    # process, not per schema, invalidated when a school, domain, trust or membership changes.
    "routing": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="sencohub") + "-routing",
    },
    # Platform-wide API bookkeeping (token last use, rate limits per token, idempotency keys):
    # keys name their user, token or school themselves, so no per-schema prefix.
    "api": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="sencohub") + "-api",
    },
}
ROUTING_CACHE_SECONDS = env.int("ROUTING_CACHE_SECONDS", default=300)

# --- Sessions and security -----------------------------------------------------------------
# Session cookies are host-only (no SESSION_COOKIE_DOMAIN): each school subdomain and the
# trust console hold separate sessions, and every session is bound to the host it was created
# on (tenants.middleware). Moving between schools goes through a signed, single-use hop link.
# See README "Sessions across schools".
# Sessions live in public.django_session by default; SESSION_ENGINE=...sessions.backends.cache
# keeps them in Redis instead (README "Scaling out").
SESSION_ENGINE = env("SESSION_ENGINE", default="django.contrib.sessions.backends.db")
SESSION_COOKIE_NAME = "sencohub_session"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# A session ends 30 minutes after its last request, and 12 hours after signing in whatever the
# activity (tenants.session_limits). The cookie itself lasts no longer than the absolute limit.
SESSION_IDLE_TIMEOUT_SECONDS = env.int("SESSION_IDLE_TIMEOUT_SECONDS", default=30 * 60)
SESSION_ABSOLUTE_TIMEOUT_SECONDS = env.int("SESSION_ABSOLUTE_TIMEOUT_SECONDS", default=12 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT_SECONDS
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Production answers HTTPS only: plain HTTP is redirected (the health check excepted, for load
# balancers probing the backend directly) and browsers are told to stay on HTTPS for a year,
# school subdomains included (one wildcard certificate covers them).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=PRODUCTION)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Two-step sign-in (apps.security.mfa): a browser that passed it may be remembered this long.
MFA_REMEMBER_DEVICE_SECONDS = env.int("MFA_REMEMBER_DEVICE_SECONDS", default=30 * 24 * 60 * 60)
OTP_TOTP_ISSUER = "SENCo Hub"
# Reverse proxies (addresses or networks) whose X-Forwarded-For is believed; nobody else's is.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
# Brute force (tenants.lockout): failures per account / per address within the window lock
# that account / address out until the window has passed since the last failure.
LOCKOUT_ACCOUNT_FAILURES = env.int("LOCKOUT_ACCOUNT_FAILURES", default=5)
LOCKOUT_ADDRESS_FAILURES = env.int("LOCKOUT_ADDRESS_FAILURES", default=20)
LOCKOUT_WINDOW_SECONDS = env.int("LOCKOUT_WINDOW_SECONDS", default=15 * 60)
PASSWORD_RESET_PER_ADDRESS = env.int("PASSWORD_RESET_PER_ADDRESS", default=10)
PASSWORD_RESET_PER_ACCOUNT = env.int("PASSWORD_RESET_PER_ACCOUNT", default=3)
PASSWORD_RESET_WINDOW_SECONDS = env.int("PASSWORD_RESET_WINDOW_SECONDS", default=60 * 60)

AUTH_PASSWORD_VALIDATORS = [
    {
        # Our users have an email and a full name (Django's default list looks for username,
        # first_name and last_name, which do not exist here).
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "full_name")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Content-Security-Policy (django-csp): scripts only from our own static files, or inline with
# this response's nonce; no inline event handlers, no eval, no plugins, no framing. Styles allow
# inline style attributes (htmx's indicator styles, a few style attributes); scripts never do.
from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
    }
}

# A form sent without a valid CSRF token gets the product's own page, not Django's.
CSRF_FAILURE_VIEW = "apps.core.views.csrf_failure"

# --- Internationalisation ------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static and media ----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / ".data" / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Front-end packages come from npm (package.json) into node_modules/, and our Sass is built into
# build/static/ by `make assets`; neither is committed.
STATICFILES_DIRS = [
    BASE_DIR / "build" / "static",
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
    ("htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
# Private per-school files (pupil documents) never live under a public URL.
PRIVATE_FILES_ROOT = Path(env("PRIVATE_FILES_ROOT", default=str(BASE_DIR / ".data" / "private")))
# ...or an S3-compatible bucket when one is named (apps/documents/storage.py): a prefix per
# school, server-side encryption, no public ACLs, downloads through the authorised view.
PRIVATE_FILES_S3_BUCKET = env("PRIVATE_FILES_S3_BUCKET", default="")
PRIVATE_FILES_S3_PREFIX = env("PRIVATE_FILES_S3_PREFIX", default="private")
PRIVATE_FILES_S3_ENDPOINT_URL = env("PRIVATE_FILES_S3_ENDPOINT_URL", default="")
PRIVATE_FILES_S3_REGION = env("PRIVATE_FILES_S3_REGION", default="eu-west-2")
PRIVATE_FILES_S3_ACCESS_KEY_ID = env("PRIVATE_FILES_S3_ACCESS_KEY_ID", default="")
PRIVATE_FILES_S3_SECRET_ACCESS_KEY = env("PRIVATE_FILES_S3_SECRET_ACCESS_KEY", default="")
PRIVATE_FILES_S3_SSE = env("PRIVATE_FILES_S3_SSE", default="AES256")  # or aws:kms
PRIVATE_FILES_S3_KMS_KEY_ID = env("PRIVATE_FILES_S3_KMS_KEY_ID", default="")
PRIVATE_FILES_S3_URL_SECONDS = env.int("PRIVATE_FILES_S3_URL_SECONDS", default=60)
# Largest pupil document (PDF, Word, image) and largest import file (MIS CSV, CTF XML).
DOCUMENTS_MAX_UPLOAD_BYTES = env.int("DOCUMENTS_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
EXCHANGE_MAX_IMPORT_BYTES = env.int("EXCHANGE_MAX_IMPORT_BYTES", default=25 * 1024 * 1024)
# Django's own limits: form fields (not files) up to 2.5 MB in memory, files above 2.5 MB
# spooled to disk, few fields and few files per request. Whole bodies are capped earlier, from
# their Content-Length, by apps.core.limits.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1_000
DATA_UPLOAD_MAX_NUMBER_FILES = 5

# --- Email ---------------------------------------------------------------------------------
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend",
)
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
elif PRODUCTION and EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend":
    # The console backend would print password-reset and invitation links into the log.
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "EMAIL_URL must be set in production (smtp+tls://user:pass@host:587)."
    )
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="SENCo Hub <no-reply@sencohub.test>")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=None)  # for the file-based backend

# --- API -----------------------------------------------------------------------------------
# API tokens (django-rest-knox, apps.api_access): stored hashed, named, expiring.
API_TOKEN_TTL_DAYS = env.int("API_TOKEN_TTL_DAYS", default=30)
API_TOKEN_MAX_TTL_DAYS = env.int("API_TOKEN_MAX_TTL_DAYS", default=365)
# A recognisable prefix lets secret scanners spot a leaked token.
API_TOKEN_PREFIX = "sh_"
KNOX_TOKEN_MODEL = "api_access.ApiToken"
# Requests per token (or per signed-in person) across every host; 429 with Retry-After beyond.
API_RATE_LIMIT = env("API_RATE_LIMIT", default="600/min")
# Token requests (email and password) per client address.
API_TOKEN_REQUEST_RATE = env("API_TOKEN_REQUEST_RATE", default="20/min")
REST_KNOX = {"AUTH_HEADER_PREFIX": "Token", "TOKEN_PREFIX": API_TOKEN_PREFIX}
REST_FRAMEWORK = {
    # The access gate (tenants.middleware.authenticate) decides how a request is authenticated;
    # DRF only reads that decision (and enforces CSRF for cookie sessions).
    "DEFAULT_AUTHENTICATION_CLASSES": ["apps.api_access.authentication.GateAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["apps.core.permissions.IsAuthenticatedForThisHost"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "apps.core.api_policies.Pagination",
    # Per token (or per signed-in person): see README "Rate limits".
    "DEFAULT_THROTTLE_CLASSES": ["apps.core.api_policies.TokenRateThrottle"],
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "apps.core.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SENCo Hub API",
    "DESCRIPTION": "The SEND register, plans and trust console of SENCo Hub.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Primary and secondary need share one list of census codes: one enum in the schema.
    "ENUM_NAME_OVERRIDES": {
        "NeedEnum": "apps.pupils.codes.NEED_CHOICES",
        # Several models have a "kind" or "status": name each list after its model.
        "MeetingKindEnum": "apps.family.models.Meeting.Kind",
        "MeetingStatusEnum": "apps.family.models.Meeting.Status",
        "AgencyKindEnum": "apps.agencies.models.AgencyKind",
        "ReferralStatusEnum": "apps.agencies.models.Referral.Status",
        "AccessArrangementKindEnum": "apps.staff.models.AccessArrangement.Kind",
        "TransitionKindEnum": "apps.staff.models.Transition.Kind",
        "TransitionStatusEnum": "apps.staff.models.Transition.Status",
        "ImportKindEnum": "apps.exchange.models.ImportBatch.Kind",
        "AssessmentKindEnum": "apps.support.models.Assessment.Kind",
        "PlanStatusEnum": "apps.support.models.SupportPlan.Status",
        "OutcomeRatingEnum": "apps.support.models.Outcome.Rating",
    },
    # Every operation documents the error body and each status the base classes can answer.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "apps.core.openapi.add_error_responses",
    ],
}

# --- Celery --------------------------------------------------------------------------------
CELERY_BROKER_URL = _celery_url(env("CELERY_BROKER_URL", default=REDIS_URL))
CELERY_RESULT_BACKEND = _celery_url(env("CELERY_RESULT_BACKEND", default=REDIS_URL))
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="sencohub")
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {}
# Trust dashboards: every school recalculates its figures overnight (one task per school).
# EHC plans: the weekly statutory deadlines digest, Monday 07:00 (one task per school).
CELERY_BEAT_SCHEDULE["ehcp-weekly-digest"] = {
    "task": "apps.ehcp.tasks.send_all_deadline_digests",
    "schedule": __import__("celery.schedules").schedules.crontab(hour=7, minute=0, day_of_week=1),
}
CELERY_BEAT_SCHEDULE["trust-rollups-nightly"] = {
    "task": "apps.trust.tasks.refresh_all_rollups",
    "schedule": __import__("celery.schedules").schedules.crontab(hour=1, minute=15),
}

# Retention (IRMS: date of birth + 31 years): each school lists its records past retention for
# its SENCo, nightly; nothing is deleted until the SENCo confirms.
CELERY_BEAT_SCHEDULE["retention-nightly-listing"] = {
    "task": "apps.retention.tasks.list_retention_due_everywhere",
    "schedule": __import__("celery.schedules").schedules.crontab(hour=3, minute=10),
}

# Support plan reviews: each school's SENCos get a digest of reviews overdue and due soon.
CELERY_BEAT_SCHEDULE["support-review-reminders-daily"] = {
    "task": "apps.support.tasks.send_all_review_reminders",
    "schedule": __import__("celery.schedules").schedules.crontab(hour=6, minute=30),
}

# --- Observability -------------------------------------------------------------------------
SENTRY_DSN = env("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env("SENTRY_ENVIRONMENT", default="development" if DEBUG else "production")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Request logs would carry paths only (never bodies or query strings); keep them quiet.
        "django.request": {"level": "ERROR"},
        "django.db.backends": {"level": "INFO"},
        "pgserver": {"level": "WARNING"},
        # The Stripe client logs every request at INFO; only school-level data goes to Stripe,
        # but the log has no use in production.
        "stripe": {"level": "WARNING"},
    },
}

# --- Stripe (billing) ----------------------------------------------------------------------
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = env("STRIPE_API_BASE", default="")  # set to the local fake in tests
# The plan: one annual Stripe Price per pupil on roll (its tiers live in Stripe, not in code).
STRIPE_PRICE_ID = env("STRIPE_PRICE_ID", default="")
BILLING_PLAN_NAME = env(
    "BILLING_PLAN_NAME", default="SENCo Hub annual licence (priced per pupil on roll)"
)
BILLING_TRIAL_DAYS = env.int("BILLING_TRIAL_DAYS", default=60)
BILLING_GRACE_DAYS = env.int("BILLING_GRACE_DAYS", default=14)
BILLING_INVOICE_DAYS_UNTIL_DUE = env.int("BILLING_INVOICE_DAYS_UNTIL_DUE", default=30)
# First wait before a failed call to Stripe is retried (doubles each time, up to 6 tries).
BILLING_RETRY_BACKOFF_SECONDS = env.int("BILLING_RETRY_BACKOFF_SECONDS", default=30)
CELERY_BEAT_SCHEDULE["billing-nightly-quantity-sync"] = {
    "task": "apps.billing.tasks.sync_all_subscription_quantities",
    "schedule": __import__("celery.schedules").schedules.crontab(hour=2, minute=30),
}
# Trust finance hears 14 days before a school's free trial ends (once per trial end).
CELERY_BEAT_SCHEDULE["billing-daily-trial-warnings"] = {
    "task": "apps.billing.tasks.warn_trials_ending",
    "schedule": __import__("celery.schedules").schedules.crontab(hour=7, minute=45),
}

from sencohub.observability import init_sentry  # noqa: E402

init_sentry(dsn=SENTRY_DSN, environment=SENTRY_ENVIRONMENT)
