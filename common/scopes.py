"""API token scopes: what each endpoint needs, and the check every API applies.

Each API view declares ``required_scope``: one scope for all its methods, or a dict
by HTTP method (``{"GET": CASES_READ, "POST": CASES_WRITE}``); ``NO_SCOPE`` for the
few endpoints any token of the user may call (their own notifications and tokens).
A token request to a view that declares nothing is refused (fail closed). Browser
sessions are not scoped: their role decides, as before.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import PermissionDenied

MENTIONS_READ = "mentions:read"
CASES_READ = "cases:read"
CASES_WRITE = "cases:write"
COUPONS_REDEEM = "coupons:redeem"
COUPONS_MANAGE = "coupons:manage"
SURVEYS_READ = "surveys:read"
SURVEYS_MANAGE = "surveys:manage"
REPORTS_READ = "reports:read"
WEBHOOKS_MANAGE = "webhooks:manage"
LISTENING_READ = "listening:read"
LISTENING_MANAGE = "listening:manage"
POSTS_READ = "posts:read"
POSTS_WRITE = "posts:write"
NO_SCOPE = ""

SCOPES = {
    MENTIONS_READ: _("Read mentions"),
    CASES_READ: _("Read cases and replies"),
    CASES_WRITE: _("Work cases: assign, change status, reply, approve"),
    COUPONS_REDEEM: _("Validate and redeem coupon codes (shops)"),
    COUPONS_MANAGE: _("Campaigns and codes"),
    SURVEYS_READ: _("Read surveys and their responses"),
    SURVEYS_MANAGE: _("Create and change surveys and their links"),
    REPORTS_READ: _("Read the team and revenue reports"),
    WEBHOOKS_MANAGE: _("Manage webhook endpoints"),
    LISTENING_READ: _("Read the listening room's figures"),
    LISTENING_MANAGE: _("Manage the listening room's alert rules"),
    POSTS_READ: _("Read the brand's posts and their metrics"),
    POSTS_WRITE: _("Compose, approve and cancel the brand's posts"),
}

# What a role's tokens may hold (a token never holds more than its user's role
# allows; the endpoints' own role checks still apply on top).
ROLE_SCOPES = {
    "admin": tuple(SCOPES),
    "manager": (
        MENTIONS_READ,
        CASES_READ,
        CASES_WRITE,
        COUPONS_MANAGE,
        SURVEYS_READ,
        SURVEYS_MANAGE,
        REPORTS_READ,
        LISTENING_READ,
        LISTENING_MANAGE,
        POSTS_READ,
        POSTS_WRITE,
    ),
    "ambassador": (
        MENTIONS_READ,
        CASES_READ,
        CASES_WRITE,
        LISTENING_READ,
        POSTS_READ,
        POSTS_WRITE,
    ),
    # A shop's token redeems codes and nothing else.
    "shop": (COUPONS_REDEEM,),
}


def scopes_for_role(role: str | None, *, is_shop: bool = False) -> list[str]:
    if is_shop:
        return list(ROLE_SCOPES["shop"])
    return list(ROLE_SCOPES.get(role or "", ()))


def required_scope(view: object, method: str) -> str | None:
    """The scope ``view`` declares for ``method``; None when it declares none."""
    declared = getattr(view, "required_scope", None)
    if isinstance(declared, dict):
        method = "GET" if method in ("HEAD", "OPTIONS") else method
        return declared.get(method)
    return declared


def check_scope(*, scopes: list[str], view: object, method: str) -> None:
    """PermissionDenied (403) unless a token with ``scopes`` may call the view."""
    need = required_scope(view, method)
    if need is None:
        raise PermissionDenied(
            "This endpoint declares no token scope; use a browser session."
        )
    if need and need not in scopes:
        raise PermissionDenied(f"This token lacks the scope {need}.")
