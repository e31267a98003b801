"""The REST API's one error shape: the exception handler every endpoint answers
through, and the serializer and helper that document it in the schema.

Every error is ``{"code": ..., "message": ..., "details"?: ...}``: a domain refusal
(:class:`common.errors.DomainError`, raised by a service and left to propagate), a
validation error (``invalid``, with per-field ``details``) or one of DRF's own
(``not_authenticated``, ``permission_denied``, ``parse_error``...).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import DataError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import DomainError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Answer every error as ``{"code": ..., "message": ..., "details": ...}``."""
    if isinstance(exc, DataError):
        # A value the database cannot hold (a number out of range, a date before
        # year 1...): the request's fault, and nothing was stored.
        return Response(
            {
                "code": "invalid",
                "message": _("A value in the request is out of range."),
            },
            status=400,
        )
    if isinstance(exc, DomainError):
        body: dict[str, Any] = {"code": exc.code, "message": exc.message}
        if exc.details is not None:
            body["details"] = exc.details
        return Response(body, status=exc.status)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        body = {
            "code": "invalid",
            # Query parameters and bodies alike; details say which field and why.
            "message": _("The request is not valid."),
            "details": response.data,
        }
    else:
        detail = (
            response.data.get("detail", "") if isinstance(response.data, dict) else ""
        )
        code = getattr(getattr(exc, "detail", None), "code", None) or getattr(
            exc, "default_code", "error"
        )
        body = {"code": str(code), "message": str(detail or exc)}
    response.data = body
    return response


class ErrorSerializer(serializers.Serializer[Any]):
    """The error body of every endpoint (documentation only)."""

    code = serializers.CharField(help_text="Stable machine-readable error code.")
    message = serializers.CharField(help_text="A sentence for people.")
    details = serializers.JSONField(
        required=False,
        help_text="More about the refusal: per-field messages (code 'invalid'), "
        "policy violations...",
    )


GENERIC_ERRORS = {
    400: "`invalid`: the body or a filter is not valid (see `details`); "
    "`parse_error`: the body is not JSON.",
    401: "`not_authenticated` / `authentication_failed`: no or a wrong token.",
    403: "`permission_denied`: the user's role may not do this.",
    404: "`not_found`: no such object, or outside the caller's reach.",
    409: "The object's state does not allow it.",
    410: "Gone: no longer available.",
    422: "The request is understood but refused by a rule.",
}


def error_responses(
    *statuses: int,
    codes: Iterable[str] = (),
    table: Mapping[str, tuple[int, object]] | None = None,
) -> dict[int, OpenApiResponse]:
    """OpenAPI responses for the given HTTP statuses, listing the domain ``codes``
    (looked up in ``table``, an app's :class:`common.errors.ErrorTable`)."""
    described: dict[int, list[str]] = {s: [GENERIC_ERRORS[s]] for s in statuses}
    for code in codes:
        if table is None:
            raise ValueError("error codes need the table that describes them")
        http_status, message = table[code]
        described.setdefault(http_status, []).append(f"`{code}`: {message}")
    return {
        http_status: OpenApiResponse(ErrorSerializer, description="<br>".join(lines))
        for http_status, lines in sorted(described.items())
    }


def page_of(
    name: str, item: type[serializers.Serializer[Any]], *, counted: bool = False
) -> serializers.Serializer[Any]:
    """The schema of a page an APIView answers through a DRF paginator by hand
    (drf-spectacular only sees the paginators of generic views): ``next`` and
    ``previous`` links, the ``results``, and ``count`` for limit/offset pages."""
    fields: dict[str, serializers.Field[Any, Any, Any, Any]] = {
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": item(many=True),
    }
    if counted:
        fields = {"count": serializers.IntegerField(), **fields}
    return inline_serializer(name, fields)


def list_of(
    name: str, item: type[serializers.Serializer[Any]]
) -> serializers.Serializer[Any]:
    """The schema of ``{"results": [...]}``, a short list that is not paged."""
    return inline_serializer(name, {"results": item(many=True)})
