"""Reads about the people working cases: their profile, their API token."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token

from ambassadors.models import Profile, Role


def user_profile(user: User) -> Profile | None:
    if not user.is_authenticated:
        return None
    try:
        return user.profile
    except Profile.DoesNotExist:
        return None


def api_token_of(*, user: User) -> Token | None:
    return Token.objects.filter(user=user).first()


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
