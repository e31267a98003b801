"""Fixed-window request counters in the cache (Redis in production), per client IP.

The public survey pages need no login, so floods are held back here: a few page
views a second and a handful of submissions a minute per address are plenty for a
person and useless for a script.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The peer address. Behind a reverse proxy, the proxy must set REMOTE_ADDR from
    the real client (e.g. gunicorn's --forwarded-allow-ips with a trusted proxy), so
    a client cannot choose its own bucket with a forged header."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def rate_limited(*, scope: str, key: str, limit: int, window: int) -> bool:
    """Count one hit for ``key`` in ``scope``; True once it is over ``limit`` hits in
    the current ``window`` seconds."""
    bucket = int(time.time() // window)
    cache_key = f"rl:{scope}:{key}:{bucket}"
    if cache.add(cache_key, 1, timeout=window + 1):
        return 1 > limit
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window + 1)
        count = 1
    return count > limit
