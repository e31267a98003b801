"""The shops: who may redeem coupon codes, checked on the server.

A shop integration user (member of the ``shop`` group, with an API token) redeems and
validates codes, and nothing else. The role checks (admins manage campaigns and
surveys, community managers read them) are ``ambassadors.permissions``; ambassadors
issue codes and survey links only through the composer's services.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from rest_framework.permissions import BasePermission

from ambassadors.permissions import is_admin

SHOP_GROUP = "shop"


def is_shop(user: User | AnonymousUser) -> bool:
    # Set by the token authentication (integrations), which learns it in the same
    # query as the token: the redeem endpoint is the shops' hot path.
    known = getattr(user, "_offers_is_shop", None)
    if known is not None:
        return known
    return bool(user.is_authenticated and user.groups.filter(name=SHOP_GROUP).exists())


class IsShopOrAdmin(BasePermission):
    message = "Only shop integrations (the 'shop' group) may redeem codes."

    def has_permission(self, request, view) -> bool:
        # The shop first: it is the hot path (one query per redemption).
        return is_shop(request.user) or is_admin(request.user)
