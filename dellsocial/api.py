"""Shared pieces of the REST API: the error shape every endpoint answers with."""

from typing import Any

from django.db import DataError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class ApiError(exceptions.APIException):
    """A domain error with a stable machine-readable code, e.g. ``code_expired``."""

    status_code = status.HTTP_400_BAD_REQUEST

    def __init__(self, code: str, message: str, *, http_status: int = 400) -> None:
        super().__init__(detail=message, code=code)
        self.status_code = http_status
        self.error_code = code
        self.message = message


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
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, ApiError):
        return Response(
            {"code": exc.error_code, "message": exc.message}, status=exc.status_code
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        body = {
            "code": "invalid",
            "message": "The request body is not valid.",
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
