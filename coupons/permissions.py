"""Who may do what with offers (coupons and surveys), checked on the server.

* admins manage campaigns and surveys;
* community managers read them (figures, codes, responses);
* a shop integration user (member of the ``shop`` group, with an API token) redeems
  and validates codes, and nothing else;
* ambassadors issue codes and survey links only through the composer's services.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.permissions import SAFE_METHODS, BasePermission

from ambassadors.models import Role
from ambassadors.selectors import user_role

SHOP_GROUP = "shop"


def is_admin(user: AbstractBaseUser | AnonymousUser) -> bool:
    return user_role(user) == Role.ADMIN


def can_view_offers(user: AbstractBaseUser | AnonymousUser) -> bool:
    return user_role(user) in (Role.ADMIN, Role.MANAGER)


def is_shop(user: AbstractBaseUser | AnonymousUser) -> bool:
    known = getattr(user, "_offers_is_shop", None)  # set by ShopTokenAuthentication
    if known is not None:
        return known
    return bool(user.is_authenticated and user.groups.filter(name=SHOP_GROUP).exists())


class ShopTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, learning in the same query whether the user is
    a shop. The redeem endpoint is the shops' hot path: one plain SQL statement
    (no ORM query building) answers both questions."""

    def authenticate_credentials(self, key):
        token_model = self.get_model()
        user_model = get_user_model()
        memberships = user_model.groups.through
        sql = (
            "SELECT u.*, EXISTS (SELECT 1 FROM {groups} g JOIN {memberships} m"
            " ON m.{m_group} = g.id WHERE g.name = %s AND m.{m_user} = u.id)"
            " AS in_shop FROM {users} u JOIN {tokens} t ON t.{t_user} = u.id"
            " WHERE t.{t_key} = %s"
        ).format(
            groups=Group._meta.db_table,
            memberships=memberships._meta.db_table,
            m_group=memberships._meta.get_field("group").column,
            m_user=memberships._meta.get_field("user").column,
            users=user_model._meta.db_table,
            tokens=token_model._meta.db_table,
            t_user=token_model._meta.get_field("user").column,
            t_key=token_model._meta.get_field("key").column,
        )
        found = list(user_model.objects.raw(sql, [SHOP_GROUP, key]))
        if not found:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        user = found[0]
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        user._offers_is_shop = bool(user.in_shop)
        return (user, token_model(key=key, user=user))


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
