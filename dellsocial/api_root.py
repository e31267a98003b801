"""``GET /api/v1/``: the API's own index (what the token page's curl example hits).

Lists every endpoint of the version with its methods, read from the URL patterns
so a new endpoint appears here without anyone editing a list, and links the docs.
"""

from __future__ import annotations

from django.urls import URLPattern, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.scopes import NO_SCOPE


def _methods(pattern: URLPattern) -> list[str]:
    view = getattr(pattern.callback, "cls", None) or getattr(
        pattern.callback, "view_class", None
    )
    if view is None:
        return ["GET"]
    return sorted(
        m.upper()
        for m in view.http_method_names
        if hasattr(view, m) and m not in ("options", "head")
    )


class ApiRoot(APIView):
    """The endpoints of API v1 and where their documentation is."""

    permission_classes = [AllowAny]
    required_scope = NO_SCOPE
    authentication_classes = []

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        from . import api_urls

        base = request.build_absolute_uri(reverse("api-root"))
        endpoints = []
        for p in api_urls.urlpatterns:
            if isinstance(p, URLPattern) and str(p.pattern):
                endpoints.append(
                    {"path": base + str(p.pattern), "methods": _methods(p)}
                )
        return Response(
            {
                "version": "v1",
                "docs": request.build_absolute_uri(reverse("api-docs")),
                "schema": request.build_absolute_uri(reverse("api-schema")),
                "authentication": "Authorization: Token <your token>",
                "endpoints": endpoints,
            }
        )
