"""People managed in the browser: a person's account, role and profile; teams
and who is in them. Every change that may let someone take cases offers the
team's waiting cases again at once."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from ..errors import Invalid
from ..models import Profile, Role, Team
from ..services import offer_waiting_cases, profile_update

ACCOUNT_FIELDS = ("first_name", "last_name", "email", "is_active")


@transaction.atomic
def person_update(*, user: User, actor: User, role: str, **changes: Any) -> Profile:
    """Account fields, role and profile of ``user`` in one go."""
    if role not in Role.values:
        raise Invalid("invalid_role", _("Unknown role."))
    if user.pk == actor.pk and role != Role.ADMIN and user.is_superuser:
        raise Invalid("own_admin", _("You cannot take away your own admin role."))
    account = {k: changes.pop(k) for k in ACCOUNT_FIELDS if k in changes}
    fields = []
    for name, value in account.items():
        if getattr(user, name) != value:
            setattr(user, name, value)
            fields.append(name)
    is_admin = role == Role.ADMIN
    if user.is_staff != is_admin or user.is_superuser != is_admin:
        user.is_staff = user.is_superuser = is_admin
        fields += ["is_staff", "is_superuser"]
    if fields:
        user.save(update_fields=fields)
    profile, _created = Profile.objects.get_or_create(user=user)
    profile_update(profile=profile, role=role, **changes)
    if "is_active" in account:
        offer_waiting_cases(profile.team_id)
    return profile


@transaction.atomic
def team_set_members(*, team: Team, profiles: Iterable[Profile]) -> None:
    """Exactly ``profiles`` are in ``team`` (people taken out have no team)."""
    wanted = {p.pk for p in profiles}
    Profile.objects.filter(team=team).exclude(pk__in=wanted).update(team=None)
    moved = list(
        Profile.objects.filter(pk__in=wanted)
        .exclude(team=team)
        .values_list("team_id", flat=True)
    )
    Profile.objects.filter(pk__in=wanted).update(team=team)
    offer_waiting_cases(team.pk)
    for old_team in set(moved):
        offer_waiting_cases(old_team)
