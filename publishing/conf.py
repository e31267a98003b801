"""Publishing's tunable numbers, each overridable from settings."""

from django.conf import settings

# A SENDING claim protects a post from other workers this long: longer than an
# upload, a publish and a timeline look-up (three calls of PLATFORM_HTTP_TIMEOUT);
# short enough that a post whose worker died goes out within minutes.
LEASE_SECONDS: int = getattr(settings, "PUBLISHING_LEASE_SECONDS", 90)
MAX_ATTEMPTS: int = getattr(settings, "PUBLISHING_MAX_ATTEMPTS", 6)
BACKOFF_BASE_SECONDS = 5
BACKOFF_MAX_SECONDS = 240
# A dispatched target whose task has not claimed it after this long is sent again
# (its message was lost); the claim makes a second message harmless.
REDISPATCH_SECONDS: int = getattr(settings, "PUBLISHING_REDISPATCH_SECONDS", 60)
# A big batch takes a while to drain (1,000 posts due in one minute): its targets
# wait this much longer per target in the batch before they are sent again, so the
# tail of a burst still queued is not sent a second time.
REDISPATCH_PER_TARGET_SECONDS = 0.2
# Targets one dispatch run hands to the workers at most.
DISPATCH_BATCH = 5000

# The counters' calls each platform allows this product per window, below the
# platform's own limits (platform-apis.md §1.8, §2.5) so listening, replies and
# publishing on the same token keep room: Weibo's normal tier allows 150 calls per
# user per hour in all, Twitter's tweet lookup 300 per 15 minutes; Renren published
# none (the mock allows 10,000 an hour).
RATE_LIMITS: dict[str, tuple[int, int]] = getattr(
    settings,
    "PUBLISHING_RATE_LIMITS",
    {"weibo": (100, 3600), "twitter": (250, 900), "renren": (5000, 3600)},
)
# How often a live post's counters are read, by its age: young posts move fast.
METRICS_INTERVALS: tuple[tuple[int, int], ...] = (
    (3600, 60),  # first hour: every minute
    (86_400, 300),  # first day: every 5 minutes
    (7 * 86_400, 3600),  # first week: hourly
)
METRICS_STOP_AFTER = 30 * 86_400  # a month on, a post's counters are final
# Followers gained "after a post": within this window from its publication.
FOLLOWER_WINDOW_SECONDS = 24 * 3600
