"""Report figures for BI tools: the team and revenue tables as JSON."""

from __future__ import annotations

from dataclasses import asdict

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ambassadors.permissions import is_manager
from common.api import ErrorSerializer
from common.errors import DomainError

from .selectors import (
    REVENUE_DIMENSIONS,
    TEAM_DIMENSIONS,
    PeriodError,
    period_parse,
    revenue_rows,
    team_rows,
)


class IsManager(BasePermission):
    message = "Only community managers and admins read the reports."

    def has_permission(self, request, view) -> bool:
        return is_manager(request.user)


class TeamRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    cases_opened = serializers.IntegerField()
    cases_resolved = serializers.IntegerField()
    cases_reopened = serializers.IntegerField()
    first_response_median_s = serializers.FloatField(allow_null=True)
    first_response_p90_s = serializers.FloatField(allow_null=True)
    first_response_business_median_s = serializers.FloatField(allow_null=True)
    first_response_business_p90_s = serializers.FloatField(allow_null=True)
    resolution_median_s = serializers.FloatField(allow_null=True)
    resolution_p90_s = serializers.FloatField(allow_null=True)
    resolution_business_median_s = serializers.FloatField(allow_null=True)
    resolution_business_p90_s = serializers.FloatField(allow_null=True)
    sla_first_response_hit_rate = serializers.FloatField(allow_null=True)
    sla_first_response_breaches = serializers.IntegerField()
    sla_resolution_hit_rate = serializers.FloatField(allow_null=True)
    sla_resolution_breaches = serializers.IntegerField()
    replies_sent = serializers.IntegerField()
    approval_turnaround_median_s = serializers.FloatField(allow_null=True)
    approval_turnaround_p90_s = serializers.FloatField(allow_null=True)
    survey_responses = serializers.IntegerField()
    csat = serializers.IntegerField(allow_null=True)
    nps = serializers.IntegerField(allow_null=True)


class TeamReportSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    group_by = serializers.CharField()
    rows = TeamRowSerializer(many=True)
    total = TeamRowSerializer()


class RevenueRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    redemptions = serializers.IntegerField()
    order_value = serializers.DecimalField(max_digits=14, decimal_places=2)
    discount = serializers.DecimalField(max_digits=14, decimal_places=2)
    net_revenue = serializers.DecimalField(max_digits=14, decimal_places=2)
    codes_issued = serializers.IntegerField()
    codes_redeemed = serializers.IntegerField()
    conversion_rate = serializers.FloatField(allow_null=True)
    cost_per_redemption = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True
    )


class RevenueReportSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    group_by = serializers.CharField()
    rows = RevenueRowSerializer(many=True)
    total = RevenueRowSerializer()


def _params(dimensions: tuple[str, ...]) -> list[OpenApiParameter]:
    return [
        OpenApiParameter("start", str, description="First day, YYYY-MM-DD"),
        OpenApiParameter("end", str, description="Last day (included), YYYY-MM-DD"),
        OpenApiParameter("group_by", str, enum=list(dimensions)),
    ]


class _ReportView(APIView):
    permission_classes = [IsManager]
    required_scope = "reports:read"
    dimensions: tuple[str, ...] = ()

    def _request(self, request: Request):
        try:
            period = period_parse(
                request.query_params.get("start"), request.query_params.get("end")
            )
        except PeriodError as exc:
            raise DomainError("invalid_period", str(exc)) from None
        group_by = request.query_params.get("group_by") or self.dimensions[0]
        if group_by not in self.dimensions:
            raise DomainError(
                "invalid_group_by",
                f"group_by is one of {', '.join(self.dimensions)}.",
            )
        return period, group_by


class TeamReportView(_ReportView):
    dimensions = TEAM_DIMENSIONS

    @extend_schema(
        summary="Team performance",
        parameters=_params(TEAM_DIMENSIONS),
        responses={
            200: TeamReportSerializer,
            400: ErrorSerializer,
            403: ErrorSerializer,
        },
    )
    def get(self, request: Request) -> Response:
        period, group_by = self._request(request)
        rows, total = team_rows(period=period, group_by=group_by)
        body = {
            "start": period.first,
            "end": period.last,
            "group_by": group_by,
            "rows": [asdict(r) for r in rows],
            "total": asdict(total),
        }
        return Response(TeamReportSerializer(body).data)


class RevenueReportView(_ReportView):
    dimensions = REVENUE_DIMENSIONS

    @extend_schema(
        summary="Revenue from social",
        parameters=_params(REVENUE_DIMENSIONS),
        responses={
            200: RevenueReportSerializer,
            400: ErrorSerializer,
            403: ErrorSerializer,
        },
    )
    def get(self, request: Request) -> Response:
        period, group_by = self._request(request)
        rows, total = revenue_rows(period=period, group_by=group_by)
        body = {
            "start": period.first,
            "end": period.last,
            "group_by": group_by,
            "rows": [asdict(r) for r in rows],
            "total": asdict(total),
        }
        return Response(RevenueReportSerializer(body).data)


api_urlpatterns = [
    path("reports/team/", TeamReportView.as_view(), name="api-reports-team"),
    path("reports/revenue/", RevenueReportView.as_view(), name="api-reports-revenue"),
]
