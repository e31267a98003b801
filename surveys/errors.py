"""The refusals of surveys: a stable code, a sentence for people, an HTTP status.

Raised as :class:`common.errors.DomainError` (``survey_error(code)``). Invalid
answers are ``invalid_answers`` with ``details`` mapping question id → message.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from common.errors import ErrorTable

ERRORS = ErrorTable(
    {
        "survey_not_found": (404, _("No such survey.")),
        "link_not_found": (404, _("This survey link is not valid. Please check it.")),
        "link_used": (
            410,
            _("This survey link has already been used. Thank you for your answers!"),
        ),
        "link_expired": (410, _("This survey link has expired.")),
        "survey_closed": (
            410,
            _("This survey is closed. Thank you for your interest!"),
        ),
        "survey_not_open": (403, _("This survey is not open yet.")),
        "survey_empty": (
            409,
            _(
                "A survey needs at least one question to open: add a question, or "
                "save it as a draft."
            ),
        ),
        "survey_last_question": (
            409,
            _(
                "An open survey keeps at least one question: close it or set it back "
                "to draft before removing its last question."
            ),
        ),
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
)

survey_error = ERRORS.error
