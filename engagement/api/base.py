"""The base of the engagement endpoints."""

from __future__ import annotations

from rest_framework.views import APIView


class EngagementAPIView(APIView):
    """Input validation shared by the engagement endpoints; domain refusals
    propagate to ``common.api.exception_handler``."""

    def input(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data
