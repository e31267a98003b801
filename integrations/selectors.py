"""Reads of integrations: an owner's endpoints and their delivery logs."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import QuerySet

from ambassadors.models import Role
from ambassadors.selectors import user_role

from .models import WebhookDelivery, WebhookEndpoint

DELIVERY_LOG_SIZE = 100


def may_manage_webhooks(user: User) -> bool:
    return user_role(user) == Role.ADMIN


def endpoints_for(*, user: User) -> QuerySet[WebhookEndpoint]:
    """Admins manage every endpoint (an admin's endpoint outlives their session);
    nobody else sees any."""
    if not may_manage_webhooks(user):
        return WebhookEndpoint.objects.none()
    return WebhookEndpoint.objects.select_related("owner").order_by("id")


def endpoint_get(*, user: User, endpoint_id: int) -> WebhookEndpoint | None:
    return endpoints_for(user=user).filter(pk=endpoint_id).first()


def deliveries_of(*, endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    return (
        WebhookDelivery.objects.filter(endpoint=endpoint)
        .select_related("event")
        .order_by("-id")
    )


def delivery_get(*, user: User, delivery_id: int) -> WebhookDelivery | None:
    if not may_manage_webhooks(user):
        return None
    return (
        WebhookDelivery.objects.select_related("endpoint", "event")
        .filter(pk=delivery_id)
        .first()
    )
