"""Django's Redis cache, riding out a Redis outage.

Everything this product keeps in the cache can be recomputed (queue badges, filter
choices) or is a guard (rate-limit counters): while Redis is down a read is a miss
and a write is skipped, instead of every page answering 500. Short socket timeouts
(settings) keep a dead Redis from stalling requests.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)
DOWN = (RedisConnectionError, RedisTimeoutError, OSError)
_last_warning = 0.0


def _warn(operation: str, error: Exception) -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning > 10:  # once per ten seconds, not once per request
        _last_warning = now
        log.warning("cache unavailable (%s): %s", operation, error)


class ResilientRedisCache(RedisCache):
    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except DOWN as error:
            _warn("get", error)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except DOWN as error:
            _warn("get_many", error)
            return {}

    def set(self, key, value, timeout=None, version=None):
        try:
            return super().set(key, value, timeout, version)
        except DOWN as error:
            _warn("set", error)
            return None

    def set_many(self, data, timeout=None, version=None):
        try:
            return super().set_many(data, timeout, version)
        except DOWN as error:
            _warn("set_many", error)
            return list(data)

    def add(self, key, value, timeout=None, version=None):
        try:
            return super().add(key, value, timeout, version)
        except DOWN as error:
            _warn("add", error)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except DOWN as error:
            _warn("delete", error)
            return False

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except DOWN as error:
            _warn("delete_many", error)
            return None

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except DOWN as error:
            _warn("has_key", error)
            return False

    def touch(self, key, timeout=None, version=None):
        try:
            return super().touch(key, timeout, version)
        except DOWN as error:
            _warn("touch", error)
            return False
