"""Reads of the SLA: the live breach flag of a queryset, one case's state, and the
report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    Q,
    QuerySet,
)
from django.utils import timezone

from ..models import (
    ACTIVE_Q,
    Case,
    CaseStatus,
    Priority,
)


def with_sla_flags(
    qs: QuerySet[Case], *, now: dt.datetime | None = None
) -> QuerySet[Case]:
    """Annotate ``sla_breached``: a breach already recorded, or a live one (an
    active, unpaused case past a due time it has not met)."""
    now = now or timezone.now()
    live = (
        ACTIVE_Q
        & Q(sla_paused_at__isnull=True)
        & (
            Q(first_responded_at__isnull=True, first_response_due_at__lt=now)
            | Q(resolution_due_at__lt=now)
        )
    )
    breached = Q(first_response_breached=True) | Q(resolution_breached=True) | live
    return qs.annotate(
        sla_breached=ExpressionWrapper(breached, output_field=BooleanField())
    )


@dataclass(frozen=True, slots=True)
class SlaState:
    state: str  # "none" | "ok" | "paused" | "breached" | "met"
    first_response_due_at: dt.datetime | None
    resolution_due_at: dt.datetime | None
    first_response_breached: bool
    resolution_breached: bool


def case_sla_state(case: Case, *, now: dt.datetime | None = None) -> SlaState:
    """Where a case's SLA stands now (for the case page)."""
    now = now or timezone.now()
    fr_breached = case.first_response_breached or (
        case.is_active
        and case.sla_paused_at is None
        and case.first_responded_at is None
        and case.first_response_due_at is not None
        and case.first_response_due_at < now
    )
    res_breached = case.resolution_breached or (
        case.is_active
        and case.sla_paused_at is None
        and case.resolution_due_at is not None
        and case.resolution_due_at < now
    )
    if case.first_response_due_at is None and case.resolution_due_at is None:
        state = "none"
    elif fr_breached or res_breached:
        state = "breached"
    elif not case.is_active:
        state = "met"
    elif case.sla_paused_at is not None:
        state = "paused"
    else:
        state = "ok"
    return SlaState(
        state,
        case.first_response_due_at,
        case.resolution_due_at,
        fr_breached,
        res_breached,
    )


def sla_report(
    *,
    since: dt.datetime,
    until: dt.datetime,
    team_id: int | None = None,
) -> list[dict[str, Any]]:
    """Per priority, for cases created in [since, until): how many, how many
    breached their first-response or resolution target, how many still open."""
    qs = Case.objects.filter(created_at__gte=since, created_at__lt=until)
    if team_id is not None:
        qs = qs.filter(team_id=team_id)
    rows = {
        row["priority"]: row
        for row in qs.values("priority").annotate(
            cases=Count("id"),
            first_response_breached=Count("id", filter=Q(first_response_breached=True)),
            resolution_breached=Count("id", filter=Q(resolution_breached=True)),
            open=Count("id", filter=ACTIVE_Q),
            resolved=Count("id", filter=Q(status=CaseStatus.RESOLVED)),
        )
    }
    empty = {
        "cases": 0,
        "first_response_breached": 0,
        "resolution_breached": 0,
        "open": 0,
        "resolved": 0,
    }
    return [
        {
            "priority": p.value,
            "priority_name": p.name.lower(),
            **empty,
            **rows.get(p, {}),
        }
        for p in Priority
    ]
