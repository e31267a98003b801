"""API rate limits (DRF throttling), per authenticated account.

The counters live in the cache (Redis in production); when the cache is down the
request is served rather than failed: a limit is a guard, not a dependency.
"""

from __future__ import annotations

import logging

from rest_framework.throttling import ScopedRateThrottle

log = logging.getLogger(__name__)


class AccountScopedRateThrottle(ScopedRateThrottle):
    """``throttle_scope`` on the view, one bucket per account (a shop's token)."""

    def allow_request(self, request, view) -> bool:
        try:
            return super().allow_request(request, view)
        except Exception:  # the cache is unreachable: serve, do not count
            log.warning("throttle %s not counted: cache unavailable", self.scope)
            return True
