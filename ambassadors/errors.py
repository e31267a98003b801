"""The program's refusals: ``common.errors.DomainError`` with a fixed HTTP status
per kind (a stable code, a message a person can act on)."""

from __future__ import annotations

from typing import Any

from common.errors import DomainError


class ProgramError(DomainError):
    http_status = 400

    def __init__(self, code: str, message: object, *, details: Any = None) -> None:
        super().__init__(code, message, self.http_status, details=details)


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
