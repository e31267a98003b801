"""The shops: who may redeem coupon codes, checked on the server.

A shop integration user (member of the ``shop`` group, with an API token) redeems and
validates codes, and nothing else. The role checks (admins manage campaigns and
surveys, community managers read them) are ``ambassadors.permissions``; ambassadors
issue codes and survey links only through the composer's services.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.permissions import BasePermission

from ambassadors.permissions import is_admin

SHOP_GROUP = "shop"


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


class IsShopOrAdmin(BasePermission):
    message = "Only shop integrations (the 'shop' group) may redeem codes."

    def has_permission(self, request, view) -> bool:
        # The shop first: it is the hot path (one query per redemption).
        return is_shop(request.user) or is_admin(request.user)
