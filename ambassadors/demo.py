"""The demo's program: the SMaC courses and quizzes, the ladder, the policy, and
records that put the demo people on every step (earned, never typed)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from .advocacy.models import PointEvent, PointKind
from .advocacy.points import points_record, points_record_many
from .certification.models import Level
from .certification.services import certification_recompute
from .governance.models import PolicyAcceptance, SocialPolicy
from .training.content import COURSES, LEVELS, POLICY
from .training.models import (
    Attempt,
    AttemptStatus,
    Choice,
    Course,
    Lesson,
    LessonProgress,
    Question,
    Quiz,
)


@transaction.atomic
def program_seed() -> None:
    """Courses, quizzes, levels and the policy (idempotent: existing rows stay)."""
    for position, spec in enumerate(COURSES, start=1):
        course, created = Course.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "title_zh": spec["title_zh"],
                "title_en": spec["title_en"],
                "summary_zh": spec["summary_zh"],
                "summary_en": spec["summary_en"],
                "position": position * 10,
                "is_refresher": spec.get("is_refresher", False),
            },
        )
        if not created:
            continue
        for n, (tzh, ten, bzh, ben, minutes) in enumerate(spec["lessons"], start=1):
            Lesson.objects.create(
                course=course,
                position=n,
                title_zh=tzh,
                title_en=ten,
                body_zh=bzh,
                body_en=ben,
                minutes=minutes,
            )
        quiz = Quiz.objects.create(course=course, **spec["quiz"])
        for n, (kind, qzh, qen, ezh, een, choices) in enumerate(
            spec["questions"], start=1
        ):
            question = Question.objects.create(
                quiz=quiz,
                position=n,
                kind=kind,
                text_zh=qzh,
                text_en=qen,
                explanation_zh=ezh,
                explanation_en=een,
            )
            Choice.objects.bulk_create(
                Choice(
                    question=question, position=m, text_zh=czh, text_en=cen, correct=ok
                )
                for m, (czh, cen, ok) in enumerate(choices, start=1)
            )
    refresher = Course.objects.filter(slug="refresher").first()
    for rank, zh, en, courses, within, approved, sent, csat, days in LEVELS:
        level, created = Level.objects.get_or_create(
            rank=rank,
            defaults={
                "name_zh": zh,
                "name_en": en,
                "all_courses": courses == "all",
                "courses_within_days": within,
                "approved_replies": approved,
                "replies_sent": sent,
                "min_csat": Decimal(csat) if csat else None,
                "validity_days": days,
                "refresher": refresher if days else None,
            },
        )
        if created and courses != "all":
            level.courses.set(Course.objects.filter(slug__in=courses))
    if not SocialPolicy.objects.exists():
        SocialPolicy.objects.create(version=1, **POLICY)


def _pass(user: User, course: Course, at: dt.datetime) -> None:
    quiz = Quiz.objects.get(course=course)
    Attempt.objects.create(
        user=user,
        quiz=quiz,
        status=AttemptStatus.SUBMITTED,
        layout=[],
        started_at=at - dt.timedelta(minutes=12),
        deadline=at + dt.timedelta(minutes=8),
        submitted_at=at,
        score=100,
        passed=True,
    )
    LessonProgress.objects.bulk_create(
        [LessonProgress(user=user, lesson=lesson) for lesson in course.lessons.all()],
        ignore_conflicts=True,
    )
    points_record(
        user_id=user.pk,
        kind=PointKind.COURSE_PASSED,
        key=f"course:{course.pk}:user:{user.pk}",
        occurred_at=at,
    )


@transaction.atomic
def records_seed(
    *,
    user: User,
    level: int,
    now: dt.datetime | None = None,
    accept_policy: bool = True,
    csat: float = 4.6,
) -> int:
    """Give ``user`` the records that earn ``level`` (demo people, tests): quiz
    passes, approved and sent replies, CSAT answers; then compute the level."""
    program_seed()
    now = now or timezone.now()
    start = now - dt.timedelta(days=40)
    if level >= 1:
        _pass(user, Course.objects.get(slug="orientation"), start)
    events: list[PointEvent] = []

    def add(kind: str, n: int, moment: dt.datetime, value: float | None = None):
        events.append(
            PointEvent(
                user_id=user.pk,
                kind=kind,
                key=f"seed:{kind}:{user.pk}:{n}",
                occurred_at=moment,
                value=value,
            )
        )

    if level >= 2:
        for n, course in enumerate(
            Course.objects.filter(published=True, is_refresher=False).exclude(
                slug="orientation"
            ),
            start=1,
        ):
            _pass(user, course, start + dt.timedelta(days=n))
        for n in range(10):
            add(PointKind.REPLY_APPROVED, n, start + dt.timedelta(days=5, hours=n))
    if level >= 3:
        for n in range(50):
            moment = start + dt.timedelta(days=6, hours=n)
            add(PointKind.REPLY_SENT, n, moment)
            if n % 4 == 0:
                add(PointKind.CSAT_ANSWER, n, moment, value=csat)
    points_record_many(events=events)
    if accept_policy:
        policy = SocialPolicy.objects.order_by("-version").first()
        if policy is not None:
            PolicyAcceptance.objects.get_or_create(user=user, policy=policy)
    certification_recompute(user_ids=[user.pk], now=now)
    user.profile.refresh_from_db()
    return user.profile.certification
