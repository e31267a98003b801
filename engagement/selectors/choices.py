"""The choices of the dashboard's forms: the filter bar (labels, teams, brands) and
whom a case may be given to.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.cache import cache

from ambassadors.models import Role, Team
from ambassadors.selectors import user_role
from listening.models import Brand

from ..models import (
    Label,
)

CHOICES_CACHE_SECONDS = 60
ASSIGNABLE_USERS_LIMIT = 500


@dataclass(slots=True)
class FilterChoices:
    labels: list[str] = field(default_factory=list)
    teams: list[tuple[int, str]] = field(default_factory=list)
    brands: list[tuple[str, str, str]] = field(default_factory=list)


def filter_choices() -> FilterChoices:
    """Labels, teams and tracked brands for the filter bar (cached briefly: they
    change when an admin edits them, not while someone triages)."""
    key = "dashboard:filter-choices"
    choices = cache.get(key)
    if choices is None:
        choices = FilterChoices(
            labels=list(Label.objects.order_by("name").values_list("name", flat=True)),
            teams=list(Team.objects.order_by("name").values_list("id", "name")),
            brands=list(
                Brand.objects.order_by("kind", "name").values_list(
                    "slug", "name", "kind"
                )
            ),
        )
        cache.set(key, choices, CHOICES_CACHE_SECONDS)
    assert isinstance(choices, FilterChoices)  # what this function caches
    return choices


def assignable_users(*, user: User) -> list[User]:
    """Whom ``user`` may give a case to: anyone with a role for a manager (with
    their team), only themselves for an ambassador."""
    role = user_role(user)
    if role not in (Role.ADMIN, Role.MANAGER):
        return [user] if role == Role.AMBASSADOR else []
    return list(
        User.objects.filter(
            is_active=True,
            profile__role__in=[Role.AMBASSADOR, Role.MANAGER, Role.ADMIN],
        )
        .select_related("profile__team")
        .order_by("profile__team__name", "username")[:ASSIGNABLE_USERS_LIMIT]
    )
