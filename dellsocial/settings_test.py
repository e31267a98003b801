"""The test override: PostgreSQL whenever one answers, fast hashing, quiet logs."""

import os
import socket

# The tests run the development set-up: DEBUG and the mock platforms on (also for the
# real processes the integration suite starts from this environment).
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("MOCK_PLATFORMS", "true")

from .settings import *  # noqa: E402, F403
from .settings import DATABASES, env  # noqa: E402


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


if "DATABASE_URL" not in os.environ and _answers("127.0.0.1", 5432):
    DATABASES["default"] = env.db_url_config(
        "postgres://postgres@127.0.0.1:5432/dellsocial"
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False}

# Unit tests never reach a real broker: a task sent after commit goes to an in-memory
# queue nobody reads. The integration suite starts real workers on Redis instead.
CELERY_BROKER_URL = "memory://"
CELERY_BROKER_TRANSPORT_OPTIONS = {}

# Tests route old posts on purpose: none is settled as demo history.
DEMO_HISTORY_SETTLE = False

# The rates the mock's own tests were written for (12 + 8 + 4 a minute).
MOCK_POSTS_PER_MINUTE = 24.0
# Login throttling is tested on purpose (tests/safety); elsewhere the test client's
# login() has no request for django-axes to count.
AXES_ENABLED = False
