"""Routing, waiting cases: a team's unassigned active cases given to whoever is
eligible now (after a case frees capacity, an ambassador comes online, or the
working day starts).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from ...models import (
    ACTIVE_Q,
    Case,
)
from .eligibility import assign_in_memory, assignments_save, lock_candidates


def cases_assign_waiting(
    *, team_id: int | None = None, now: dt.datetime | None = None, limit: int = 500
) -> int:
    """Assign a team's waiting (unassigned, active) cases to whoever is eligible
    now: after a case frees capacity, an ambassador comes online, or the working
    day starts. All teams when ``team_id`` is None. Returns how many were assigned.
    """
    now = now or timezone.now()
    if team_id is None:
        team_ids = sorted(
            set(
                Case.objects.filter(
                    ACTIVE_Q, assignee__isnull=True, team__isnull=False
                ).values_list("team_id", flat=True)
            )
        )
    else:
        team_ids = [team_id]
    assigned = 0
    for tid in team_ids:
        with transaction.atomic():
            pools = lock_candidates([tid])
            pool = pools.get(tid, [])
            if not any(c.load < c.capacity for c in pool):
                continue
            waiting = list(
                Case.objects.select_for_update(of=("self",), skip_locked=True)
                .filter(ACTIVE_Q, team_id=tid, assignee__isnull=True)
                .order_by("priority", "waiting_since", "id")[:limit]
            )
            made = assign_in_memory(waiting, pools, now)
            assignments_save(made, save_cases=True, now=now)
            assigned += len(made)
    return assigned
