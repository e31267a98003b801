"""Bulk actions on the cases checked in the queue: each case in its own transaction,
so a case the actor may not touch is reported and the others still change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import DomainError, invalid

from ..models import CaseStatus, CloseReason
from ..selectors import case_get_for_user
from .access import require_manager
from .cases import (
    case_assign,
    case_set_labels,
    case_set_priority,
    case_set_status,
    case_set_team,
)
from .snooze import case_snooze, snooze_validate

# Most cases one bulk action touches (a page of the queue is 50).
BULK_LIMIT = 200
BULK_ASSIGN = "assign"
BULK_LABEL = "label"
BULK_RESOLVE = "resolve"
BULK_SPAM = "spam"
BULK_PRIORITY = "priority"
BULK_TEAM = "team"
BULK_SNOOZE = "snooze"
BULK_ACTIONS = (
    BULK_ASSIGN,
    BULK_LABEL,
    BULK_RESOLVE,
    BULK_SPAM,
    BULK_PRIORITY,
    BULK_TEAM,
    BULK_SNOOZE,
)


@dataclass(slots=True)
class BulkResult:
    done: list[int] = field(default_factory=list)
    # (case id, the reason it was not done)
    refused: list[tuple[int, str]] = field(default_factory=list)


def cases_bulk_apply(
    *,
    case_ids: Sequence[int],
    action: str,
    actor: User,
    assignee: User | None = None,
    label: str = "",
    override: bool = False,
    priority: int | None = None,
    team_id: int | None = None,
    snooze_until: dt.datetime | None = None,
    snooze_until_reply: bool = False,
) -> BulkResult:
    """Apply one action to each checked case, each in its own transaction: a case
    the actor may not touch is reported, and the others still change. ``override``
    lets a manager assign past the open-case limit (recorded per case)."""
    if action not in BULK_ACTIONS:
        raise invalid("invalid_action", _("Unknown action."))
    ids = list(dict.fromkeys(int(i) for i in case_ids))[:BULK_LIMIT]
    label = (label or "").strip()
    if action == BULK_LABEL and not label:
        raise invalid("label_required", _("Name the label to add."))
    if action == BULK_SNOOZE:
        snooze_validate(
            until=snooze_until, until_reply=snooze_until_reply, now=timezone.now()
        )
    if action == BULK_TEAM:
        require_manager(actor)
    result = BulkResult()
    for case_id in ids:
        try:
            if action == BULK_ASSIGN:
                case_assign(
                    case_id=case_id, assignee=assignee, actor=actor, override=override
                )
            elif action == BULK_PRIORITY:
                case_set_priority(case_id=case_id, priority=priority or 0, actor=actor)
            elif action == BULK_TEAM:
                case_set_team(case_id=case_id, team_id=team_id, actor=actor)
            elif action == BULK_SNOOZE:
                case_snooze(
                    case_id=case_id,
                    actor=actor,
                    until=snooze_until,
                    until_reply=snooze_until_reply,
                )
            elif action == BULK_LABEL:
                case = case_get_for_user(user=actor, case_id=case_id)
                names = [lab.name for lab in case.labels.all()]
                case_set_labels(case_id=case_id, labels=[*names, label], actor=actor)
            elif action == BULK_RESOLVE:
                case_set_status(
                    case_id=case_id, status=CaseStatus.RESOLVED, actor=actor
                )
            elif action == BULK_SPAM:
                case_set_status(
                    case_id=case_id,
                    status=CaseStatus.CLOSED,
                    reason=CloseReason.SPAM,
                    actor=actor,
                )
        except DomainError as exc:
            result.refused.append((case_id, exc.message))
        else:
            result.done.append(case_id)
    return result
