"""Who may open the program's pages (checked on the server, per request)."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from ..models import Role
from ..selectors import user_role

MANAGING = (Role.MANAGER, Role.ADMIN)


def role_required(*roles: str):
    """The view for signed-in users of ``roles`` (403 for the others)."""

    def decorate(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if user_role(request.user) not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


managers_only = role_required(*MANAGING)
admins_only = role_required(Role.ADMIN)
staff_only = role_required(Role.AMBASSADOR, *MANAGING)
