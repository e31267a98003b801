"""Campaigns: create, list, read, change, and their figures."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from ambassadors.permissions import AdminManagesManagerReads
from common.api import error_responses
from common.errors import NOT_FOUND, DomainError
from common.scopes import COUPONS_MANAGE
from coupons.errors import ERRORS
from listening.models import Platform

from ..models import Campaign, DiscountType
from ..selectors import (
    campaign_list,
    campaign_stats,
)
from ..services import (
    CAMPAIGN_FIELDS,
    campaign_create,
    campaign_errors,
    campaign_update,
)


class CampaignSerializer(serializers.ModelSerializer):
    platforms = serializers.ListField(
        child=serializers.ChoiceField(choices=Platform.choices),
        allow_empty=True,
        required=False,
        help_text="Platforms the campaign is exclusive to; empty: every platform.",
    )
    shops = serializers.ListField(
        child=serializers.CharField(max_length=150),
        allow_empty=True,
        required=False,
        help_text="Usernames of the shop accounts that may redeem the codes; "
        "empty: none may.",
    )
    discount_type = serializers.ChoiceField(choices=DiscountType.choices)
    codes_total = serializers.IntegerField(read_only=True)
    codes_issued = serializers.IntegerField(read_only=True)
    redemptions_total = serializers.IntegerField(read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "name",
            "description",
            "platforms",
            "shops",
            "discount_type",
            "discount_value",
            "currency",
            "starts_at",
            "ends_at",
            "budget",
            "per_customer_limit",
            "min_order_amount",
            "status",
            "created_at",
            "codes_total",
            "codes_issued",
            "redemptions_total",
        ]
        read_only_fields = ["id", "created_at"]

    def validate(self, attrs):
        data = {}
        if self.instance is not None:
            data = {f: getattr(self.instance, f) for f in CAMPAIGN_FIELDS}
        data.update(attrs)
        data.setdefault("currency", "CNY")
        data["currency"] = data["currency"].upper()
        problems = campaign_errors(data)
        if problems:
            raise serializers.ValidationError(problems)
        return attrs


class CampaignFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Campaign.Status.choices)
    active_at = django_filters.IsoDateTimeFilter(method="filter_active_at")

    class Meta:
        model = Campaign
        fields = ["status"]

    def filter_active_at(self, queryset, name, value):
        return queryset.filter(starts_at__lte=value, ends_at__gt=value)


class CampaignListCreate(generics.ListCreateAPIView):
    """Coupon campaigns. Admins create; admins and community managers list."""

    required_scope = COUPONS_MANAGE

    serializer_class = CampaignSerializer
    permission_classes = [AdminManagesManagerReads]
    filterset_class = CampaignFilter

    def get_queryset(self):
        return campaign_list()

    @extend_schema(
        responses={200: CampaignSerializer(many=True), **error_responses(400, 401, 403)}
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        responses={201: CampaignSerializer, **error_responses(400, 401, 403)},
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        campaign = campaign_create(**serializer.validated_data, created_by=request.user)
        body = self.get_serializer(campaign_list().get(id=campaign.id)).data
        return Response(body, status=status.HTTP_201_CREATED)


class CampaignDetail(generics.RetrieveUpdateAPIView):
    required_scope = COUPONS_MANAGE
    serializer_class = CampaignSerializer
    permission_classes = [AdminManagesManagerReads]
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return campaign_list()

    @extend_schema(
        responses={200: CampaignSerializer, **error_responses(401, 403, 404)}
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        responses={
            200: CampaignSerializer,
            **error_responses(
                400, 401, 403, 404, codes=("budget_exceeded",), table=ERRORS
            ),
        }
    )
    def patch(self, request, *args, **kwargs):
        campaign = self.get_object()
        serializer = self.get_serializer(campaign, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        campaign_update(campaign_id=campaign.id, **serializer.validated_data)
        return Response(self.get_serializer(campaign_list().get(id=campaign.id)).data)


class StatRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    issued = serializers.IntegerField()
    redeemed_codes = serializers.IntegerField()
    redemptions = serializers.IntegerField()
    redemption_rate = serializers.FloatField(allow_null=True)
    revenue = serializers.DecimalField(max_digits=14, decimal_places=2)
    discount = serializers.DecimalField(max_digits=14, decimal_places=2)


class DayRowSerializer(serializers.Serializer):
    day = serializers.DateField()
    redemptions = serializers.IntegerField()
    revenue = serializers.DecimalField(max_digits=14, decimal_places=2)


class CampaignStatsSerializer(serializers.Serializer):
    codes_total = serializers.IntegerField()
    codes_free = serializers.IntegerField()
    total = StatRowSerializer()
    by_platform = StatRowSerializer(many=True)
    by_ambassador = StatRowSerializer(many=True)
    by_day = DayRowSerializer(many=True)


def _stat_row(row) -> dict:
    return {
        "key": row.key,
        "label": row.label,
        "issued": row.issued,
        "redeemed_codes": row.issued_redeemed,
        "redemptions": row.redemptions,
        "redemption_rate": row.rate,
        "revenue": f"{row.revenue:.2f}",
        "discount": f"{row.discount:.2f}",
    }


class CampaignStatsView(APIView):
    """Codes issued and redeemed, redemption rate, revenue and discount: in total,
    by platform, by ambassador, and redemptions by day."""

    required_scope = COUPONS_MANAGE

    permission_classes = [AdminManagesManagerReads]

    @extend_schema(
        responses={
            200: CampaignStatsSerializer,
            **error_responses(401, 403, 404),
        }
    )
    def get(self, request, pk: int):
        if not Campaign.objects.filter(id=pk).exists():
            raise DomainError("not_found", "No such campaign.", NOT_FOUND)
        stats = campaign_stats(campaign_id=pk)
        return Response(
            {
                "codes_total": stats.codes_total,
                "codes_free": stats.codes_free,
                "total": _stat_row(stats.total),
                "by_platform": [_stat_row(r) for r in stats.by_platform],
                "by_ambassador": [_stat_row(r) for r in stats.by_ambassador],
                "by_day": [
                    {"day": day, "redemptions": n, "revenue": f"{revenue:.2f}"}
                    for day, n, revenue in stats.by_day
                ],
            }
        )
