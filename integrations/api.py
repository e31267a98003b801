"""Webhook endpoints through the API (admins; scope ``webhooks:manage``)."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import ErrorSerializer, page_of
from common.errors import DomainError

from . import selectors, services
from .api_tokens import api_urlpatterns as token_urlpatterns
from .events import EVENTS
from .models import WebhookDelivery, WebhookEndpoint


class IsWebhookAdmin(BasePermission):
    message = "Only admins manage webhooks."

    def has_permission(self, request, view) -> bool:
        return selectors.may_manage_webhooks(request.user)


class EndpointSerializer(serializers.ModelSerializer):
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=sorted(EVENTS)), allow_empty=False
    )
    secret = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=128
    )
    active = serializers.BooleanField(default=True)

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "url",
            "events",
            "secret",
            "active",
            "disabled_at",
            "consecutive_failures",
            "created_at",
        ]
        read_only_fields = ["id", "disabled_at", "consecutive_failures", "created_at"]


class EndpointCreatedSerializer(EndpointSerializer):
    """The answer to a creation: the secret, once."""

    secret = serializers.CharField(read_only=True)


class DeliverySerializer(serializers.ModelSerializer):
    event_id = serializers.UUIDField(source="event.id")
    event = serializers.CharField(source="event.event")

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event_id",
            "event",
            "status",
            "attempts",
            "response_status",
            "latency_ms",
            "response_excerpt",
            "error",
            "created_at",
            "delivered_at",
            "next_attempt_at",
            "replay_of",
        ]


def _service(call):
    try:
        return call()
    except services.WebhookError as exc:
        raise DomainError(exc.code, exc.message) from None


class _Base(APIView):
    permission_classes = [IsWebhookAdmin]
    required_scope = "webhooks:manage"

    def _endpoint(self, request: Request, endpoint_id: int) -> WebhookEndpoint:
        endpoint = selectors.endpoint_get(user=request.user, endpoint_id=endpoint_id)
        if endpoint is None:
            raise DomainError("not_found", "No such webhook endpoint.", 404)
        return endpoint


class EndpointListView(_Base):
    @extend_schema(
        summary="Webhook endpoints", responses={200: EndpointSerializer(many=True)}
    )
    def get(self, request: Request) -> Response:
        endpoints = selectors.endpoints_for(user=request.user)
        return Response(EndpointSerializer(endpoints, many=True).data)

    @extend_schema(
        summary="Register a webhook endpoint",
        request=EndpointSerializer,
        responses={
            201: EndpointCreatedSerializer,
            400: ErrorSerializer,
            403: ErrorSerializer,
        },
    )
    def post(self, request: Request) -> Response:
        body = EndpointSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        endpoint = _service(
            lambda: services.endpoint_create(owner=request.user, **body.validated_data)
        )
        return Response(EndpointCreatedSerializer(endpoint).data, status=201)


class EndpointDetailView(_Base):
    @extend_schema(
        summary="One webhook endpoint",
        responses={200: EndpointSerializer, 404: ErrorSerializer},
    )
    def get(self, request: Request, endpoint_id: int) -> Response:
        return Response(EndpointSerializer(self._endpoint(request, endpoint_id)).data)

    @extend_schema(
        summary="Change a webhook endpoint",
        request=EndpointSerializer,
        responses={200: EndpointSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
    )
    def put(self, request: Request, endpoint_id: int) -> Response:
        endpoint = self._endpoint(request, endpoint_id)
        body = EndpointSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        endpoint = _service(
            lambda: services.endpoint_update(endpoint=endpoint, **body.validated_data)
        )
        return Response(EndpointSerializer(endpoint).data)

    @extend_schema(
        summary="Delete a webhook endpoint", responses={204: None, 404: ErrorSerializer}
    )
    def delete(self, request: Request, endpoint_id: int) -> Response:
        services.endpoint_delete(endpoint=self._endpoint(request, endpoint_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class DeliveryListView(_Base):
    @extend_schema(
        summary="Delivery log of an endpoint",
        operation_id="v1_webhooks_deliveries_list",
        responses={
            200: page_of("DeliveryPage", DeliverySerializer, counted=True),
            404: ErrorSerializer,
        },
        parameters=[
            OpenApiParameter("limit", OpenApiTypes.INT),
            OpenApiParameter("offset", OpenApiTypes.INT),
        ],
    )
    def get(self, request: Request, endpoint_id: int) -> Response:
        endpoint = self._endpoint(request, endpoint_id)
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(
            selectors.deliveries_of(endpoint=endpoint), request, view=self
        )
        return paginator.get_paginated_response(
            DeliverySerializer(page, many=True).data
        )


class TestEventView(_Base):
    @extend_schema(
        summary="Send a test event",
        request=None,
        responses={202: DeliverySerializer, 404: ErrorSerializer},
    )
    def post(self, request: Request, endpoint_id: int) -> Response:
        delivery = services.endpoint_send_test(
            endpoint=self._endpoint(request, endpoint_id)
        )
        return Response(DeliverySerializer(delivery).data, status=202)


class ReplayView(_Base):
    @extend_schema(
        summary="Replay a past delivery (same event id)",
        request=None,
        responses={202: DeliverySerializer, 404: ErrorSerializer},
    )
    def post(self, request: Request, delivery_id: int) -> Response:
        delivery = selectors.delivery_get(user=request.user, delivery_id=delivery_id)
        if delivery is None:
            raise DomainError("not_found", "No such delivery.", 404)
        replay = services.delivery_replay(delivery=delivery)
        return Response(DeliverySerializer(replay).data, status=202)


api_urlpatterns = [
    path("webhooks/", EndpointListView.as_view(), name="api-webhooks"),
    path(
        "webhooks/<int:endpoint_id>/", EndpointDetailView.as_view(), name="api-webhook"
    ),
    path(
        "webhooks/<int:endpoint_id>/deliveries/",
        DeliveryListView.as_view(),
        name="api-webhook-deliveries",
    ),
    path(
        "webhooks/<int:endpoint_id>/test/",
        TestEventView.as_view(),
        name="api-webhook-test",
    ),
    path(
        "webhooks/deliveries/<int:delivery_id>/replay/",
        ReplayView.as_view(),
        name="api-webhook-replay",
    ),
]
api_urlpatterns += token_urlpatterns
