"""Who sees which part of the listening room (listening names these functions in
settings: it sits below the apps that know roles, teams and routing).

Admins and community managers see the whole room; an ambassador sees the brands
their team's routing rules send it; anyone else (a shop's token) sees none of it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model

from ambassadors.models import Profile, Role
from ambassadors.selectors import user_role

from .models import RoutingRule


def listening_scope(user) -> str | list[str] | None:
    """ "*" for the whole room, a list of brand slugs, or None for nothing."""
    role = user_role(user)
    if role in (Role.ADMIN, Role.MANAGER):
        return "*"
    if role != Role.AMBASSADOR:
        return None
    team_id = getattr(getattr(user, "profile", None), "team_id", None)
    if team_id is None:
        return []
    brands: set[str] = set()
    for rule_brands in RoutingRule.objects.filter(
        set_team_id=team_id, enabled=True
    ).values_list("brands", flat=True):
        brands.update(rule_brands or [])
    return sorted(brands)


def team_member_ids(team_ids: Iterable[int]) -> list[int]:
    ids = list(
        Profile.objects.filter(team_id__in=list(team_ids)).values_list(
            "user_id", flat=True
        )
    )
    return list(
        get_user_model()
        .objects.filter(id__in=ids, is_active=True)
        .values_list("id", flat=True)
    )
