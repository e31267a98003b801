"""The demo: teams, skills and people (admin, manager, ambassador1-5), the SMaC
courses and quizzes, the ladder, the policy, and records that put the demo people on
every step (earned, never typed)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from .advocacy.points import points_record, points_record_many
from .certification.services import certification_recompute
from .governance.services import handle_register
from .models.advocacy import PointEvent, PointKind
from .models.certification import Level
from .models.governance import PolicyAcceptance, SocialPolicy
from .models.people import (
    Certification,
    Department,
    PlatformHandle,
    Role,
    Skill,
    Team,
)
from .models.training import (
    Attempt,
    AttemptStatus,
    Choice,
    Course,
    Lesson,
    LessonProgress,
    Question,
    Quiz,
)
from .services import profile_update, user_create
from .training.content import COURSES, LEVELS, POLICY


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


# --- the demo people -----------------------------------------------------------

DEMO_TEAMS = [
    # (slug, name, default)
    ("support", "客户支持 Support", True),
    ("sales", "销售 Sales", False),
    ("marketing", "市场 Marketing", False),
]
DEMO_SKILLS = [
    # (slug, name, product-line slugs of listening's brand dictionary)
    (
        "laptops",
        "笔记本 Laptops",
        ["xps", "inspiron", "latitude", "alienware", "vostro", "precision", "studio"],
    ),
    ("desktops", "台式机 Desktops", ["optiplex", "studio", "precision"]),
    ("servers", "服务器 Servers", ["poweredge"]),
    ("monitors", "显示器 Monitors", ["ultrasharp"]),
]
ALL_WEEK = [0, 1, 2, 3, 4, 5, 6]
# username, role, profile fields, skills, handles (platform → screen name)
DemoPerson = tuple[str, str, dict[str, Any], list[str], dict[str, str]]
DEMO_PEOPLE: list[DemoPerson] = [
    # username, role, profile fields, skills, handles
    ("admin", Role.ADMIN, {"ui_language": "en"}, [], {}),
    (
        "manager",
        Role.MANAGER,
        {
            "team": "support",
            "languages": ["zh", "en"],
            "disclosure_signature": "—戴尔中国 社区经理",
        },
        [],
        {"weibo": "戴尔中国", "twitter": "DellCares", "renren": "戴尔"},
    ),
    (
        "ambassador1",
        Role.AMBASSADOR,
        {
            "team": "support",
            "department": Department.CUSTOMER_CARE,
            "languages": ["zh", "en"],
            "capacity": 10,
            "disclosure_signature": "—戴尔员工 小王",
        },
        ["laptops", "desktops"],
        {"weibo": "戴尔小王", "twitter": "DellWang", "renren": "戴尔小王"},
    ),
    (
        "ambassador2",
        Role.AMBASSADOR,
        {
            "team": "support",
            "department": Department.SUPPORT,
            "languages": ["zh"],
            "capacity": 8,
            "disclosure_signature": "—戴尔技术支持 老李",
        },
        ["laptops", "servers", "monitors"],
        {"weibo": "戴尔老李", "renren": "戴尔老李"},
    ),
    (
        "ambassador3",
        Role.AMBASSADOR,
        {
            "team": "sales",
            "department": Department.SALES,
            "languages": ["zh", "en"],
            "capacity": 12,
            "disclosure_signature": "^Chen@Dell",
        },
        ["laptops", "desktops", "servers"],
        {"weibo": "戴尔小陈", "twitter": "ChenAtDell"},
    ),
    (
        "ambassador4",
        Role.AMBASSADOR,
        {
            "team": "marketing",
            "department": Department.MARKETING,
            "languages": ["zh"],
            "capacity": 5,
            "disclosure_signature": "—戴尔市场部 小赵",
        },
        ["laptops"],
        {"weibo": "戴尔小赵"},
    ),
    (
        "ambassador5",
        Role.AMBASSADOR,
        {
            "team": "support",
            "department": Department.ENGINEERING,
            "languages": ["zh", "en"],
            "capacity": 5,
            "disclosure_signature": "—戴尔员工 小刘",
        },
        ["laptops"],
        {},
    ),
]
# Levels are earned: the demo gives each person the records of their step (a new
# hire who passed nothing, an Enthusiast part way, Professionals, an Expert).
DEMO_LEVELS = {
    "ambassador1": Certification.PROFESSIONAL,
    "ambassador2": Certification.EXPERT,
    "ambassador3": Certification.PROFESSIONAL,
    "ambassador4": Certification.ENTHUSIAST,
    "ambassador5": Certification.NONE,
}


@transaction.atomic
def demo_seed(*, password: str) -> None:
    """Teams, skills, the training programme and the demo people (admin, manager,
    ambassador1-5). Idempotent: existing users keep their password and settings."""
    program_seed()
    teams = {}
    for slug, name, default in DEMO_TEAMS:
        teams[slug], _created = Team.objects.get_or_create(
            slug=slug, defaults={"name": name, "is_default": default}
        )
    for slug, name, products in DEMO_SKILLS:
        Skill.objects.get_or_create(
            slug=slug, defaults={"name": name, "products": products}
        )
    for username, role, fields, skills, handles in DEMO_PEOPLE:
        if User.objects.filter(username=username).exists():
            continue
        user = user_create(
            username=username,
            password=password,
            role=role,
            ui_language=fields.get("ui_language", "zh-hans"),
        )
        profile = user.profile
        changes = {k: v for k, v in fields.items() if k != "ui_language"}
        if "team" in changes:
            changes["team"] = teams[changes["team"]]
        # The demo works whenever it is opened: all day, every day.
        changes.update(work_days=ALL_WEEK, work_start=dt.time(0), work_end=dt.time(0))
        profile_update(profile=profile, skills=skills, handles=handles, **changes)
        level = DEMO_LEVELS.get(username)
        if level is not None:
            records_seed(user=user, level=level, accept_policy=level > 0)
        elif role != Role.AMBASSADOR:
            records_seed(user=user, level=0, accept_policy=True)
    _demo_program_extras()


def _demo_program_extras() -> None:
    """The Enthusiast has read part of the next course; the new hire has a
    handle waiting for a manager."""
    enthusiast = User.objects.filter(username="ambassador4").first()
    lesson = Lesson.objects.filter(course__slug="customer-care").order_by("position")
    if enthusiast is not None and lesson.exists():
        LessonProgress.objects.get_or_create(user=enthusiast, lesson=lesson.first())
    newcomer = User.objects.filter(username="ambassador5").first()
    if (
        newcomer is not None
        and not PlatformHandle.objects.filter(profile__user=newcomer).exists()
    ):
        handle_register(
            user=newcomer,
            platform="weibo",
            handle="戴尔小刘",
            disclosure="戴尔员工，笔记本工程师",
        )
