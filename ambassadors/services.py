import zoneinfo
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dellsocial import pipeline
from listening.models import Platform

from .models import (
    Availability,
    HandleStatus,
    PlatformHandle,
    Profile,
    Role,
    Skill,
)


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
) -> User:
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
def profile_set_language(*, user: User, language: str) -> None:
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
def profile_set_availability(*, user: User, availability: str) -> Profile:
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
