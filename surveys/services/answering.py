"""Answering through a link: all or nothing, single use, rewards, text analysis."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import TypedDict

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import DomainError
from coupons.services import coupon_issue
from dellsocial import pipeline
from dellsocial.celery import app
from notifications.services import notification_send

from ..analysis import text_analyze
from ..errors import survey_error
from ..models import (
    CHOICE_KINDS,
    TEXT_KINDS,
    Answer,
    Invitation,
    Question,
    QuestionKind,
    Response,
    Survey,
)

logger = logging.getLogger(__name__)

# The longest free-text answer kept: a product idea fits; a flood does not.
MAX_TEXT_ANSWER = 2000


def invitation_check(
    invitation: Invitation | None, *, at: dt.datetime | None = None
) -> Invitation:
    """Raise why a link cannot be answered now, if it cannot."""
    at = at or timezone.now()
    if invitation is None:
        raise survey_error("link_not_found")
    survey = invitation.survey
    if survey.status == Survey.Status.CLOSED or (
        survey.closes_at and survey.closes_at <= at
    ):
        raise survey_error("survey_closed")
    if survey.status == Survey.Status.DRAFT or (
        survey.opens_at and at < survey.opens_at
    ):
        raise survey_error("survey_not_open")
    if invitation.is_personal and invitation.used_at is not None:
        raise survey_error("link_used")
    if invitation.expires_at and invitation.expires_at <= at:
        raise survey_error("link_expired")
    return invitation


def _clean_text(value: str) -> str:
    """Untrusted text → what is stored: no NUL or other control characters (bar
    newlines and tabs), no lone surrogates, unified newlines, trimmed."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(
        ch
        for ch in value
        if (ch in "\n\t" or ord(ch) >= 32)
        and ord(ch) != 127
        and not 0xD800 <= ord(ch) <= 0xDFFF
    ).strip()


def _integers(values: Sequence[object]) -> list[int] | None:
    try:
        return [int(str(v).strip()) for v in values]
    except (TypeError, ValueError):
        return None


class AnswerFields(TypedDict, total=False):
    """The Answer columns one question's answer fills."""

    text: str
    choice_indexes: list[int]
    number: int


def _answer_parse(
    question: Question, values: Sequence[object]
) -> tuple[AnswerFields | None, str]:
    """One question's raw values → the Answer fields (None: unanswered), or an error."""
    values = [v for v in values if str(v).strip() != ""]
    if not values:
        return None, (_("Please answer this question.") if question.required else "")
    if question.kind in TEXT_KINDS:
        text = _clean_text(str(values[0]))
        if not text:
            return None, (
                _("Please answer this question.") if question.required else ""
            )
        if len(text) > MAX_TEXT_ANSWER:
            return None, _("At most %(n)s characters, please.") % {"n": MAX_TEXT_ANSWER}
        return {"text": text}, ""
    numbers = _integers(values)
    if numbers is None:
        return None, _("Please choose one of the options.")
    if question.kind in CHOICE_KINDS:
        valid = range(len(question.choices))
        if any(n not in valid for n in numbers):
            return None, _("Please choose one of the options.")
        if question.kind == QuestionKind.SINGLE and len(numbers) != 1:
            return None, _("Please choose only one option.")
        return {"choice_indexes": sorted(set(numbers))}, ""
    if len(numbers) != 1 or numbers[0] not in question.scale:
        return None, _("Please choose a score from %(low)s to %(high)s.") % {
            "low": question.scale[0],
            "high": question.scale[-1],
        }
    return {"number": numbers[0]}, ""


def answers_validate(
    questions: Iterable[Question], answers: Mapping[int, Sequence[object]]
) -> dict[int, AnswerFields]:
    """Every question's answer, parsed; raises ``invalid_answers`` with a
    message per question when any is wrong."""
    parsed: dict[int, AnswerFields] = {}
    errors: dict[int, str] = {}
    for question in questions:
        raw: object = answers.get(question.id, [])
        values = list(raw) if isinstance(raw, list | tuple) else [raw]
        fields, error = _answer_parse(question, values)
        if error:
            errors[question.id] = error
        elif fields is not None:
            parsed[question.id] = fields
    if errors:
        raise survey_error("invalid_answers", details=errors)
    return parsed


def survey_response_submit(
    *,
    token: str,
    answers: Mapping[int, Sequence[object]],
    language: str = "zh-hans",
) -> Response:
    """Store one respondent's answers through a link, all or nothing.

    A personal link is claimed with a compare-and-set in the same transaction, so of
    concurrent submissions exactly one is stored and the others get ``link_used``.
    A respondent we know (personal link) gets the survey's reward code, if any.
    Raises a ``DomainError``: ``link_not_found``, ``link_used``, ``link_expired``,
    ``survey_closed``, ``survey_not_open``, or ``invalid_answers`` (``details``:
    question id → message).
    """
    invitation = Invitation.objects.select_related("survey").filter(token=token).first()
    invitation = invitation_check(invitation)
    survey = invitation.survey
    questions = list(survey.questions.all())
    parsed = answers_validate(questions, answers)
    with transaction.atomic():
        response = _response_store(
            invitation=invitation,
            questions=questions,
            parsed=parsed,
            language=language,
        )
    return response


def _response_store(
    *,
    invitation: Invitation,
    questions: list[Question],
    parsed: Mapping[int, AnswerFields],
    language: str,
) -> Response:
    now = timezone.now()
    if invitation.is_personal:
        claimed = Invitation.objects.filter(
            id=invitation.id, used_at__isnull=True
        ).update(used_at=now)
        if claimed != 1:
            raise survey_error("link_used")
    first_of: dict[str, int] = {}
    for question in questions:
        first_of.setdefault(question.kind, question.id)
    nps = parsed.get(first_of.get(QuestionKind.NPS, 0), {}).get("number")
    csat = parsed.get(first_of.get(QuestionKind.RATING, 0), {}).get("number")
    response = Response.objects.create(
        survey_id=invitation.survey_id,
        invitation=invitation,
        platform=invitation.platform,
        platform_user_id=invitation.platform_user_id,
        case_id=invitation.case_id,
        ambassador_id=invitation.ambassador_id,
        language="en" if language.startswith("en") else "zh-hans",
        submitted_at=now,
        nps_score=nps,
        csat_score=csat,
    )
    Answer.objects.bulk_create(
        Answer(response=response, question_id=question_id, **fields)
        for question_id, fields in parsed.items()
    )
    _reward_give(response=response, invitation=invitation)
    if response.ambassador_id and csat is not None:
        # A CSAT answer counts for the ambassador (points, and experience toward
        # Expert).
        pipeline.activity_recorded(
            user_id=response.ambassador_id,
            kind="csat_answer",
            key=f"survey_response:{response.id}",
            occurred_at=now.isoformat(),
            value=float(csat),
        )
    pipeline.webhook_event(
        "survey.response_submitted",
        key=f"survey.response_submitted:{response.pk}",
        data={
            "response_id": response.pk,
            "survey_id": response.survey_id,
            "case_id": response.case_id,
            "platform": response.platform,
            "nps_score": nps,
            "csat_score": csat,
            "language": response.language,
            "submitted_at": now.isoformat(),
        },
    )
    _low_score_notify(response, invitation)
    if any("text" in fields for fields in parsed.values()):
        transaction.on_commit(lambda: _analysis_enqueue(response.id))
    return response


def _low_score_notify(response: Response, invitation: Invitation) -> None:
    """A low CSAT or NPS tells the ambassador whose case it was (once)."""

    low_csat = response.csat_score is not None and (
        response.csat_score <= settings.SURVEYS_LOW_CSAT
    )
    low_nps = response.nps_score is not None and (
        response.nps_score <= settings.SURVEYS_LOW_NPS
    )
    if not (low_csat or low_nps) or not response.ambassador_id:
        return
    score = (
        f"CSAT {response.csat_score}/5" if low_csat else f"NPS {response.nps_score}/10"
    )
    notification_send(
        user_ids=[response.ambassador_id],
        kind="surveys.low_score",
        params={
            "case": response.case_id or "",
            "score": score,
            "survey": invitation.survey.title(response.language),
        },
        url=f"/engagement/cases/{response.case_id}/" if response.case_id else "",
        dedupe_key=f"low_score:{response.pk}",
    )


# The analysis task, sent by its stable name (surveys.tasks imports these services).
ANALYZE_RESPONSE_TASK = "surveys.analyze_response"


def _analysis_enqueue(response_id: int) -> None:
    """Ask a worker for the text analysis. The answers are already stored: a broker
    that is down must not turn the respondent's success into an error (the results
    page analyses what the worker has not)."""
    try:
        app.send_task(ANALYZE_RESPONSE_TASK, args=[response_id])
    except Exception:
        logger.warning("could not enqueue the analysis of response %s", response_id)


def _reward_give(*, response: Response, invitation: Invitation) -> None:
    survey = invitation.survey
    if not (survey.reward_campaign_id and invitation.is_personal):
        return
    try:
        with transaction.atomic():
            code = coupon_issue(
                campaign_id=survey.reward_campaign_id,
                platform=invitation.platform,
                platform_user_id=invitation.platform_user_id,
                ambassador=invitation.ambassador,
                case_id=invitation.case_id,
                mention_id=invitation.mention_id,
            )
    except DomainError as error:
        # The answers count even when the reward ran out: say so, keep them.
        logger.info("survey %s: no reward (%s)", survey.id, error.code)
        return
    response.reward_code = code
    response.save(update_fields=["reward_code"])


def response_analyze(*, response_id: int) -> int:
    """Keywords and sentiment of a response's text answers (idempotent)."""
    answers = list(
        Answer.objects.filter(
            response_id=response_id, analyzed_at__isnull=True
        ).exclude(text="")
    )
    now = timezone.now()
    for answer in answers:
        result = text_analyze(answer.text)
        answer.keywords = result.keywords
        answer.sentiment = result.sentiment
        answer.analyzed_at = now
    Answer.objects.bulk_update(answers, ["keywords", "sentiment", "analyzed_at"])
    return len(answers)
