"""Each platform's reading of an HTTP answer: the JSON body, or the PlatformError it
stands for (error codes, quotas, 4xx/5xx without a body).

The platform adapters, the direct-message and share modules and the publishing
platforms all read responses through these, so none of them imports another's
adapter for it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import requests

from ._common import as_str, clamp_count, decode_json, top_of_next_hour
from .base import (
    DuplicateContent,
    MalformedPayload,
    PermanentError,
    PlatformError,
    RateLimited,
    TransientError,
)

# Weibo error codes: quota, duplicate post, server trouble.
WEIBO_RATE_LIMIT_CODES = frozenset({"10022", "10023", "10024", "20016"})
WEIBO_DUPLICATE_CODES = frozenset({"20017", "20019", "20111"})
WEIBO_TRANSIENT_CODES = frozenset({"10001", "10002", "10003", "10009"})
# Twitter (v1.1 codes; v2 speaks problem objects)
TWITTER_V1_RATE_LIMIT_CODES = frozenset({"88"})
TWITTER_V1_DUPLICATE_CODES = frozenset({"187"})
TWITTER_V1_TRANSIENT_CODES = frozenset({"130", "131"})


# Weibo


def _weibo_error_code(body: Any) -> str:
    """The error code of an error body, '' for anything else."""
    if not isinstance(body, dict) or "error_code" not in body:
        return ""
    code = body.get("error_code")
    if code is None or code == "" or code == 0 or code == "0":
        return ""
    return as_str(code).strip()


def weibo_error_for(body: dict[str, Any], *, http_status: int = 0) -> PlatformError:
    """The exception an error body stands for."""
    code = _weibo_error_code(body)
    message = as_str(body.get("error")) or as_str(body.get("error_msg")) or "error"
    if code in WEIBO_RATE_LIMIT_CODES:
        return RateLimited(
            message, reset_at=top_of_next_hour(), code=code, http_status=http_status
        )
    if code in WEIBO_DUPLICATE_CODES:
        return DuplicateContent(message, code=code, http_status=http_status)
    if code in WEIBO_TRANSIENT_CODES:
        return TransientError(message, code=code, http_status=http_status)
    return PermanentError(message, code=code, http_status=http_status)


def weibo_raise_for_error(body: Any, *, http_status: int = 0) -> None:
    if _weibo_error_code(body):
        raise weibo_error_for(body, http_status=http_status)


def weibo_decode(response: requests.Response) -> Any:
    """The JSON of a response, or the PlatformError it stands for."""
    status = response.status_code
    try:
        body = decode_json(response.content)
    except MalformedPayload as error:
        if status == 429:
            raise RateLimited(
                "HTTP 429", reset_at=top_of_next_hour(), http_status=status
            ) from None
        if status >= 500:
            raise TransientError(f"HTTP {status}", http_status=status) from None
        if status >= 400:
            raise PermanentError(f"HTTP {status}", http_status=status) from None
        error.http_status = status
        raise
    weibo_raise_for_error(body, http_status=status)
    if status == 429:
        raise RateLimited("HTTP 429", reset_at=top_of_next_hour(), http_status=status)
    if status >= 500:
        raise TransientError(f"HTTP {status}", http_status=status)
    if status >= 400:
        message = as_str(body.get("error")) if isinstance(body, dict) else ""
        raise PermanentError(message or f"HTTP {status}", http_status=status)
    return body


# Twitter


def _twitter_reset_at(response: requests.Response | None) -> dt.datetime | None:
    if response is None:
        return None
    value = response.headers.get("x-rate-limit-reset", "").strip()
    if not (value.isascii() and value.isdigit()):
        return None
    try:
        return dt.datetime.fromtimestamp(int(value), tz=dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None


def twitter_error_for(
    body: Any, *, http_status: int = 0, response: requests.Response | None = None
) -> PlatformError:
    """The exception a problem object (v2) or an errors list (v1.1) stands for."""
    if not isinstance(body, dict):
        body = {}
    errors = body.get("errors")
    if not isinstance(errors, list):
        errors = []
    first = errors[0] if errors and isinstance(errors[0], dict) else {}
    if "code" in first and "title" not in body:
        # v1.1: {"errors": [{"code": 88, "message": "Rate limit exceeded"}]}
        code = as_str(first.get("code"))
        message = as_str(first.get("message")) or "error"
        if code in TWITTER_V1_RATE_LIMIT_CODES or http_status == 429:
            return RateLimited(
                message,
                reset_at=_twitter_reset_at(response),
                code=code,
                http_status=http_status,
            )
        if code in TWITTER_V1_DUPLICATE_CODES:
            return DuplicateContent(message, code=code, http_status=http_status)
        if code in TWITTER_V1_TRANSIENT_CODES or http_status >= 500:
            return TransientError(message, code=code, http_status=http_status)
        return PermanentError(message, code=code, http_status=http_status)
    title = as_str(body.get("title"))
    detail = as_str(body.get("detail")) or as_str(first.get("message"))
    problem = as_str(body.get("type"))
    status = clamp_count(body.get("status")) or http_status
    message = ": ".join(part for part in (title, detail) if part) or f"HTTP {status}"
    code = str(status) if status else problem.rsplit("/", 1)[-1]
    if (
        status == 429
        or title in ("Too Many Requests", "UsageCapExceeded")
        or problem.endswith(("/usage-capped", "/rate-limit"))
    ):
        return RateLimited(
            message,
            reset_at=_twitter_reset_at(response),
            code=code,
            http_status=http_status,
        )
    if "duplicate" in detail.lower() or "duplicate" in title.lower():
        return DuplicateContent(message, code=code, http_status=http_status)
    if status >= 500 or problem.endswith("/service-unavailable"):
        return TransientError(message, code=code, http_status=http_status)
    return PermanentError(message, code=code, http_status=http_status)


def twitter_decode(response: requests.Response) -> Any:
    status = response.status_code
    try:
        body = decode_json(response.content)
    except MalformedPayload as error:
        body = None
        malformed: MalformedPayload | None = error
    else:
        malformed = None
    if status == 429:
        raise twitter_error_for(
            body or {"status": 429}, http_status=status, response=response
        )
    if status >= 500:
        if body is not None:
            message = twitter_error_for(body, http_status=status).message
            raise TransientError(message, code=str(status), http_status=status)
        raise TransientError(f"HTTP {status}", code=str(status), http_status=status)
    if status >= 400:
        if body is None:
            raise PermanentError(f"HTTP {status}", code=str(status), http_status=status)
        raise twitter_error_for(body, http_status=status, response=response)
    if malformed is not None:
        malformed.http_status = status
        raise malformed
    return body


# Renren


def _renren_error_code(body: Any) -> tuple[str, str] | None:
    """(code, message) of an error body (API 2.0 or REST 1.0), None for data."""
    if not isinstance(body, dict):
        return None
    error = body.get("error")
    if isinstance(error, dict) and "response" not in body:
        return as_str(error.get("code")) or "error", as_str(error.get("message"))
    if isinstance(error, str) and "response" not in body:
        # An OAuth-style error: {"error": "invalid_token", "error_description": ...}
        return error, as_str(body.get("error_description"))
    if "error_code" in body and body.get("error_code") not in (None, 0, "0", ""):
        return as_str(body.get("error_code")), as_str(body.get("error_msg"))
    return None


def renren_error_for(code: str, message: str, *, http_status: int = 0) -> PlatformError:
    message = message or code
    upper = code.upper()
    if "OVER_INVOCATION_LIMIT" in upper or "OVER-INVOCATION-LIMIT" in upper:
        return RateLimited(message, reset_at=None, code=code, http_status=http_status)
    if code.lower().startswith("internal_error"):
        return TransientError(message, code=code, http_status=http_status)
    return PermanentError(message, code=code, http_status=http_status)


def renren_raise_for_error(body: Any, *, http_status: int = 0) -> None:
    found = _renren_error_code(body)
    if found:
        raise renren_error_for(*found, http_status=http_status)


def renren_decode(response: requests.Response) -> Any:
    status = response.status_code
    try:
        body = decode_json(response.content)
    except MalformedPayload as error:
        if status == 429:
            raise RateLimited(f"HTTP {status}", http_status=status) from None
        if status >= 500:
            raise TransientError(f"HTTP {status}", http_status=status) from None
        if status >= 400:
            raise PermanentError(f"HTTP {status}", http_status=status) from None
        error.http_status = status
        raise
    renren_raise_for_error(body, http_status=status)
    if status == 429:
        raise RateLimited(f"HTTP {status}", http_status=status)
    if status >= 500:
        raise TransientError(f"HTTP {status}", http_status=status)
    if status >= 400:
        raise PermanentError(f"HTTP {status}", http_status=status)
    return body
