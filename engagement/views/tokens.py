"""The old "my API token" page: tokens are now made, shown once and revoked on the
integrations token page (hashed, scoped); this address sends people there."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from .common import dashboard_view


@dashboard_view
def api_token(request: HttpRequest) -> HttpResponse:
    return redirect("integrations:tokens", permanent=True)
