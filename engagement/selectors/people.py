"""Reads about the people working cases: their profile, their API token."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from rest_framework.authtoken.models import Token

from ambassadors.models import Profile


def user_profile(user: AbstractBaseUser) -> Profile | None:
    if not user.is_authenticated:
        return None
    try:
        return user.profile
    except Profile.DoesNotExist:
        return None


def api_token_of(*, user: AbstractBaseUser) -> Token | None:
    return Token.objects.filter(user=user).first()
