"""Reads of the training: courses with a person's progress, an attempt's
questions in its own order (never the key)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Count, Max, Sum
from django.utils.translation import gettext as _

from ..errors import NotFound
from ..models.training import (
    Attempt,
    AttemptStatus,
    Choice,
    Course,
    LessonProgress,
    Question,
)
from .markdown import render_markdown


def courses_for(*, user: User) -> list[dict[str, Any]]:
    """Every published course with the user's progress (four queries)."""
    courses = list(
        Course.objects.filter(published=True)
        .annotate(lessons_total=Count("lessons"), minutes=Sum("lessons__minutes"))
        .order_by("position", "id")
    )
    done = defaultdict(int)
    for course_id, n in (
        LessonProgress.objects.filter(user=user)
        .values_list("lesson__course_id")
        .annotate(n=Count("id"))
    ):
        done[course_id] = n
    best = dict(
        Attempt.objects.filter(user=user, status=AttemptStatus.SUBMITTED)
        .values_list("quiz__course_id")
        .annotate(best=Max("score"))
    )
    passed = set(
        Attempt.objects.filter(user=user, passed=True).values_list(
            "quiz__course_id", flat=True
        )
    )
    return [
        {
            "id": c.pk,
            "slug": c.slug,
            "title": c.title,
            "summary": c.summary,
            "minutes": c.minutes or 0,
            "lessons_total": c.lessons_total,
            "lessons_done": done[c.pk],
            "passed": c.pk in passed,
            "best_score": best.get(c.pk),
            "is_refresher": c.is_refresher,
        }
        for c in courses
    ]


def course_detail(*, user: User, course_id: int) -> dict[str, Any]:
    summary = next((c for c in courses_for(user=user) if c["id"] == course_id), None)
    if summary is None:
        raise NotFound("not_found", _("No such course."))
    course = Course.objects.get(pk=course_id)
    read = set(
        LessonProgress.objects.filter(user=user, lesson__course=course).values_list(
            "lesson_id", flat=True
        )
    )
    lessons = [
        {
            "id": lesson.pk,
            "position": lesson.position,
            "title": lesson.title,
            "minutes": lesson.minutes,
            "completed": lesson.pk in read,
            "html": render_markdown(lesson.body),
        }
        for lesson in course.lessons.order_by("position", "id")
    ]
    quiz = getattr(course, "quiz", None)
    resume = next((lesson for lesson in lessons if not lesson["completed"]), None)
    return {
        **summary,
        "course": course,
        "lessons": lessons,
        "resume": resume,
        "quiz": None
        if quiz is None
        else {
            "pass_mark": quiz.pass_mark,
            "time_limit_minutes": quiz.time_limit_minutes,
            "cooldown_minutes": quiz.cooldown_minutes,
            "max_attempts_per_day": quiz.max_attempts_per_day,
            "questions": quiz.questions.count(),
        },
    }


def attempt_questions(*, attempt: Attempt) -> dict[str, Any]:
    """The attempt as the person sees it: its order, texts only."""
    question_ids = [qid for qid, _cids in attempt.layout]
    questions = {q.pk: q for q in Question.objects.filter(pk__in=question_ids)}
    choice_ids = [cid for _qid, cids in attempt.layout for cid in cids]
    choices = {c.pk: c for c in Choice.objects.filter(pk__in=choice_ids)}
    shown = []
    for qid, cids in attempt.layout:
        question = questions.get(qid)
        if question is None:
            continue
        shown.append(
            {
                "id": qid,
                "kind": question.kind,
                "text": question.text,
                "choices": [
                    {"id": cid, "text": choices[cid].text}
                    for cid in cids
                    if cid in choices
                ],
            }
        )
    return {
        "id": attempt.pk,
        "course": attempt.quiz.course_id,
        "started_at": attempt.started_at,
        "deadline": attempt.deadline,
        "questions": shown,
    }
