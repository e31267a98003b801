"""The one domain error of every app: a stable code, a sentence a person can act on,
and the HTTP status the API answers with.

Services raise it; pages show ``message``; the API's exception handler
(``common.api.exception_handler``) answers ``{"code", "message", "details"?}`` with
``status``. An app with a fixed table of refusals keeps it as an :class:`ErrorTable`,
which also documents the codes in the API schema (``common.api.error_responses``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

BAD_REQUEST = 400
FORBIDDEN = 403
NOT_FOUND = 404
CONFLICT = 409
GONE = 410
UNPROCESSABLE = 422


class DomainError(Exception):
    """A service refused: ``code`` for machines, ``message`` for people, ``status``
    for HTTP. ``details`` (JSON-able) says more, e.g. per-field messages."""

    def __init__(
        self,
        code: str,
        message: object,
        status: int = BAD_REQUEST,
        *,
        details: Any = None,
    ) -> None:
        self.code = code
        # Rendered now, in the language active where the refusal happened.
        self.message = str(message)
        self.status = status
        self.details = details
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"DomainError({self.code!r}, {self.message!r}, {self.status})"


# Named refusals by HTTP meaning, for services whose codes are not in a table.


def invalid(code: str, message: object, *, details: Any = None) -> DomainError:
    """The input is not valid."""
    return DomainError(code, message, BAD_REQUEST, details=details)


def not_allowed(code: str, message: object, *, details: Any = None) -> DomainError:
    """In reach, but the user's role or relation to the object forbids the action."""
    return DomainError(code, message, FORBIDDEN, details=details)


def not_found(code: str, message: object, *, details: Any = None) -> DomainError:
    """The object does not exist or is outside the user's reach (never say which)."""
    return DomainError(code, message, NOT_FOUND, details=details)


def conflict(code: str, message: object, *, details: Any = None) -> DomainError:
    """The object is not in a state that allows the action (already approved...)."""
    return DomainError(code, message, CONFLICT, details=details)


class ErrorTable(Mapping[str, tuple[int, object]]):
    """An app's table of refusals: ``code → (HTTP status, default message)``.

    ``table.error(code)`` builds the :class:`DomainError`; the table itself is what
    the schema lists for an endpoint's codes.
    """

    def __init__(self, entries: Mapping[str, tuple[int, object]]) -> None:
        self._entries = dict(entries)

    def __getitem__(self, code: str) -> tuple[int, object]:
        return self._entries[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def error(
        self, code: str, message: object | None = None, *, details: Any = None
    ) -> DomainError:
        status, default = self._entries[code]
        return DomainError(code, message or default, status, details=details)
