"""Replies waiting for a manager's approval, and the failed ones."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import (
    QuerySet,
)

from ambassadors.models import Role
from ambassadors.selectors import user_role

from ..models import (
    Reply,
    ReplyStatus,
)
from .cases import replies_visible_to
from .queue import COUNT_CAP, CappedCount

APPROVAL_PAGE_SIZE = 50


def replies_awaiting_approval(*, user: User) -> QuerySet[Reply]:
    """The approval queue, oldest first; empty for those who may not approve."""
    if user_role(user) not in (Role.ADMIN, Role.MANAGER):
        return Reply.objects.none()
    return (
        Reply.objects.filter(status=ReplyStatus.PENDING_APPROVAL)
        .exclude(author_id=user.pk)
        .select_related("case", "author", "mention__author")
        .defer("mention__raw")
        .order_by("created_at", "id")
    )


def replies_failed(*, user: User) -> QuerySet[Reply]:
    return (
        replies_visible_to(user)
        .filter(status=ReplyStatus.FAILED)
        .select_related("case", "author")
        .order_by("-updated_at")
    )


def approval_queue(*, user: User) -> list[Reply]:
    """The replies waiting for this manager, oldest first, one page."""
    qs = replies_awaiting_approval(user=user).select_related(
        "case__author", "author__profile"
    )
    return list(qs[:APPROVAL_PAGE_SIZE])


def approval_count(*, user: User) -> CappedCount:
    n = (
        replies_awaiting_approval(user=user)
        .order_by()
        .values("pk")[: COUNT_CAP + 1]
        .count()
    )
    return CappedCount(min(n, COUNT_CAP), n > COUNT_CAP)
