import datetime as dt
import zoneinfo
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dellsocial import pipeline
from listening.models import Platform

from .models import (
    Availability,
    Certification,
    Department,
    HandleStatus,
    PlatformHandle,
    Profile,
    Role,
    Skill,
    Team,
)

User = get_user_model()


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str = Role.AMBASSADOR,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    ui_language: str = "zh-hans",
) -> AbstractBaseUser:
    """Create a user with their profile; admins also get Django admin access."""
    user = User.objects.create_user(
        username=username,
        password=password,
        email=email,
        first_name=first_name,
        last_name=last_name,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    Profile.objects.create(user=user, role=role, ui_language=ui_language)
    return user


@transaction.atomic
def profile_set_language(*, user: AbstractBaseUser, language: str) -> None:
    profile, _ = Profile.objects.get_or_create(user=user)
    profile.ui_language = language
    profile.save(update_fields=["ui_language"])


# --- Ambassador profile -----------------------------------------------------------

# Routing's task that offers a team's waiting cases again (engagement listens; this
# app only knows the name, like every upstream stage).
ROUTE_WAITING_TASK = "engagement.route_waiting"

# Fields whose change may let the person take waiting cases.
_ROUTING_FIELDS = {
    "team",
    "languages",
    "capacity",
    "availability",
    "work_days",
    "work_start",
    "work_end",
    "time_zone",
    "role",
}
_EDITABLE_FIELDS = _ROUTING_FIELDS | {
    "department",
    "disclosure_signature",
    "ui_language",
}


def offer_waiting_cases(team_id: int | None) -> None:
    if team_id is None:
        return
    pipeline.team_capacity_changed(team_id=team_id)


def _validate_profile(profile: Profile) -> None:
    if not isinstance(profile.languages, list) or not all(
        isinstance(code, str) and code for code in profile.languages
    ):
        raise ValidationError({"languages": _("A list of language codes.")})
    if not isinstance(profile.work_days, list) or not all(
        isinstance(d, int) and 0 <= d <= 6 for d in profile.work_days
    ):
        raise ValidationError({"work_days": _("A list of weekdays, 0 (Monday) to 6.")})
    try:
        zoneinfo.ZoneInfo(profile.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError({"time_zone": _("Unknown time zone.")}) from None
    profile.full_clean(exclude=["user", "skills"])


@transaction.atomic
def profile_update(*, profile: Profile, **changes: Any) -> Profile:
    """Change an ambassador's profile (``skills``: Skill objects or slugs;
    ``handles``: {platform: handle}). A change that may free someone to take
    cases offers their team's waiting cases again once committed."""
    skills = changes.pop("skills", None)
    handles = changes.pop("handles", None)
    unknown = set(changes) - _EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    old_team = profile.team_id
    fields = []
    for name, value in changes.items():
        if getattr(profile, name) != value:
            setattr(profile, name, value)
            fields.append(name)
    if fields:
        _validate_profile(profile)
        profile.save(update_fields=fields)
    if skills is not None:
        profile.skills.set(
            [s if isinstance(s, Skill) else Skill.objects.get(slug=s) for s in skills]
        )
    if handles is not None:
        profile_set_handles(profile=profile, handles=handles)
    if set(fields) & _ROUTING_FIELDS or skills is not None or handles is not None:
        offer_waiting_cases(profile.team_id)
        if old_team != profile.team_id:
            offer_waiting_cases(old_team)
    return profile


@transaction.atomic
def profile_set_availability(*, user: AbstractBaseUser, availability: str) -> Profile:
    """Available, away or off; coming back offers the team's waiting cases."""
    if availability not in Availability.values:
        raise ValidationError({"availability": _("Unknown availability.")})
    profile, _created = Profile.objects.get_or_create(user=user)
    if profile.availability != availability:
        profile.availability = availability
        profile.save(update_fields=["availability"])
        if availability == Availability.AVAILABLE:
            offer_waiting_cases(profile.team_id)
    return profile


@transaction.atomic
def profile_set_handles(*, profile: Profile, handles: dict[str, str]) -> None:
    """Replace the person's platform handles ({platform: handle}; '' removes).
    Set by a manager or admin, so approved at once (employees register theirs
    through ``governance.services.handle_register`` and wait for approval)."""
    for platform, handle in handles.items():
        if platform not in Platform.values:
            raise ValidationError({"handles": _("Unknown platform %s.") % platform})
        handle = (handle or "").strip().lstrip("@")
        if handle:
            PlatformHandle.objects.update_or_create(
                profile=profile,
                platform=platform,
                defaults={
                    "handle": handle,
                    "status": HandleStatus.APPROVED,
                    "disclosure": profile.disclosure_signature or "戴尔员工",
                },
            )
        else:
            PlatformHandle.objects.filter(profile=profile, platform=platform).delete()


# --- API tokens ----------------------------------------------------------------------


# --- Demo ----------------------------------------------------------------------------

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
DEMO_PEOPLE = [
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
    from .demo import program_seed, records_seed

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
    from .governance.services import handle_register
    from .training.models import Lesson, LessonProgress

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
