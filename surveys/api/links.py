"""Links to a survey: personal single-use ones and general ones per platform."""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response as ApiResponse

from ambassadors.permissions import AdminManagesManagerReads
from common.api import error_responses
from common.scopes import SURVEYS_MANAGE, SURVEYS_READ
from listening.models import Platform
from surveys.errors import ERRORS

from ..models import Invitation
from ..services import (
    survey_invitation_create,
    survey_link_create,
)


class InvitationSerializer(serializers.ModelSerializer):
    url = serializers.CharField(read_only=True)
    ambassador = serializers.CharField(
        source="ambassador.username", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Invitation
        fields = [
            "id",
            "token",
            "url",
            "kind",
            "survey",
            "platform",
            "platform_user_id",
            "case",
            "reply",
            "mention",
            "ambassador",
            "created_at",
            "expires_at",
            "used_at",
        ]
        read_only_fields = fields


class InvitationCreateSerializer(serializers.Serializer):
    platform = serializers.ChoiceField(choices=Platform.choices)
    platform_user_id = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        default="",
        help_text="Given: a personal single-use link for this customer. Empty: the "
        "survey's general link for the platform.",
    )
    case_id = serializers.IntegerField(required=False, allow_null=True)


class SurveyInvitations(generics.ListAPIView):
    """A survey's links (GET), or a new one (POST)."""

    required_scope = {"GET": SURVEYS_READ, "POST": SURVEYS_MANAGE}

    serializer_class = InvitationSerializer
    permission_classes = [AdminManagesManagerReads]
    filterset_fields = ["kind", "platform"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Invitation.objects.none()
        return Invitation.objects.filter(survey_id=self.kwargs["pk"]).order_by("-id")

    @extend_schema(
        responses={
            200: InvitationSerializer(many=True),
            **error_responses(400, 401, 403),
        }
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=InvitationCreateSerializer,
        responses={
            201: InvitationSerializer,
            **error_responses(
                400,
                401,
                403,
                codes=(
                    "survey_not_found",
                    "survey_closed",
                    "invalid_platform",
                    "case_not_found",
                ),
                table=ERRORS,
            ),
        },
    )
    def post(self, request, pk: int):
        body = InvitationCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        with transaction.atomic():
            if data["platform_user_id"]:
                invitation = survey_invitation_create(
                    survey_id=pk,
                    platform=data["platform"],
                    platform_user_id=data["platform_user_id"],
                    case_id=data.get("case_id"),
                    ambassador=request.user,
                )
            else:
                invitation = survey_link_create(survey_id=pk, platform=data["platform"])
        return ApiResponse(
            InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED
        )
