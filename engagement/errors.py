"""Domain errors of engagement services: a stable code, a message a person can act
on, and the HTTP status the API answers with. Pages show ``message``; the API maps
them to ``dellsocial.api.ApiError``."""

from __future__ import annotations

from typing import Any


class EngagementError(Exception):
    http_status = 400

    def __init__(self, code: str, message: str, *, details: Any = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = str(message)
        self.details = details

    def __str__(self) -> str:
        return self.message


class NotFound(EngagementError):
    """The object does not exist or is outside the user's reach (never say which)."""

    http_status = 404


class NotAllowed(EngagementError):
    """In reach, but the user's role or relation to the object forbids the action."""

    http_status = 403


class Conflict(EngagementError):
    """The object is not in a state that allows the action (already approved...)."""

    http_status = 409


class Invalid(EngagementError):
    http_status = 400
