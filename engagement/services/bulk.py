"""Bulk actions on the cases checked in the queue: each case in its own transaction,
so a case the actor may not touch is reported and the others still change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext as _

from common.errors import DomainError, invalid

from ..models import CaseStatus, CloseReason
from ..selectors import case_get_for_user
from .cases import case_assign, case_set_labels, case_set_status

# Most cases one bulk action touches (a page of the queue is 50).
BULK_LIMIT = 200
BULK_ASSIGN = "assign"
BULK_LABEL = "label"
BULK_RESOLVE = "resolve"
BULK_SPAM = "spam"
BULK_ACTIONS = (BULK_ASSIGN, BULK_LABEL, BULK_RESOLVE, BULK_SPAM)


@dataclass(slots=True)
class BulkResult:
    done: list[int] = field(default_factory=list)
    # (case id, the reason it was not done)
    refused: list[tuple[int, str]] = field(default_factory=list)


def cases_bulk_apply(
    *,
    case_ids: Sequence[int],
    action: str,
    actor: AbstractBaseUser,
    assignee: AbstractBaseUser | None = None,
    label: str = "",
) -> BulkResult:
    """Apply one action to each checked case, each in its own transaction: a case
    the actor may not touch is reported, and the others still change."""
    if action not in BULK_ACTIONS:
        raise invalid("invalid_action", _("Unknown action."))
    ids = list(dict.fromkeys(int(i) for i in case_ids))[:BULK_LIMIT]
    label = (label or "").strip()
    if action == BULK_LABEL and not label:
        raise invalid("label_required", _("Name the label to add."))
    result = BulkResult()
    for case_id in ids:
        try:
            if action == BULK_ASSIGN:
                case_assign(case_id=case_id, assignee=assignee, actor=actor)
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
