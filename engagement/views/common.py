"""What every dashboard view shares: the role gate, error handling, redirects."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

from ambassadors.models import Role
from ambassadors.permissions import is_manager
from ambassadors.selectors import user_role
from common.errors import NOT_FOUND, DomainError

DASHBOARD_ROLES = (Role.ADMIN, Role.MANAGER, Role.AMBASSADOR)


def dashboard_view(view: Callable) -> Callable:
    """Signed in, with a role that works cases (403 otherwise); a 404 refusal from a
    service or selector becomes a 404 (outside one's reach nothing exists)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if user_role(request.user) not in DASHBOARD_ROLES:
            raise PermissionDenied
        try:
            return view(request, *args, **kwargs)
        except DomainError as exc:
            if exc.status != NOT_FOUND:
                raise
            raise Http404(exc.message) from None

    return wrapper


def manager_view(view: Callable) -> Callable:
    """Community managers and admins only (403 for ambassadors)."""

    @dashboard_view
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_manager(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def safe_next(request: HttpRequest, default: str) -> str:
    """The ``next`` field when it points into this site, else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(default)


def report_error(request: HttpRequest, exc: DomainError) -> None:
    """Show a refused action's reason on the next page."""
    if exc.status == NOT_FOUND:
        raise Http404(exc.message)
    messages.error(request, exc.message)


def back(request: HttpRequest, default: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(safe_next(request, default))


def int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
