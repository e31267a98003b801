"""A user's own REST API token: create, rotate, revoke."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ambassadors.services import api_token_create, api_token_revoke

from ..selectors import api_token_of
from .common import dashboard_view

# The new key is shown once, on the page after it was made.
SESSION_KEY = "dashboard:new-api-token"


@require_http_methods(["GET", "POST"])
@dashboard_view
def api_token(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action in ("create", "rotate"):
            key = api_token_create(user=request.user, rotate=action == "rotate")
            request.session[SESSION_KEY] = key
            messages.success(
                request,
                _("Your new token is below. Copy it now: it is shown only once."),
            )
        elif action == "revoke":
            if api_token_revoke(user=request.user):
                messages.success(
                    request, _("Token revoked: it no longer opens the API.")
                )
        return redirect(reverse("engagement:api_token"))
    token = api_token_of(user=request.user)
    new_key = request.session.pop(SESSION_KEY, "")
    return render(
        request,
        "engagement/api_token.html",
        {
            "token": token,
            "new_key": new_key if token is not None and token.key == new_key else "",
            "api_root": request.build_absolute_uri("/api/v1/"),
        },
    )
