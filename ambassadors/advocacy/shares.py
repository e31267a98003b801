"""Enthusiasts share the brand's own posts from their approved handle.

Delivery is exactly once, like replies (engagement.services.delivery):
1. Claim: compare-and-set QUEUED → SENDING; a SENDING claim older than the lease
   belongs to a dead worker and is taken over by a second compare-and-set.
2. From the second attempt on, look the share up on the platform before posting.
3. Post; store the platform's id with a compare-and-set SENDING → SENT, and the
   points with it.
4. A refusal as repeated content means the platform already has this share from
   this account (the text carries the person's signature): it is delivered.
5. Transient errors go back to QUEUED with backoff, a bounded number of times.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dellsocial.celery import app
from listening.adapters import PermanentError, PlatformError, RateLimited
from listening.adapters.lengths import max_length, text_length
from listening.adapters.shares import (
    DuplicateContent,
    ShareTarget,
    share_find,
    share_post,
)
from listening.models import Mention
from listening.selectors import own_accounts

from ..errors import Conflict, Invalid, NotAllowed, NotFound
from ..governance.services import approved_handle, policy_accepted
from ..models import Certification, Profile, Role
from ..models.advocacy import PointKind, Share, SharePick, ShareStatus
from ..selectors import user_role
from .points import points_record

log = logging.getLogger(__name__)

DELIVER_TASK = "ambassadors.deliver_share"
# A worker holding a share longer than this is presumed dead (a share is one call).
SHARE_LEASE_SECONDS = settings.AMBASSADORS_SHARE_LEASE_SECONDS
SHARE_MAX_ATTEMPTS = 6
BACKOFF_BASE_SECONDS = 5.0
BACKOFF_MAX_SECONDS = 300.0
# A queued share whose task has not run by then lost its message.
SHARE_STALL_SECONDS = 120


def brand_posts(*, limit: int = 50):
    """The brand's own posts that listening stored (what may be picked)."""
    accounts = own_accounts()
    if not accounts:
        return Mention.objects.none()
    which = Q()
    for platform, account in accounts:
        which |= Q(platform=platform, author__external_id=account)
    return (
        Mention.objects.filter(which, in_reply_to_external_id="")
        .select_related("author")
        .order_by("-created_at")[:limit]
    )


@transaction.atomic
def share_pick_create(*, mention_id: int, comment: str, actor: User) -> SharePick:
    if user_role(actor) not in (Role.MANAGER, Role.ADMIN):
        raise NotAllowed("manager_only", _("Only a manager picks posts to share."))
    mention = Mention.objects.select_related("author").filter(pk=mention_id).first()
    accounts = own_accounts()
    if (
        mention is None
        or not mention.author
        or (
            mention.platform,
            mention.author.external_id,
        )
        not in accounts
    ):
        raise Invalid("not_brand_post", _("Only the brand's own posts can be shared."))
    comment = (comment or "").strip()
    if text_length(mention.platform, comment) > max_length(mention.platform) - 40:
        raise Invalid("too_long", _("The suggested comment is too long."))
    pick, created = SharePick.objects.get_or_create(
        mention=mention, defaults={"comment": comment, "picked_by": actor}
    )
    if not created:
        pick.comment, pick.active = comment, True
        pick.save(update_fields=["comment", "active"])
    return pick


@transaction.atomic
def share_pick_close(*, pick_id: int, actor: User) -> None:
    if user_role(actor) not in (Role.MANAGER, Role.ADMIN):
        raise NotAllowed("manager_only", _("Only a manager picks posts to share."))
    SharePick.objects.filter(pk=pick_id).update(active=False)


def _share_text(comment: str, profile: Profile) -> str:
    signature = (profile.disclosure_signature or "").strip()
    comment = (comment or "").strip()
    if signature and signature not in comment:
        comment = f"{comment} {signature}".strip()
    return comment


@transaction.atomic
def share_create(*, user: User, pick_id: int, comment: str | None = None) -> Share:
    """Share a picked post from the person's approved handle, once per person."""
    pick = (
        SharePick.objects.select_related("mention__author")
        .filter(pk=pick_id, active=True)
        .first()
    )
    if pick is None:
        raise NotFound("not_found", _("This post is not open for sharing."))
    profile = Profile.objects.filter(user=user).first()
    if profile is None or profile.certification < Certification.ENTHUSIAST:
        raise NotAllowed(
            "not_certified", _("Pass the orientation course to share the brand's news.")
        )
    if not policy_accepted(user=user):
        raise NotAllowed(
            "policy_not_accepted",
            _("Read and accept the current social media policy first."),
        )
    platform = pick.mention.platform
    handle = approved_handle(user_id=user.pk, platform=platform)
    if handle is None:
        raise NotAllowed(
            "no_handle", _("You have no approved handle on this platform.")
        )
    text = _share_text(pick.comment if comment is None else comment, profile)
    if text_length(platform, text) > max_length(platform):
        raise Invalid("too_long", _("The comment is too long for this platform."))
    if platform == "twitter":
        kind = Share.Kind.QUOTE if text else Share.Kind.RETWEET
        if kind == Share.Kind.RETWEET and not handle.platform_user_id:
            raise Invalid(
                "no_account_id",
                _("Your Twitter handle needs its account id to retweet."),
            )
    else:
        kind = Share.Kind.REPOST if platform == "weibo" else Share.Kind.SHARE
    try:
        with transaction.atomic():
            share = Share.objects.create(
                pick=pick,
                user=user,
                platform=platform,
                handle=handle.handle,
                handle_user_id=handle.platform_user_id,
                kind=kind,
                text=text,
            )
    except IntegrityError:
        raise Conflict("already_shared", _("You already shared this post.")) from None
    share_id = share.pk
    transaction.on_commit(lambda: app.send_task(DELIVER_TASK, args=[share_id]))
    return share


@dataclass(frozen=True, slots=True)
class ShareOutcome:
    result: str  # sent | failed | retry | busy | skipped
    retry_in: float | None = None


def _claim(share_id: int, now: dt.datetime) -> ShareOutcome | None:
    if Share.objects.filter(pk=share_id, status=ShareStatus.QUEUED).update(
        status=ShareStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
    ):
        return None
    row = Share.objects.filter(pk=share_id).values("status", "claimed_at").first()
    if row is None or row["status"] != ShareStatus.SENDING:
        return ShareOutcome("skipped")
    lease = dt.timedelta(seconds=SHARE_LEASE_SECONDS)
    old = row["claimed_at"]
    if old is not None and old > now - lease:
        return ShareOutcome("busy", retry_in=(old + lease - now).total_seconds() + 1)
    if not Share.objects.filter(
        pk=share_id, status=ShareStatus.SENDING, claimed_at=old
    ).update(claimed_at=now, attempts=F("attempts") + 1):
        return ShareOutcome("busy", retry_in=float(SHARE_LEASE_SECONDS))
    return None


def share_deliver(*, share_id: int, now: dt.datetime | None = None) -> ShareOutcome:
    """Deliver one share (the body of ``ambassadors.deliver_share``)."""
    now = now or timezone.now()
    refused = _claim(share_id, now)
    if refused is not None:
        return refused
    share = Share.objects.select_related("pick__mention__author").get(pk=share_id)
    mention = share.pick.mention
    target = ShareTarget(
        platform=share.platform,
        external_id=mention.external_id,
        author_external_id=mention.author.external_id if mention.author else "",
    )
    args = {"target": target, "text": share.text, "kind": share.kind}
    args["sharer_user_id"] = share.handle_user_id
    if share.attempts > SHARE_MAX_ATTEMPTS:
        return _fail(share, "attempts_exhausted", share.error or "-")
    try:
        if share.attempts > 1:
            found = share_find(**args)
            if found:
                return _sent(share, found)
        try:
            return _sent(share, share_post(**args))
        except DuplicateContent:
            found = share_find(**args)
            return _sent(share, found or "")
    except RateLimited as exc:
        wait = None
        if exc.reset_at is not None:
            wait = (exc.reset_at - timezone.now()).total_seconds() + 1
        return _release(
            share, exc, max(1.0, min(wait or _backoff(share.attempts), 240.0))
        )
    except PermanentError as exc:
        return _fail(share, exc.code or "permanent", str(exc))
    except PlatformError as exc:
        return _release(share, exc, _backoff(share.attempts))


def _backoff(attempt: int) -> float:
    base = BACKOFF_BASE_SECONDS * 2 ** max(attempt - 1, 0)
    return min(base, BACKOFF_MAX_SECONDS) * random.uniform(0.8, 1.2)  # noqa: S311


@transaction.atomic
def _sent(share: Share, external_id: str) -> ShareOutcome:
    now = timezone.now()
    if not Share.objects.filter(pk=share.pk, status=ShareStatus.SENDING).update(
        status=ShareStatus.SENT,
        external_id=external_id,
        sent_at=now,
        claimed_at=None,
        error="",
        error_code="",
    ):
        return ShareOutcome("skipped")
    points_record(
        user_id=share.user_id,
        kind=PointKind.SHARE,
        key=f"share:{share.pk}",
        occurred_at=now,
    )
    return ShareOutcome("sent")


def _fail(share: Share, code: str, message: str) -> ShareOutcome:
    Share.objects.filter(pk=share.pk, status=ShareStatus.SENDING).update(
        status=ShareStatus.FAILED,
        error=message[:2000],
        error_code=str(code)[:32],
        claimed_at=None,
    )
    log.warning("share %s failed: [%s] %s", share.pk, code, message)
    return ShareOutcome("failed")


def _release(share: Share, exc: PlatformError, wait: float) -> ShareOutcome:
    if share.attempts >= SHARE_MAX_ATTEMPTS:
        return _fail(share, exc.code or "transient", str(exc))
    Share.objects.filter(pk=share.pk, status=ShareStatus.SENDING).update(
        status=ShareStatus.QUEUED,
        error=str(exc)[:2000],
        error_code=str(exc.code)[:32],
        claimed_at=None,
        next_attempt_at=timezone.now() + dt.timedelta(seconds=wait),
    )
    return ShareOutcome("retry", retry_in=wait)


def shares_to_redeliver(*, now: dt.datetime | None = None) -> list[int]:
    """Shares whose task seems lost: queued and overdue, or sending under an
    expired lease (the worker died)."""
    now = now or timezone.now()
    stall = now - dt.timedelta(seconds=SHARE_STALL_SECONDS)
    lease = now - dt.timedelta(seconds=SHARE_LEASE_SECONDS)
    overdue = Q(status=ShareStatus.QUEUED) & (
        Q(next_attempt_at__lt=stall)
        | Q(next_attempt_at__isnull=True, created_at__lt=stall)
    )
    abandoned = Q(status=ShareStatus.SENDING, claimed_at__lt=lease)
    return list(
        Share.objects.filter(overdue | abandoned)
        .order_by("id")
        .values_list("id", flat=True)[:1000]
    )
