"""/api/v1/posts/: the brand's accounts, its posts, approval, cancel, metrics."""

from __future__ import annotations

from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import error_responses as _errors
from common.api import page_of
from common.errors import not_found
from common.scopes import POSTS_READ, POSTS_WRITE

from .models import BrandAccount, Post, PostStatus, PostTarget
from .selectors import (
    accounts_list,
    post_get_for_user,
    post_performance,
    posts_visible_to,
)
from .services import post_approve, post_cancel, post_create


class AccountSerializer(serializers.ModelSerializer):
    class Meta:
        model = BrandAccount
        fields = ["id", "platform", "name", "external_id", "followers_count"]


class TargetSerializer(serializers.ModelSerializer):
    account = serializers.IntegerField(source="account_id")
    platform = serializers.CharField(source="account.platform")

    class Meta:
        model = PostTarget
        fields = [
            "account",
            "platform",
            "text",
            "status",
            "external_id",
            "published_at",
            "attempts",
            "error",
            "comments",
            "reposts",
            "likes",
            "reach",
        ]


class PostSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username")
    accounts = serializers.SerializerMethodField()
    targets = TargetSerializer(many=True)
    coupon_code = serializers.SerializerMethodField()
    approved_by = serializers.CharField(
        source="approved_by.username", default=None, allow_null=True
    )

    class Meta:
        model = Post
        fields = [
            "id",
            "status",
            "author",
            "text",
            "per_platform",
            "scheduled_at",
            "time_zone",
            "campaign",
            "coupon_code",
            "survey",
            "image",
            "accounts",
            "targets",
            "approval_reason",
            "approved_by",
            "approved_at",
            "version",
            "created_at",
        ]

    def get_accounts(self, post: Post) -> list[int]:
        return [t.account_id for t in post.targets.all()]

    def get_coupon_code(self, post: Post) -> str | None:
        return post.coupon_code.display if post.coupon_code else None


class PostInput(serializers.Serializer):
    accounts = serializers.ListField(child=serializers.IntegerField(), min_length=1)
    text = serializers.CharField(
        max_length=2000, allow_blank=True, trim_whitespace=True
    )
    per_platform = serializers.DictField(
        child=serializers.CharField(max_length=2000, allow_blank=True), required=False
    )
    scheduled_at = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="ISO 8601; without an offset it is read in time_zone.",
    )
    time_zone = serializers.CharField(required=False, default="Asia/Shanghai")
    campaign = serializers.IntegerField(required=False, allow_null=True)
    survey = serializers.IntegerField(required=False, allow_null=True)
    image = serializers.IntegerField(required=False, allow_null=True)
    draft = serializers.BooleanField(required=False, default=False)


class SnapshotSerializer(serializers.Serializer):
    taken_at = serializers.DateTimeField()
    comments = serializers.IntegerField()
    reposts = serializers.IntegerField()
    likes = serializers.IntegerField(allow_null=True)
    reach = serializers.IntegerField(allow_null=True)


class MetricsSerializer(serializers.Serializer):
    account = serializers.IntegerField(source="target.account_id")
    platform = serializers.CharField(source="target.account.platform")
    external_id = serializers.CharField(source="target.external_id")
    comments = serializers.IntegerField(source="target.comments")
    reposts = serializers.IntegerField(source="target.reposts")
    likes = serializers.IntegerField(source="target.likes", allow_null=True)
    reach = serializers.IntegerField(source="target.reach", allow_null=True)
    followers_gained = serializers.IntegerField(allow_null=True)
    orders = serializers.IntegerField()
    revenue = serializers.DecimalField(max_digits=14, decimal_places=2)
    snapshots = SnapshotSerializer(many=True)


class PostPagination(CursorPagination):
    ordering = "-id"
    page_size = 50


class PublishingAPIView(APIView):
    """Domain errors answer through common.api.exception_handler; tokens need
    the posts scopes."""

    required_scope = {"GET": POSTS_READ, "POST": POSTS_WRITE}

    def input(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class AccountList(PublishingAPIView):
    @extend_schema(responses={200: AccountSerializer(many=True), **_errors(401)})
    def get(self, request):
        """The brand's accounts posts can go to."""
        return Response(AccountSerializer(accounts_list(), many=True).data)


class PostList(PublishingAPIView):
    @extend_schema(
        operation_id="v1_posts_list",
        responses={
            200: page_of("PostPage", PostSerializer),
            **_errors(401),
        },
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, enum=PostStatus.values),
            OpenApiParameter("cursor", OpenApiTypes.STR),
        ],
    )
    def get(self, request):
        """Posts in the caller's reach (managers: all; others: their own), newest
        first; ``?status=`` filters."""
        posts = posts_visible_to(request.user)
        wanted = request.query_params.get("status")
        if wanted in PostStatus.values:
            posts = posts.filter(status=wanted)
        paginator = PostPagination()
        page = paginator.paginate_queryset(posts, request, view=self)
        return paginator.get_paginated_response(PostSerializer(page, many=True).data)

    @extend_schema(
        request=PostInput,
        responses={201: PostSerializer, **_errors(400, 401, 403, 404)},
    )
    def post(self, request):
        """Compose a post: a draft, or submitted (``scheduled``, or
        ``pending_approval`` when a manager must approve it). A time in the past,
        a version too long for its platform or against the policy, a campaign not
        exclusive to the accounts' platform are refused with 400."""
        data = self.input(PostInput)
        post = post_create(
            author=request.user,
            account_ids=data["accounts"],
            text=data["text"],
            per_platform=data.get("per_platform"),
            scheduled_at=data.get("scheduled_at") or None,
            time_zone=data.get("time_zone"),
            campaign_id=data.get("campaign"),
            survey_id=data.get("survey"),
            image_id=data.get("image"),
            draft=data.get("draft", False),
        )
        post = post_get_for_user(post_id=post.id, user=request.user)
        return Response(PostSerializer(post).data, status=status.HTTP_201_CREATED)


def _post(request, pk: int) -> Post:
    post = post_get_for_user(post_id=pk, user=request.user)
    if post is None:
        raise not_found("post_not_found", "No such post.")
    return post


class PostDetail(PublishingAPIView):
    @extend_schema(responses={200: PostSerializer, **_errors(401, 404)})
    def get(self, request, pk: int):
        return Response(PostSerializer(_post(request, pk)).data)


class PostApprove(PublishingAPIView):
    @extend_schema(
        request=None,
        responses={200: PostSerializer, **_errors(400, 401, 403, 404, 409)},
    )
    def post(self, request, pk: int):
        """A manager (not the author) approves a waiting post: it is scheduled."""
        _post(request, pk)
        post_approve(post_id=pk, approver=request.user)
        return Response(PostSerializer(_post(request, pk)).data)


class PostCancel(PublishingAPIView):
    @extend_schema(
        request=None, responses={200: PostSerializer, **_errors(401, 404, 409)}
    )
    def post(self, request, pk: int):
        """Cancel a post no account has yet: it is never sent."""
        _post(request, pk)
        post_cancel(post_id=pk, actor=request.user)
        return Response(PostSerializer(_post(request, pk)).data)


class PostMetrics(PublishingAPIView):
    @extend_schema(responses={200: MetricsSerializer(many=True), **_errors(401, 404)})
    def get(self, request, pk: int):
        """Per account: counters now and over time, followers gained after the
        post, orders and revenue of its coupon code."""
        rows = post_performance(post=_post(request, pk), now=timezone.now())
        return Response(MetricsSerializer(rows, many=True).data)


api_urlpatterns = [
    path("posts/accounts/", AccountList.as_view(), name="api-post-accounts"),
    path("posts/", PostList.as_view(), name="api-posts"),
    path("posts/<int:pk>/", PostDetail.as_view(), name="api-post"),
    path("posts/<int:pk>/approve/", PostApprove.as_view(), name="api-post-approve"),
    path("posts/<int:pk>/cancel/", PostCancel.as_view(), name="api-post-cancel"),
    path("posts/<int:pk>/metrics/", PostMetrics.as_view(), name="api-post-metrics"),
]
