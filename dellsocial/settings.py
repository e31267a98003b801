"""Settings for dellsocial, all read from the environment.

Defaults let a bare checkout run (SQLite, an embedded Celery broker); production sets
DATABASE_URL, REDIS_URL and DJANGO_SECRET_KEY, and DEBUG=false refuses to start without
a real secret.
"""

from pathlib import Path

import environ
from celery.schedules import schedule
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
_DEV_SECRET = "dev-only-insecure-secret-key-change-me"  # noqa: S105 (DEBUG only)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=_DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DEBUG is false")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["*"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "dellsocial",
    "listening",
    "engagement",
    "ambassadors",
    "coupons",
    "surveys",
    "publishing",
    "mockfeeds",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ambassadors.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "dellsocial.urls"
WSGI_APPLICATION = "dellsocial.wsgi.application"

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
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# The one store of record. SQLite only for a bare-machine demo (`make run` picks
# PostgreSQL whenever one answers); CI and production use PostgreSQL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (web, worker, beat) share the file: wait for locks instead of
    # failing at once, and let readers proceed beside the writer.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="zh-hans")
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

REDIS_URL = env.str("REDIS_URL", default="")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "dellsocial.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "dellsocial API",
    "DESCRIPTION": "Mentions, cases, replies, coupons and surveys for integrations.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the installed sidecar package: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name per choice set shared by several serializers.
    "ENUM_NAME_OVERRIDES": {
        "PlatformEnum": "listening.models.Platform",
        "CaseStatusEnum": "engagement.models.CaseStatus",
        "ReplyStatusEnum": "engagement.models.ReplyStatus",
        "CloseReasonEnum": "engagement.models.CloseReason",
    },
}

# --- Celery -------------------------------------------------------------------------
# Redis in CI and production; without it, kombu's filesystem transport, which needs no
# server, so `make run` works on a bare machine.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    _broker_dir = VAR_DIR / "broker"
    _broker_dir.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(VAR_DIR / "broker-processed"),
        "control_folder": str(VAR_DIR / "broker-control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # A message a dead worker had taken comes back after this long. Tasks are
        # idempotent, so an early redelivery is harmless; a late one only delays.
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=300),
    }
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = "default"
# One queue per pipeline stage, so each stage scales on its own workers.
CELERY_TASK_ROUTES = {
    "listening.dispatch_due_sources": {"queue": "ingest"},
    "listening.poll_source": {"queue": "ingest"},
    "listening.requeue_unanalyzed": {"queue": "ingest"},
    "nlp.*": {"queue": "nlp"},
    "engagement.route*": {"queue": "route"},
    "engagement.deliver*": {"queue": "deliver"},
    "publishing.deliver*": {"queue": "deliver"},
    "publishing.dispatch_due": {"queue": "deliver"},
}
CELERY_BEAT_SCHEDULE = {
    "listening-requeue-unanalyzed": {
        "task": "listening.requeue_unanalyzed",
        "schedule": 60.0,
    },
    "dispatch-due-sources": {
        "task": "listening.dispatch_due_sources",
        "schedule": schedule(env.float("DISPATCH_INTERVAL_SECONDS", default=5.0)),
    },
    # Engagement: record SLA breaches, offer waiting cases to whoever came online or
    # started their working day, re-send delivery tasks whose worker died.
    "engagement-sla-check": {"task": "engagement.sla_check", "schedule": 60.0},
    "engagement-route-waiting": {"task": "engagement.route_waiting", "schedule": 60.0},
    "engagement-deliver-sweep": {"task": "engagement.deliver_sweep", "schedule": 60.0},
    # Publishing: the brand's posts whose minute has come (and the ones whose worker
    # died), every few seconds; the counters of live posts within the rate limits.
    "publishing-dispatch-due": {
        "task": "publishing.dispatch_due",
        "schedule": env.float("PUBLISHING_DISPATCH_SECONDS", default=5.0),
    },
    "publishing-poll-metrics": {
        "task": "publishing.poll_metrics",
        "schedule": env.float("PUBLISHING_METRICS_SECONDS", default=60.0),
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- Platforms ----------------------------------------------------------------------
# Where each platform's API lives. The defaults are the mock platforms served by this
# same web server; set these to the real bases (https://api.weibo.com/2, ...) and the
# tokens to listen to the real platforms.
SITE_URL = env.str(
    "SITE_URL", default=f"http://127.0.0.1:{env.int('PORT', default=8000)}"
)
PLATFORM_API = {
    "weibo": {
        "base": env.str("WEIBO_API_BASE", default=f"{SITE_URL}/mock/weibo/2"),
        "token": env.str("WEIBO_ACCESS_TOKEN", default="mock-weibo-token"),
    },
    "twitter": {
        "base": env.str("TWITTER_API_BASE", default=f"{SITE_URL}/mock/twitter/2"),
        "token": env.str("TWITTER_BEARER_TOKEN", default="mock-twitter-token"),
    },
    "renren": {
        "base": env.str("RENREN_API_BASE", default=f"{SITE_URL}/mock/renren/v2"),
        "token": env.str("RENREN_ACCESS_TOKEN", default="mock-renren-token"),
    },
}
PLATFORM_HTTP_TIMEOUT = env.float("PLATFORM_HTTP_TIMEOUT", default=15.0)
# How long a poll may hold its source before another worker may take it over
# (a poll killed with its worker must not block the source for long).
SOURCE_POLL_LEASE_SECONDS = env.int("SOURCE_POLL_LEASE_SECONDS", default=120)

# How long a reply's SENDING claim protects it from other workers (a reply whose
# worker died is taken over after this).
ENGAGEMENT_DELIVERY_LEASE_SECONDS = env.int(
    "ENGAGEMENT_DELIVERY_LEASE_SECONDS", default=90
)

DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="dell-social-2010")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"jieba": {"level": "WARNING"}},
}
