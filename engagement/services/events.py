"""The two steps every write on a case shares: lock the case row (within the actor's
reach, 404 otherwise) and record what happened in the case's history (published to
the notifications and the webhooks after commit)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from common.errors import not_found

from ..models import Case, CaseEvent
from ..selectors import cases_visible_to
from .outbox import case_events_published


def case_lock(*, case_id: int, actor: User) -> Case:
    """The case, locked until commit; NotFound when ``actor`` cannot reach it."""
    case = (
        cases_visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("assignee")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise not_found("not_found", _("No such case."))
    return case


def event_add(case: Case, kind: str, *, actor: User | None, **data: Any) -> CaseEvent:
    event = CaseEvent.objects.create(
        case=case, kind=kind, actor=actor if actor and actor.pk else None, data=data
    )
    case_events_published([event])
    return event
