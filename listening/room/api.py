"""The listening room for integrations (BI tools): every panel, spikes, alert rules.

Token-authenticated like the rest of /api/v1/; filters as on the page; every panel
also as CSV or XLSX (``?format=csv|xlsx``). Managers and admins see the whole room,
an ambassador their team's brands, anyone else (a shop's token) nothing: 403.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import error_responses, list_of
from common.errors import DomainError
from common.exports import csv_response, xlsx_response
from common.scopes import LISTENING_MANAGE, LISTENING_READ
from listening.models import AlertRule, Spike
from listening.services.alerts import alert_rule_create

from . import selectors
from .filters import FilterError, parse_filter, scope_for
from .panels import PANELS

ERRORS = error_responses(400, 401, 403)
FILTER_PARAMETERS = [
    OpenApiParameter("range", str, enum=["1h", "24h", "7d", "30d", "90d", "custom"]),
    OpenApiParameter("start", OpenApiTypes.DATETIME),
    OpenApiParameter("end", OpenApiTypes.DATETIME),
    OpenApiParameter("interval", str, enum=["minute", "hour", "day"]),
    OpenApiParameter("group_by", str, enum=["platform", "brand", "sentiment"]),
    OpenApiParameter("brand", str, description="brand slug"),
    OpenApiParameter("product", str, description="product-line slug"),
    OpenApiParameter("platform", str, enum=["weibo", "twitter", "renren"]),
    OpenApiParameter("language", str),
    OpenApiParameter("sentiment", str, enum=["positive", "neutral", "negative"]),
    OpenApiParameter("intent", str),
    OpenApiParameter("source", int),
    OpenApiParameter("format", str, enum=["json", "csv", "xlsx"]),
]


class InRoom(BasePermission):
    message = "Only community managers, admins and ambassadors see the room."

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        request.room_scope = scope_for(request.user)
        return request.room_scope.allowed


def _filter(request):
    try:
        return parse_filter(request.query_params, scope=request.room_scope)
    except FilterError as error:
        raise DomainError("invalid", f"{error.field}: {error.message}") from error


class _PanelView(APIView):
    permission_classes = [InRoom]
    panel = ""

    def perform_content_negotiation(self, request, force=False):
        # ?format=csv|xlsx is this view's own export switch, not DRF's renderer
        # override: negotiate JSON, answer the export by hand.
        return super().perform_content_negotiation(request, force=True)

    def get(self, request):
        fmt = request.query_params.get("format", "json")
        if fmt not in ("json", "csv", "xlsx"):
            raise DomainError("invalid", "format: json, csv or xlsx")
        room_filter = _filter(request)
        spec = PANELS[self.panel]
        data = spec.compute(room_filter)
        if fmt != "json":
            rows = [spec.header, *spec.table(data)]
            filename = f"listening-{self.panel}.{fmt}"
            if fmt == "xlsx":
                return xlsx_response(rows, filename, sheet=self.panel)
            return csv_response(rows, filename)
        return Response(data)


def _panel_view(name: str):
    view = type(f"{name.title().replace('-', '')}Panel", (_PanelView,), {"panel": name})
    return extend_schema_view(
        get=extend_schema(
            tags=["listening"],
            operation_id=f"listening_{name.replace('-', '_')}",
            parameters=FILTER_PARAMETERS,
            responses={200: OpenApiTypes.OBJECT, **ERRORS},
            summary=f"The room's {name} panel (JSON, CSV or XLSX)",
        )
    )(view)


class SpikeSerializer(serializers.ModelSerializer):
    brand = serializers.CharField(source="subject")
    keywords = serializers.SerializerMethodField()
    sentiment_shift = serializers.FloatField()

    class Meta:
        model = Spike
        fields = [
            "id",
            "kind",
            "brand",
            "started_at",
            "peak_at",
            "ended_at",
            "volume",
            "baseline",
            "score",
            "keywords",
            "sentiment_shift",
            "explanation",
        ]

    def get_keywords(self, obj: Spike) -> list[str]:
        return [k["keyword"] for k in obj.explanation.get("keywords", [])]


@extend_schema(
    tags=["listening"],
    parameters=[OpenApiParameter("since", OpenApiTypes.DATETIME)],
    responses={
        200: list_of("SpikeList", SpikeSerializer),
        **ERRORS,
    },
)
class SpikeList(APIView):
    permission_classes = [InRoom]

    def get(self, request):
        since_s = request.query_params.get("since", "")
        since = timezone.now() - dt.timedelta(days=7)
        if since_s:
            try:
                since = dt.datetime.fromisoformat(since_s.replace("Z", "+00:00"))
            except ValueError as error:
                raise DomainError("invalid", "since: not a date and time") from error
            if since.tzinfo is None:
                since = timezone.make_aware(since)
        scope = request.room_scope
        spikes = selectors.spikes_since(
            since, subjects=None if scope.everything else scope.subjects
        )[:200]
        return Response({"results": SpikeSerializer(spikes, many=True).data})


class AlertRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = AlertRule
        fields = [
            "id",
            "name",
            "kind",
            "subject",
            "threshold",
            "window_minutes",
            "user_ids",
            "team_ids",
            "email",
            "enabled",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]


class ManagesRules(InRoom):
    message = "Only community managers and admins make alert rules."

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and (
            request.method == "GET" or request.room_scope.everything
        )


@extend_schema(
    tags=["listening"],
    responses={
        200: list_of("AlertRuleList", AlertRuleSerializer),
        **ERRORS,
    },
)
class AlertRuleList(APIView):
    permission_classes = [ManagesRules]

    def get(self, request):
        rules = selectors.alert_rules_for(scope=request.room_scope)
        return Response({"results": AlertRuleSerializer(rules, many=True).data})

    @extend_schema(
        request=AlertRuleSerializer,
        responses={201: AlertRuleSerializer, **ERRORS},
    )
    def post(self, request):
        serializer = AlertRuleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            rule = alert_rule_create(user=request.user, **serializer.validated_data)
        except ValidationError as error:
            raise DomainError(
                "invalid", "The alert rule is not valid.", details=error.message_dict
            ) from error
        return Response(AlertRuleSerializer(rule).data, status=status.HTTP_201_CREATED)


api_urlpatterns = [
    path(
        f"listening/{name}/", _panel_view(name).as_view(), name=f"api-listening-{name}"
    )
    for name in PANELS
] + [
    path("listening/spikes/", SpikeList.as_view(), name="api-listening-spikes"),
    path(
        "listening/alert-rules/",
        AlertRuleList.as_view(),
        name="api-listening-alert-rules",
    ),
]


# Token scopes (common.scopes): the room's figures are read with listening:read;
# alert rules are written with listening:manage.
_PanelView.required_scope = LISTENING_READ
SpikeList.required_scope = LISTENING_READ
AlertRuleList.required_scope = {"GET": LISTENING_READ, "POST": LISTENING_MANAGE}
