"""The REST API's token authentication: hashed, scoped, expiring tokens."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from common.scopes import check_scope

from . import tokens

KEYWORDS = (b"token", b"bearer")


class ScopedTokenAuthentication(BaseAuthentication):
    """``Authorization: Token <key>`` (or ``Bearer``). Unknown, revoked and expired
    keys get 401; a key without the scope the endpoint declares gets 403."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Invalid token header.")
        try:
            key = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed("Invalid token header.") from None
        token, in_shop = tokens.token_find(key)
        if token is None:
            token = tokens.legacy_token_upgrade(key)
            if token is not None:
                in_shop = tokens.is_shop_user(token.user)
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
        now = timezone.now()
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed("This token was revoked.")
        if token.is_expired(now):
            raise exceptions.AuthenticationFailed("This token has expired.")
        user = token.user
        if not user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        view = (getattr(request, "parser_context", None) or {}).get("view")
        check_scope(scopes=token.scopes, view=view, method=request.method)
        tokens.token_touch(token, now)
        # coupons.permissions.is_shop reads this instead of asking again (the
        # redeem endpoint is the shops' hot path).
        user._offers_is_shop = in_shop
        return (user, token)

    def authenticate_header(self, request) -> str:
        return "Token"
