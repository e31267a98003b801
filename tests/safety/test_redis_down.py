"""The web rides out a Redis outage (issue 11, item 14): the queue's counts, filter
choices and rate limits read the cache, which misses instead of failing."""

from __future__ import annotations

import pytest
from django.core.cache import caches

from ambassadors.models import Role
from tests.engagement.conftest import make_person

pytestmark = pytest.mark.django_db

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "dellsocial.cache.ResilientRedisCache",
            "LOCATION": DEAD_REDIS,
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    yield  # pytest-django's settings fixture rebuilds the cache handler


def test_the_triage_queue_answers_while_redis_is_down(client, redis_down):
    client.force_login(make_person("boss", role=Role.MANAGER))
    for url in ("/engagement/", "/engagement/queue/rows/", "/engagement/queue/poll/"):
        response = client.get(url)
        assert response.status_code == 200, url


def test_the_public_survey_rate_limit_serves_while_redis_is_down(redis_down):
    from surveys.ratelimit import rate_limited

    assert rate_limited(scope="t", key="1.2.3.4", limit=1, window=60) is False


def test_the_cache_misses_instead_of_failing(redis_down):
    cache = caches["default"]
    assert cache.get("x", "default") == "default"
    cache.set("x", 1)
    assert cache.add("y", 1) is False
    assert cache.get_many(["x", "y"]) == {}


def test_a_lease_is_released_on_a_fresh_connection_after_the_old_one_died(
    transactional_db,
):
    """Issue 11, item 14: after a PostgreSQL restart the worker's connection is dead;
    releasing the lease must not leave the source blocked until it expires."""
    from django.db import connection

    from listening.models import Source
    from listening.services.polling import source_lease_acquire, source_lease_release

    source = Source.objects.create(name="s", platform="weibo", kind="search", query="q")
    assert source_lease_acquire(source_id=source.id, owner="task-1")
    connection.ensure_connection()
    # What a server restart does to the open connection: its socket is gone.
    connection.connection.close()
    source_lease_release(source_id=source.id, owner="task-1")
    source.refresh_from_db()
    assert source.lease_owner == "" and source.lease_until is None
