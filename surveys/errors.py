"""Domain errors of surveys: a stable code, a sentence for people, an HTTP status."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ERRORS: dict[str, tuple[int, object]] = {
    "survey_not_found": (404, _("No such survey.")),
    "link_not_found": (404, _("This survey link is not valid. Please check it.")),
    "link_used": (
        410,
        _("This survey link has already been used. Thank you for your answers!"),
    ),
    "link_expired": (410, _("This survey link has expired.")),
    "survey_closed": (410, _("This survey is closed. Thank you for your interest!")),
    "survey_not_open": (403, _("This survey is not open yet.")),
    "survey_empty": (409, _("A survey needs at least one question to open.")),
    "question_answered": (
        409,
        _("This question already has answers: only its wording can change."),
    ),
    "invalid_answers": (400, _("Some answers need your attention.")),
    "invalid_survey": (400, _("The survey settings are not valid.")),
    "invalid_platform": (400, _("Unknown platform.")),
    "invalid_customer": (400, _("The customer's platform identity is missing.")),
    "case_not_found": (404, _("No such case.")),
}


class SurveyError(Exception):
    def __init__(self, code: str, message: object | None = None) -> None:
        status, default = ERRORS[code]
        self.code = code
        self.status = status
        self.message = str(message or default)
        super().__init__(self.message)


class AnswersInvalid(SurveyError):
    """The answers break some rules; ``errors`` maps question id → message."""

    def __init__(self, errors: dict[int, str]) -> None:
        super().__init__("invalid_answers")
        self.errors = errors
