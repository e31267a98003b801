"""Reads about the people working cases: their profile, who a note may @mention."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User

from ambassadors.models import Profile, Role


def user_profile(user: User) -> Profile | None:
    if not user.is_authenticated:
        return None
    try:
        return user.profile
    except Profile.DoesNotExist:
        return None


# People an internal note may @mention: colleagues with a role, by name prefix.
MENTION_SUGGESTIONS = 8


def people_suggest(*, prefix: str) -> list[str]:
    prefix = (prefix or "").strip().lstrip("@")[:150]
    if not prefix:
        return []
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            username__istartswith=prefix,
            profile__role__in=[Role.AMBASSADOR, Role.MANAGER, Role.ADMIN],
        )
        .order_by("username")
        .values_list("username", flat=True)[:MENTION_SUGGESTIONS]
    )
