"""The error shape of the offers API and its documentation in the schema."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from dellsocial.api import ApiError

from ..errors import ERRORS, CouponError


def api_error(error: CouponError) -> ApiError:
    return ApiError(error.code, error.message, http_status=error.status)


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
