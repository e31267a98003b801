"""Writes of surveys: building, links (personal and general), answering, analysis,
and the CSAT survey sent when a case is resolved."""

from ..models import invitation_url
from .answering import (
    MAX_TEXT_ANSWER,
    answers_validate,
    invitation_check,
    response_analyze,
    survey_response_submit,
)
from .building import (
    SURVEY_FIELDS,
    question_add,
    question_delete,
    question_errors,
    question_move,
    question_update,
    survey_create,
    survey_errors,
    survey_set_status,
    survey_update,
)
from .csat import csat_message, survey_for_case_csat
from .demo import DEMO_TITLE, demo_seed
from .links import (
    INVITATION_TTL,
    TOKEN_LENGTH,
    survey_invitation_attach_reply,
    survey_invitation_create,
    survey_link_create,
)

__all__ = [
    "DEMO_TITLE",
    "INVITATION_TTL",
    "MAX_TEXT_ANSWER",
    "SURVEY_FIELDS",
    "TOKEN_LENGTH",
    "answers_validate",
    "csat_message",
    "demo_seed",
    "invitation_check",
    "invitation_url",
    "question_add",
    "question_delete",
    "question_errors",
    "question_move",
    "question_update",
    "response_analyze",
    "survey_create",
    "survey_errors",
    "survey_for_case_csat",
    "survey_invitation_attach_reply",
    "survey_invitation_create",
    "survey_link_create",
    "survey_response_submit",
    "survey_set_status",
    "survey_update",
]
