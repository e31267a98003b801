"""Snooze: a case leaves the queue's views until a time, or until the customer
writes again (whichever the person chose; a customer's message always wakes it).

The SLA clock keeps running while a case sleeps: snoozing hides work, it does not
excuse it (Pending is the status that pauses the clock).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import conflict, invalid

from ..models import Case, CaseEvent
from .access import require_work_case
from .events import case_lock, event_add

# Longer than this is not a snooze but a forgotten case.
SNOOZE_MAX = dt.timedelta(days=30)
# snooze_wake wakes at most this many cases per run (the next run takes the rest).
WAKE_BATCH = 500

SNOOZE_FIELDS = ["snoozed", "snoozed_until", "snooze_until_reply"]


def case_snooze_clear(case: Case) -> list[str]:
    """End the snooze in memory; the caller saves the returned fields."""
    case.snoozed = False
    case.snoozed_until = None
    case.snooze_until_reply = False
    return list(SNOOZE_FIELDS)


def snooze_validate(
    *, until: dt.datetime | None, until_reply: bool, now: dt.datetime
) -> None:
    if until is None and not until_reply:
        raise invalid(
            "snooze_until_required",
            _("Say until when: a time, or until the customer answers."),
        )
    if until is not None:
        if timezone.is_naive(until):
            raise invalid("snooze_until_invalid", _("The time needs a time zone."))
        if until <= now:
            raise invalid("snooze_until_past", _("Snooze until a time in the future."))
        if until - now > SNOOZE_MAX:
            raise invalid(
                "snooze_until_far",
                _("A case may be snoozed for %(days)d days at most.")
                % {"days": SNOOZE_MAX.days},
            )


@transaction.atomic
def case_snooze(
    *,
    case_id: int,
    actor: User,
    until: dt.datetime | None = None,
    until_reply: bool = False,
    now: dt.datetime | None = None,
) -> Case:
    """Snooze the case until ``until`` and/or until the customer answers."""
    now = now or timezone.now()
    snooze_validate(until=until, until_reply=until_reply, now=now)
    case = case_lock(case_id=case_id, actor=actor)
    require_work_case(actor, case)
    if not case.is_active:
        raise conflict(
            "case_not_active", _("A resolved or closed case cannot be snoozed.")
        )
    case.snoozed = True
    case.snoozed_until = until
    case.snooze_until_reply = until_reply
    case.save(update_fields=[*SNOOZE_FIELDS, "updated_at"])
    event_add(
        case,
        CaseEvent.Kind.SNOOZED,
        actor=actor,
        until=until.isoformat() if until else "",
        until_reply=until_reply,
    )
    return case


@transaction.atomic
def case_unsnooze(*, case_id: int, actor: User) -> Case:
    """Wake the case now, by hand."""
    case = case_lock(case_id=case_id, actor=actor)
    require_work_case(actor, case)
    if not case.snoozed:
        return case
    case.save(update_fields=[*case_snooze_clear(case), "updated_at"])
    event_add(case, CaseEvent.Kind.WOKEN, actor=actor, reason="by_hand")
    return case


def cases_snooze_wake(*, now: dt.datetime | None = None) -> int:
    """Wake the snoozed cases whose time has come (beat, every minute)."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            Case.objects.select_for_update(skip_locked=True)
            .filter(snoozed=True, snoozed_until__lte=now)
            .order_by("snoozed_until")
            .values_list("id", flat=True)[:WAKE_BATCH]
        )
        if not ids:
            return 0
        Case.objects.filter(pk__in=ids).update(
            snoozed=False, snoozed_until=None, snooze_until_reply=False, updated_at=now
        )
        CaseEvent.objects.bulk_create(
            CaseEvent(case_id=i, kind=CaseEvent.Kind.WOKEN, data={"reason": "time"})
            for i in ids
        )
    return len(ids)
