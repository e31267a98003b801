"""My API tokens through the API: list, create (the key shown once), revoke."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import ErrorSerializer
from common.errors import DomainError
from common.scopes import NO_SCOPE, SCOPES

from . import tokens
from .models import ApiToken


class TokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "prefix",
            "scopes",
            "expires_at",
            "created_at",
            "last_used_at",
            "revoked_at",
        ]


class TokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    scopes = serializers.ListField(
        child=serializers.ChoiceField(choices=sorted(SCOPES)), allow_empty=False
    )
    expires_at = serializers.DateTimeField(required=False, allow_null=True)


class TokenCreatedSerializer(TokenSerializer):
    token = serializers.CharField(help_text="The key: shown this once, never again.")

    class Meta(TokenSerializer.Meta):
        fields = [*TokenSerializer.Meta.fields, "token"]


class TokenListView(APIView):
    # Any token of the user may list and make tokens, never with more scopes
    # than it holds itself.
    required_scope = NO_SCOPE

    @extend_schema(summary="My API tokens", responses={200: TokenSerializer(many=True)})
    def get(self, request: Request) -> Response:
        return Response(
            TokenSerializer(tokens.tokens_of(user=request.user), many=True).data
        )

    @extend_schema(
        summary="Create an API token",
        request=TokenCreateSerializer,
        responses={201: TokenCreatedSerializer, 400: ErrorSerializer},
    )
    def post(self, request: Request) -> Response:
        body = TokenCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        within = request.auth.scopes if isinstance(request.auth, ApiToken) else None
        try:
            token, key = tokens.token_create(
                user=request.user, within=within, **body.validated_data
            )
        except tokens.TokenError as exc:
            raise DomainError(exc.code, exc.message) from None
        data = TokenSerializer(token).data
        data["token"] = key
        return Response(data, status=status.HTTP_201_CREATED)


class TokenDetailView(APIView):
    required_scope = NO_SCOPE

    @extend_schema(
        summary="Revoke one of my API tokens",
        responses={204: None, 404: ErrorSerializer},
    )
    def delete(self, request: Request, token_id: int) -> Response:
        if not tokens.token_revoke(user=request.user, token_id=token_id):
            raise DomainError("not_found", "No such token.", 404)
        return Response(status=status.HTTP_204_NO_CONTENT)


api_urlpatterns = [
    path("tokens/", TokenListView.as_view(), name="api-tokens"),
    path("tokens/<int:token_id>/", TokenDetailView.as_view(), name="api-token"),
]
