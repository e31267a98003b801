"""Who may open the program's pages (checked on the server, per request)."""

from __future__ import annotations

from common.permissions import allowed

from ..permissions import is_admin, is_manager
from ..selectors import user_role


def role_required(*roles: str):
    """The view for signed-in users of ``roles`` (403 for the others)."""
    return allowed(lambda user: user_role(user) in roles)


managers_only = allowed(is_manager)
admins_only = allowed(is_admin)
