"""Hostile input stops at the door with a clear 400, before any view or database.

* ``RejectNulMiddleware``: a NUL character (``%00``) in the path, a query parameter
  or a form field (PostgreSQL text cannot hold one; no person types one).
* ``SafeJSONParser`` (DRF's parser for every endpoint): a body nested deeper than
  ``MAX_JSON_DEPTH``, refused instead of a RecursionError deep inside (NUL characters
  in JSON values are refused per field by DRF's CharField).
* ``json_loads_safe``: the same rules for views that read JSON themselves.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_JSON_DEPTH = 32


class HostileInput(ValueError):
    pass


class NulCharacter(HostileInput):
    pass


def _check(value: Any, depth: int = 0) -> None:
    if depth > MAX_JSON_DEPTH:
        raise HostileInput(
            _("The JSON body is nested more than %(depth)s levels deep.")
            % {"depth": MAX_JSON_DEPTH}
        )
    if isinstance(value, str):
        if "\x00" in value:
            raise NulCharacter(_("The input contains a NUL character."))
    elif isinstance(value, dict):
        for key, item in value.items():
            _check(key, depth + 1)
            _check(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _check(item, depth + 1)


def _has_nul_anywhere(*values: Any) -> bool:
    try:
        for value in values:
            _check(value)
    except NulCharacter:
        return True
    except HostileInput:
        return False
    return False


def _depth_check(value: Any, depth: int = 0) -> None:
    if depth > MAX_JSON_DEPTH:
        raise HostileInput(
            _("The JSON body is nested more than %(depth)s levels deep.")
            % {"depth": MAX_JSON_DEPTH}
        )
    if isinstance(value, dict):
        for item in value.values():
            _depth_check(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _depth_check(item, depth + 1)


def json_loads_safe(raw: bytes | str) -> Any:
    """``json.loads`` that refuses deep nesting and NUL characters (HostileInput;
    plain ValueError for what is not JSON)."""
    try:
        value = json.loads(raw)
    except RecursionError:
        raise HostileInput(
            _("The JSON body is nested more than %(depth)s levels deep.")
            % {"depth": MAX_JSON_DEPTH}
        ) from None
    _check(value)
    return value


class SafeJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", "utf-8")
        try:
            raw = stream.read() if stream is not None else b""
            # Depth only: NUL characters in values are refused per field by DRF's
            # CharField (ProhibitNullCharactersValidator), with the field's name.
            try:
                value = json.loads(raw.decode(encoding))
            except RecursionError:
                raise HostileInput(
                    _("The JSON body is nested more than %(depth)s levels deep.")
                    % {"depth": MAX_JSON_DEPTH}
                ) from None
            _depth_check(value)
            return value
        except HostileInput as error:
            raise ParseError(str(error)) from None
        except (ValueError, UnicodeDecodeError) as error:
            raise ParseError(
                _("JSON parse error: %(error)s") % {"error": error}
            ) from None


def _refuse(request: HttpRequest, message: str) -> HttpResponse:
    if request.path.startswith("/api/") or "json" in request.headers.get("Accept", ""):
        return JsonResponse({"code": "invalid_input", "message": message}, status=400)
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


def _has_nul(data) -> bool:
    return any(
        "\x00" in key or any("\x00" in v for v in values if isinstance(v, str))
        for key, values in data.lists()
    )


class RejectNulMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        message = _("The input contains a NUL character.")
        if "\x00" in request.path or _has_nul(request.GET):
            return _refuse(request, message)
        content_type = request.content_type or ""
        if request.method == "POST" and content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            try:
                if _has_nul(request.POST):
                    return _refuse(request, message)
            except MultiPartParserError:
                return _refuse(request, _("The form body cannot be read."))
        return self.get_response(request)
