"""A person's certification went down (expired, revoked, a level rule changed):
the cases they hold that now need more than they have go back to their team's
queue and are offered to whoever may take them."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..models import ACTIVE_Q, Case, CaseEvent
from .cases import team_queue_changed


@transaction.atomic
def cases_requeue_for_level(*, user_id: int, level: int) -> int:
    """Unassign ``user_id``'s active cases needing more than ``level`` (every case
    when the person may no longer reply at all); returns how many."""
    now = timezone.now()
    need_more = Q(required_certification__gt=level)
    if level < 1:
        need_more = Q()
    cases = list(
        Case.objects.select_for_update(of=("self",))
        .filter(ACTIVE_Q, need_more, assignee_id=user_id)
        .order_by("id")
    )
    teams = set()
    for case in cases:
        case.assignee = None
        case.assigned_at = None
        case.waiting_since = now
        case.save(
            update_fields=["assignee", "assigned_at", "waiting_since", "updated_at"]
        )
        CaseEvent.objects.create(
            case=case,
            kind=CaseEvent.Kind.UNASSIGNED,
            data={
                "reason": "certification",
                "level": level,
                "previous_user_id": user_id,
            },
        )
        teams.add(case.team_id)
    for team_id in teams:
        team_queue_changed(team_id)
    return len(cases)
