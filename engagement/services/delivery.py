"""Delivery: post a queued reply to its platform exactly once.

1. Claim: compare-and-set QUEUED → SENDING (attempts + 1, claimed_at = now). Only
   the claimer talks to the platform. A SENDING claim older than the lease belongs
   to a worker that died; it is taken over by a second compare-and-set on the old
   ``claimed_at``.
2. Look before posting again: from the second attempt on (a retry, a takeover, a
   person's retry of a failed reply), ask the platform with ``find_reply`` whether
   the reply is already in the thread; if so, store that id and stop.
3. Post. The platform's id is stored with a compare-and-set SENDING → SENT.
4. The platform refuses repeated content (Weibo 20019, Twitter 403): confirm with
   ``find_reply``; found means it was delivered before (a worker died after the
   platform accepted), so store the id; not found is a failure a person sees.
5. Transient errors and rate limits go back to QUEUED with backoff until the
   attempts run out; permanent errors fail at once with the platform's message.
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

from dellsocial import pipeline
from listening.adapters import (
    DuplicateContent,
    PermanentError,
    PlatformError,
    RateLimited,
    ReplyTarget,
    get_adapter,
)
from listening.models import Mention

from .. import conf
from ..conf import (
    DELIVERY_BACKOFF_BASE_SECONDS,
    DELIVERY_BACKOFF_MAX_SECONDS,
)
from ..models import Case, CaseEvent, CaseStatus, Reply, ReplyStatus
from .outbox import case_events_published
from .sla import case_sla_first_response

log = logging.getLogger(__name__)

SENT = "sent"
FAILED = "failed"
RETRY = "retry"
BUSY = "busy"
SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class DeliveryOutcome:
    result: str  # sent | failed | retry | busy | skipped
    retry_in: float | None = None  # seconds, for retry and busy
    external_id: str = ""


def reply_target(mention: Mention) -> ReplyTarget:
    """The adapter's view of the mention a reply answers."""
    thread = mention.thread_external_id or ""
    return ReplyTarget(
        platform=mention.platform,
        external_id=mention.external_id,
        thread_external_id=thread,
        author_external_id=mention.author.external_id if mention.author else "",
        # A post whose thread is another post is a comment in that thread.
        is_comment=bool(thread)
        and thread != mention.external_id
        and not mention.is_private,
        is_private=mention.is_private,
    )


def backoff_seconds(attempt: int) -> float:
    base = DELIVERY_BACKOFF_BASE_SECONDS * 2 ** max(attempt - 1, 0)
    return float(min(base, DELIVERY_BACKOFF_MAX_SECONDS) * random.uniform(0.8, 1.2))


def _claim(reply_id: int, now: dt.datetime) -> DeliveryOutcome | None:
    """Take the reply for this worker; an outcome when it cannot be taken."""
    claimed = Reply.objects.filter(pk=reply_id, status=ReplyStatus.QUEUED).update(
        status=ReplyStatus.SENDING,
        claimed_at=now,
        attempts=F("attempts") + 1,
        updated_at=now,
    )
    if claimed:
        return None
    row = Reply.objects.filter(pk=reply_id).values("status", "claimed_at").first()
    if row is None or row["status"] != ReplyStatus.SENDING:
        return DeliveryOutcome(SKIPPED)  # gone, done, rejected or awaiting approval
    lease = dt.timedelta(seconds=conf.DELIVERY_LEASE_SECONDS)
    old = row["claimed_at"]
    if old is not None and old > now - lease:
        return DeliveryOutcome(BUSY, retry_in=(old + lease - now).total_seconds() + 1)
    # The claimer died (its lease ran out): take over.
    taken = Reply.objects.filter(
        pk=reply_id, status=ReplyStatus.SENDING, claimed_at=old
    ).update(claimed_at=now, attempts=F("attempts") + 1, updated_at=now)
    if not taken:
        return DeliveryOutcome(BUSY, retry_in=float(conf.DELIVERY_LEASE_SECONDS))
    return None


def reply_deliver(*, reply_id: int, now: dt.datetime | None = None) -> DeliveryOutcome:
    """Deliver one reply (the body of the ``engagement.deliver_reply`` task)."""
    now = now or timezone.now()
    refused = _claim(reply_id, now)
    if refused is not None:
        return refused
    reply = Reply.objects.select_related("mention__author").get(pk=reply_id)
    if reply.attempts > conf.DELIVERY_MAX_ATTEMPTS:
        return _fail(
            reply,
            code="attempts_exhausted",
            message=_("Gave up after %(n)d attempts. Last error: %(error)s")
            % {"n": reply.attempts - 1, "error": reply.error or "-"},
        )
    target = reply_target(reply.mention)
    adapter = get_adapter(reply.platform)
    try:
        if reply.attempts > 1:
            found = adapter.find_reply(target=target, text=reply.text)
            if found:
                return _sent(reply, found, via="find_reply")
        try:
            external_id = adapter.post_reply(target=target, text=reply.text)
        except DuplicateContent as exc:
            found = adapter.find_reply(target=target, text=reply.text)
            if found:
                return _sent(reply, found, via="duplicate_confirmed")
            return _fail(
                reply,
                code=exc.code or "duplicate",
                message=_(
                    "The platform refused the reply as repeated content (%(error)s) "
                    "and it is not in the thread: change the text and retry."
                )
                % {"error": exc},
            )
        return _sent(reply, external_id, via="post")
    except RateLimited as exc:
        wait = None
        if exc.reset_at is not None:
            wait = (exc.reset_at - timezone.now()).total_seconds() + 1
        wait = max(1.0, min(wait or backoff_seconds(reply.attempts), 240.0))
        return _release(reply, exc, wait)
    except PermanentError as exc:
        return _fail(reply, code=exc.code or "permanent", message=str(exc))
    except PlatformError as exc:
        # TransientError, MalformedPayload: the platform may or may not have
        # taken the post; the next attempt looks before posting.
        return _release(reply, exc, backoff_seconds(reply.attempts))


def _sent(reply: Reply, external_id: str, *, via: str) -> DeliveryOutcome:
    now = timezone.now()
    try:
        with transaction.atomic():
            stored = Reply.objects.filter(
                pk=reply.pk, status=ReplyStatus.SENDING
            ).update(
                status=ReplyStatus.SENT,
                external_id=external_id,
                sent_at=now,
                error="",
                error_code="",
                claimed_at=None,
                next_attempt_at=None,
                updated_at=now,
            )
            if not stored:
                return DeliveryOutcome(SKIPPED)  # another worker finished it
            case = Case.objects.select_for_update().get(pk=reply.case_id)
            fields = case_sla_first_response(case, at=now)
            if case.status == CaseStatus.NEW:
                case.status = CaseStatus.OPEN
                fields.append("status")
            if fields:
                case.save(update_fields=[*fields, "updated_at"])
            event = CaseEvent.objects.create(
                case=case,
                kind=CaseEvent.Kind.REPLY_SENT,
                data={"reply_id": reply.pk, "external_id": external_id, "via": via},
            )
            case_events_published([event])
    except IntegrityError:
        # find_reply matched a post another reply of ours already owns: the same
        # text was sent to this conversation before.
        return _fail(
            reply,
            code="already_posted",
            message=_(
                "The same text was already posted to this conversation by another "
                "reply (platform id %(id)s)."
            )
            % {"id": external_id},
        )
    if reply.author_id is not None:
        pipeline.activity_recorded(
            user_id=reply.author_id,
            kind="reply_sent",
            key=f"reply:{reply.pk}",
            occurred_at=now.isoformat(),
        )
    return DeliveryOutcome(SENT, external_id=external_id)


@transaction.atomic
def _fail(reply: Reply, *, code: str, message: str) -> DeliveryOutcome:
    now = timezone.now()
    failed = Reply.objects.filter(pk=reply.pk, status=ReplyStatus.SENDING).update(
        status=ReplyStatus.FAILED,
        error=message,
        error_code=str(code)[:32],
        claimed_at=None,
        next_attempt_at=None,
        updated_at=now,
    )
    if failed:
        event = CaseEvent.objects.create(
            case_id=reply.case_id,
            kind=CaseEvent.Kind.REPLY_FAILED,
            data={"reply_id": reply.pk, "error": message, "code": code},
        )
        case_events_published([event])
    log.warning("reply %s failed: [%s] %s", reply.pk, code, message)
    return DeliveryOutcome(FAILED)


def _release(reply: Reply, exc: PlatformError, wait: float) -> DeliveryOutcome:
    """Back to the queue after a transient failure, or failed for good."""
    if reply.attempts >= conf.DELIVERY_MAX_ATTEMPTS:
        return _fail(
            reply,
            code=exc.code or "transient",
            message=_("Gave up after %(n)d attempts. Last error: %(error)s")
            % {"n": reply.attempts, "error": exc},
        )
    now = timezone.now()
    Reply.objects.filter(pk=reply.pk, status=ReplyStatus.SENDING).update(
        status=ReplyStatus.QUEUED,
        error=str(exc),
        error_code=str(exc.code)[:32],
        claimed_at=None,
        next_attempt_at=now + dt.timedelta(seconds=wait),
        updated_at=now,
    )
    return DeliveryOutcome(RETRY, retry_in=wait)


def replies_to_redeliver(*, now: dt.datetime | None = None) -> list[int]:
    """Replies whose task message seems lost: queued and overdue by the stall time,
    or sending under an expired lease (the worker died)."""
    now = now or timezone.now()
    stall = now - dt.timedelta(seconds=conf.DELIVERY_STALL_SECONDS)
    lease = now - dt.timedelta(seconds=conf.DELIVERY_LEASE_SECONDS)
    overdue = Q(status=ReplyStatus.QUEUED) & (
        Q(next_attempt_at__lt=stall)
        | Q(next_attempt_at__isnull=True, queued_at__lt=stall)
    )
    abandoned = Q(status=ReplyStatus.SENDING, claimed_at__lt=lease)
    return list(
        Reply.objects.filter(overdue | abandoned)
        .order_by("id")
        .values_list("id", flat=True)[:1000]
    )
