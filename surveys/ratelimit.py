"""Fixed-window request counters in the cache (Redis in production), per client IP.

The public survey pages need no login, so floods are held back here: a few page
views a second and a handful of submissions a minute per address are plenty for a
person and useless for a script.
"""

from __future__ import annotations

import logging
import time

from django.core.cache import cache

from dellsocial.clientip import client_ip

__all__ = ["client_ip", "rate_limited"]
log = logging.getLogger(__name__)


def _now() -> float:
    return time.time()


def rate_limited(*, scope: str, key: str, limit: int, window: int) -> bool:
    """Count one hit for ``key`` in ``scope``; True once it is over ``limit`` hits in
    the current ``window`` seconds."""
    bucket = int(_now() // window)
    cache_key = f"rl:{scope}:{key}:{bucket}"
    try:
        if cache.add(cache_key, 1, timeout=window + 1):
            return 1 > limit
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.set(cache_key, 1, timeout=window + 1)
            count = 1
    except Exception:  # the cache (Redis) is down: serve, do not count
        log.warning("rate limit %s not counted: cache unavailable", scope)
        return False
    return count > limit
