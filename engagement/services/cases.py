"""Writes on a case by a person: assign, status, priority, team, labels, notes,
escalation. Each takes the case's id and the acting user, checks reach (404)
and permission (403), locks the case row, and records the history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassadors.models import Certification, Role, Team
from ambassadors.permissions import is_manager
from ambassadors.selectors import user_role
from common.errors import conflict, invalid, not_allowed
from dellsocial import pipeline

from ..models import (
    ACTIVE_Q,
    ACTIVE_STATUSES,
    MANUAL_CLOSE_REASONS,
    Case,
    CaseEvent,
    CaseNote,
    CaseStatus,
    Label,
    Priority,
)
from .access import may_release, may_take, require_manager, require_work_case
from .events import case_lock, event_add
from .routing import Candidate, ineligibility, lock_candidates
from .sla import (
    case_sla_pause,
    case_sla_resolution,
    case_sla_resume,
    case_sla_set_targets,
)

NOTE_MAX_LENGTH = 5000


def team_queue_changed(team_id: int | None) -> None:
    """Capacity freed or the team changed: offer its waiting cases again, once the
    current transaction has committed."""
    if team_id is None:
        return
    pipeline.team_capacity_changed(team_id=team_id)


def _username(user: User | None) -> str:
    return user.get_username() if user is not None else ""


@transaction.atomic
def case_assign(
    *,
    case_id: int,
    assignee: User | None,
    actor: User,
    now: dt.datetime | None = None,
    override: bool = False,
) -> Case:
    """Give the case to ``assignee`` (None: back to the team queue).

    Managers assign anyone with a profile; an ambassador may only take an
    unassigned case of their team (for themselves) or release their own. Nobody
    goes over capacity unless a manager overrides the limit (``override``, which
    the history records with the load at that moment): the assignee's profile row
    is locked while their active cases are counted.
    """
    now = now or timezone.now()
    case = case_lock(case_id=case_id, actor=actor)
    previous = case.assignee
    if assignee is not None and previous is not None and previous.pk == assignee.pk:
        return case
    if assignee is None and previous is None:
        return case
    manager = is_manager(actor)
    if not manager:
        taking = assignee is not None and assignee.pk == actor.pk and previous is None
        if taking and not case.is_active:
            raise conflict(
                "case_not_active", _("A resolved or closed case cannot be assigned.")
            )
        allowed = (
            may_take(actor, case)
            if taking
            else assignee is None and may_release(actor, case)
        )
        if not allowed:
            raise not_allowed(
                "assign_not_allowed",
                _(
                    "An ambassador may only take an unassigned case of their team "
                    "or give back their own."
                ),
            )
    if assignee is not None:
        if not case.is_active:
            raise conflict(
                "case_not_active", _("A resolved or closed case cannot be assigned.")
            )
        if user_role(assignee) is None or not assignee.is_active:
            raise invalid("invalid_assignee", _("This user cannot take cases."))
        pools = lock_candidates([], user_ids=[assignee.pk])
        candidate = next(iter(pools.values()))[0] if pools else None
        if candidate is None:
            raise invalid("invalid_assignee", _("This user cannot take cases."))
        over = candidate.load >= candidate.capacity
        if not (over and override and manager):
            _check_capacity(candidate)
        if not manager:
            _check_may_take(candidate, case, now)
        case.assignee = assignee
        case.assigned_at = now
        case.save(update_fields=["assignee", "assigned_at", "updated_at"])
        extra = (
            {"override": True, "load": candidate.load, "capacity": candidate.capacity}
            if over
            else {}
        )
        event_add(
            case,
            CaseEvent.Kind.ASSIGNED,
            actor=actor,
            assignee=_username(assignee),
            previous=_username(previous),
            **extra,
        )
    else:
        case.assignee = None
        case.assigned_at = None
        case.save(update_fields=["assignee", "assigned_at", "updated_at"])
        event_add(
            case, CaseEvent.Kind.UNASSIGNED, actor=actor, previous=_username(previous)
        )
        team_queue_changed(case.team_id)
    if previous is not None:
        profile_team = _team_of(previous)
        if profile_team is not None:
            team_queue_changed(profile_team)
    return case


def _team_of(user: User) -> int | None:
    profile = getattr(user, "profile", None)
    return profile.team_id if profile is not None else None


def _check_capacity(candidate: Candidate) -> None:
    if candidate.load >= candidate.capacity:
        raise conflict(
            "over_capacity",
            _("%(user)s already has %(load)d open cases (capacity %(capacity)d).")
            % {
                "user": candidate.username,
                "load": candidate.load,
                "capacity": candidate.capacity,
            },
            details={
                "assignee": candidate.username,
                "load": candidate.load,
                "capacity": candidate.capacity,
                "availability": candidate.availability,
            },
        )


def _check_may_take(candidate: Candidate, case: Case, now: dt.datetime) -> None:
    reasons = ineligibility(candidate, case, now)
    # Taking a case by hand outside working hours or while away is the person's
    # own choice; language, platform, skills and certification are not.
    blocking = [r for r in reasons if r not in ("off_hours", "unavailable")]
    if blocking:
        raise not_allowed(
            "not_eligible",
            _("You may not take this case (%(reasons)s).")
            % {"reasons": ", ".join(blocking)},
        )


@transaction.atomic
def case_set_status(
    *,
    case_id: int,
    status: str,
    actor: User,
    reason: str = "",
    now: dt.datetime | None = None,
) -> Case:
    """Move the case to ``status``; closing needs a reason (spam or irrelevant).

    Pending pauses the SLA clock and leaving pending resumes it; resolving records
    a late resolution; reopening a resolved or closed case makes it active again.
    """
    now = now or timezone.now()
    if status not in CaseStatus.values:
        raise invalid(
            "invalid_status",
            _("Unknown status “%(status)s”.") % {"status": status},
        )
    case = case_lock(case_id=case_id, actor=actor)
    require_work_case(actor, case)
    if status == CaseStatus.CLOSED and reason not in MANUAL_CLOSE_REASONS:
        raise invalid(
            "reason_required",
            _("Closing a case needs a reason: spam or irrelevant."),
        )
    previous = case.status
    if previous == status and not (status == CaseStatus.CLOSED and reason):
        return case
    was_active = previous in ACTIVE_STATUSES
    fields = {"status"}
    if previous == CaseStatus.PENDING:
        fields.update(case_sla_resume(case, now=now))
    if status == CaseStatus.PENDING:
        fields.update(case_sla_pause(case, now=now))
    if status == CaseStatus.RESOLVED:
        case.resolved_at = now
        fields.add("resolved_at")
        fields.update(case_sla_resolution(case, at=now))
    if status == CaseStatus.CLOSED:
        case.closed_at = now
        case.close_reason = reason
        fields.update({"closed_at", "close_reason"})
    elif case.close_reason:
        case.close_reason = ""
        fields.add("close_reason")
    if status in ACTIVE_STATUSES and not was_active:
        # Reopened: the customer waits again from now.
        case.resolved_at = None
        case.closed_at = None
        case.waiting_since = now
        fields.update({"resolved_at", "closed_at", "waiting_since"})
    case.status = status
    try:
        with transaction.atomic():
            case.save(update_fields=[*sorted(fields), "updated_at"])
    except IntegrityError:
        raise conflict(
            "conversation_has_active_case",
            _("This conversation already has another open case."),
        ) from None
    event_add(
        case,
        CaseEvent.Kind.STATUS_CHANGED,
        actor=actor,
        previous=previous,
        status=status,
        reason=reason,
    )
    if status == CaseStatus.RESOLVED:
        # The customer may get a satisfaction survey (surveys decides, by name).
        pipeline.case_resolved(case.pk)
    if was_active and status not in ACTIVE_STATUSES and case.assignee is not None:
        team_queue_changed(_team_of(case.assignee))
    return case


@transaction.atomic
def case_set_priority(*, case_id: int, priority: int, actor: User) -> Case:
    """Set the priority by hand: it no longer follows the analysis score, and the
    SLA targets follow the new priority."""
    if priority not in Priority.values:
        raise invalid("invalid_priority", _("Unknown priority."))
    case = case_lock(case_id=case_id, actor=actor)
    require_work_case(actor, case)
    previous = case.priority
    case.priority = priority
    case.priority_locked = True
    fields = ["priority", "priority_locked", *case_sla_set_targets(case)]
    case.save(update_fields=[*fields, "updated_at"])
    if previous != priority:
        event_add(
            case,
            CaseEvent.Kind.PRIORITY_CHANGED,
            actor=actor,
            previous=previous,
            priority=priority,
        )
    return case


@transaction.atomic
def case_set_team(*, case_id: int, team_id: int | None, actor: User) -> Case:
    """Move the case to another team's queue (managers); an assignee from another
    team gives it back."""
    require_manager(actor)
    case = case_lock(case_id=case_id, actor=actor)
    team = None
    if team_id is not None:
        team = Team.objects.filter(pk=team_id).first()
        if team is None:
            raise invalid("invalid_team", _("No such team."))
    if case.team_id == team_id:
        return case
    previous_team = case.team_id
    case.team = team
    fields = ["team"]
    if case.assignee is not None and _team_of(case.assignee) != team_id:
        event_add(
            case,
            CaseEvent.Kind.UNASSIGNED,
            actor=actor,
            previous=_username(case.assignee),
        )
        team_queue_changed(_team_of(case.assignee))
        case.assignee = None
        case.assigned_at = None
        fields += ["assignee", "assigned_at"]
    case.save(update_fields=[*fields, "updated_at"])
    event_add(
        case,
        CaseEvent.Kind.TEAM_CHANGED,
        actor=actor,
        previous=previous_team,
        team=team.name if team else "",
    )
    team_queue_changed(team_id)
    return case


@transaction.atomic
def case_set_labels(*, case_id: int, labels: Iterable[str], actor: User) -> Case:
    """Replace the case's labels (new label names are created)."""
    case = case_lock(case_id=case_id, actor=actor)
    require_work_case(actor, case)
    names = sorted({name.strip()[:50] for name in labels if name and name.strip()})
    current = set(case.labels.values_list("name", flat=True))
    wanted = set(names)
    if wanted == current:
        return case
    objects = []
    for name in names:
        label, _created = Label.objects.get_or_create(name=name)
        objects.append(label)
    case.labels.set(objects)
    event_add(
        case,
        CaseEvent.Kind.LABELS_CHANGED,
        actor=actor,
        added=sorted(wanted - current),
        removed=sorted(current - wanted),
    )
    return case


@transaction.atomic
def case_add_note(*, case_id: int, text: str, actor: User) -> CaseNote:
    """An internal note, by anyone who sees the case."""
    text = (text or "").strip()
    if not text:
        raise invalid("empty_note", _("The note is empty."))
    if len(text) > NOTE_MAX_LENGTH:
        raise invalid(
            "note_too_long",
            _("A note holds at most %(n)d characters.") % {"n": NOTE_MAX_LENGTH},
        )
    case = case_lock(case_id=case_id, actor=actor)
    note = CaseNote.objects.create(case=case, author=actor, text=text)
    event_add(case, CaseEvent.Kind.NOTE_ADDED, actor=actor, note_id=note.pk)
    return note


@transaction.atomic
def case_escalate(*, case_id: int, actor: User, reason: str = "") -> Case:
    """Escalate: the case needs an expert, and is at least high priority. An
    assignee below expert gives it back to the queue for an expert to take."""
    case = case_lock(case_id=case_id, actor=actor)
    require_work_case(actor, case)
    if case.escalated:
        return case
    case.escalated = True
    case.required_certification = Certification.EXPERT
    fields = ["escalated", "required_certification"]
    if case.priority > Priority.HIGH:
        case.priority = Priority.HIGH
        fields += ["priority", *case_sla_set_targets(case)]
    assignee_profile = (
        getattr(case.assignee, "profile", None) if case.assignee else None
    )
    if assignee_profile is not None and (
        assignee_profile.certification < Certification.EXPERT
        and assignee_profile.role == Role.AMBASSADOR
    ):
        event_add(
            case,
            CaseEvent.Kind.UNASSIGNED,
            actor=actor,
            previous=_username(case.assignee),
        )
        case.assignee = None
        case.assigned_at = None
        fields += ["assignee", "assigned_at"]
        team_queue_changed(case.team_id)
    case.save(update_fields=[*fields, "updated_at"])
    event_add(case, CaseEvent.Kind.ESCALATED, actor=actor, reason=reason)
    return case


def user_by_username(username: str) -> User:
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise invalid("invalid_assignee", _("No such user: %(u)s.") % {"u": username})
    return user


__all__ = [
    "ACTIVE_Q",
    "case_add_note",
    "case_assign",
    "case_escalate",
    "case_set_labels",
    "case_set_priority",
    "case_set_status",
    "case_set_team",
    "event_add",
    "team_queue_changed",
    "user_by_username",
]
