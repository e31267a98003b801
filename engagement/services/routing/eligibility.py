"""Routing, eligibility: who may take a case (available, in working hours, speaks
the language, has a handle on the platform, has the skills, is certified high
enough, under capacity), the least loaded of them, and the locks that keep
capacity under concurrency.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from ambassadors.models import (
    Availability,
    Certification,
    HandleStatus,
    PlatformHandle,
    Profile,
    Role,
)

from ...models import (
    ACTIVE_Q,
    Case,
    CaseEvent,
)
from .rules import normalize_language

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
# Why an ambassador may not take a case (ineligibility reasons, for tests and the
# manager's "why not" hint).
UNAVAILABLE = "unavailable"
OFF_HOURS = "off_hours"
LANGUAGE = "language"
PLATFORM = "platform"
SKILLS = "skills"
CERTIFICATION = "certification"
CAPACITY = "capacity"


@dataclass(slots=True)
class Candidate:
    """An ambassador as routing sees them, with their current load."""

    user_id: int
    profile_id: int
    username: str
    availability: str
    languages: frozenset[str]
    platforms: frozenset[str]
    skills: frozenset[str]
    certification: int
    capacity: int
    work_days: frozenset[int]
    work_start: dt.time
    work_end: dt.time
    time_zone: str
    last_assigned_at: dt.datetime | None
    load: int = 0
    assigned_now: bool = False

    @classmethod
    def from_profile(
        cls,
        profile: Profile,
        *,
        platforms: Iterable[str],
        skills: Iterable[str],
        load: int,
    ) -> Candidate:
        return cls(
            user_id=profile.user_id,
            profile_id=profile.pk,
            username=profile.user.get_username(),
            availability=profile.availability,
            languages=frozenset(normalize_language(c) for c in profile.languages or []),
            platforms=frozenset(platforms),
            skills=frozenset(skills),
            certification=profile.certification,
            capacity=profile.capacity,
            work_days=frozenset(profile.work_days or []),
            work_start=profile.work_start,
            work_end=profile.work_end,
            time_zone=profile.time_zone,
            last_assigned_at=profile.last_assigned_at,
            load=load,
        )


def in_working_hours(candidate: Candidate, now: dt.datetime) -> bool:
    try:
        zone = zoneinfo.ZoneInfo(candidate.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    local = now.astimezone(zone)
    start, end, time = candidate.work_start, candidate.work_end, local.time()
    if start == end:  # all day
        return local.weekday() in candidate.work_days
    if start < end:
        return local.weekday() in candidate.work_days and start <= time < end
    # Overnight shift: the evening belongs to today, the small hours to yesterday.
    if time >= start:
        return local.weekday() in candidate.work_days
    return time < end and (local.weekday() - 1) % 7 in candidate.work_days


def ineligibility(candidate: Candidate, case: Case, now: dt.datetime) -> list[str]:
    """Why ``candidate`` may not take ``case`` now; empty when they may."""
    reasons = []
    if candidate.availability != Availability.AVAILABLE:
        reasons.append(UNAVAILABLE)
    if not in_working_hours(candidate, now):
        reasons.append(OFF_HOURS)
    if case.language and normalize_language(case.language) not in candidate.languages:
        reasons.append(LANGUAGE)
    if case.platform not in candidate.platforms:
        reasons.append(PLATFORM)
    if not set(case.skills or []) <= candidate.skills:
        reasons.append(SKILLS)
    if candidate.certification < max(
        case.required_certification, Certification.ENTHUSIAST
    ):
        reasons.append(CERTIFICATION)
    if candidate.load >= candidate.capacity:
        reasons.append(CAPACITY)
    return reasons


def choose_ambassador(
    candidates: Sequence[Candidate], case: Case, now: dt.datetime
) -> Candidate | None:
    """The fairest eligible candidate: least loaded, then longest without a case."""
    eligible = [c for c in candidates if not ineligibility(c, case, now)]
    if not eligible:
        return None
    return min(eligible, key=lambda c: (c.load, c.last_assigned_at or EPOCH, c.user_id))


def lock_candidates(
    team_ids: Iterable[int], *, user_ids: Iterable[int] = (), lock: bool = True
) -> dict[int, list[Candidate]]:
    """Row-lock the ambassadors of ``team_ids`` (or the users ``user_ids``) who
    could take a case, and read their load. Must run inside a transaction; the locks
    hold until it ends, so the loads stay true while the caller assigns. ``lock``
    False only reads (for showing options; never to assign)."""
    team_ids = sorted(set(team_ids))
    user_ids = sorted(set(user_ids))
    if not team_ids and not user_ids:
        return {}
    qs = Profile.objects.select_related("user")
    if lock:
        qs = qs.select_for_update(of=("self",))
    if user_ids:
        qs = qs.filter(user_id__in=user_ids)
    else:
        qs = qs.filter(
            team_id__in=team_ids,
            role=Role.AMBASSADOR,
            availability=Availability.AVAILABLE,
            certification__gte=Certification.ENTHUSIAST,
            capacity__gt=0,
            user__is_active=True,
        )
    profiles = list(qs.order_by("id"))
    if not profiles:
        return {}
    profile_ids = [p.pk for p in profiles]
    platforms: dict[int, set[str]] = defaultdict(set)
    # Only handles a manager approved are routed to (governance).
    for profile_id, platform in PlatformHandle.objects.filter(
        profile_id__in=profile_ids, status=HandleStatus.APPROVED
    ).values_list("profile_id", "platform"):
        platforms[profile_id].add(platform)
    skills: dict[int, set[str]] = defaultdict(set)
    for profile_id, slug in Profile.skills.through.objects.filter(
        profile_id__in=profile_ids
    ).values_list("profile_id", "skill__slug"):
        skills[profile_id].add(slug)
    loads = dict(
        Case.objects.filter(ACTIVE_Q, assignee_id__in=[p.user_id for p in profiles])
        .values("assignee_id")
        .annotate(n=Count("id"))
        .values_list("assignee_id", "n")
    )
    pools: dict[int, list[Candidate]] = defaultdict(list)
    for p in profiles:
        candidate = Candidate.from_profile(
            p,
            platforms=platforms[p.pk],
            skills=skills[p.pk],
            load=loads.get(p.user_id, 0),
        )
        pools[p.team_id or 0].append(candidate)
    return dict(pools)


@dataclass(frozen=True, slots=True)
class AssignmentOption:
    user_id: int
    username: str
    load: int
    capacity: int
    reasons: tuple[str, ...]  # why not eligible now; empty when eligible

    @property
    def eligible(self) -> bool:
        return not self.reasons


def assignment_options(
    *, case: Case, now: dt.datetime | None = None
) -> list[AssignmentOption]:
    """The case team's ambassadors with their load and, for each, why routing
    would not give them the case now (for the manager's assign menu). Reads only."""
    now = now or timezone.now()
    if case.team_id is None:
        return []
    profiles = Profile.objects.filter(
        team_id=case.team_id, role=Role.AMBASSADOR, user__is_active=True
    ).values_list("user_id", flat=True)
    pools = lock_candidates([], user_ids=list(profiles), lock=False)
    options = [
        AssignmentOption(
            c.user_id,
            c.username,
            c.load,
            c.capacity,
            tuple(ineligibility(c, case, now)),
        )
        for pool in pools.values()
        for c in pool
    ]
    return sorted(options, key=lambda o: (bool(o.reasons), o.load, o.username))


def assign_in_memory(
    cases: Sequence[Case], pools: dict[int, list[Candidate]], now: dt.datetime
) -> list[tuple[Case, Candidate]]:
    """Assign what can be, most urgent and longest waiting first (in memory: the
    caller saves the cases, then ``assignments_save``)."""
    made = []
    tick = 0
    for case in sorted(cases, key=lambda c: (c.priority, c.waiting_since, c.pk or 0)):
        if case.team_id is None or case.assignee_id is not None:
            continue
        chosen = choose_ambassador(pools.get(case.team_id, ()), case, now)
        if chosen is None:
            continue
        case.assignee_id = chosen.user_id
        case.assigned_at = now
        chosen.load += 1
        # Later assignments in the same batch count as later, so round robin
        # rotates within a batch too.
        tick += 1
        chosen.last_assigned_at = now + dt.timedelta(microseconds=tick)
        chosen.assigned_now = True
        made.append((case, chosen))
    return made


def assignments_save(
    made: list[tuple[Case, Candidate]], *, save_cases: bool, now: dt.datetime
) -> None:
    """Save the assignments made in memory: the cases (unless inserted with them),
    the ambassadors' round-robin time, the history."""
    if not made:
        return
    if save_cases:
        Case.objects.bulk_update([c for c, _ in made], ["assignee", "assigned_at"])
    touched = {c.profile_id: c for _, c in made}
    Profile.objects.bulk_update(
        [
            Profile(pk=pid, last_assigned_at=c.last_assigned_at)
            for pid, c in touched.items()
        ],
        ["last_assigned_at"],
    )
    CaseEvent.objects.bulk_create(
        CaseEvent(
            case_id=case.pk,
            kind=CaseEvent.Kind.ASSIGNED,
            data={"assignee": cand.username, "by": "routing"},
            created_at=now,
        )
        for case, cand in made
    )
