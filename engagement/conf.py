"""Engagement's tunable numbers, each overridable from settings."""

from django.conf import settings

# An author with at least this many followers is an influencer: their cases need a
# professional or better, and ambassadors' replies to them need a manager's approval.
INFLUENCER_FOLLOWERS: int = getattr(settings, "ENGAGEMENT_INFLUENCER_FOLLOWERS", 10_000)

# The analysis' priority score (0..1: sentiment × reach × intent × brand) mapped to a
# case priority: the first threshold the score reaches.
PRIORITY_THRESHOLDS: tuple[tuple[float, int], ...] = getattr(
    settings,
    "ENGAGEMENT_PRIORITY_THRESHOLDS",
    ((0.75, 1), (0.5, 2), (0.2, 3)),
)
PRIORITY_FLOOR = 4  # below every threshold: low

# How long a SENDING claim protects a reply from other workers. Longer than a post
# plus a find_reply (two HTTP calls of PLATFORM_HTTP_TIMEOUT, 15 s by default) so a
# live worker never loses its claim; short enough that a reply whose worker died is
# taken over within minutes.
DELIVERY_LEASE_SECONDS: int = getattr(settings, "ENGAGEMENT_DELIVERY_LEASE_SECONDS", 90)
# Attempts before a reply is marked failed (a person may still retry it).
DELIVERY_MAX_ATTEMPTS: int = getattr(settings, "ENGAGEMENT_DELIVERY_MAX_ATTEMPTS", 6)
# Backoff between attempts: BASE × 2^(attempt-1), capped below the broker's
# visibility timeout (300 s) so a waiting retry is not also redelivered.
DELIVERY_BACKOFF_BASE_SECONDS = 5
DELIVERY_BACKOFF_MAX_SECONDS = 240
# A queued reply with no attempt for this long has lost its task message: the sweep
# sends a new one.
DELIVERY_STALL_SECONDS = 300

# Waiting cases one drain looks at per team: the most urgent ones; more wait for
# the next trigger or the periodic drain.
DRAIN_SCAN_LIMIT = 500
# Breaches marked per sla_check run and transaction.
SLA_CHECK_BATCH = 1000
