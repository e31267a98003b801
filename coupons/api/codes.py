"""Codes: make in bulk, list, look up, issue (admins), revoke."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from ambassadors.permissions import AdminManagesManagerReads, IsAdmin, is_admin
from common.api import error_responses
from common.scopes import COUPONS_MANAGE
from coupons.errors import ERRORS
from listening.models import Platform

from ..codes import code_normalize
from ..errors import coupon_error
from ..models import CouponCode
from ..selectors import (
    codes_list,
)
from ..services import (
    MAX_CODES_PER_BATCH,
    code_batch_create,
    code_batch_generate,
    coupon_code_revoke,
    coupon_issue,
)


class CodeSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="display", read_only=True)
    issued_by = serializers.CharField(
        source="issued_by.username", read_only=True, default=None, allow_null=True
    )
    issued_platform = serializers.CharField(
        read_only=True,
        help_text="The platform the code was given on (weibo, twitter, renren); "
        "blank while not issued.",
    )
    revoked = serializers.SerializerMethodField()

    class Meta:
        model = CouponCode
        fields = [
            "id",
            "code",
            "campaign",
            "max_redemptions",
            "redeemed_count",
            "issued_at",
            "issued_platform",
            "issued_platform_user_id",
            "issued_by",
            "case",
            "reply",
            "mention",
            "revoked",
            "revoked_at",
            "created_at",
        ]
        read_only_fields = fields

    def get_revoked(self, code: CouponCode) -> bool:
        return code.revoked_at is not None


class CodeFilter(django_filters.FilterSet):
    campaign = django_filters.NumberFilter(field_name="campaign_id")
    issued = django_filters.BooleanFilter(
        field_name="issued_at", lookup_expr="isnull", exclude=True
    )
    revoked = django_filters.BooleanFilter(
        field_name="revoked_at", lookup_expr="isnull", exclude=True
    )
    platform = django_filters.ChoiceFilter(
        field_name="issued_platform", choices=Platform.choices
    )
    platform_user_id = django_filters.CharFilter(field_name="issued_platform_user_id")
    case_id = django_filters.NumberFilter()

    class Meta:
        model = CouponCode
        fields = ["campaign", "platform", "platform_user_id", "case_id"]


# Codes made inside one API request (and listed in its answer); bigger batches are
# ordered from the campaign page, where a worker makes them.
API_MAX_CODES_PER_REQUEST = min(10_000, MAX_CODES_PER_BATCH)


def codes_readable(user):
    """Unissued codes are bearer instruments: only admins list them (as only admins
    export them); community managers see the codes given to customers."""
    codes = codes_list()
    return codes if is_admin(user) else codes.filter(issued_at__isnull=False)


class GenerateCodesSerializer(serializers.Serializer):
    count = serializers.IntegerField(min_value=1, max_value=API_MAX_CODES_PER_REQUEST)
    max_redemptions = serializers.IntegerField(
        min_value=1,
        default=1,
        help_text="1 for single-use codes; N for a public code for the first N buyers.",
    )


class CampaignCodes(generics.ListAPIView):
    """A campaign's codes (GET), or new codes made at once (POST)."""

    required_scope = COUPONS_MANAGE

    serializer_class = CodeSerializer
    permission_classes = [AdminManagesManagerReads]
    filterset_class = CodeFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CouponCode.objects.none()
        return codes_readable(self.request.user).filter(campaign_id=self.kwargs["pk"])

    @extend_schema(
        responses={200: CodeSerializer(many=True), **error_responses(400, 401, 403)}
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=GenerateCodesSerializer,
        responses={
            201: inline_serializer(
                "GeneratedCodes",
                {
                    "batch": serializers.IntegerField(),
                    "count": serializers.IntegerField(),
                    "max_redemptions": serializers.IntegerField(),
                    "codes": serializers.ListField(child=serializers.CharField()),
                },
            ),
            **error_responses(
                400,
                401,
                403,
                codes=("campaign_not_found", "campaign_closed", "budget_exceeded"),
                table=ERRORS,
            ),
        },
    )
    def post(self, request, pk: int):
        body = GenerateCodesSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        batch = code_batch_create(
            campaign_id=pk, created_by=request.user, **body.validated_data
        )
        code_batch_generate(batch_id=batch.id)
        codes = CouponCode.objects.filter(batch_id=batch.id).order_by("id")
        return Response(
            {
                "batch": batch.id,
                "count": batch.count,
                "max_redemptions": batch.max_redemptions,
                "codes": [c.display for c in codes.only("code")],
            },
            status=status.HTTP_201_CREATED,
        )


class CodeList(generics.ListAPIView):
    """Codes of every campaign, filterable."""

    required_scope = COUPONS_MANAGE

    serializer_class = CodeSerializer
    permission_classes = [AdminManagesManagerReads]
    filterset_class = CodeFilter

    def get_queryset(self):
        return codes_readable(self.request.user)

    @extend_schema(
        responses={200: CodeSerializer(many=True), **error_responses(400, 401, 403)}
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CodeDetail(APIView):
    required_scope = COUPONS_MANAGE
    permission_classes = [AdminManagesManagerReads]

    @extend_schema(responses={200: CodeSerializer, **error_responses(401, 403, 404)})
    def get(self, request, code: str):
        found = codes_readable(request.user).filter(code=code_normalize(code)).first()
        if found is None:
            raise coupon_error("code_not_found")
        return Response(CodeSerializer(found).data)


class CodeRevoke(APIView):
    """Withdraw a code: it can no longer be redeemed."""

    required_scope = COUPONS_MANAGE

    permission_classes = [IsAdmin]

    @extend_schema(
        request=None,
        responses={
            200: CodeSerializer,
            **error_responses(401, 403, codes=("code_not_found",), table=ERRORS),
        },
    )
    def post(self, request, code: str):
        revoked = coupon_code_revoke(code=code)
        return Response(CodeSerializer(revoked).data)


class IssueSerializer(serializers.Serializer):
    campaign = serializers.IntegerField()
    platform = serializers.ChoiceField(choices=Platform.choices)
    platform_user_id = serializers.CharField(max_length=64)
    case_id = serializers.IntegerField(required=False, allow_null=True)
    mention_id = serializers.IntegerField(required=False, allow_null=True)


class CodeIssue(APIView):
    """Give a code to one customer (admins; ambassadors use the reply composer)."""

    required_scope = COUPONS_MANAGE

    permission_classes = [IsAdmin]

    @extend_schema(
        request=IssueSerializer,
        responses={
            201: CodeSerializer,
            **error_responses(
                400,
                401,
                403,
                codes=(
                    "campaign_not_found",
                    "mention_not_found",
                    "campaign_paused",
                    "campaign_closed",
                    "campaign_not_started",
                    "platform_not_allowed",
                    "customer_limit_reached",
                    "campaign_exhausted",
                ),
                table=ERRORS,
            ),
        },
    )
    def post(self, request):
        body = IssueSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        code = coupon_issue(
            campaign_id=data["campaign"],
            platform=data["platform"],
            platform_user_id=data["platform_user_id"],
            ambassador=request.user,
            case_id=data.get("case_id"),
            mention_id=data.get("mention_id"),
        )
        return Response(CodeSerializer(code).data, status=status.HTTP_201_CREATED)
