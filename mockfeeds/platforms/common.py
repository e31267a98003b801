"""What every mock endpoint does around its own work: admission (faults on demand,
quota), the token check, making the posts due, and spoiling the answer when a
malformed/truncated fault is armed."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from ..published import mock_published_catch_up
from ..services import Admission, mock_request_admit
from ..traffic import mock_traffic_catch_up

# What a broken proxy in front of the platform sends instead of JSON.
GARBAGE = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n"
)
AUTH_SCHEMES = ("oauth2", "bearer", "oauth", "mac")


@dataclass(frozen=True, slots=True)
class Dialect:
    """How one platform says no."""

    platform: str
    unauthorized: Callable[[HttpRequest], HttpResponse]
    rate_limited: Callable[[HttpRequest, Admission], HttpResponse]
    server_error: Callable[[HttpRequest], HttpResponse]
    # Headers on every answer (Twitter's x-rate-limit-*); None: none.
    headers: Callable[[Admission], dict[str, str]] | None = None


def token_of(request: HttpRequest) -> str:
    """Any non-empty token: access_token parameter or form field, or an
    Authorization header (OAuth2 / Bearer / OAuth / MAC)."""
    token = request.GET.get("access_token") or ""
    if not token and request.method == "POST":
        content_type = request.content_type or ""
        if content_type.startswith(("application/x-www-form", "multipart/")):
            token = request.POST.get("access_token") or ""
    if token.strip():
        return token.strip()
    header = request.headers.get("Authorization", "").strip()
    scheme, _, value = header.partition(" ")
    if scheme.lower() in AUTH_SCHEMES and value.strip():
        return value.strip()
    return ""


def json_response(
    content: bytes, *, status: int = 200, content_type: str = "application/json"
) -> HttpResponse:
    return HttpResponse(content, status=status, content_type=content_type)


def endpoint(
    dialect: Dialect,
    *,
    methods: tuple[str, ...] = ("GET",),
    read: bool = True,
    counted: bool = True,
):
    """Wrap a view ``view(request, admission, *args)`` of ``dialect``'s platform."""

    def wrap(view):
        @csrf_exempt
        @functools.wraps(view)
        def handler(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method not in methods:
                response = HttpResponse(status=405)
                response["Allow"] = ", ".join(methods)
                return response
            admission = mock_request_admit(platform=dialect.platform, counted=counted)
            if admission.slow_seconds:
                time.sleep(admission.slow_seconds)
            response = _answer(dialect, view, request, admission, read, args, kwargs)
            if dialect.headers is not None:
                for name, value in dialect.headers(admission).items():
                    response[name] = value
            return response

        return handler

    return wrap


def _answer(dialect, view, request, admission, read, args, kwargs) -> HttpResponse:
    if admission.fault == "rate_limit" or (admission.over_limit and token_of(request)):
        return dialect.rate_limited(request, admission)
    if admission.fault == "error_500":
        return dialect.server_error(request)
    if not token_of(request):
        return dialect.unauthorized(request)
    if read:
        mock_traffic_catch_up(state=admission.state)
        # The public's reaction to the brand's own posts (mockfeeds/published.py).
        mock_published_catch_up(platform=dialect.platform)
    response = view(request, admission, *args, **kwargs)
    if admission.fault == "malformed":
        response.content = GARBAGE
    elif admission.fault == "truncated":
        content = response.content
        response.content = content[: max(1, len(content) // 2)]
    return response


def int_param(
    request: HttpRequest, name: str, default: int | None = None, *, source=None
) -> int | None:
    """An integer parameter; None when absent; ValueError when not an integer."""
    value = (source if source is not None else request.GET).get(name, "")
    value = value.strip()
    if value == "":
        return default
    return int(value)
