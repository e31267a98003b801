"""The surveys' error responses: the offers API shape, with the survey codes."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse

from coupons.api import ErrorSerializer
from coupons.api import errors as generic_errors
from dellsocial.api import ApiError

from ..errors import ERRORS, SurveyError


def api_error(error: SurveyError) -> ApiError:
    return ApiError(error.code, error.message, http_status=error.status)


def errors(*statuses: int, codes: tuple[str, ...] = ()) -> dict:
    responses = generic_errors(*statuses)
    described: dict[int, list[str]] = {}
    for code in codes:
        http_status, message = ERRORS[code]
        described.setdefault(http_status, []).append(f"`{code}`: {message}")
    for http_status, lines in described.items():
        previous = responses.get(http_status)
        text = "<br>".join(
            ([previous.description] if previous is not None else []) + lines
        )
        responses[http_status] = OpenApiResponse(ErrorSerializer, description=text)
    return dict(sorted(responses.items()))
