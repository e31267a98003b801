"""Building surveys: settings and questions, checked by one set of rules for
forms, API and services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from ambassadors.models import Team
from coupons.models import Campaign

from ..errors import survey_error
from ..models import (
    CHOICE_KINDS,
    Question,
    QuestionKind,
    Survey,
)

MAX_CHOICES = 30

SURVEY_FIELDS = (
    "title_zh",
    "title_en",
    "intro_zh",
    "intro_en",
    "thanks_zh",
    "thanks_en",
    "status",
    "opens_at",
    "closes_at",
    "reward_campaign",
    "auto_csat",
)


def survey_errors(data: Mapping[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if (
        not (data.get("title_zh") or "").strip()
        and not (data.get("title_en") or "").strip()
    ):
        errors["title_zh"] = _("Give the survey a title.")
    opens, closes = data.get("opens_at"), data.get("closes_at")
    if opens and closes and closes <= opens:
        errors["closes_at"] = _("The survey must close after it opens.")
    if data.get("status") and data["status"] not in Survey.Status.values:
        errors["status"] = _("Unknown status.")
    return errors


def question_errors(data: Mapping[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    kind = data.get("kind")
    if kind not in QuestionKind.values:
        errors["kind"] = _("Choose a kind of question.")
    if (
        not (data.get("text_zh") or "").strip()
        and not (data.get("text_en") or "").strip()
    ):
        errors["text_zh"] = _("Write the question.")
    choices = data.get("choices") or []
    if kind in CHOICE_KINDS:
        if len(choices) < 2:
            errors["choices"] = _("Give at least two choices.")
        elif len(choices) > MAX_CHOICES:
            errors["choices"] = _("At most %(n)s choices.") % {"n": MAX_CHOICES}
        elif any(
            not isinstance(c, dict) or not (c.get("zh") or c.get("en")) for c in choices
        ):
            errors["choices"] = _("Every choice needs a text.")
    return errors


def _check(errors: dict[str, str]) -> None:
    if errors:
        field, message = next(iter(errors.items()))
        raise survey_error("invalid_survey", f"{field}: {message}")


def _question_data(data: Mapping[str, Any]) -> dict[str, Any]:
    kind = data.get("kind")
    choices = [
        {"zh": str(c.get("zh", "")).strip(), "en": str(c.get("en", "")).strip()}
        for c in (data.get("choices") or [])
        if isinstance(c, dict)
    ]
    return {
        "kind": kind,
        "text_zh": (data.get("text_zh") or "").strip(),
        "text_en": (data.get("text_en") or "").strip(),
        "required": bool(data.get("required", True)),
        "choices": choices if kind in CHOICE_KINDS else [],
    }


@transaction.atomic
def survey_create(
    *,
    title_zh: str,
    title_en: str = "",
    intro_zh: str = "",
    intro_en: str = "",
    thanks_zh: str = "",
    thanks_en: str = "",
    status: str = Survey.Status.DRAFT,
    opens_at: dt.datetime | None = None,
    closes_at: dt.datetime | None = None,
    reward_campaign: Campaign | None = None,
    auto_csat: bool = False,
    auto_csat_teams: Iterable[Team | int] = (),
    questions: Iterable[Mapping[str, Any]] = (),
    created_by: User | None = None,
) -> Survey:
    data = {
        "title_zh": title_zh.strip(),
        "title_en": title_en.strip(),
        "intro_zh": intro_zh,
        "intro_en": intro_en,
        "thanks_zh": thanks_zh,
        "thanks_en": thanks_en,
        "status": status,
        "opens_at": opens_at,
        "closes_at": closes_at,
        "reward_campaign": reward_campaign,
        "auto_csat": auto_csat,
    }
    _check(survey_errors(data))
    cleaned = [_question_data(q) for q in questions]
    for question in cleaned:
        _check(question_errors(question))
    if status == Survey.Status.OPEN and not cleaned:
        raise survey_error("survey_empty")
    survey = Survey.objects.create(created_by=created_by, **data)
    survey.auto_csat_teams.set(list(auto_csat_teams))
    Question.objects.bulk_create(
        Question(survey=survey, position=index, **question)
        for index, question in enumerate(cleaned, start=1)
    )
    return survey


@transaction.atomic
def survey_update(
    *,
    survey_id: int,
    auto_csat_teams: Iterable[Team | int] | None = None,
    **changes: Any,
) -> Survey:
    survey = Survey.objects.select_for_update().filter(id=survey_id).first()
    if survey is None:
        raise survey_error("survey_not_found")
    unknown = set(changes) - set(SURVEY_FIELDS)
    if unknown:
        raise TypeError(f"not survey settings: {sorted(unknown)}")
    data = {field: getattr(survey, field) for field in SURVEY_FIELDS} | changes
    _check(survey_errors(data))
    if changes.get("status") == Survey.Status.OPEN and not survey.questions.exists():
        raise survey_error("survey_empty")
    for field, value in changes.items():
        setattr(survey, field, value)
    if changes:
        survey.save(update_fields=[*changes, "updated_at"])
    if auto_csat_teams is not None:
        survey.auto_csat_teams.set(list(auto_csat_teams))
    return survey


def survey_set_status(*, survey_id: int, status: str) -> Survey:
    return survey_update(survey_id=survey_id, status=status)


@transaction.atomic
def question_add(*, survey_id: int, **data: Any) -> Question:
    survey = Survey.objects.select_for_update().filter(id=survey_id).first()
    if survey is None:
        raise survey_error("survey_not_found")
    question = _question_data(data)
    _check(question_errors(question))
    last = survey.questions.aggregate(m=Max("position"))["m"] or 0
    return Question.objects.create(survey=survey, position=last + 1, **question)


@transaction.atomic
def question_update(*, question_id: int, **data: Any) -> Question:
    question = Question.objects.select_for_update().get(id=question_id)
    new = _question_data(
        {
            "kind": question.kind,
            "text_zh": question.text_zh,
            "text_en": question.text_en,
            "required": question.required,
            "choices": question.choices,
        }
        | data
    )
    _check(question_errors(new))
    structure_changed = new["kind"] != question.kind or len(new["choices"]) < len(
        question.choices
    )
    if structure_changed and question.answers.exists():
        raise survey_error("question_answered")
    for field, value in new.items():
        setattr(question, field, value)
    question.save(update_fields=list(new))
    return question


@transaction.atomic
def question_delete(*, question_id: int) -> None:
    question = Question.objects.select_for_update().filter(id=question_id).first()
    if question is None:
        return
    if question.answers.exists():
        raise survey_error("question_answered")
    # The survey row is locked too, so two deletions cannot both see "one left".
    survey = Survey.objects.select_for_update().get(id=question.survey_id)
    if (
        survey.status == Survey.Status.OPEN
        and not survey.questions.exclude(id=question.id).exists()
    ):
        raise survey_error("survey_last_question")
    question.delete()


@transaction.atomic
def question_move(*, question_id: int, offset: int) -> None:
    """Move a question up (offset -1) or down (+1) in its survey."""
    question = Question.objects.select_for_update().get(id=question_id)
    siblings = list(
        Question.objects.select_for_update()
        .filter(survey_id=question.survey_id)
        .order_by("position", "id")
    )
    index = next(i for i, q in enumerate(siblings) if q.id == question.id)
    target = index + offset
    if not 0 <= target < len(siblings):
        return
    siblings.insert(target, siblings.pop(index))
    for position, sibling in enumerate(siblings, start=1):
        sibling.position = position
    Question.objects.bulk_update(siblings, ["position"])
