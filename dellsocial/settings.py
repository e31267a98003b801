"""Settings for dellsocial, all read from the environment (or ``.env``).

The defaults are production's: ``DEBUG`` off, no mock platforms, HTTPS behind a proxy,
a secret key and host names required. ``make run``, the tests and the development
``.env`` (``.env.example``) turn development on explicitly (``DEBUG=true``,
``MOCK_PLATFORMS=true``); ``make run`` also writes the database and broker it chose to
``.env``, so every later ``manage.py`` command uses the same ones.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab, schedule
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# DELLSOCIAL_ENV_FILE names another file (an empty value: none at all).
ENV_FILE = env.str("DELLSOCIAL_ENV_FILE", default=str(BASE_DIR / ".env"))
if ENV_FILE:
    environ.Env.read_env(ENV_FILE, overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
_DEV_SECRET = "dev-only-insecure-secret-key-change-me"  # noqa: S105 (DEBUG only)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=_DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DEBUG is false")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["*"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# HTTPS: production is served over TLS by the proxy in front of gunicorn
# (docker-compose.yml), which sets X-Forwarded-Proto. HTTPS=false for a plain-HTTP
# try-out with DEBUG=false (benchmarks, a laptop).
HTTPS = env.bool("HTTPS", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=HTTPS)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# The mock Weibo, Twitter and Renren APIs (mockfeeds) are mounted under /mock/ only
# when asked for: `make run` and the tests turn them on, production never.
MOCK_PLATFORMS = env.bool("MOCK_PLATFORMS", default=False)
# The demo's week of mock history reaches the desk as the work that week did
# (engagement.services.demo.demo_history_settle), not as a week of waiting cases.
DEMO_HISTORY_SETTLE = env.bool("DEMO_HISTORY_SETTLE", default=MOCK_PLATFORMS)

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
    "auditlog",
    "axes",
    "dellsocial",
    "common",
    "listening",
    # The analysis stage (language, segmentation, sentiment, brands...): an app of
    # its own so that its admin pages and its task are discovered like any app's.
    "listening.nlp",
    "engagement",
    "ambassadors",
    "coupons",
    "surveys",
    "publishing",
    "integrations",
    "reports",
    "notifications",
    "mockfeeds",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the input: NUL characters are a 400.
    "dellsocial.hostile.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ambassadors.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Who made a change, for the audit log (django-auditlog).
    "auditlog.middleware.AuditlogMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its 429 answer.
    "axes.middleware.AxesMiddleware",
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
                "engagement.context_processors.main_nav",
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
# A kept connection is checked before a request reuses it: after a PostgreSQL restart
# the first request reconnects instead of failing on the dead socket.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
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
# Login throttling (django-axes): the login page, the Django admin and every other
# authenticate() call. After AXES_FAILURE_LIMIT wrong passwords for one user from one
# address, that pair is locked out for AXES_COOLOFF_MINUTES (HTTP 429).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client address: the proxy's X-Forwarded-For only from trusted proxies.
AXES_CLIENT_IP_CALLABLE = "dellsocial.clientip.client_ip"
# Proxies whose X-Forwarded-For is believed (the proxy of docker-compose.yml);
# anyone else's address is REMOTE_ADDR.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
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
            # Misses and skipped writes while Redis is down (dellsocial/cache.py).
            "BACKEND": "dellsocial.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Who reads which mentions (API, listening room): the same reach as cases.
LISTENING_MENTION_REACH = "engagement.selectors.mentions_visible_to"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "integrations.authentication.ScopedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "integrations.schema.ScopedAutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "common.api.exception_handler",
    # Per-account limits where a view names its throttle_scope (redeem, validate).
    "DEFAULT_THROTTLE_RATES": {
        "redeem": env.str("API_REDEEM_RATE", default="600/min"),
    },
    # JSON refusing NUL characters and deep nesting (400, not 500); forms as DRF's.
    "DEFAULT_PARSER_CLASSES": [
        "dellsocial.hostile.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
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
# A broker outage of any length does not end a worker: it reconnects for ever.
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Every task is bounded. The soft limit raises SoftTimeLimitExceeded inside the task
# (its transaction rolls back; the task is idempotent, so the redelivery redoes it);
# the hard limit kills a task stuck where the soft one cannot reach (a C call). The
# long tasks work in bounded steps (codes in chunks of 10,000, a poll's few HTTP calls
# of PLATFORM_HTTP_TIMEOUT, analysis and routing in batches), far below the soft
# limit. The hard limit stays below the broker's visibility timeout (300 s), so a
# stuck task is killed before its message is handed to another worker.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=180)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=240)
if CELERY_TASK_SOFT_TIME_LIMIT >= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("CELERY_TASK_SOFT_TIME_LIMIT must be below the hard one")
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
    "integrations.*": {"queue": "webhooks"},
    "ambassadors.deliver*": {"queue": "deliver"},
}
# The hand-off sweeps (analysis, routing, delivery, CSAT links, notifications) find
# work whose broker message was lost: beat runs them this often, and a hand-off
# unanswered for HANDOFF_SWEEP_AFTER_SECONDS counts as lost (analysis waits twice
# that: a backlog takes longer). Seconds in the fault suite, a minute in production.
HANDOFF_SWEEP_INTERVAL_SECONDS = env.float(
    "HANDOFF_SWEEP_INTERVAL_SECONDS", default=60.0
)
HANDOFF_SWEEP_AFTER_SECONDS = env.int("HANDOFF_SWEEP_AFTER_SECONDS", default=60)
# Delivery: a queued reply with no attempt for this long lost its task message.
ENGAGEMENT_DELIVERY_STALL_SECONDS = env.int(
    "ENGAGEMENT_DELIVERY_STALL_SECONDS", default=300
)
CELERY_BEAT_SCHEDULE = {
    "listening-requeue-unanalyzed": {
        "task": "listening.requeue_unanalyzed",
        "schedule": HANDOFF_SWEEP_INTERVAL_SECONDS,
    },
    "dispatch-due-sources": {
        "task": "listening.dispatch_due_sources",
        "schedule": schedule(env.float("DISPATCH_INTERVAL_SECONDS", default=5.0)),
    },
    # Engagement: record SLA breaches, offer waiting cases to whoever came online or
    # started their working day, re-send delivery tasks whose worker died.
    "engagement-sla-check": {"task": "engagement.sla_check", "schedule": 60.0},
    "engagement-snooze-wake": {"task": "engagement.snooze_wake", "schedule": 60.0},
    "engagement-route-waiting": {"task": "engagement.route_waiting", "schedule": 60.0},
    "engagement-deliver-sweep": {
        "task": "engagement.deliver_sweep",
        "schedule": HANDOFF_SWEEP_INTERVAL_SECONDS,
    },
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
    # Webhooks: retries whose backoff is over, deliveries of a dead worker.
    # The weekly digest of the reports, Monday morning (each subscriber once).
    "reports-weekly-digest": {
        "task": "reports.weekly_digest",
        "schedule": crontab(minute=0, hour=8, day_of_week=1),
    },
    "integrations-deliver-sweep": {
        "task": "integrations.deliver_sweep",
        "schedule": 30.0,
    },
    # Routing's sweep: analysed mentions whose hand-off was lost get their case.
    "engagement-route-sweep": {
        "task": "engagement.route_sweep",
        "schedule": HANDOFF_SWEEP_INTERVAL_SECONDS,
    },
    # CSAT links of resolved cases whose hand-off was lost.
    "engagement-csat-sweep": {
        "task": "engagement.csat_sweep",
        "schedule": HANDOFF_SWEEP_INTERVAL_SECONDS,
    },
    "ambassadors-share-sweep": {
        "task": "ambassadors.deliver_share_sweep",
        "schedule": 60.0,
    },
    "ambassadors-certification-sweep": {
        "task": "ambassadors.certification_sweep",
        "schedule": 3600.0,
    },
    # Notifications: e-mail what waited for quiet hours to end or lost its hand-off.
    "notifications-email-due": {
        "task": "notifications.email_due",
        "schedule": HANDOFF_SWEEP_INTERVAL_SECONDS,
    },
    # Notifications whose hand-off message was lost (pipeline.notify's outbox).
    "notifications-handoff-sweep": {
        "task": "notifications.handoff_sweep",
        "schedule": HANDOFF_SWEEP_INTERVAL_SECONDS,
    },
}
CELERY_BEAT_SCHEDULE["listening-spikes-check"] = {
    "task": "listening.spikes_check",
    "schedule": env.float("LISTENING_SPIKE_INTERVAL_SECONDS", default=300.0),
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- E-mail and notifications -----------------------------------------------------
# EMAIL_URL: smtp://user:password@host:587 (submission+tls:// and smtp+ssl:// too);
# the console by default, so development prints e-mails instead of sending them.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="dellsocial <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Events for one person within this many seconds share one e-mail.
NOTIFICATIONS_EMAIL_GROUP_SECONDS = env.int(
    "NOTIFICATIONS_EMAIL_GROUP_SECONDS", default=60
)

# --- Platforms ----------------------------------------------------------------------
# Where each platform's API lives: the official hosts by default; the mock platforms
# served by this same web server when MOCK_PLATFORMS is on (make run, tests).
SITE_URL = env.str(
    "SITE_URL", default=f"http://127.0.0.1:{env.int('PORT', default=8000)}"
)
OFFICIAL_PLATFORM_API = {
    "weibo": "https://api.weibo.com/2",
    "twitter": "https://api.twitter.com/2",
    "renren": "https://api.renren.com/v2",
}
MOCK_PLATFORM_API = {
    "weibo": f"{SITE_URL}/mock/weibo/2",
    "twitter": f"{SITE_URL}/mock/twitter/2",
    "renren": f"{SITE_URL}/mock/renren/v2",
}
_DEFAULT_API = MOCK_PLATFORM_API if MOCK_PLATFORMS else OFFICIAL_PLATFORM_API
PLATFORM_API = {
    "weibo": {
        "base": env.str("WEIBO_API_BASE", default="") or _DEFAULT_API["weibo"],
        "token": env.str("WEIBO_ACCESS_TOKEN", default="mock-weibo-token"),
    },
    "twitter": {
        "base": env.str("TWITTER_API_BASE", default="") or _DEFAULT_API["twitter"],
        "token": env.str("TWITTER_BEARER_TOKEN", default="mock-twitter-token"),
    },
    "renren": {
        "base": env.str("RENREN_API_BASE", default="") or _DEFAULT_API["renren"],
        "token": env.str("RENREN_ACCESS_TOKEN", default="mock-renren-token"),
    },
}
if not DEBUG and not MOCK_PLATFORMS:
    for _platform, _api in PLATFORM_API.items():
        if "/mock/" in _api["base"]:
            raise ImproperlyConfigured(
                f"{_platform.upper()}_API_BASE points at the mock platforms "
                f"({_api['base']}) but MOCK_PLATFORMS is off: set the real API base, "
                "or MOCK_PLATFORMS=true if the mock is meant to run here."
            )
# Hosts a source's own API base URL may name, besides the official hosts above and,
# with MOCK_PLATFORMS, this site (comma separated host or host:port).
PLATFORM_API_ALLOWED_HOSTS = env.list("PLATFORM_API_ALLOWED_HOSTS", default=[])
PLATFORM_HTTP_TIMEOUT = env.float("PLATFORM_HTTP_TIMEOUT", default=15.0)
# How long a poll may hold its source before another worker may take it over
# (a poll killed with its worker must not block the source for long).
SOURCE_POLL_LEASE_SECONDS = env.int("SOURCE_POLL_LEASE_SECONDS", default=120)

# How long a reply's SENDING claim protects it from other workers (a reply whose
# worker died is taken over after this).
ENGAGEMENT_DELIVERY_LEASE_SECONDS = env.int(
    "ENGAGEMENT_DELIVERY_LEASE_SECONDS", default=90
)

# --- Webhooks -----------------------------------------------------------------------
# host:port pairs webhooks may reach although they are private or loopback (a test
# receiver, an intranet CRM); every other private, loopback or link-local address is
# refused.
WEBHOOK_ALLOWED_HOSTS = env.list("WEBHOOK_ALLOWED_HOSTS", default=[])
WEBHOOK_CONNECT_TIMEOUT = env.float("WEBHOOK_CONNECT_TIMEOUT", default=3.0)
WEBHOOK_READ_TIMEOUT = env.float("WEBHOOK_READ_TIMEOUT", default=10.0)
# Deliveries of one batch in flight at once per worker process: receivers answer in
# milliseconds to seconds, so one process waits on many sockets, not on one.
WEBHOOK_CONCURRENCY = env.int("WEBHOOK_CONCURRENCY", default=16)
# Retries: base × 2^(n-1) seconds after the n-th failure, at most the max, for as
# long as the window (24 h) from the first try.
WEBHOOK_RETRY_BASE_SECONDS = env.float("WEBHOOK_RETRY_BASE_SECONDS", default=30.0)
WEBHOOK_RETRY_MAX_SECONDS = env.float("WEBHOOK_RETRY_MAX_SECONDS", default=6 * 3600)
WEBHOOK_RETRY_WINDOW_SECONDS = env.float(
    "WEBHOOK_RETRY_WINDOW_SECONDS", default=24 * 3600
)
# Failed attempts in a row after which an endpoint is disabled and its owner told.
WEBHOOK_DISABLE_AFTER = env.int("WEBHOOK_DISABLE_AFTER", default=15)
# Retries due within this many seconds go back with a countdown; later ones wait
# for the sweep (a countdown past the broker's visibility timeout is redelivered).
WEBHOOK_COUNTDOWN_MAX_SECONDS = 60.0

# How long before an SLA due time the case's assignee is warned (minutes).
ENGAGEMENT_SLA_WARNING_MINUTES = env.int("ENGAGEMENT_SLA_WARNING_MINUTES", default=15)
# A survey answer at or below these scores tells the case's ambassador.
SURVEYS_LOW_CSAT = env.int("SURVEYS_LOW_CSAT", default=2)
SURVEYS_LOW_NPS = env.int("SURVEYS_LOW_NPS", default=6)

# Origins (scheme://host:port) whose pages may frame the embeddable widget.
WIDGET_ALLOWED_ORIGINS = env.list("WIDGET_ALLOWED_ORIGINS", default=[])

# --- Reports ------------------------------------------------------------------------
# The working week that "business hours" count (weekday numbers, Monday 0; whole
# hours in TIME_ZONE). Holidays are not modelled.
REPORTS_WORK_DAYS = env.list("REPORTS_WORK_DAYS", cast=int, default=[0, 1, 2, 3, 4])
REPORTS_WORK_START = env.int("REPORTS_WORK_START", default=9)
REPORTS_WORK_END = env.int("REPORTS_WORK_END", default=18)
# A share delivery held longer than this belongs to a dead worker and is taken over.
AMBASSADORS_SHARE_LEASE_SECONDS = env.int("AMBASSADORS_SHARE_LEASE_SECONDS", default=90)

# Publishing: how long a post's SENDING claim protects it from other workers, and
# after how long a dispatched post whose task message was lost is sent again.
PUBLISHING_LEASE_SECONDS = env.int("PUBLISHING_LEASE_SECONDS", default=90)
PUBLISHING_REDISPATCH_SECONDS = env.int("PUBLISHING_REDISPATCH_SECONDS", default=60)

DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="dell-social-2010")
# Posts per minute the mock platforms make, all three together (Weibo half, Twitter
# a third, Renren a sixth). 1.2 a minute is ~70 posts an hour: a few cases per demo
# ambassador per hour, the rest for rules and bulk actions. Raise it for load.
MOCK_POSTS_PER_MINUTE = env.float("MOCK_POSTS_PER_MINUTE", default=1.2)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "client_error_without_traceback": {
            "()": "common.logfilters.ClientErrorWithoutTraceback"
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["client_error_without_traceback"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "jieba": {"level": "WARNING"},
        # Django's default config gives "django" its own console handler (with
        # DEBUG) on top of the root's: every request error was printed twice. One
        # handler, the root's.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
    },
}

# --- Listening room -------------------------------------------------------------------
# Spike detection: the last LISTENING_SPIKE_WINDOW_MINUTES against the same window of
# each of the previous LISTENING_SPIKE_BASELINE_DAYS days; a spike is at least
# LISTENING_SPIKE_MIN_COUNT mentions above mean + k·σ (2 → 6 mentions is no crisis).
LISTENING_SPIKE_K = env.float("LISTENING_SPIKE_K", default=3.0)
LISTENING_SPIKE_MIN_COUNT = env.int("LISTENING_SPIKE_MIN_COUNT", default=10)
LISTENING_SPIKE_WINDOW_MINUTES = env.int("LISTENING_SPIKE_WINDOW_MINUTES", default=60)
LISTENING_SPIKE_BASELINE_DAYS = env.int("LISTENING_SPIKE_BASELINE_DAYS", default=7)
# Authors with fewer followers never rank among the influencers, so the daily
# influencer rollup does not keep the long tail.
LISTENING_INFLUENCER_MIN_FOLLOWERS = env.int(
    "LISTENING_INFLUENCER_MIN_FOLLOWERS", default=5000
)
# Raw platform payloads older than this many days are dropped by prune_raw_payloads.
LISTENING_RAW_RETENTION_DAYS = env.int("LISTENING_RAW_RETENTION_DAYS", default=90)
# Who sees which part of the room, and who is in a team: answered by the apps that
# know roles and teams (above listening, so named here rather than imported).
LISTENING_SCOPE_RESOLVER = "engagement.room_access.listening_scope"
LISTENING_TEAM_MEMBERS_RESOLVER = "engagement.room_access.team_member_ids"
