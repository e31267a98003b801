"""Webhook pages for admins: endpoints, their delivery log, test event, replay."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import EndpointForm

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
