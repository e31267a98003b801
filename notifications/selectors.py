"""Reads of notifications: always one person's own."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import QuerySet

from .models import Notification, Preference

# The bell shows "99+" past this: counting further costs without telling more.
UNREAD_CAP = 99


def notifications_for_user(
    *, user: User, unread_only: bool = False
) -> QuerySet[Notification]:
    queryset = Notification.objects.filter(user=user)
    if unread_only:
        queryset = queryset.filter(read_at__isnull=True)
    return queryset.order_by("-created_at", "-id")


def notifications_unread_count(*, user: User) -> int:
    """Unread notifications of ``user``, counted up to ``UNREAD_CAP + 1``."""
    return (
        Notification.objects.filter(user=user, read_at__isnull=True)
        .values("id")[: UNREAD_CAP + 1]
        .count()
    )


def preference_for_user(*, user: User) -> Preference:
    """The person's preferences, or the defaults (not saved) if they set none."""
    return Preference.objects.filter(user=user).first() or Preference(user=user)
