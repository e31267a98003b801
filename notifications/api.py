"""My notifications, for integrations and the browser alike."""

from django.urls import path
from django.utils import translation
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from common.scopes import NO_SCOPE

from .kinds import render
from .models import Notification
from .selectors import notifications_for_user
from .services import notification_mark_read


def _reader_language(request) -> str:
    if request.headers.get("Accept-Language"):
        return translation.get_language()
    profile = getattr(request.user, "profile", None)
    return getattr(profile, "ui_language", "") or translation.get_language()


class NotificationSerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at"]

    def get_title(self, obj: Notification) -> str:
        return render(obj.kind, obj.params)[0]

    def get_body(self, obj: Notification) -> str:
        return render(obj.kind, obj.params)[1]


@extend_schema(
    tags=["notifications"],
    parameters=[
        OpenApiParameter(
            "unread", bool, description="Only the notifications not read yet."
        )
    ],
)
class NotificationList(generics.ListAPIView):
    """The requester's own notifications, newest first, rendered in the language of
    the request's Accept-Language or else the one the user chose."""

    required_scope = NO_SCOPE

    serializer_class = NotificationSerializer

    def list(self, request, *args, **kwargs):
        with translation.override(_reader_language(request)):
            return super().list(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return Notification.objects.none()
        unread = self.request.query_params.get("unread", "").lower() in {"1", "true"}
        return notifications_for_user(user=self.request.user, unread_only=unread)


class NotificationRead(APIView):
    """Mark one of my notifications read; someone else's answers 404."""

    required_scope = NO_SCOPE

    serializer_class = NotificationSerializer

    @extend_schema(
        tags=["notifications"], request=None, responses=NotificationSerializer
    )
    def post(self, request, pk: int):
        try:
            notification = notification_mark_read(user=request.user, notification_id=pk)
        except Notification.DoesNotExist as exc:
            raise NotFound() from exc
        with translation.override(_reader_language(request)):
            return Response(NotificationSerializer(notification).data)


api_urlpatterns = [
    path("notifications/", NotificationList.as_view(), name="api-notifications"),
    path(
        "notifications/<int:pk>/read/",
        NotificationRead.as_view(),
        name="api-notification-read",
    ),
]
