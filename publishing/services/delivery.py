"""Delivery: each account of a post gets it at its minute, exactly once.

The same claim-then-verify pattern as replies (engagement/services/delivery.py):

1. Dispatch (beat, every few seconds): the queued targets whose minute has come,
   and the ones whose worker died (SENDING past the lease), get a task each; the
   dispatch stamps ``next_attempt_at`` so a target waiting in the queue is not sent
   again while a burst drains (a second message would be harmless anyway).
2. Claim: compare-and-set QUEUED → SENDING (attempts + 1). A SENDING claim older
   than the lease is taken over by a second compare-and-set on the old
   ``claimed_at``. A cancelled post's targets are CANCELLED, so never claimed.
3. From the second attempt on, look in the account's own timeline for the text
   before posting again: a worker killed after the platform accepted the post left
   it there.
4. Post; store the platform's id with SENDING → PUBLISHED. A refusal as repeated
   content is confirmed in the timeline the same way.
5. Rate limits and transient errors go back to QUEUED with backoff until the
   attempts run out; then, or on a permanent error, the target is FAILED with the
   platform's message, and the post with it.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from listening.adapters import (
    DuplicateContent,
    PermanentError,
    PlatformError,
    RateLimited,
)
from listening.services.sources import source_comments_ensure

from ..conf import (
    BACKOFF_BASE_SECONDS,
    BACKOFF_MAX_SECONDS,
    DISPATCH_BATCH,
    LEASE_SECONDS,
    MAX_ATTEMPTS,
    REDISPATCH_PER_TARGET_SECONDS,
    REDISPATCH_SECONDS,
)
from ..models import Post, PostStatus, PostTarget, TargetStatus
from ..platforms import Picture, publisher_for

log = logging.getLogger(__name__)

PUBLISHED, FAILED, RETRY, BUSY, SKIPPED = (
    "published",
    "failed",
    "retry",
    "busy",
    "skipped",
)


@dataclass(frozen=True, slots=True)
class Outcome:
    result: str
    external_id: str = ""
    retry_in: float | None = None


def backoff_seconds(attempt: int) -> float:
    base = BACKOFF_BASE_SECONDS * 2 ** max(attempt - 1, 0)
    return float(min(base, BACKOFF_MAX_SECONDS) * random.uniform(0.8, 1.2))


def targets_due(*, now: dt.datetime | None = None) -> list[int]:
    """Targets to hand to the workers now, stamped so the next dispatch skips them
    while their task waits (``REDISPATCH_SECONDS``)."""
    now = now or timezone.now()
    lease = now - dt.timedelta(seconds=LEASE_SECONDS)
    due = Q(status=TargetStatus.QUEUED, due_at__lte=now) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    abandoned = Q(status=TargetStatus.SENDING, claimed_at__lt=lease) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    with transaction.atomic():
        ids = list(
            PostTarget.objects.select_for_update(skip_locked=True)
            .filter(due | abandoned)
            .order_by("due_at", "id")
            .values_list("id", flat=True)[:DISPATCH_BATCH]
        )
        wait = REDISPATCH_SECONDS + len(ids) * REDISPATCH_PER_TARGET_SECONDS
        PostTarget.objects.filter(id__in=ids).update(
            next_attempt_at=now + dt.timedelta(seconds=wait)
        )
    return ids


def _claim(target_id: int, now: dt.datetime) -> Outcome | None:
    claimed = PostTarget.objects.filter(
        pk=target_id, status=TargetStatus.QUEUED, due_at__lte=now
    ).update(status=TargetStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if claimed:
        return None
    row = PostTarget.objects.filter(pk=target_id).values("status", "claimed_at").first()
    if row is None or row["status"] != TargetStatus.SENDING:
        return Outcome(SKIPPED)  # gone, done, cancelled, not yet due
    lease = dt.timedelta(seconds=LEASE_SECONDS)
    old = row["claimed_at"]
    if old is not None and old > now - lease:
        return Outcome(BUSY, retry_in=(old + lease - now).total_seconds() + 1)
    taken = PostTarget.objects.filter(
        pk=target_id, status=TargetStatus.SENDING, claimed_at=old
    ).update(claimed_at=now, attempts=F("attempts") + 1)
    return None if taken else Outcome(BUSY, retry_in=float(LEASE_SECONDS))


def post_target_deliver(*, target_id: int, now: dt.datetime | None = None) -> Outcome:
    """Publish one post on one account (the body of ``publishing.deliver``)."""
    now = now or timezone.now()
    # The claim and the post's PUBLISHING commit together, before any call.
    with transaction.atomic():
        refused = _claim(target_id, now)
        if refused is not None:
            return refused
        target = PostTarget.objects.select_related("account", "post__image").get(
            pk=target_id
        )
        if target.post.status == PostStatus.SCHEDULED:
            Post.objects.filter(pk=target.post_id, status=PostStatus.SCHEDULED).update(
                status=PostStatus.PUBLISHING
            )
    if target.attempts > MAX_ATTEMPTS:
        return _fail(
            target,
            code="attempts_exhausted",
            message=_("Gave up after %(n)d attempts. Last error: %(error)s")
            % {"n": target.attempts - 1, "error": target.error or "-"},
        )
    account = target.account
    publisher = publisher_for(account.platform)
    image = target.post.image
    picture = (
        Picture(
            name=image.name, content_type=image.content_type, data=bytes(image.data)
        )
        if image is not None
        else None
    )
    try:
        if target.attempts > 1:
            found = publisher.find(account_id=account.external_id, text=target.text)
            if found:
                return _published(target, found, via="found")
        try:
            external_id = publisher.publish(
                account_id=account.external_id, text=target.text, picture=picture
            )
        except DuplicateContent as exc:
            found = publisher.find(account_id=account.external_id, text=target.text)
            if found:
                return _published(target, found, via="duplicate_confirmed")
            return _fail(target, code=exc.code or "duplicate", message=str(exc))
        return _published(target, external_id, via="post")
    except RateLimited as exc:
        wait = None
        if exc.reset_at is not None:
            wait = (exc.reset_at - timezone.now()).total_seconds() + 1
        return _release(target, exc, max(1.0, min(wait or 60.0, 3600.0)))
    except PermanentError as exc:
        return _fail(target, code=exc.code or "permanent", message=str(exc))
    except PlatformError as exc:
        # The platform may or may not have the post: the next attempt looks first.
        return _release(target, exc, backoff_seconds(target.attempts))


def _published(target: PostTarget, external_id: str, *, via: str) -> Outcome:
    now = timezone.now()
    try:
        with transaction.atomic():
            stored = PostTarget.objects.filter(
                pk=target.pk, status=TargetStatus.SENDING
            ).update(
                status=TargetStatus.PUBLISHED,
                external_id=external_id,
                published_at=now,
                error="",
                error_code="",
                claimed_at=None,
                next_attempt_at=None,
                metrics_next_at=now + dt.timedelta(seconds=30),
            )
            if not stored:
                return Outcome(SKIPPED)
            _settle(target.post_id)
    except IntegrityError:
        return _fail(
            target,
            code="already_posted",
            message=_("The same text is already published as another post (%(id)s).")
            % {"id": external_id},
        )
    transaction.on_commit(lambda: _listen_for_comments(target, external_id))
    log.info(
        "post %s published on %s as %s (%s)",
        target.post_id,
        target.account_id,
        external_id,
        via,
    )
    return Outcome(PUBLISHED, external_id=external_id)


def _listen_for_comments(target: PostTarget, external_id: str) -> None:
    """Comments on the brand's post become cases: listening polls them."""
    source_comments_ensure(
        platform=target.account.platform,
        post_external_id=external_id,
        owner_external_id=target.account.external_id,
        name=f"{target.account.name} #{target.post_id}",
    )


@transaction.atomic
def _fail(target: PostTarget, *, code: str, message: str) -> Outcome:
    failed = PostTarget.objects.filter(
        pk=target.pk, status=TargetStatus.SENDING
    ).update(
        status=TargetStatus.FAILED,
        error=message,
        error_code=str(code)[:32],
        claimed_at=None,
        next_attempt_at=None,
    )
    if failed:
        _settle(target.post_id)
    log.warning(
        "post %s on account %s failed: [%s] %s",
        target.post_id,
        target.account_id,
        code,
        message,
    )
    return Outcome(FAILED)


def _release(target: PostTarget, exc: PlatformError, wait: float) -> Outcome:
    if target.attempts >= MAX_ATTEMPTS:
        return _fail(
            target,
            code=exc.code or "transient",
            message=_("Gave up after %(n)d attempts. Last error: %(error)s")
            % {"n": target.attempts, "error": exc},
        )
    PostTarget.objects.filter(pk=target.pk, status=TargetStatus.SENDING).update(
        status=TargetStatus.QUEUED,
        error=str(exc),
        error_code=str(exc.code)[:32],
        claimed_at=None,
        next_attempt_at=timezone.now() + dt.timedelta(seconds=wait),
    )
    return Outcome(RETRY, retry_in=wait)


def _settle(post_id: int) -> None:
    """The post's status from its targets': published when every account has it,
    failed when one failed and none is still on its way."""
    statuses = set(
        PostTarget.objects.filter(post_id=post_id).values_list("status", flat=True)
    )
    if statuses <= {TargetStatus.PUBLISHED}:
        new = PostStatus.PUBLISHED
    elif TargetStatus.FAILED in statuses and not statuses & {
        TargetStatus.QUEUED,
        TargetStatus.SENDING,
    }:
        new = PostStatus.FAILED
    else:
        new = PostStatus.PUBLISHING
    Post.objects.filter(pk=post_id).exclude(status=new).update(
        status=new, updated_at=timezone.now()
    )


@transaction.atomic
def post_target_retry(*, target_id: int) -> None:
    """A person's retry of a failed account: queued again now, attempts anew (the
    first attempt looks in the timeline before posting, in case it went out)."""
    PostTarget.objects.filter(pk=target_id, status=TargetStatus.FAILED).update(
        status=TargetStatus.QUEUED,
        attempts=1,
        next_attempt_at=None,
        due_at=timezone.now(),
    )
    target = PostTarget.objects.filter(pk=target_id).first()
    if target is not None:
        _settle(target.post_id)
