"""A community manager's review of a reply waiting for approval: approve (possibly
edited, checked against the policy again) or reject with a reason.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import conflict, invalid
from coupons.services import coupon_codes_revoke_for_reply
from dellsocial import pipeline

from ..models import CaseEvent, Reply, ReplyStatus
from ..selectors import (
    user_profile,
)
from .access import require_approver
from .events import event_add
from .policy import reply_policy_check
from .replies import policy_violation, reply_enqueue_delivery, reply_lock

# A manager's note on an approval or rejection: a few sentences for the author.
NOTE_MAX = 1000


@transaction.atomic
def reply_approve(
    *,
    reply_id: int,
    actor: User,
    text: str | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> Reply:
    """A manager approves a waiting reply, possibly edited (the edit is checked
    against the policy too); it is queued for delivery. ``note``: what the manager
    tells the author (kept on the case's history and sent with the notification)."""
    now = now or timezone.now()
    note = (note or "").strip()[:NOTE_MAX]
    reply = reply_lock(reply_id=reply_id, actor=actor)
    require_approver(actor, reply)
    if reply.status != ReplyStatus.PENDING_APPROVAL:
        raise conflict("not_pending", _("This reply is not waiting for approval."))
    fields = ["status", "reviewed_by", "reviewed_at", "queued_at", "updated_at"]
    edited = text is not None and text.strip() != reply.text
    if text is not None and edited:
        profile = user_profile(reply.author) if reply.author else None
        signature = profile.disclosure_signature if profile else ""
        new_text = text.strip()
        violations = reply_policy_check(
            text=new_text,
            platform=reply.platform,
            signature=signature,
            private=reply.is_private,
        )
        if violations:
            raise policy_violation(violations)
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
        note=note,
    )
    reply_enqueue_delivery(reply.pk)
    if reply.author_id is not None:
        # Approved replies are the experience that counts toward Professional.
        pipeline.activity_recorded(
            user_id=reply.author_id,
            kind="reply_approved",
            key=f"reply:{reply.pk}",
            occurred_at=now.isoformat(),
        )
    return reply


@transaction.atomic
def reply_reject(
    *,
    reply_id: int,
    actor: User,
    reason: str,
    now: dt.datetime | None = None,
) -> Reply:
    """A manager rejects a waiting reply, saying why (the author sees the reason)."""
    now = now or timezone.now()
    reason = (reason or "").strip()[:NOTE_MAX]
    reply = reply_lock(reply_id=reply_id, actor=actor)
    require_approver(actor, reply)
    if not reason:
        raise invalid("reason_required", _("Say why the reply is rejected."))
    if reply.status != ReplyStatus.PENDING_APPROVAL:
        raise conflict("not_pending", _("This reply is not waiting for approval."))
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
