"""Replies from the composer to the delivery queue: signature, policy check,
approval, rejection, retry."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassadors.models import Certification, PlatformHandle, Role
from ambassadors.selectors import user_role
from coupons.services import coupon_codes_revoke_for_reply
from dellsocial.celery import app
from listening.adapters.lengths import max_length, text_length

from ..conf import INFLUENCER_FOLLOWERS
from ..errors import Conflict, EngagementError, Invalid, NotFound
from ..models import Case, CaseEvent, CaseMention, CaseStatus, Reply, ReplyStatus
from ..selectors import (
    case_get_for_user,
    case_latest_mention_id,
    replies_visible_to,
    user_profile,
)
from .access import require_approver, require_retry, require_work_case
from .cases import event_add
from .policy import Violation, reply_policy_check

logger = logging.getLogger(__name__)

DELIVER_TASK = "engagement.deliver_reply"


class PolicyViolation(EngagementError):
    """The reply breaks the policy; ``details`` lists every violation."""

    http_status = 400

    def __init__(self, violations: list[Violation]) -> None:
        super().__init__(
            "policy_violation",
            " ".join(v.message for v in violations),
            details=[v.as_dict() for v in violations],
        )
        self.violations = violations


@dataclass(slots=True)
class ReplyDraft:
    """What the composer shows while typing: the text as it will be posted."""

    text: str
    length: int
    limit: int
    violations: list[Violation] = field(default_factory=list)
    approval_reason: str = ""
    from_handle: str = ""

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


def approval_reason(*, author: AbstractBaseUser, case: Case) -> str:
    """Why a manager must approve ``author``'s reply on ``case`` ('' if not)."""
    if user_role(author) != Role.AMBASSADOR:
        return ""
    profile = user_profile(author)
    if profile is None or profile.certification < Certification.PROFESSIONAL:
        return Reply.ApprovalReason.CERTIFICATION
    followers = case.author.followers_count if case.author is not None else 0
    if case.influencer or followers >= INFLUENCER_FOLLOWERS:
        return Reply.ApprovalReason.INFLUENCER
    return ""


def _handle(author: AbstractBaseUser, platform: str) -> str:
    profile = user_profile(author)
    if profile is None:
        return ""
    return (
        PlatformHandle.objects.filter(profile=profile, platform=platform)
        .values_list("handle", flat=True)
        .first()
        or ""
    )


def reply_draft(
    *,
    case: Case,
    text: str,
    author: AbstractBaseUser,
    append_signature: bool = True,
) -> ReplyDraft:
    """The composer's live check (no write): final text, length as the platform
    counts it, every policy violation, and whether approval will be needed."""
    profile = user_profile(author)
    signature = profile.disclosure_signature if profile else ""
    full = with_signature(text, signature) if append_signature else (text or "").strip()
    return ReplyDraft(
        text=full,
        length=text_length(case.platform, full),
        limit=max_length(case.platform),
        violations=reply_policy_check(
            text=full, platform=case.platform, signature=signature
        ),
        approval_reason=approval_reason(author=author, case=case),
        from_handle=_handle(author, case.platform),
    )


def _enqueue(reply_id: int) -> None:
    transaction.on_commit(
        lambda: app.send_task(DELIVER_TASK, args=[reply_id]), robust=True
    )


@transaction.atomic
def reply_create(
    *,
    case_id: int,
    text: str,
    actor: AbstractBaseUser,
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
    if not case.is_active:
        raise Conflict("case_not_active", _("Reopen the case before replying to it."))
    if mention_id is None:
        mention_id = case_latest_mention_id(case=case)
    elif not CaseMention.objects.filter(case=case, mention_id=mention_id).exists():
        raise Invalid("invalid_mention", _("This mention is not part of the case."))
    if mention_id is None:
        raise Conflict("no_mention", _("The case has no mention to answer."))
    draft = reply_draft(
        case=case, text=text, author=actor, append_signature=append_signature
    )
    if user_role(actor) == Role.AMBASSADOR and not draft.from_handle:
        raise Invalid(
            "no_handle",
            _("You have no %(platform)s handle to reply from.")
            % {"platform": case.get_platform_display()},
        )
    if draft.violations:
        raise PolicyViolation(draft.violations)
    status = (
        ReplyStatus.PENDING_APPROVAL if draft.needs_approval else ReplyStatus.QUEUED
    )
    reply = Reply.objects.create(
        case=case,
        mention_id=mention_id,
        author=actor,
        platform=case.platform,
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
        _enqueue(reply.pk)
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
    draft = reply_draft(case=case, text=text, author=case.assignee)
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
    _enqueue(reply.pk)
    return reply


def _lock_reply(*, reply_id: int, actor: AbstractBaseUser) -> Reply:
    reply = (
        replies_visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("case", "case__author", "author")
        .filter(pk=reply_id)
        .first()
    )
    if reply is None:
        raise NotFound("not_found", _("No such reply."))
    return reply


@transaction.atomic
def reply_approve(
    *,
    reply_id: int,
    actor: AbstractBaseUser,
    text: str | None = None,
    now: dt.datetime | None = None,
) -> Reply:
    """A manager approves a waiting reply, possibly edited (the edit is checked
    against the policy too); it is queued for delivery."""
    now = now or timezone.now()
    reply = _lock_reply(reply_id=reply_id, actor=actor)
    require_approver(actor, reply)
    if reply.status != ReplyStatus.PENDING_APPROVAL:
        raise Conflict("not_pending", _("This reply is not waiting for approval."))
    fields = ["status", "reviewed_by", "reviewed_at", "queued_at", "updated_at"]
    edited = text is not None and text.strip() != reply.text
    if edited:
        profile = user_profile(reply.author) if reply.author else None
        signature = profile.disclosure_signature if profile else ""
        new_text = text.strip()
        violations = reply_policy_check(
            text=new_text, platform=reply.platform, signature=signature
        )
        if violations:
            raise PolicyViolation(violations)
        reply.original_text = reply.text
        reply.text = new_text
        fields += ["original_text", "text"]
    reply.status = ReplyStatus.QUEUED
    reply.reviewed_by = actor
    reply.reviewed_at = now
    reply.queued_at = now
    reply.save(update_fields=fields)
    event_add(
        reply.case,
        CaseEvent.Kind.REPLY_APPROVED,
        actor=actor,
        reply_id=reply.pk,
        edited=edited,
    )
    _enqueue(reply.pk)
    return reply


@transaction.atomic
def reply_reject(
    *,
    reply_id: int,
    actor: AbstractBaseUser,
    reason: str,
    now: dt.datetime | None = None,
) -> Reply:
    """A manager rejects a waiting reply, saying why (the author sees the reason)."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    reply = _lock_reply(reply_id=reply_id, actor=actor)
    require_approver(actor, reply)
    if not reason:
        raise Invalid("reason_required", _("Say why the reply is rejected."))
    if reply.status != ReplyStatus.PENDING_APPROVAL:
        raise Conflict("not_pending", _("This reply is not waiting for approval."))
    reply.status = ReplyStatus.REJECTED
    # The coupon codes the reply carried were never shown to the customer: revoke.
    coupon_codes_revoke_for_reply(reply_id=reply.pk)
    reply.reviewed_by = actor
    reply.reviewed_at = now
    reply.reject_reason = reason
    reply.save(
        update_fields=[
            "status",
            "reviewed_by",
            "reviewed_at",
            "reject_reason",
            "updated_at",
        ]
    )
    event_add(
        reply.case,
        CaseEvent.Kind.REPLY_REJECTED,
        actor=actor,
        reply_id=reply.pk,
        reason=reason,
    )
    return reply


@transaction.atomic
def reply_retry(
    *, reply_id: int, actor: AbstractBaseUser, now: dt.datetime | None = None
) -> Reply:
    """Queue a failed reply again. Its next attempt asks the platform first
    (find_reply), so a reply that did get through is not posted twice."""
    now = now or timezone.now()
    reply = _lock_reply(reply_id=reply_id, actor=actor)
    require_retry(actor, reply)
    if reply.status != ReplyStatus.FAILED:
        raise Conflict("not_failed", _("Only a failed reply can be retried."))
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
    _enqueue(reply.pk)
    return reply
