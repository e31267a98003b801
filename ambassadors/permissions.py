"""Role checks, next to the roles: who is an admin, a community manager, an
ambassador; and the DRF permission classes built on them.

Object checks (whose case, whose reply) stay with the app that owns the object
(``engagement.services.access``).
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .models import Role
from .selectors import user_role

AnyUser = User | AnonymousUser

MANAGING_ROLES = (Role.ADMIN, Role.MANAGER)


def is_admin(user: AnyUser) -> bool:
    return user_role(user) == Role.ADMIN


def is_manager(user: AnyUser) -> bool:
    """Admins and community managers: the roles that triage, approve, read offers."""
    return user_role(user) in MANAGING_ROLES


def is_ambassador(user: AnyUser) -> bool:
    return user_role(user) == Role.AMBASSADOR


class AdminManagesManagerReads(BasePermission):
    """Reads for admins and community managers; writes for admins only."""

    message = "Only admins manage offers; community managers may read them."

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return is_manager(request.user)
        return is_admin(request.user)


class IsAdmin(BasePermission):
    message = "Only admins may do this."

    def has_permission(self, request, view) -> bool:
        return is_admin(request.user)
