"""Who may do what with offers (coupons and surveys), checked on the server.

* admins manage campaigns and surveys;
* community managers read them (figures, codes, responses);
* a shop integration user (member of the ``shop`` group, with an API token) redeems
  and validates codes, and nothing else;
* ambassadors issue codes and survey links only through the composer's services.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from rest_framework.permissions import SAFE_METHODS, BasePermission

from ambassadors.models import Role
from ambassadors.selectors import user_role

SHOP_GROUP = "shop"


def is_admin(user: AbstractBaseUser | AnonymousUser) -> bool:
    return user_role(user) == Role.ADMIN


def can_view_offers(user: AbstractBaseUser | AnonymousUser) -> bool:
    return user_role(user) in (Role.ADMIN, Role.MANAGER)


def is_shop(user: AbstractBaseUser | AnonymousUser) -> bool:
    # Set by the token authentication (integrations), which learns it in the same
    # query as the token: the redeem endpoint is the shops' hot path.
    known = getattr(user, "_offers_is_shop", None)
    if known is not None:
        return known
    return bool(user.is_authenticated and user.groups.filter(name=SHOP_GROUP).exists())


class AdminManagesManagerReads(BasePermission):
    """Reads for admins and community managers; writes for admins only."""

    message = "Only admins manage offers; community managers may read them."

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return can_view_offers(request.user)
        return is_admin(request.user)


class IsAdmin(BasePermission):
    message = "Only admins may do this."

    def has_permission(self, request, view) -> bool:
        return is_admin(request.user)


class IsShopOrAdmin(BasePermission):
    message = "Only shop integrations (the 'shop' group) may redeem codes."

    def has_permission(self, request, view) -> bool:
        # The shop first: it is the hot path (one query per redemption).
        return is_shop(request.user) or is_admin(request.user)
