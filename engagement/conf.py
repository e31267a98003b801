"""Engagement's tunable numbers.

Those named in ``_FROM_SETTINGS`` are overridable from settings and read when used,
not when this module is imported (``override_settings`` works): read them as
``conf.INFLUENCER_FOLLOWERS`` after ``from engagement import conf``, never with
``from engagement.conf import ...`` in product code.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

# name here: (setting, default).
_FROM_SETTINGS: dict[str, tuple[str, Any]] = {
    # An author with at least this many followers is an influencer: their cases need
    # a professional or better, and ambassadors' replies to them need a manager's
    # approval.
    "INFLUENCER_FOLLOWERS": ("ENGAGEMENT_INFLUENCER_FOLLOWERS", 10_000),
    # The analysis' priority score (listening.nlp.priority: 0..100, negativity ×
    # intent × reach × brand) mapped to a case priority: the first threshold the
    # score reaches. An angry complaint about the brand lands near 80+, a neutral
    # question near 60, praise near 30.
    "PRIORITY_THRESHOLDS": (
        "ENGAGEMENT_PRIORITY_THRESHOLDS",
        ((80.0, 1), (65.0, 2), (40.0, 3)),
    ),
    # How long a SENDING claim protects a reply from other workers. Longer than a
    # post plus a find_reply (two HTTP calls of PLATFORM_HTTP_TIMEOUT, 15 s by
    # default) so a live worker never loses its claim; short enough that a reply
    # whose worker died is taken over within minutes.
    "DELIVERY_LEASE_SECONDS": ("ENGAGEMENT_DELIVERY_LEASE_SECONDS", 90),
    # Attempts before a reply is marked failed (a person may still retry it).
    "DELIVERY_MAX_ATTEMPTS": ("ENGAGEMENT_DELIVERY_MAX_ATTEMPTS", 6),
    # A queued reply with no attempt for this long has lost its task message: the
    # sweep sends a new one.
    "DELIVERY_STALL_SECONDS": ("ENGAGEMENT_DELIVERY_STALL_SECONDS", 300),
}

# Typed for readers and type checkers; the values come from ``__getattr__``.
INFLUENCER_FOLLOWERS: int
PRIORITY_THRESHOLDS: tuple[tuple[float, int], ...]
DELIVERY_LEASE_SECONDS: int
DELIVERY_MAX_ATTEMPTS: int
DELIVERY_STALL_SECONDS: int

PRIORITY_FLOOR = 4  # below every threshold: low
# Backoff between attempts: BASE × 2^(attempt-1), capped below the broker's
# visibility timeout (300 s) so a waiting retry is not also redelivered.
DELIVERY_BACKOFF_BASE_SECONDS = 5
DELIVERY_BACKOFF_MAX_SECONDS = 240
# Waiting cases one drain looks at per team: the most urgent ones; more wait for
# the next trigger or the periodic drain.
DRAIN_SCAN_LIMIT = 500
# Breaches marked per sla_check run and transaction.
SLA_CHECK_BATCH = 1000


def __getattr__(name: str) -> Any:
    try:
        setting, default = _FROM_SETTINGS[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    return getattr(settings, setting, default)
