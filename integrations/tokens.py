"""API tokens: made, stored hashed, checked, revoked."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from ambassadors.selectors import user_role
from common.scopes import SCOPES, scopes_for_role

from .models import ApiToken

KEY_PREFIX = "dst_"
SHOP_GROUP = "shop"  # coupons.permissions.SHOP_GROUP: the shops' integration users
# last_used_at is written at most this often per token: the shops' redeem path
# must not write a row per request.
LAST_USED_RESOLUTION = dt.timedelta(seconds=60)


class TokenError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def is_shop_user(user: User) -> bool:
    return user.groups.filter(name=SHOP_GROUP).exists()


def scopes_allowed(user: User) -> list[str]:
    return scopes_for_role(user_role(user), is_shop=is_shop_user(user))


@transaction.atomic
def token_create(
    *,
    user: User,
    name: str,
    scopes: list[str],
    expires_at: dt.datetime | None = None,
    within: list[str] | None = None,
) -> tuple[ApiToken, str]:
    """A new token and its key (the key is never stored). ``within``: the scopes
    of the token asking, when a token makes a token (it cannot give more)."""
    name = (name or "").strip()[:100]
    if not name:
        raise TokenError("name_required", _("Give the token a name."))
    scopes = sorted(set(scopes))
    unknown = [s for s in scopes if s not in SCOPES]
    allowed = set(scopes_allowed(user))
    if within is not None:
        allowed &= set(within)
    if not scopes or unknown or not set(scopes) <= allowed:
        raise TokenError(
            "invalid_scopes",
            _("Choose scopes your role allows: %(scopes)s")
            % {"scopes": ", ".join(sorted(allowed)) or "–"},
        )
    if expires_at is not None and expires_at <= timezone.now():
        raise TokenError("invalid_expiry", _("The expiry date is in the past."))
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=key[: len(KEY_PREFIX) + 6],
        key_hash=key_hash(key),
        scopes=scopes,
        expires_at=expires_at,
    )
    return token, key


@transaction.atomic
def role_token_create(
    *,
    user: User,
    name: str,
    expires_at: dt.datetime | None = None,
    rotate: bool = False,
) -> tuple[ApiToken, str]:
    """A token with every scope the user's role allows (what a token meant before
    scopes: the management commands and the seeded demo make these). ``rotate``:
    the user's live tokens of the same name are revoked first."""
    if not user.is_active:
        raise TokenError("inactive_user", _("This user is inactive."))
    scopes = scopes_allowed(user)
    if not scopes:
        raise TokenError(
            "no_scopes", _("This user's role allows no API scope: give it a role.")
        )
    if rotate:
        role_token_revoke_named(user=user, name=name)
    return token_create(user=user, name=name, scopes=scopes, expires_at=expires_at)


@transaction.atomic
def role_token_revoke_named(*, user: User, name: str) -> int:
    """Revoke the user's live tokens called ``name`` (a rotation)."""
    return ApiToken.objects.filter(
        user=user, name=(name or "").strip()[:100], revoked_at__isnull=True
    ).update(revoked_at=timezone.now())


@transaction.atomic
def shop_user_create(*, username: str, name: str = "shop") -> tuple[User, str]:
    """A shop's integration account (coupons.services.shop_account_create: the
    ``shop`` group, no password) and a new token holding only ``coupons:redeem``.
    The key is returned once and never stored: a second call makes a second
    token (revoke the first on the token page or with ``revoke_api_tokens``)."""
    from coupons.services import shop_account_create

    user = shop_account_create(username=username)
    _token, key = token_create(user=user, name=name, scopes=["coupons:redeem"])
    return user, key


@transaction.atomic
def tokens_revoke_all(*, user: User) -> int:
    """Revoke every live token of the user; how many were live."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


@transaction.atomic
def token_revoke(*, user: User, token_id: int) -> bool:
    """Revoke one of the user's own tokens; False when there is no such token."""
    return bool(
        ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )


def tokens_of(*, user: User):
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def token_find(key: str) -> tuple[ApiToken | None, bool]:
    """The token of ``key`` with its user joined, and whether the user is a shop
    (one query)."""

    shop = Group.objects.filter(name=SHOP_GROUP, user=OuterRef("user_id"))
    token = (
        ApiToken.objects.select_related("user", "user__profile")
        .annotate(in_shop=Exists(shop))
        .filter(key_hash=key_hash(key))
        .first()
    )
    return token, bool(token and token.in_shop)


@transaction.atomic
def legacy_token_upgrade(key: str) -> ApiToken | None:
    """A key of DRF's clear-text token table (made before scoped tokens, or by an
    older command): from now on stored hashed, with the scopes its user's role
    allows; the clear row is deleted."""

    legacy = (
        Token.objects.select_for_update().select_related("user").filter(key=key).first()
    )
    if legacy is None:
        return None
    token = ApiToken.objects.create(
        user=legacy.user,
        name=_("Token made before scopes"),
        prefix=key[:6],
        key_hash=key_hash(key),
        scopes=scopes_allowed(legacy.user),
        created_at=legacy.created,
    )
    legacy.delete()
    return token


def token_touch(token: ApiToken, now: dt.datetime) -> None:
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
