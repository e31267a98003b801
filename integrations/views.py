"""Webhook pages for admins: endpoints, their delivery log, test event, replay."""

from __future__ import annotations

import datetime as dt
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ambassadors.selectors import user_role

from . import selectors, services, tokens
from .forms import EndpointForm, TokenForm

LOG_PAGE = 50


def admin_page(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not selectors.may_manage_webhooks(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _endpoint(request: HttpRequest, endpoint_id: int):
    endpoint = selectors.endpoint_get(user=request.user, endpoint_id=endpoint_id)
    if endpoint is None:
        raise Http404
    return endpoint


@admin_page
def webhooks(request: HttpRequest) -> HttpResponse:
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = services.endpoint_create(owner=request.user, **form.cleaned_data)
        except services.WebhookError as exc:
            form.add_error("url", exc.message)
        else:
            messages.success(request, _("Endpoint registered."))
            return redirect("integrations:webhook", endpoint.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "integrations/webhooks.html",
        {"endpoints": selectors.endpoints_for(user=request.user), "form": form},
        status=status,
    )


@admin_page
def webhook(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    endpoint = _endpoint(request, endpoint_id)
    initial = {
        "url": endpoint.url,
        "events": endpoint.events,
        "active": endpoint.active,
    }
    form = EndpointForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.endpoint_update(endpoint=endpoint, **form.cleaned_data)
        except services.WebhookError as exc:
            form.add_error("url", exc.message)
        else:
            messages.success(request, _("Endpoint saved."))
            return redirect("integrations:webhook", endpoint.pk)
    page = Paginator(selectors.deliveries_of(endpoint=endpoint), LOG_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "integrations/webhook.html",
        {"endpoint": endpoint, "form": form, "page": page},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@admin_page
def webhook_test(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    services.endpoint_send_test(endpoint=_endpoint(request, endpoint_id))
    messages.success(request, _("Test event sent: it shows in the log below."))
    return redirect("integrations:webhook", endpoint_id)


@require_POST
@admin_page
def webhook_delete(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    services.endpoint_delete(endpoint=_endpoint(request, endpoint_id))
    messages.success(request, _("Endpoint deleted."))
    return redirect("integrations:webhooks")


@require_POST
@admin_page
def delivery_replay(request: HttpRequest, delivery_id: int) -> HttpResponse:
    delivery = selectors.delivery_get(user=request.user, delivery_id=delivery_id)
    if delivery is None:
        raise Http404
    services.delivery_replay(delivery=delivery)
    messages.success(request, _("Delivery replayed with the same event id."))
    return redirect("integrations:webhook", delivery.endpoint_id)


# --- API tokens (every user with a role, for themselves) -----------------------------

NEW_KEY_SESSION = "integrations:new-token"


def _token_page(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if user_role(request.user) is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@_token_page
def api_tokens(request: HttpRequest) -> HttpResponse:
    allowed = tokens.scopes_allowed(request.user)
    form = TokenForm(request.POST or None, allowed=allowed)
    if request.method == "POST" and form.is_valid():
        day = form.cleaned_data["expires_on"]
        expires = (
            timezone.make_aware(dt.datetime.combine(day, dt.time.max)) if day else None
        )
        try:
            _token, key = tokens.token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                expires_at=expires,
            )
        except tokens.TokenError as exc:
            form.add_error(None, exc.message)
        else:
            request.session[NEW_KEY_SESSION] = key
            messages.success(
                request,
                _("Your new token is below. Copy it now: it is shown only once."),
            )
            return redirect("integrations:tokens")
    return render(
        request,
        "integrations/tokens.html",
        {
            "tokens": tokens.tokens_of(user=request.user),
            "form": form,
            "new_key": request.session.pop(NEW_KEY_SESSION, ""),
            "api_root": request.build_absolute_uri("/api/v1/"),
            "now": timezone.now(),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@_token_page
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    if not tokens.token_revoke(user=request.user, token_id=token_id):
        raise Http404
    messages.success(request, _("Token revoked: it no longer opens the API."))
    return redirect("integrations:tokens")
