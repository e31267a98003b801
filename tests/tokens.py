"""API tokens for tests: hashed, with the scopes the user's role allows (what the
``create_api_token`` command makes)."""

from __future__ import annotations

from integrations.tokens import role_token_create, scopes_allowed


def api_token_create(*, user, name: str = "test") -> str:
    if not scopes_allowed(user):
        # No command makes a token for a user without a role; such a user can
        # still hold a token from before scopes (hashed on first use, with no
        # scope): what the permission matrices call "nobody".
        from rest_framework.authtoken.models import Token

        return Token.objects.create(user=user).key
    return role_token_create(user=user, name=name)[1]
