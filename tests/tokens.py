"""API tokens for tests: hashed, with the scopes the user's role allows (what the
``create_api_token`` command makes)."""

from __future__ import annotations

from integrations.tokens import role_token_create


def api_token_create(*, user, name: str = "test") -> str:
    return role_token_create(user=user, name=name)[1]
