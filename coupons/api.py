"""Coupons for integrations: campaigns, codes, redemptions, and the shop's redeem API.

Every error answers ``{"code", "message"}``; the codes of each endpoint are listed in
the OpenAPI schema (/api/schema/).
"""

from __future__ import annotations

import django_filters
from django.urls import path, re_path
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.response import Response
from rest_framework.views import APIView

from dellsocial.api import ApiError
from listening.models import Platform

from .codes import code_normalize
from .errors import ERRORS, CouponError, coupon_error
from .models import Campaign, CouponCode, DiscountType, Redemption
from .permissions import (
    AdminManagesManagerReads,
    IsAdmin,
    IsShopOrAdmin,
    ShopTokenAuthentication,
)
from .selectors import (
    campaign_list,
    campaign_stats,
    codes_list,
    redemptions_list,
)
from .services import (
    CAMPAIGN_FIELDS,
    MAX_CODES_PER_BATCH,
    campaign_create,
    campaign_errors,
    campaign_update,
    code_batch_create,
    code_batch_generate,
    coupon_code_revoke,
    coupon_issue,
    coupon_redeem,
    coupon_validate,
)


def api_error(error: CouponError) -> ApiError:
    return ApiError(error.code, error.message, http_status=error.status)


# --- documentation of errors -------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable machine-readable error code.")
    message = serializers.CharField(help_text="A sentence for people.")
    details = serializers.DictField(
        required=False, help_text="Per-field messages (code 'invalid' only)."
    )


_GENERIC = {
    400: "`invalid`: the body or a filter is not valid (see `details`); "
    "`parse_error`: the body is not JSON.",
    401: "`not_authenticated` / `authentication_failed`: no or a wrong token.",
    403: "`permission_denied`: the user's role may not do this.",
    404: "`not_found`.",
}


def errors(*statuses: int, codes: tuple[str, ...] = ()) -> dict:
    """OpenAPI responses for the given HTTP statuses, listing the domain codes."""
    described: dict[int, list[str]] = {s: [_GENERIC[s]] for s in statuses}
    for code in codes:
        http_status, message = ERRORS[code]
        described.setdefault(http_status, []).append(f"`{code}`: {message}")
    return {
        http_status: OpenApiResponse(ErrorSerializer, description="<br>".join(lines))
        for http_status, lines in sorted(described.items())
    }


# --- campaigns ---------------------------------------------------------------------


class CampaignSerializer(serializers.ModelSerializer):
    platforms = serializers.ListField(
        child=serializers.ChoiceField(choices=Platform.choices),
        allow_empty=True,
        required=False,
        help_text="Platforms the campaign is exclusive to; empty: every platform.",
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

    serializer_class = CampaignSerializer
    permission_classes = [AdminManagesManagerReads]
    filterset_class = CampaignFilter

    def get_queryset(self):
        return campaign_list()

    @extend_schema(
        responses={200: CampaignSerializer(many=True), **errors(400, 401, 403)}
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        responses={201: CampaignSerializer, **errors(400, 401, 403)},
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            campaign = campaign_create(
                **serializer.validated_data, created_by=request.user
            )
        except CouponError as error:
            raise api_error(error) from None
        body = self.get_serializer(campaign_list().get(id=campaign.id)).data
        return Response(body, status=status.HTTP_201_CREATED)


class CampaignDetail(generics.RetrieveUpdateAPIView):
    serializer_class = CampaignSerializer
    permission_classes = [AdminManagesManagerReads]
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return campaign_list()

    @extend_schema(responses={200: CampaignSerializer, **errors(401, 403, 404)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        responses={
            200: CampaignSerializer,
            **errors(400, 401, 403, 404, codes=("budget_exceeded",)),
        }
    )
    def patch(self, request, *args, **kwargs):
        campaign = self.get_object()
        serializer = self.get_serializer(campaign, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        try:
            campaign_update(campaign_id=campaign.id, **serializer.validated_data)
        except CouponError as error:
            raise api_error(error) from None
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

    permission_classes = [AdminManagesManagerReads]

    @extend_schema(
        responses={
            200: CampaignStatsSerializer,
            **errors(401, 403, 404),
        }
    )
    def get(self, request, pk: int):
        if not Campaign.objects.filter(id=pk).exists():
            raise ApiError("not_found", "No such campaign.", http_status=404)
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


# --- codes -------------------------------------------------------------------------


class CodeSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="display", read_only=True)
    issued_by = serializers.CharField(
        source="issued_by.username", read_only=True, default=None
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


class GenerateCodesSerializer(serializers.Serializer):
    count = serializers.IntegerField(min_value=1, max_value=MAX_CODES_PER_BATCH)
    max_redemptions = serializers.IntegerField(
        min_value=1,
        default=1,
        help_text="1 for single-use codes; N for a public code for the first N buyers.",
    )


class CampaignCodes(generics.ListAPIView):
    """A campaign's codes (GET), or new codes made at once (POST)."""

    serializer_class = CodeSerializer
    permission_classes = [AdminManagesManagerReads]
    filterset_class = CodeFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CouponCode.objects.none()
        return codes_list(campaign_id=self.kwargs["pk"])

    @extend_schema(responses={200: CodeSerializer(many=True), **errors(400, 401, 403)})
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
            **errors(
                400,
                401,
                403,
                codes=("campaign_not_found", "campaign_closed", "budget_exceeded"),
            ),
        },
    )
    def post(self, request, pk: int):
        body = GenerateCodesSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            batch = code_batch_create(
                campaign_id=pk, created_by=request.user, **body.validated_data
            )
        except CouponError as error:
            raise api_error(error) from None
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

    serializer_class = CodeSerializer
    permission_classes = [AdminManagesManagerReads]
    filterset_class = CodeFilter

    def get_queryset(self):
        return codes_list()

    @extend_schema(responses={200: CodeSerializer(many=True), **errors(400, 401, 403)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CodeDetail(APIView):
    permission_classes = [AdminManagesManagerReads]

    @extend_schema(responses={200: CodeSerializer, **errors(401, 403, 404)})
    def get(self, request, code: str):
        found = codes_list().filter(code=code_normalize(code)).first()
        if found is None:
            raise api_error(coupon_error("code_not_found"))
        return Response(CodeSerializer(found).data)


class CodeRevoke(APIView):
    """Withdraw a code: it can no longer be redeemed."""

    permission_classes = [IsAdmin]

    @extend_schema(
        request=None,
        responses={200: CodeSerializer, **errors(401, 403, codes=("code_not_found",))},
    )
    def post(self, request, code: str):
        try:
            revoked = coupon_code_revoke(code=code)
        except CouponError as error:
            raise api_error(error) from None
        return Response(CodeSerializer(revoked).data)


class IssueSerializer(serializers.Serializer):
    campaign = serializers.IntegerField()
    platform = serializers.ChoiceField(choices=Platform.choices)
    platform_user_id = serializers.CharField(max_length=64)
    case_id = serializers.IntegerField(required=False, allow_null=True)
    mention_id = serializers.IntegerField(required=False, allow_null=True)


class CodeIssue(APIView):
    """Give a code to one customer (admins; ambassadors use the reply composer)."""

    permission_classes = [IsAdmin]

    @extend_schema(
        request=IssueSerializer,
        responses={
            201: CodeSerializer,
            **errors(
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
            ),
        },
    )
    def post(self, request):
        body = IssueSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            code = coupon_issue(
                campaign_id=data["campaign"],
                platform=data["platform"],
                platform_user_id=data["platform_user_id"],
                ambassador=request.user,
                case_id=data.get("case_id"),
                mention_id=data.get("mention_id"),
            )
        except CouponError as error:
            raise api_error(error) from None
        return Response(CodeSerializer(code).data, status=status.HTTP_201_CREATED)


# --- redemptions -------------------------------------------------------------------


class RedemptionSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="code.display", read_only=True)
    ambassador = serializers.CharField(
        source="ambassador.username", read_only=True, default=None
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

    serializer_class = RedemptionSerializer
    permission_classes = [AdminManagesManagerReads]
    filterset_class = RedemptionFilter

    def get_queryset(self):
        return redemptions_list()

    @extend_schema(
        responses={200: RedemptionSerializer(many=True), **errors(400, 401, 403)}
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


class RedeemResultSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    code = serializers.CharField()
    campaign = serializers.IntegerField()
    order_id = serializers.CharField()
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
    "currency_mismatch",
    "order_below_minimum",
    "code_used_up",
    "customer_limit_reached",
    "order_already_redeemed",
    "busy",
)


_DATETIME = serializers.DateTimeField()


class _RedeemBase(APIView):
    authentication_classes = [ShopTokenAuthentication, SessionAuthentication]
    permission_classes = [IsShopOrAdmin]
    service = staticmethod(coupon_redeem)

    def post(self, request):
        body = RedeemSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            result = self.service(
                merchant=request.user.get_username(), **body.validated_data
            )
        except CouponError as error:
            raise api_error(error) from None
        # The shape of RedeemResultSerializer, built directly: this is the hot
        # path of the shops, and amounts are already quantized to cents.
        return Response(
            {
                "valid": True,
                "code": result.code,
                "campaign": result.campaign_id,
                "order_id": result.order_id,
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
            **errors(400, 401, 403, codes=_REDEEM_CODES),
        },
    )
    def post(self, request):
        return super().post(request)


class Validate(_RedeemBase):
    """Check a code against an order without redeeming it (same rules as redeem)."""

    service = staticmethod(coupon_validate)

    @extend_schema(
        request=RedeemSerializer,
        responses={
            200: RedeemResultSerializer,
            **errors(400, 401, 403, codes=_REDEEM_CODES),
        },
    )
    def post(self, request):
        return super().post(request)


api_urlpatterns = [
    path(
        "coupons/campaigns/", CampaignListCreate.as_view(), name="api-coupon-campaigns"
    ),
    path(
        "coupons/campaigns/<int:pk>/",
        CampaignDetail.as_view(),
        name="api-coupon-campaign",
    ),
    path(
        "coupons/campaigns/<int:pk>/stats/",
        CampaignStatsView.as_view(),
        name="api-coupon-campaign-stats",
    ),
    path(
        "coupons/campaigns/<int:pk>/codes/",
        CampaignCodes.as_view(),
        name="api-coupon-campaign-codes",
    ),
    path("coupons/codes/", CodeList.as_view(), name="api-coupon-codes"),
    path("coupons/codes/issue/", CodeIssue.as_view(), name="api-coupon-issue"),
    path("coupons/codes/<str:code>/", CodeDetail.as_view(), name="api-coupon-code"),
    path(
        "coupons/codes/<str:code>/revoke/",
        CodeRevoke.as_view(),
        name="api-coupon-code-revoke",
    ),
    path(
        "coupons/redemptions/", RedemptionList.as_view(), name="api-coupon-redemptions"
    ),
    # With and without the trailing slash: shops get this wrong, and a POST cannot
    # be redirected.
    re_path(r"^coupons/redeem/?$", Redeem.as_view(), name="api-coupon-redeem"),
    re_path(r"^coupons/validate/?$", Validate.as_view(), name="api-coupon-validate"),
]
