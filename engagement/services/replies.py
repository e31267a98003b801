"""Replies from the composer to the delivery queue: signature, policy check, retry.
Approval and rejection are ``approvals``.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassadors.governance.services import policy_accepted
from ambassadors.models import Certification, HandleStatus, PlatformHandle, Role
from ambassadors.selectors import user_role
from common.errors import DomainError, conflict, invalid, not_allowed, not_found
from dellsocial.celery import app
from listening.adapters.lengths import max_length, text_length
from listening.models import Mention

from .. import conf
from ..models import Case, CaseEvent, CaseMention, CaseStatus, Reply, ReplyStatus
from ..selectors import (
    case_get_for_user,
    case_latest_mention_id,
    replies_visible_to,
    user_profile,
)
from .access import require_retry, require_work_case
from .events import event_add
from .policy import Violation, reply_policy_check

logger = logging.getLogger(__name__)


DELIVER_TASK = "engagement.deliver_reply"


def policy_violation(violations: list[Violation]) -> DomainError:
    """The reply breaks the policy: ``details`` lists every violation (as dicts)."""
    return invalid(
        "policy_violation",
        " ".join(v.message for v in violations),
        details=[v.as_dict() for v in violations],
    )


@dataclass(slots=True)
class ReplyDraft:
    """What the composer shows while typing: the text as it will be posted."""

    text: str
    length: int
    limit: int
    violations: list[Violation] = field(default_factory=list)
    approval_reason: str = ""
    from_handle: str = ""
    # Answers a private message: sent as one, held to the private-message limit.
    private: bool = False

    @property
    def ok(self) -> bool:
        return not self.violations

    @property
    def needs_approval(self) -> bool:
        return bool(self.approval_reason)


def with_signature(text: str, signature: str) -> str:
    text = (text or "").strip()
    signature = (signature or "").strip()
    if not signature or signature in text:
        return text
    return f"{text} {signature}" if text else text


def approval_reason(*, author: User, case: Case) -> str:
    """Why a manager must approve ``author``'s reply on ``case`` ('' if not)."""
    if user_role(author) != Role.AMBASSADOR:
        return ""
    profile = user_profile(author)
    if profile is None or profile.certification < Certification.PROFESSIONAL:
        return Reply.ApprovalReason.CERTIFICATION
    followers = case.author.followers_count if case.author is not None else 0
    if case.influencer or followers >= conf.INFLUENCER_FOLLOWERS:
        return Reply.ApprovalReason.INFLUENCER
    return ""


def require_may_speak(actor: User) -> None:
    """Below Enthusiast nobody replies; everybody accepts the current social media
    policy first (a new version asks again)."""
    if user_role(actor) == Role.AMBASSADOR:
        profile = user_profile(actor)
        if profile is None or profile.certification < Certification.ENTHUSIAST:
            raise not_allowed(
                "not_certified",
                _("Pass the orientation course before replying for the brand."),
            )
    if not policy_accepted(user=actor):
        raise not_allowed(
            "policy_not_accepted",
            _("Read and accept the current social media policy before replying."),
        )


def _handle(author: User, platform: str) -> str:
    profile = user_profile(author)
    if profile is None:
        return ""
    return (
        # Only an approved handle signs replies (governance).
        PlatformHandle.objects.filter(
            profile=profile, platform=platform, status=HandleStatus.APPROVED
        )
        .values_list("handle", flat=True)
        .first()
        or ""
    )


def reply_draft(
    *,
    case: Case,
    text: str,
    author: User,
    append_signature: bool = True,
    mention_id: int | None = None,
) -> ReplyDraft:
    """The composer's live check (no write): final text, length as the platform
    counts it, every policy violation, and whether approval will be needed.

    ``mention_id``: the post answered (default: the case's latest); answering a
    private message, the text is a private message and has that limit."""
    profile = user_profile(author)
    signature = profile.disclosure_signature if profile else ""
    full = with_signature(text, signature) if append_signature else (text or "").strip()
    if mention_id is None:
        mention_id = case_latest_mention_id(case=case)
    private = mention_id is not None and (
        Mention.objects.filter(pk=mention_id, is_private=True).exists()
    )
    return ReplyDraft(
        text=full,
        length=text_length(case.platform, full, private=private),
        limit=max_length(case.platform, private=private),
        violations=reply_policy_check(
            text=full, platform=case.platform, signature=signature, private=private
        ),
        approval_reason=approval_reason(author=author, case=case),
        from_handle=_handle(author, case.platform),
        private=private,
    )


def reply_enqueue_delivery(reply_id: int) -> None:
    """Queue the reply for delivery once the transaction commits."""
    # robust: a broker outage must not fail a committed request (deliver_sweep
    # sends it again).
    transaction.on_commit(
        lambda: app.send_task(DELIVER_TASK, args=[reply_id]), robust=True
    )


@transaction.atomic
def reply_create(
    *,
    case_id: int,
    text: str,
    actor: User,
    mention_id: int | None = None,
    append_signature: bool = True,
    now: dt.datetime | None = None,
) -> Reply:
    """Write a reply on a case (its assignee, or a manager).

    Refused with every reason when it breaks the policy. Goes to a manager when the
    author is below professional or the customer is an influencer; otherwise it is
    queued for delivery once this transaction commits.
    """
    now = now or timezone.now()
    case = case_get_for_user(user=actor, case_id=case_id)
    require_work_case(actor, case)
    require_may_speak(actor)
    if not case.is_active:
        raise conflict("case_not_active", _("Reopen the case before replying to it."))
    if mention_id is None:
        mention_id = case_latest_mention_id(case=case)
    elif not CaseMention.objects.filter(case=case, mention_id=mention_id).exists():
        raise invalid("invalid_mention", _("This mention is not part of the case."))
    if mention_id is None:
        raise conflict("no_mention", _("The case has no mention to answer."))
    draft = reply_draft(
        case=case,
        text=text,
        author=actor,
        append_signature=append_signature,
        mention_id=mention_id,
    )
    if user_role(actor) == Role.AMBASSADOR and not draft.from_handle:
        raise invalid(
            "no_handle",
            _("You have no %(platform)s handle to reply from.")
            % {"platform": case.get_platform_display()},
        )
    if draft.violations:
        raise policy_violation(draft.violations)
    status = (
        ReplyStatus.PENDING_APPROVAL if draft.needs_approval else ReplyStatus.QUEUED
    )
    reply = Reply.objects.create(
        case=case,
        mention_id=mention_id,
        author=actor,
        platform=case.platform,
        # Answering a direct message: the answer is a direct message too.
        is_private=draft.private,
        from_handle=draft.from_handle,
        text=draft.text,
        status=status,
        approval_reason=draft.approval_reason,
        queued_at=now if status == ReplyStatus.QUEUED else None,
        created_at=now,
    )
    if case.status == CaseStatus.NEW:
        Case.objects.filter(pk=case.pk, status=CaseStatus.NEW).update(
            status=CaseStatus.OPEN, updated_at=now
        )
    event_add(
        case,
        CaseEvent.Kind.REPLY_CREATED,
        actor=actor,
        reply_id=reply.pk,
        status=status,
    )
    if status == ReplyStatus.QUEUED:
        reply_enqueue_delivery(reply.pk)
    return reply


@transaction.atomic
def reply_followup_create(
    *, case_id: int, text: str, now: dt.datetime | None = None
) -> Reply | None:
    """A message the brand sends on its own on a case, e.g. the satisfaction survey
    link after the case is resolved: from the case's assignee, under their disclosure
    signature, to the case's latest mention, queued for delivery.

    Returns None (and sends nothing) when the case has no assignee or mention, or
    when the text breaks the reply policy: a follow-up never bypasses the rules.
    """
    now = now or timezone.now()
    case = Case.objects.select_related("author", "assignee").filter(pk=case_id).first()
    if case is None or case.assignee is None:
        return None
    mention_id = case_latest_mention_id(case=case)
    if mention_id is None:
        return None
    draft = reply_draft(
        case=case, text=text, author=case.assignee, mention_id=mention_id
    )
    if draft.violations:
        logger.warning(
            "case %s: follow-up not sent, it breaks the policy: %s",
            case_id,
            [v.code for v in draft.violations],
        )
        return None
    reply = Reply.objects.create(
        case=case,
        mention_id=mention_id,
        author=case.assignee,
        platform=case.platform,
        is_private=draft.private,
        from_handle=draft.from_handle,
        text=draft.text,
        status=ReplyStatus.QUEUED,
        queued_at=now,
        created_at=now,
    )
    event_add(
        case,
        CaseEvent.Kind.REPLY_CREATED,
        actor=None,
        reply_id=reply.pk,
        status=ReplyStatus.QUEUED,
        followup=True,
    )
    reply_enqueue_delivery(reply.pk)
    return reply


def reply_lock(*, reply_id: int, actor: User) -> Reply:
    """The reply, locked, if it is in the actor's reach (404 otherwise)."""
    reply = (
        replies_visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("case", "case__author", "author")
        .filter(pk=reply_id)
        .first()
    )
    if reply is None:
        raise not_found("not_found", _("No such reply."))
    return reply


@transaction.atomic
def reply_retry(*, reply_id: int, actor: User, now: dt.datetime | None = None) -> Reply:
    """Queue a failed reply again. Its next attempt asks the platform first
    (find_reply), so a reply that did get through is not posted twice."""
    now = now or timezone.now()
    reply = reply_lock(reply_id=reply_id, actor=actor)
    require_retry(actor, reply)
    if reply.status != ReplyStatus.FAILED:
        raise conflict("not_failed", _("Only a failed reply can be retried."))
    reply.status = ReplyStatus.QUEUED
    # A fresh budget of attempts, but never 0 once tried: attempts > 1 at the next
    # claim is what makes delivery look the reply up before posting.
    reply.attempts = min(reply.attempts, 1)
    reply.queued_at = now
    reply.next_attempt_at = None
    reply.save(
        update_fields=[
            "status",
            "attempts",
            "queued_at",
            "next_attempt_at",
            "updated_at",
        ]
    )
    event_add(
        reply.case,
        CaseEvent.Kind.REPLY_RETRIED,
        actor=actor,
        reply_id=reply.pk,
        previous_error=reply.error,
    )
    reply_enqueue_delivery(reply.pk)
    return reply
