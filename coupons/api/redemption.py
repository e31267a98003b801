"""Redemptions: the shops' redeem and validate endpoints, and the list."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from ambassadors.permissions import AdminManagesManagerReads
from common.api import error_responses
from common.scopes import COUPONS_MANAGE, COUPONS_REDEEM
from coupons.errors import ERRORS
from dellsocial.throttling import AccountScopedRateThrottle
from listening.models import Platform

from ..models import Redemption
from ..permissions import IsShopOrAdmin, is_shop
from ..selectors import (
    redemptions_list,
)
from ..services import (
    coupon_redeem,
    coupon_validate,
)


class RedemptionSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="code.display", read_only=True)
    ambassador = serializers.CharField(
        source="ambassador.username", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Redemption
        fields = [
            "id",
            "code",
            "campaign",
            "merchant",
            "order_id",
            "order_amount",
            "currency",
            "discount_amount",
            "platform",
            "platform_user_id",
            "case",
            "mention",
            "ambassador",
            "created_at",
        ]
        read_only_fields = fields


class RedemptionFilter(django_filters.FilterSet):
    campaign = django_filters.NumberFilter(field_name="campaign_id")
    platform = django_filters.ChoiceFilter(choices=Platform.choices)
    ambassador = django_filters.NumberFilter(field_name="ambassador_id")
    case_id = django_filters.NumberFilter()
    order_id = django_filters.CharFilter()
    since = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    until = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = Redemption
        fields = ["campaign", "platform", "ambassador", "case_id", "order_id"]


class RedemptionList(generics.ListAPIView):
    """Redemptions, newest first, with what each is attributed to."""

    required_scope = COUPONS_MANAGE

    serializer_class = RedemptionSerializer
    permission_classes = [AdminManagesManagerReads]
    filterset_class = RedemptionFilter

    def get_queryset(self):
        return redemptions_list()

    @extend_schema(
        responses={
            200: RedemptionSerializer(many=True),
            **error_responses(400, 401, 403),
        }
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class RedeemSerializer(serializers.Serializer):
    code = serializers.CharField(
        max_length=64,
        trim_whitespace=True,
        help_text="As the customer typed it: case, spaces and dashes do not matter.",
    )
    order_id = serializers.CharField(max_length=100)
    order_amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0
    )
    currency = serializers.CharField(max_length=3, min_length=3, default="CNY")
    platform = serializers.ChoiceField(
        choices=Platform.choices, required=False, allow_blank=True, default=""
    )
    platform_user_id = serializers.CharField(
        max_length=64, required=False, allow_blank=True, default=""
    )


class ValidateSerializer(RedeemSerializer):
    order_id = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        default="",
        help_text="Optional: a check before the order exists needs none; an order "
        "already redeemed answers its redemption (`replayed: true`).",
    )


class RedeemResultSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    code = serializers.CharField()
    campaign = serializers.IntegerField()
    order_id = serializers.CharField(
        allow_null=True, help_text="Null when a validation named no order."
    )
    order_amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    discount_amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    amount_payable = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField()
    redemption_id = serializers.IntegerField(allow_null=True)
    replayed = serializers.BooleanField(
        help_text="True when this order was already redeemed: the first answer again."
    )
    redeemed_at = serializers.DateTimeField(allow_null=True)


_REDEEM_CODES = (
    "code_malformed",
    "invalid_order",
    "invalid_amount",
    "invalid_platform",
    "code_not_found",
    "code_revoked",
    "campaign_paused",
    "campaign_closed",
    "campaign_not_started",
    "code_expired",
    "platform_not_allowed",
    "customer_mismatch",
    "customer_required",
    "shop_not_allowed",
    "currency_mismatch",
    "order_below_minimum",
    "code_used_up",
    "customer_limit_reached",
    "order_already_redeemed",
    "busy",
)


_DATETIME = serializers.DateTimeField()


class _RedeemBase(APIView):
    permission_classes = [IsShopOrAdmin]
    required_scope = COUPONS_REDEEM
    # One bucket per shop for redeem and validate together (API_REDEEM_RATE).
    throttle_classes = [AccountScopedRateThrottle]
    throttle_scope = "redeem"
    service = staticmethod(coupon_redeem)
    body_class: type[serializers.Serializer] = RedeemSerializer

    def post(self, request):
        body = self.body_class(data=request.data)
        body.is_valid(raise_exception=True)
        # A shop redeems only the campaigns that name it (an admin trying a code
        # from the dashboard is not held to that).
        shop = request.user.get_username() if is_shop(request.user) else None
        result = self.service(
            merchant=request.user.get_username(), shop=shop, **body.validated_data
        )
        # The shape of RedeemResultSerializer, built directly: this is the hot
        # path of the shops, and amounts are already quantized to cents.
        return Response(
            {
                "valid": True,
                "code": result.code,
                "campaign": result.campaign_id,
                "order_id": result.order_id or None,
                "order_amount": f"{result.order_amount:.2f}",
                "discount_amount": f"{result.discount_amount:.2f}",
                "amount_payable": f"{result.amount_payable:.2f}",
                "currency": result.currency,
                "redemption_id": result.redemption_id,
                "replayed": result.replayed,
                "redeemed_at": _DATETIME.to_representation(result.redeemed_at)
                if result.redeemed_at
                else None,
            }
        )


class Redeem(_RedeemBase):
    """Apply a code to an order, atomically and idempotently.

    The same order id from the same shop again answers the first result (with
    `replayed: true`) and never redeems twice. Checks, in order: the code exists and
    is not revoked; its campaign is active, started and not ended; the platform;
    the customer it was given to; the currency; the minimum order amount; the code's
    uses left; the customer's allowance.
    """

    @extend_schema(
        request=RedeemSerializer,
        responses={
            200: RedeemResultSerializer,
            **error_responses(400, 401, 403, codes=_REDEEM_CODES, table=ERRORS),
        },
    )
    def post(self, request):
        return super().post(request)


class Validate(_RedeemBase):
    """Check a code against an order without redeeming it (same rules as redeem).

    `order_id` is optional: a basket is checked before it becomes an order.
    """

    service = staticmethod(coupon_validate)
    body_class = ValidateSerializer

    @extend_schema(
        request=ValidateSerializer,
        responses={
            200: RedeemResultSerializer,
            **error_responses(400, 401, 403, codes=_REDEEM_CODES, table=ERRORS),
        },
    )
    def post(self, request):
        return super().post(request)
