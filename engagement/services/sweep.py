"""The routing stage's sweep: analysed mentions whose hand-off was lost get routed.

Analysis hands its ids to routing with a broker message sent after commit; a broker
that lost the message (killed, restarted without its data) or a send that failed
after the commit would leave those mentions without a case for ever. Beat runs this
every minute, like ``listening.requeue_unanalyzed`` for analysis and
``engagement.deliver_sweep`` for delivery.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from listening.models import Mention

from .routing import mentions_route

# Older than a normal hand-off takes (HANDOFF_SWEEP_AFTER_SECONDS, a minute by
# default); younger than the window (mentions analysed long ago that routing skipped
# on purpose, e.g. the brand's own posts, are not looked at for ever).
SWEEP_WINDOW = dt.timedelta(hours=6)
SWEEP_BATCH = 200
SWEEP_LIMIT = 5_000


def mentions_unrouted_ids(*, now: dt.datetime | None = None) -> list[int]:
    now = now or timezone.now()
    after = dt.timedelta(seconds=settings.HANDOFF_SWEEP_AFTER_SECONDS)
    return list(
        Mention.objects.filter(
            analyzed_at__isnull=False,
            analyzed_at__lt=now - after,
            analyzed_at__gte=now - SWEEP_WINDOW,
            case_link__isnull=True,
        )
        .order_by("id")
        .values_list("id", flat=True)[:SWEEP_LIMIT]
    )


def mentions_route_unrouted(*, now: dt.datetime | None = None) -> int:
    """Route what analysis handed off but routing never saw; returns how many
    mentions got a case now. Idempotent (routing skips what it already linked)."""
    ids = mentions_unrouted_ids(now=now)
    routed = 0
    for start in range(0, len(ids), SWEEP_BATCH):
        batch = ids[start : start + SWEEP_BATCH]
        mentions_route(mention_ids=batch, now=now)
        routed += Mention.objects.filter(id__in=batch, case_link__isnull=False).count()
    return routed
