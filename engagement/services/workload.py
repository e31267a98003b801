"""Who can take more work: the assign menu's load, limit, availability and the
reasons a person is not eligible for a case. Reads only (no locks)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassadors.models import Availability

from ..models import Case
from .routing import (
    CAPACITY,
    CERTIFICATION,
    LANGUAGE,
    OFF_HOURS,
    PLATFORM,
    SKILLS,
    UNAVAILABLE,
    ineligibility,
    lock_candidates,
)


def reason_labels() -> dict[str, str]:
    """The ineligibility reasons in the reader's language."""
    return {
        UNAVAILABLE: _("not available"),
        OFF_HOURS: _("outside working hours"),
        LANGUAGE: _("does not speak the language"),
        PLATFORM: _("no handle on this platform"),
        SKILLS: _("lacks a needed skill"),
        CERTIFICATION: _("certification too low"),
        CAPACITY: _("at the open-case limit"),
    }


@dataclass(frozen=True, slots=True)
class AssigneeChoice:
    user_id: int
    username: str
    team: str
    load: int
    capacity: int
    availability: str  # label
    reasons: tuple[str, ...]  # labels; empty when eligible

    @property
    def over_capacity(self) -> bool:
        return self.load >= self.capacity

    @property
    def label(self) -> str:
        parts = [self.username]
        if self.team:
            parts.append(self.team)
        parts.append(f"{self.load}/{self.capacity}")
        parts.append(self.availability)
        text = " · ".join(parts)
        if self.reasons:
            text += " — " + _("not eligible: %(reasons)s") % {
                "reasons": ", ".join(self.reasons)
            }
        return text


def assignee_choices(
    *,
    users: Sequence[User],
    case: Case | None = None,
    me: User | None = None,
    now: dt.datetime | None = None,
) -> list[AssigneeChoice]:
    """One choice per user (without ``me``), with their open cases, limit,
    availability and, for ``case``, why routing would not give it to them; in a
    fixed number of queries."""
    now = now or timezone.now()
    ids = [u.pk for u in users if me is None or u.pk != me.pk]
    pools = lock_candidates([], user_ids=ids, lock=False)
    candidates = {c.user_id: c for pool in pools.values() for c in pool}
    availability = dict(Availability.choices)
    labels = reason_labels()
    choices = []
    for user in users:
        candidate = candidates.get(user.pk)
        if candidate is None:
            continue
        team = getattr(getattr(user, "profile", None), "team", None)
        reasons = (
            ineligibility(candidate, case, now)
            if case is not None
            else ([CAPACITY] if candidate.load >= candidate.capacity else [])
        )
        choices.append(
            AssigneeChoice(
                user_id=user.pk,
                username=candidate.username,
                team=team.name if team else "",
                load=candidate.load,
                capacity=candidate.capacity,
                availability=str(
                    availability.get(candidate.availability, candidate.availability)
                ),
                reasons=tuple(labels.get(r, r) for r in reasons),
            )
        )
    return choices
