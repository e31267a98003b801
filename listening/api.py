"""Mentions for integrations (CRMs, BI): read-only, filterable, newest first."""

import django_filters
from django.urls import path
from rest_framework import generics, serializers
from rest_framework.pagination import CursorPagination

from common.scopes import MENTIONS_READ
from listening.models import Author, Mention, Platform, Sentiment
from listening.selectors import mentions_for_api


class AuthorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Author
        fields = [
            "platform",
            "external_id",
            "screen_name",
            "name",
            "followers_count",
            "verified",
            "location",
        ]


class MentionSerializer(serializers.ModelSerializer):
    author = AuthorSerializer(read_only=True)

    class Meta:
        model = Mention
        fields = [
            "id",
            "platform",
            "external_id",
            "author",
            "text",
            "language",
            "created_at",
            "fetched_at",
            "in_reply_to_external_id",
            "thread_external_id",
            "repost_of_external_id",
            "is_private",
            "metrics",
            "sentiment",
            "sentiment_label",
            "sarcasm",
            "intent",
            "brands",
            "products",
            "keywords",
            "priority",
            "analyzed_at",
        ]


class MentionFilter(django_filters.FilterSet):
    platform = django_filters.ChoiceFilter(choices=Platform.choices)
    sentiment = django_filters.ChoiceFilter(
        field_name="sentiment_label", choices=Sentiment.choices
    )
    intent = django_filters.CharFilter()
    language = django_filters.CharFilter()
    brand = django_filters.CharFilter(method="filter_brand")
    since_id = django_filters.NumberFilter(field_name="id", lookup_expr="gt")
    include_private = django_filters.BooleanFilter(
        method="filter_private",
        label="Include private messages (left out by default)",
    )
    created_after = django_filters.IsoDateTimeFilter(
        field_name="created_at", lookup_expr="gte"
    )

    class Meta:
        model = Mention
        fields = ["platform", "sentiment", "intent", "language", "since_id"]

    def filter_brand(self, queryset, name, value):
        return queryset.filter(brands__contains=[value])

    def filter_private(self, queryset, name, value):
        return queryset if value else queryset.filter(is_private=False)


class MentionCursorPagination(CursorPagination):
    ordering = "-id"
    page_size = 50
    max_page_size = 500
    page_size_query_param = "page_size"


class MentionList(generics.ListAPIView):
    """Mentions, newest first; `since_id` pulls only what arrived after a given id."""

    required_scope = MENTIONS_READ

    serializer_class = MentionSerializer
    filterset_class = MentionFilter
    pagination_class = MentionCursorPagination

    def get_queryset(self):
        # include_private=true (the filter) widens this to private messages too.
        include = self.request.query_params.get("include_private", "") in (
            "true",
            "True",
            "1",
        )
        return mentions_for_api(user=self.request.user, include_private=include)


class MentionDetail(generics.RetrieveAPIView):
    required_scope = MENTIONS_READ
    serializer_class = MentionSerializer

    def get_queryset(self):
        return mentions_for_api(user=self.request.user)


api_urlpatterns = [
    path("mentions/", MentionList.as_view(), name="api-mention-list"),
    path("mentions/<int:pk>/", MentionDetail.as_view(), name="api-mention-detail"),
]

# The listening room's panels, spikes and alert rules (listening/room/api.py).
from listening.room.api import api_urlpatterns as _room_urls  # noqa: E402

api_urlpatterns += _room_urls
