"""Errors of the ambassador program's services: a stable code, a message a person
can act on, and the HTTP status the API answers with (pages show the message)."""

from __future__ import annotations

from typing import Any


class ProgramError(Exception):
    http_status = 400

    def __init__(self, code: str, message: str, *, details: Any = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = str(message)
        self.details = details

    def __str__(self) -> str:
        return self.message


class Invalid(ProgramError):
    http_status = 400


class NotAllowed(ProgramError):
    http_status = 403


class NotFound(ProgramError):
    """Missing or out of the user's reach (never say which)."""

    http_status = 404


class Conflict(ProgramError):
    http_status = 409


class TooSoon(ProgramError):
    """A limit in time (cool-down, attempts per day); ``details`` says until when."""

    http_status = 429
