"""SLA clocks: due times from the priority's policy, paused while the case waits on
the customer, breaches recorded for the queue and the reports.

The helpers that take a Case change it in memory and return the fields they
changed; the caller saves them with the rest of its update.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from notifications.services import notification_send

from ..conf import SLA_CHECK_BATCH
from ..models import ACTIVE_Q, Case, CaseEvent, SlaPolicy
from .notify import case_url
from .outbox import case_events_published


def sla_policies() -> dict[int, SlaPolicy]:
    return {p.priority: p for p in SlaPolicy.objects.all()}


def case_sla_set_targets(
    case: Case, *, policies: dict[int, SlaPolicy] | None = None
) -> list[str]:
    """Due times for the case's priority, counted from the customer's first post
    (``first_posted_at``; the case's creation for older rows) plus the time it
    spent paused. No policy for the priority: no targets."""
    if policies is None:
        policies = sla_policies()
    policy = policies.get(case.priority)
    if policy is None:
        case.first_response_due_at = None
        case.resolution_due_at = None
    else:
        paused = dt.timedelta(seconds=case.sla_paused_seconds)
        start = (case.first_posted_at or case.created_at) + paused
        case.first_response_due_at = start + dt.timedelta(
            minutes=policy.first_response_minutes
        )
        case.resolution_due_at = start + dt.timedelta(minutes=policy.resolution_minutes)
    return ["first_response_due_at", "resolution_due_at"]


def case_sla_pause(case: Case, *, now: dt.datetime) -> list[str]:
    if case.sla_paused_at is not None:
        return []
    case.sla_paused_at = now
    return ["sla_paused_at"]


def case_sla_resume(case: Case, *, now: dt.datetime) -> list[str]:
    """End a pause: the due times move by its length (only targets not yet met)."""
    if case.sla_paused_at is None:
        return []
    paused = max(now - case.sla_paused_at, dt.timedelta(0))
    case.sla_paused_seconds += int(paused.total_seconds())
    if case.first_responded_at is None and case.first_response_due_at is not None:
        case.first_response_due_at += paused
    if case.resolution_due_at is not None:
        case.resolution_due_at += paused
    case.sla_paused_at = None
    return [
        "sla_paused_seconds",
        "first_response_due_at",
        "resolution_due_at",
        "sla_paused_at",
    ]


def case_sla_first_response(case: Case, *, at: dt.datetime) -> list[str]:
    """The first reply reached the platform at ``at``; late means breached."""
    if case.first_responded_at is not None:
        return []
    case.first_responded_at = at
    fields = ["first_responded_at"]
    if case.first_response_due_at is not None and at > case.first_response_due_at:
        if not case.first_response_breached:
            case.first_response_breached = True
            fields.append("first_response_breached")
    return fields


def case_sla_resolution(case: Case, *, at: dt.datetime) -> list[str]:
    if case.resolution_due_at is not None and at > case.resolution_due_at:
        if not case.resolution_breached:
            case.resolution_breached = True
            return ["resolution_breached"]
    return []


def cases_sla_check(*, now: dt.datetime | None = None) -> int:
    """Record the breaches of active, unpaused cases past a due time; return how
    many targets were newly breached. Safe to run from several workers at once."""
    now = now or timezone.now()
    running = ACTIVE_Q & Q(sla_paused_at__isnull=True)
    checks = (
        (
            "first_response_breached",
            running
            & Q(
                first_responded_at__isnull=True,
                first_response_breached=False,
                first_response_due_at__lt=now,
            ),
            "first_response",
        ),
        (
            "resolution_breached",
            running & Q(resolution_breached=False, resolution_due_at__lt=now),
            "resolution",
        ),
    )
    total = 0
    for field, condition, target in checks:
        with transaction.atomic():
            ids = list(
                Case.objects.select_for_update(skip_locked=True)
                .filter(condition)
                .order_by("id")
                .values_list("id", flat=True)[:SLA_CHECK_BATCH]
            )
            if not ids:
                continue
            Case.objects.filter(id__in=ids).update(**{field: True})
            case_events_published(
                CaseEvent.objects.bulk_create(
                    CaseEvent(
                        case_id=case_id,
                        kind=CaseEvent.Kind.SLA_BREACHED,
                        data={"target": target},
                        created_at=now,
                    )
                    for case_id in ids
                )
            )
            total += len(ids)
    return total


def cases_sla_warn(*, now: dt.datetime | None = None) -> int:
    """Tell each assignee whose active, unpaused case reaches a due time within
    the warning lead (``ENGAGEMENT_SLA_WARNING_MINUTES``); once per case, target
    and due time (a pause moves the due time: a new warning then)."""

    now = now or timezone.now()
    soon = now + dt.timedelta(minutes=settings.ENGAGEMENT_SLA_WARNING_MINUTES)
    running = ACTIVE_Q & Q(sla_paused_at__isnull=True, assignee__isnull=False)
    checks = (
        (
            "first_response",
            "first_response_due_at",
            running
            & Q(
                first_responded_at__isnull=True,
                first_response_breached=False,
                first_response_due_at__gt=now,
                first_response_due_at__lte=soon,
            ),
        ),
        (
            "resolution",
            "resolution_due_at",
            running
            & Q(
                resolution_breached=False,
                resolution_due_at__gt=now,
                resolution_due_at__lte=soon,
            ),
        ),
    )
    told = 0
    for target, due_field, condition in checks:
        rows = Case.objects.filter(condition).values(
            "id", "assignee_id", "summary", due_field
        )[:SLA_CHECK_BATCH]
        for row in rows:
            due = row[due_field]
            told += notification_send(
                user_ids=[row["assignee_id"]],
                kind="engagement.sla_warning",
                params={
                    "case": row["id"],
                    "target": target,
                    "due": timezone.localtime(due).strftime("%H:%M"),
                    "summary": row["summary"][:120],
                },
                url=case_url(row["id"]),
                dedupe_key=f"sla_warning:{row['id']}:{target}:{due.isoformat()}",
            )
    return told
