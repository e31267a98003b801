"""Merge two cases of one customer into one, and split a mention out into a case
of its own. Both keep the history: events, notes and replies travel with the
mentions they belong to, and each side records what happened."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import conflict, invalid, not_found
from listening.models import Mention

from ..models import (
    Case,
    CaseEvent,
    CaseMention,
    CaseNote,
    CaseStatus,
    CloseReason,
    Reply,
)
from ..selectors import cases_visible_to
from .access import require_work_case
from .events import event_add
from .routing import priority_for_score
from .routing.batch import SUMMARY_LENGTH
from .sla import case_sla_set_targets


def _lock_both(ids: list[int], actor: User) -> dict[int, Case]:
    rows = (
        cases_visible_to(actor)
        .select_for_update(of=("self",))
        .filter(pk__in=ids)
        .order_by("pk")  # one lock order: two merges cannot deadlock
    )
    cases = {c.pk: c for c in rows}
    if len(cases) != len(set(ids)):
        raise not_found("not_found", _("No such case."))
    return cases


def _refresh_facts(case: Case) -> list[str]:
    """Counts and times of the case from its mentions (after they moved)."""
    facts = Mention.objects.filter(case_link__case=case).aggregate(
        first=Min("created_at"), last=Max("created_at")
    )
    case.mention_count = CaseMention.objects.filter(case=case).count()
    case.last_mention_at = facts["last"]
    if facts["first"] is not None:
        first = min(facts["first"], case.created_at)
        case.first_posted_at = min(case.first_posted_at or first, first)
    return ["mention_count", "last_mention_at", "first_posted_at"]


@transaction.atomic
def case_merge(
    *,
    case_id: int,
    into_id: int,
    actor: User,
    now: dt.datetime | None = None,
) -> Case:
    """Move every mention, reply, note and event of case ``case_id`` into case
    ``into_id`` (same platform and author), and close the first as merged."""
    now = now or timezone.now()
    if case_id == into_id:
        raise invalid("merge_same_case", _("A case cannot be merged into itself."))
    cases = _lock_both([case_id, into_id], actor)
    source, target = cases[case_id], cases[into_id]
    require_work_case(actor, source)
    require_work_case(actor, target)
    if source.platform != target.platform or source.author_id != target.author_id:
        raise invalid(
            "merge_other_customer",
            _("Only two cases of the same customer can be merged."),
        )
    if not source.is_active or not target.is_active:
        raise conflict(
            "case_not_active", _("Only open cases can be merged; reopen it first.")
        )
    moved = list(
        CaseMention.objects.filter(case=source).values_list("mention_id", flat=True)
    )
    CaseMention.objects.filter(case=source).update(case=target)
    Reply.objects.filter(case=source).update(case=target)
    CaseNote.objects.filter(case=source).update(case=target)
    CaseEvent.objects.filter(case=source).update(case=target)
    target.labels.add(*source.labels.all())
    fields = set(_refresh_facts(target))
    if source.priority_score > target.priority_score:
        target.priority_score = source.priority_score
        fields.add("priority_score")
    if not target.priority_locked and source.priority < target.priority:
        target.priority = source.priority
        fields.add("priority")
    if source.waiting_since < target.waiting_since:
        target.waiting_since = source.waiting_since
        fields.add("waiting_since")
    target.escalated = target.escalated or source.escalated
    target.influencer = target.influencer or source.influencer
    fields.update({"escalated", "influencer"})
    fields.update(case_sla_set_targets(target))
    target.save(update_fields=[*sorted(fields), "updated_at"])
    source.status = CaseStatus.CLOSED
    source.close_reason = CloseReason.MERGED
    source.closed_at = now
    source.merged_into = target
    source.mention_count = 0
    source.save(
        update_fields=[
            "status",
            "close_reason",
            "closed_at",
            "merged_into",
            "mention_count",
            "updated_at",
        ]
    )
    event_add(
        target, CaseEvent.Kind.MERGED, actor=actor, from_case=source.pk, mentions=moved
    )
    event_add(source, CaseEvent.Kind.MERGED, actor=actor, into=target.pk)
    return target


@transaction.atomic
def case_split(
    *,
    case_id: int,
    mention_id: int,
    actor: User,
    now: dt.datetime | None = None,
) -> Case:
    """Move one mention (and the replies to it) into a new case of its own; the
    new case keeps the team and starts unassigned."""
    now = now or timezone.now()
    case = _lock_both([case_id], actor)[case_id]
    require_work_case(actor, case)
    link = (
        CaseMention.objects.select_related("mention")
        .filter(case=case, mention_id=mention_id)
        .first()
    )
    if link is None:
        raise not_found("not_found", _("This mention is not part of the case."))
    if case.mention_count <= 1 or CaseMention.objects.filter(case=case).count() <= 1:
        raise conflict(
            "split_last_mention", _("The case's only mention cannot be split out.")
        )
    mention = link.mention
    posted = min(mention.created_at, now)
    new = Case(
        platform=case.platform,
        author_id=case.author_id,
        # Its own conversation key, so it never collides with the thread's case.
        thread_key=f"split:{mention.external_id}"[:64],
        status=CaseStatus.NEW,
        priority=priority_for_score(mention.priority or 0.0),
        priority_score=mention.priority or 0.0,
        team_id=case.team_id,
        language=mention.language or case.language,
        sentiment_label=mention.sentiment_label or "",
        intent=mention.intent or "",
        influencer=case.influencer,
        skills=case.skills,
        required_certification=case.required_certification,
        summary=(mention.text or "")[:SUMMARY_LENGTH],
        mention_count=1,
        last_mention_at=mention.created_at,
        created_at=now,
        first_posted_at=posted,
        waiting_since=posted,
    )
    case_sla_set_targets(new)
    new.save()
    link.case = new
    link.save(update_fields=["case"])
    Reply.objects.filter(case=case, mention=mention).update(case=new)
    case.save(update_fields=[*_refresh_facts(case), "updated_at"])
    event_add(new, CaseEvent.Kind.CREATED, actor=actor, split_from=case.pk)
    event_add(
        case, CaseEvent.Kind.SPLIT, actor=actor, mention=mention.pk, new_case=new.pk
    )
    return new
