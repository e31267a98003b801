"""The main nav's facts for every page: the viewer's role and the desk's counts.

Counts are lazy: a page that does not render the nav (the public survey page, the
API) runs no query for them.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from ambassadors.models import Role
from ambassadors.selectors import user_role

from .models import Reply, ReplyStatus


def _pending_approvals() -> int:
    return Reply.objects.filter(status=ReplyStatus.PENDING_APPROVAL).count()


def main_nav(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    role = user_role(user) if user is not None else None
    return {
        "nav": {
            "role": role,
            "works_cases": role in (Role.ADMIN, Role.MANAGER, Role.AMBASSADOR),
            "manages": role in (Role.ADMIN, Role.MANAGER),
            "is_admin": role == Role.ADMIN,
            "is_staff": bool(user is not None and getattr(user, "is_staff", False)),
            # Only managers see the approvals link, so only they pay for its count.
            "pending_approvals": SimpleLazyObject(_pending_approvals),
        }
    }
