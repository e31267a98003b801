"""Taking the training: lessons read, quiz attempts started and submitted.

The answer key stays on the server: an attempt hands out questions and choices in
its own shuffled order, and only the submission's result says which were right.
Submitting is a compare-and-set on the attempt's status, so two concurrent
submissions of one attempt are counted once.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..advocacy.points import points_record
from ..certification.services import certification_recompute
from ..errors import Conflict, Invalid, NotFound, TooSoon
from ..models.training import (
    Attempt,
    AttemptAnswer,
    AttemptStatus,
    Course,
    Lesson,
    LessonProgress,
    QuestionKind,
    Quiz,
)

# A submission this long after the deadline still counts: the page's clock and the
# network take a few seconds.
SUBMIT_GRACE_SECONDS = 30
_random = random.SystemRandom()


@transaction.atomic
def lesson_complete(*, user: User, lesson_id: int) -> LessonProgress:
    lesson = Lesson.objects.filter(pk=lesson_id, course__published=True).first()
    if lesson is None:
        raise NotFound("not_found", _("No such lesson."))
    progress, _created = LessonProgress.objects.get_or_create(user=user, lesson=lesson)
    return progress


def _quiz_of(course_id: int) -> Quiz:
    quiz = (
        Quiz.objects.select_related("course")
        .filter(course_id=course_id, course__published=True)
        .first()
    )
    if quiz is None:
        raise NotFound("not_found", _("This course has no quiz."))
    return quiz


def attempt_limits(*, user: User, quiz: Quiz, now: dt.datetime) -> None:
    """Raise TooSoon when the cool-down or the day's attempts forbid a new one."""
    last_failed = (
        Attempt.objects.filter(
            user=user, quiz=quiz, status=AttemptStatus.SUBMITTED, passed=False
        )
        .order_by("-submitted_at")
        .values_list("submitted_at", flat=True)
        .first()
    )
    if last_failed is not None and quiz.cooldown_minutes:
        ready = last_failed + dt.timedelta(minutes=quiz.cooldown_minutes)
        if ready > now:
            raise TooSoon(
                "cooldown",
                _("You can retake this quiz from %(time)s.")
                % {"time": timezone.localtime(ready).strftime("%Y-%m-%d %H:%M")},
                details={"retry_at": ready.isoformat()},
            )
    day_start = timezone.localtime(now).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    today = Attempt.objects.filter(
        user=user, quiz=quiz, started_at__gte=day_start
    ).count()
    if quiz.max_attempts_per_day and today >= quiz.max_attempts_per_day:
        tomorrow = day_start + dt.timedelta(days=1)
        raise TooSoon(
            "daily_limit",
            _("You have used today's %(n)d attempts; try again tomorrow.")
            % {"n": quiz.max_attempts_per_day},
            details={"retry_at": tomorrow.isoformat()},
        )


@transaction.atomic
def attempt_start(
    *, user: User, course_id: int, now: dt.datetime | None = None
) -> Attempt:
    """A new attempt with its own order of questions and choices; an attempt still
    running is resumed instead (reloading the page does not cost an attempt)."""
    now = now or timezone.now()
    quiz = _quiz_of(course_id)
    running = (
        Attempt.objects.select_for_update()
        .filter(
            user=user,
            quiz=quiz,
            status=AttemptStatus.IN_PROGRESS,
            deadline__gt=now,
        )
        .order_by("-started_at")
        .first()
    )
    if running is not None:
        return running
    attempt_limits(user=user, quiz=quiz, now=now)
    layout = []
    questions = list(quiz.questions.prefetch_related("choices"))
    if not questions:
        raise NotFound("not_found", _("This quiz has no questions yet."))
    _random.shuffle(questions)
    for question in questions:
        choice_ids = [c.pk for c in question.choices.all()]
        _random.shuffle(choice_ids)
        layout.append([question.pk, choice_ids])
    return Attempt.objects.create(
        user=user,
        quiz=quiz,
        layout=layout,
        started_at=now,
        deadline=now + dt.timedelta(minutes=quiz.time_limit_minutes or 24 * 60),
    )


@dataclass(slots=True)
class QuestionResult:
    question_id: int
    chosen: list[int]
    correct_choices: list[int]
    correct: bool


@dataclass(slots=True)
class AttemptResult:
    attempt: Attempt
    score: int
    passed: bool
    questions: list[QuestionResult] = field(default_factory=list)


def _parse_answers(
    answers: Any, layout: dict[int, list[int]], kinds: dict[int, str]
) -> dict[int, list[int]]:
    """{"<question id>": ["<choice id>", ...]} → {question: [choice, ...]},
    refusing anything that is not a question and choice of this attempt."""
    if not isinstance(answers, dict):
        raise Invalid("invalid_answers", _("answers must be an object."))
    parsed: dict[int, list[int]] = {}
    for raw_question, raw_choices in answers.items():
        try:
            question_id = int(str(raw_question))
        except ValueError:
            raise Invalid(
                "unknown_question", _("Unknown question %s.") % str(raw_question)[:40]
            ) from None
        if question_id not in layout:
            raise Invalid("unknown_question", _("Unknown question %s.") % question_id)
        if not isinstance(raw_choices, list):
            raise Invalid(
                "invalid_answers", _("Each answer must be a list of choice ids.")
            )
        chosen: list[int] = []
        for raw in raw_choices:
            try:
                choice_id = int(str(raw))
            except ValueError:
                raise Invalid(
                    "unknown_choice", _("Unknown choice %s.") % str(raw)[:40]
                ) from None
            if choice_id not in layout[question_id]:
                raise Invalid("unknown_choice", _("Unknown choice %s.") % choice_id)
            if choice_id not in chosen:
                chosen.append(choice_id)
        if kinds[question_id] == QuestionKind.SINGLE and len(chosen) > 1:
            raise Invalid(
                "single_choice", _("Question %s takes one answer.") % question_id
            )
        parsed[question_id] = chosen
    return parsed


def attempt_submit(
    *,
    user: User,
    attempt_id: int,
    answers: Any,
    now: dt.datetime | None = None,
) -> AttemptResult:
    """Score an attempt once; a pass is recorded as points and recomputes the
    person's certification at once."""

    now = now or timezone.now()
    attempt = (
        Attempt.objects.select_related("quiz__course")
        .filter(pk=attempt_id, user=user)
        .first()
    )
    if attempt is None:
        raise NotFound("not_found", _("No such attempt."))
    if attempt.status != AttemptStatus.IN_PROGRESS:
        raise Conflict("already_submitted", _("This attempt was already submitted."))
    quiz = attempt.quiz
    questions = {
        q.pk: q
        for q in quiz.questions.filter(
            pk__in=[qid for qid, _c in attempt.layout]
        ).prefetch_related("choices")
    }
    layout = {qid: list(cids) for qid, cids in attempt.layout if qid in questions}
    kinds = {qid: questions[qid].kind for qid in layout}
    chosen = _parse_answers(answers, layout, kinds)
    late = now > attempt.deadline + dt.timedelta(seconds=SUBMIT_GRACE_SECONDS)
    results = []
    for qid in layout:
        key = sorted(c.pk for c in questions[qid].choices.all() if c.correct)
        mine = chosen.get(qid, [])
        results.append(
            QuestionResult(
                question_id=qid,
                chosen=mine,
                correct_choices=key,
                correct=sorted(mine) == key,
            )
        )
    right = sum(1 for r in results if r.correct)
    score = (100 * right) // len(results) if results else 0
    passed = score >= quiz.pass_mark and not late
    with transaction.atomic():
        # 1. Claim: only one submission moves the attempt out of IN_PROGRESS.
        claimed = Attempt.objects.filter(
            pk=attempt.pk, status=AttemptStatus.IN_PROGRESS
        ).update(
            status=AttemptStatus.SUBMITTED,
            submitted_at=now,
            score=score,
            passed=passed,
            late=late,
        )
        if not claimed:
            raise Conflict(
                "already_submitted", _("This attempt was already submitted.")
            )
        # 2. Every answer, as given.
        AttemptAnswer.objects.bulk_create(
            [
                AttemptAnswer(
                    attempt=attempt,
                    question_id=r.question_id,
                    choice_ids=r.chosen,
                    correct=r.correct,
                )
                for r in results
            ]
        )
        attempt.refresh_from_db()
        # 3. A pass earns points once per course and may change the level.
        if passed:
            points_record(
                user_id=user.pk,
                kind="course_passed",
                key=f"course:{quiz.course_id}:user:{user.pk}",
                occurred_at=now,
            )
            certification_recompute(user_ids=[user.pk], now=now)
    return AttemptResult(attempt=attempt, score=score, passed=passed, questions=results)


def attempt_result(*, user: User, attempt_id: int) -> AttemptResult:
    """A submitted attempt's result (with the key: it is over)."""
    attempt = (
        Attempt.objects.select_related("quiz__course")
        .filter(pk=attempt_id, user=user, status=AttemptStatus.SUBMITTED)
        .first()
    )
    if attempt is None:
        raise NotFound("not_found", _("No such attempt."))
    answers = {a.question_id: a for a in attempt.answers.all()}
    questions = {
        q.pk: q
        for q in attempt.quiz.questions.prefetch_related("choices").filter(
            pk__in=[qid for qid, _c in attempt.layout]
        )
    }
    results = []
    for qid, _cids in attempt.layout:
        if qid not in questions:
            continue
        answer = answers.get(qid)
        results.append(
            QuestionResult(
                question_id=qid,
                chosen=list(answer.choice_ids) if answer else [],
                correct_choices=sorted(
                    c.pk for c in questions[qid].choices.all() if c.correct
                ),
                correct=bool(answer and answer.correct),
            )
        )
    return AttemptResult(
        attempt=attempt,
        score=attempt.score or 0,
        passed=attempt.passed,
        questions=results,
    )


def course_get(*, course_id: int) -> Course:
    course = Course.objects.filter(pk=course_id, published=True).first()
    if course is None:
        raise NotFound("not_found", _("No such course."))
    return course
