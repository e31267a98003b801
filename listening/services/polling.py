"""Polling a source: walk its pages newest-first, store each page, move the cursor.

The cursor lives on the Source row and moves in the same transaction that stores the
page's rows, and only while this poll still holds the source's lease; so a poll that
dies anywhere (killed worker, lost database, platform error) leaves a cursor that
covers exactly what was committed, and the next poll carries on from there.

Cursor shape: ``{"since_id": newest id fully walked}``, and while a long backlog is
being walked across several polls also ``"resume"`` (the adapter's params for the
next older page) and ``"pending_newest"`` (the newest id of this walk, which becomes
``since_id`` when the walk reaches the old ``since_id``).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from django import db
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from listening.adapters import (
    MalformedPayload,
    ParsedPage,
    PlatformError,
    RateLimited,
    SourceSpec,
    TransientError,
    get_adapter,
)
from listening.models import Source

from .store import clean_text, mentions_store

logger = logging.getLogger(__name__)

# Pages one poll task walks before it hands the rest of a backlog to a follow-up task:
# keeps each task short, so a killed worker redoes little and other sources get turns.
MAX_PAGES_PER_POLL = 25
# Backoff after failures: first retry soon (most faults are blips), doubling, capped.
FAILURE_BACKOFF_FIRST = dt.timedelta(seconds=5)
FAILURE_BACKOFF_MAX = dt.timedelta(minutes=15)
# Rate limited without a reset time from the platform (Weibo sends none): wait this,
# doubling while it goes on.
RATE_LIMIT_DEFAULT_WAIT = dt.timedelta(seconds=60)


class LeaseLost(Exception):
    """Another poll took the source over (ours outlived its lease)."""


@dataclass(slots=True)
class PollOutcome:
    pages: int = 0
    created: int = 0
    known: int = 0
    refused: int = 0
    done: bool = True  # False: a backlog remains; poll again at once
    error: str = ""
    rate_limited_until: dt.datetime | None = None


def _id_key(external_id: str) -> tuple[int, str]:
    """Order platform ids numerically (all three platforms use decimal ids)."""
    return (
        (len(external_id), external_id)
        if (external_id.isascii() and external_id.isdigit())
        else (0, external_id)
    )


def _newest(current: str | None, candidates: Iterable[str]) -> str | None:
    best = current
    for candidate in candidates:
        if best is None or _id_key(candidate) > _id_key(best):
            best = candidate
    return best


def sources_claim_due(*, now: dt.datetime | None = None) -> list[int]:
    """Claim the sources whose next poll is due; return their ids.

    Each claim is a compare-and-set on ``next_poll_at``, so two dispatchers never
    claim the same source for the same turn.
    """
    now = now or timezone.now()
    due = (
        Source.objects.filter(enabled=True, next_poll_at__lte=now)
        .filter(Q(rate_limited_until__isnull=True) | Q(rate_limited_until__lte=now))
        .values_list("id", "next_poll_at", "poll_interval")
    )
    claimed = []
    for source_id, next_poll_at, interval in due:
        won = Source.objects.filter(id=source_id, next_poll_at=next_poll_at).update(
            next_poll_at=now + dt.timedelta(seconds=interval)
        )
        if won:
            claimed.append(source_id)
    return claimed


def source_lease_acquire(*, source_id: int, owner: str) -> bool:
    """Take the source for one poll; False while another live poll holds it."""
    now = timezone.now()
    lease = dt.timedelta(seconds=settings.SOURCE_POLL_LEASE_SECONDS)
    return bool(
        Source.objects.filter(id=source_id, enabled=True)
        .filter(
            Q(lease_until__isnull=True) | Q(lease_until__lt=now) | Q(lease_owner=owner)
        )
        .update(lease_owner=owner, lease_until=now + lease)
    )


def source_lease_release(*, source_id: int, owner: str) -> None:
    """Give the source back. After a database restart the worker's connection may
    be dead (the poll failed on it): the release then runs again on a fresh one, or
    the source would stay blocked until the lease expires."""
    for attempt in (1, 2):
        try:
            Source.objects.filter(id=source_id, lease_owner=owner).update(
                lease_owner="", lease_until=None
            )
            return
        except (db.OperationalError, db.InterfaceError):
            if attempt == 2 or not db.connection.get_autocommit():
                raise
            db.connection.close()  # the next query opens a new connection


def _record_success(source_id: int, now: dt.datetime) -> None:
    Source.objects.filter(id=source_id).update(
        last_polled_at=now,
        last_success_at=now,
        consecutive_failures=0,
        rate_limited_until=None,
    )


def _record_failure(
    source: Source, error: PlatformError | Exception, now: dt.datetime
) -> dt.datetime | None:
    failures = source.consecutive_failures + 1
    message = clean_text(f"{type(error).__name__}: {error}", limit=2000)
    fields = {
        "last_polled_at": now,
        "last_error": message,
        "last_error_at": now,
        "consecutive_failures": failures,
    }
    rate_limited_until = None
    if isinstance(error, RateLimited):
        wait = RATE_LIMIT_DEFAULT_WAIT * (2 ** min(failures - 1, 6))
        rate_limited_until = error.reset_at if error.reset_at else now + wait
        rate_limited_until = max(rate_limited_until, now + dt.timedelta(seconds=1))
        fields["rate_limited_until"] = rate_limited_until
        fields["next_poll_at"] = rate_limited_until
    elif isinstance(error, MalformedPayload):
        # A garbled or truncated answer is not an outage: the next poll is likely
        # fine, so no growing backoff (the failure count still shows on health).
        fields["next_poll_at"] = now + FAILURE_BACKOFF_FIRST
    else:
        backoff = min(
            FAILURE_BACKOFF_FIRST * (2 ** min(failures - 1, 10)), FAILURE_BACKOFF_MAX
        )
        interval = dt.timedelta(seconds=source.poll_interval)
        fields["next_poll_at"] = now + min(backoff, max(interval, backoff))
    Source.objects.filter(id=source.id).update(**fields)
    logger.warning("source %s poll failed: %s", source.id, message)
    return rate_limited_until


def _commit_without_waiting_for_disk() -> None:
    """Let this page's commit return before its WAL reaches the disk.

    Safe by construction: the rows and the cursor that covers them commit together,
    so a database crash can only lose both (the next poll fetches the page again), and
    analysis of a lost id finds nothing to do. It saves one disk flush per page.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def source_poll(*, source_id: int, owner: str) -> PollOutcome:
    """Walk up to MAX_PAGES_PER_POLL pages of the source; the caller holds the lease.

    Platform errors are recorded on the source's health and returned in the outcome;
    they never escape (a broken payload must not crash the worker), except that a
    transient error is re-raised after recording so the task layer may retry.
    """
    outcome = PollOutcome()
    source = Source.objects.get(id=source_id)
    now = timezone.now()
    if source.rate_limited_until and source.rate_limited_until > now:
        outcome.rate_limited_until = source.rate_limited_until
        return outcome
    spec = SourceSpec(
        platform=source.platform,
        kind=source.kind,
        query=source.query,
        api_base=source.api_base,
    )
    adapter = get_adapter(source.platform)
    cursor = dict(source.cursor or {})
    since_id = cursor.get("since_id")
    page = cursor.get("resume")
    pending_newest = cursor.get("pending_newest")
    # The next page is fetched while this one is stored: the platform's answer time
    # and the database's overlap. The fetch thread never touches the database.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="prefetch") as fetcher:

        def fetch(params: dict[str, Any] | None) -> Future[ParsedPage]:
            return fetcher.submit(
                adapter.fetch_page, spec, since_id=since_id, page=params
            )

        upcoming = fetch(page)
        while outcome.pages < MAX_PAGES_PER_POLL:
            try:
                parsed = upcoming.result()
            except PlatformError as error:
                outcome.error = str(error)
                outcome.rate_limited_until = _record_failure(
                    source, error, timezone.now()
                )
                if isinstance(error, TransientError):
                    raise
                return outcome
            outcome.pages += 1
            outcome.refused += len(parsed.refused)
            newest = _newest(pending_newest, (p.external_id for p in parsed.posts))
            finished = parsed.next_page is None
            if finished:
                new_cursor = {"since_id": newest or since_id}
            else:
                new_cursor = {
                    "since_id": since_id,
                    "resume": parsed.next_page,
                    "pending_newest": newest,
                }
                if outcome.pages < MAX_PAGES_PER_POLL:
                    upcoming = fetch(parsed.next_page)
            with transaction.atomic():
                _commit_without_waiting_for_disk()
                stored = mentions_store(
                    posts=parsed.posts, source_id=source_id, count_on_source=False
                )
                moved = Source.objects.filter(id=source_id, lease_owner=owner).update(
                    cursor=new_cursor,
                    mentions_fetched=F("mentions_fetched") + stored.created,
                )
                if not moved:
                    raise LeaseLost(f"source {source_id} was taken over during a poll")
            outcome.created += stored.created
            outcome.known += stored.known
            if finished:
                outcome.done = True
                break
            pending_newest = newest
            outcome.done = False
    _record_success(source_id, timezone.now())
    return outcome
