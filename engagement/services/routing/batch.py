"""Routing a batch: analysed mentions grouped by conversation, attached to the
conversation's active case or to a new one, and the new cases assigned.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from listening.models import Mention
from listening.selectors import own_accounts

from ... import conf
from ...models import (
    ACTIVE_Q,
    Case,
    CaseEvent,
    CaseMention,
    CaseStatus,
    Reply,
)
from ..outbox import case_events_published
from ..sla import case_sla_resume, case_sla_set_targets
from ..snooze import case_snooze_clear
from .eligibility import assign_in_memory, assignments_save, lock_candidates
from .rules import (
    RoutingContext,
    RuleOutcome,
    facts_for,
    priority_for_score,
    required_certification,
    rules_apply,
)

SUMMARY_LENGTH = 300
# The mention columns routing reads (the raw payload and the rest stay unloaded).
_MENTION_FIELDS = (
    "id",
    "platform",
    "external_id",
    "author_id",
    "author__followers_count",
    "author__external_id",
    "text",
    "language",
    "created_at",
    "thread_external_id",
    "is_private",
    "sentiment_label",
    "intent",
    "brands",
    "products",
    "keywords",
    "priority",
)


# How often a batch retries the conversations another worker opened meanwhile.
_INSERT_ATTEMPTS = 3
_EXISTING_FIELDS = [
    "mention_count",
    "last_mention_at",
    "priority_score",
    "priority",
    "sentiment_label",
    "influencer",
    "required_certification",
    "status",
    "waiting_since",
    "sla_paused_seconds",
    "sla_paused_at",
    "first_response_due_at",
    "resolution_due_at",
    "snoozed",
    "snoozed_until",
    "snooze_until_reply",
]


# A conversation: (platform, author id, thread key), the active case's natural key.
Conversation = tuple[str, int | None, str]
Groups = dict[Conversation, list[Mention]]


@dataclass(slots=True)
class RouteResult:
    mentions: int = 0  # mentions linked to a case by this call
    cases_created: int = 0
    cases_updated: int = 0
    assigned: int = 0
    waiting: int = 0  # new cases left in their team's queue
    skipped: int = 0  # already routed, missing, or written by the brand itself


def mentions_route(
    *, mention_ids: Sequence[int], now: dt.datetime | None = None
) -> RouteResult:
    """Route analysed mentions into cases and assign the new cases (one transaction).

    Idempotent: mentions already in a case, missing, or that are our own replies are
    skipped. Safe to run from several workers at once.
    """
    now = now or timezone.now()
    result = RouteResult()
    ids = sorted(set(mention_ids))
    with transaction.atomic():
        # 1. Lock the batch's mentions; keep those not routed yet and not ours.
        fresh = _lock_fresh_mentions(ids)
        result.skipped = len(ids) - len(fresh)
        if not fresh:
            return result
        # 2. Group by conversation; open a case for each conversation without one.
        groups = _group_by_conversation(fresh)
        existing = _active_cases(set(groups))
        existing.update(_customer_cases_for_dms(set(groups) - set(existing)))
        ctx = RoutingContext.load()
        new_cases, outcomes = _open_cases(groups, existing, ctx, now)
        # 3. Assign the new cases before inserting them (one write per case).
        pools = lock_candidates({c.team_id for c in new_cases if c.team_id})
        made = assign_in_memory(new_cases, pools, now)
        # 4. Insert them, joining the cases other workers opened meanwhile.
        inserted = _insert_or_join(new_cases, existing)
        by_key = {(c.platform, c.author_id, c.thread_key): c for c in inserted}
        made = [(case, cand) for case, cand in made if case.pk is not None]
        # 5. Link every mention, label the new cases, update the existing ones,
        #    record the history.
        links, updated = _link_mentions(groups, by_key, existing, outcomes, ctx, now)
        # 6. Record the assignments (the new cases were inserted with them).
        assignments_save(made, save_cases=False, now=now)

        result.mentions = links
        result.cases_created = len(inserted)
        result.cases_updated = updated
        result.assigned = len(made)
        result.waiting = len(inserted) - len(made)
    return result


def _lock_fresh_mentions(ids: list[int]) -> list[Mention]:
    """The batch's mentions, row-locked (a concurrent redelivery of the same batch
    waits here), without those a committed routing already linked and those the
    brand wrote itself; oldest first."""
    mentions = list(
        Mention.objects.select_for_update(of=("self",), no_key=True)
        .filter(id__in=ids)
        .select_related("author")
        .only(*_MENTION_FIELDS)
        .order_by("id")
    )
    linked = set(
        CaseMention.objects.filter(mention_id__in=ids).values_list(
            "mention_id", flat=True
        )
    )
    own = _own_mention_ids([m for m in mentions if m.id not in linked])
    fresh = [m for m in mentions if m.id not in linked and m.id not in own]
    fresh.sort(key=lambda m: (m.created_at, m.id))
    return fresh


def _group_by_conversation(mentions: Sequence[Mention]) -> Groups:
    groups: Groups = defaultdict(list)
    for m in mentions:
        groups[_conversation_key(m)].append(m)
    return groups


def _open_cases(
    groups: Groups,
    existing: dict[Conversation, Case],
    ctx: RoutingContext,
    now: dt.datetime,
) -> tuple[list[Case], dict[Conversation, RuleOutcome]]:
    """A new (unsaved) case, with its rules' outcome, per conversation that has
    no active case."""
    new_cases, outcomes = [], {}
    for key, group in groups.items():
        if key not in existing:
            case, outcome = _new_case(key, group, ctx, now)
            new_cases.append(case)
            outcomes[key] = outcome
    return new_cases, outcomes


def _insert_or_join(
    new_cases: list[Case], existing: dict[Conversation, Case]
) -> list[Case]:
    """Insert the new cases. Those another worker opened a moment ago for the same
    conversation join its case (added to ``existing``), or, if it has closed since,
    are opened after all. Returns the inserted cases."""
    inserted, lost = _insert_cases(new_cases)
    for _attempt in range(_INSERT_ATTEMPTS):
        if not lost:
            break
        lost_keys = {(c.platform, c.author_id, c.thread_key) for c in lost}
        existing.update(_active_cases(lost_keys))
        retry = [
            c for c in lost if (c.platform, c.author_id, c.thread_key) not in existing
        ]
        more, lost = _insert_cases(retry)
        inserted.extend(more)
    if lost:
        raise IntegrityError("conversation keys keep conflicting; retry the batch")
    return inserted


def _link_mentions(
    groups: Groups,
    by_key: dict[Conversation, Case],
    existing: dict[Conversation, Case],
    outcomes: dict[Conversation, RuleOutcome],
    ctx: RoutingContext,
    now: dt.datetime,
) -> tuple[int, int]:
    """Link each group to its case, label the new cases, update the existing ones
    and record the events. Returns (mentions linked, cases updated)."""
    links: list[CaseMention] = []
    events: list[CaseEvent] = []
    updated: list[Case] = []
    for key, group in groups.items():
        case = by_key.get(key)
        if case is not None:
            outcome = outcomes[key]
            events.append(
                CaseEvent(
                    case_id=case.pk,
                    kind=CaseEvent.Kind.CREATED,
                    data={
                        "mentions": [m.id for m in group],
                        "rules": outcome.rules,
                        "team": ctx.team_names.get(case.team_id or 0, ""),
                        "priority": case.priority,
                    },
                    created_at=now,
                )
            )
        else:
            case = existing[key]
            _attach_to_existing(case, group, now)
            updated.append(case)
            events.append(
                CaseEvent(
                    case_id=case.pk,
                    kind=CaseEvent.Kind.MENTION_ADDED,
                    data={"mentions": [m.id for m in group]},
                    created_at=now,
                )
            )
        links.extend(
            CaseMention(case_id=case.pk, mention_id=m.id, created_at=now) for m in group
        )
    CaseMention.objects.bulk_create(links)
    label_links = [
        Case.labels.through(case_id=by_key[key].pk, label_id=label_id)
        for key, outcome in outcomes.items()
        if key in by_key
        for label_id in outcome.label_ids
    ]
    Case.labels.through.objects.bulk_create(label_links, ignore_conflicts=True)
    if updated:
        Case.objects.bulk_update(updated, _EXISTING_FIELDS)
    case_events_published(CaseEvent.objects.bulk_create(events))
    return len(links), len(updated)


def _conversation_key(m: Mention) -> Conversation:
    return (m.platform, m.author_id, m.thread_external_id or m.external_id)


def _own_reply_ids(mentions: Sequence[Mention]) -> set[int]:
    """Mentions that are our own replies, brought back by polling."""
    ids = {m.external_id for m in mentions}
    if not ids:
        return set()
    ours = set(
        Reply.objects.filter(
            platform__in={m.platform for m in mentions}, external_id__in=ids
        )
        .exclude(external_id="")  # the unique index's condition, so it is used
        .values_list("platform", "external_id")
    )
    return {m.id for m in mentions if (m.platform, m.external_id) in ours}


def _own_mention_ids(mentions: Sequence[Mention]) -> set[int]:
    """Mentions the brand wrote itself: our replies, and posts of our own accounts
    (the brand's announcements show up in its own mentions and searches)."""
    accounts = own_accounts()
    by_account = {
        m.id
        for m in mentions
        if m.author is not None and (m.platform, m.author.external_id) in accounts
    }
    return _own_reply_ids(mentions) | by_account


def _active_cases(keys: set[Conversation]) -> dict[Conversation, Case]:
    """Lock and return the active cases of these conversations."""
    if not keys:
        return {}
    qs = (
        Case.objects.select_for_update(of=("self",))
        .filter(ACTIVE_Q)
        .filter(
            platform__in={k[0] for k in keys},
            thread_key__in={k[2] for k in keys},
        )
        .order_by("id")
    )
    # The conversation index is (platform, author, thread_key) on active cases.
    authors = {k[1] for k in keys}
    by_author = Q(author_id__in=authors - {None})
    if None in authors:
        by_author |= Q(author__isnull=True)
    qs = qs.filter(by_author)
    found: dict[Conversation, Case] = {}
    for case in qs:
        key = (case.platform, case.author_id, case.thread_key)
        if key in keys:
            found.setdefault(key, case)
    return found


# Thread keys of private conversations (the adapters' DM thread ids).
DM_THREAD_PREFIX = "dm:"


def _customer_cases_for_dms(
    keys: set[Conversation],
) -> dict[Conversation, Case]:
    """A private conversation joins the customer's open case on that platform (the
    one they wrote in most recently), so one customer is one case; without one
    it opens its own (keyed by the DM conversation)."""
    wanted = {k for k in keys if k[1] is not None and k[2].startswith(DM_THREAD_PREFIX)}
    if not wanted:
        return {}
    qs = (
        Case.objects.select_for_update(of=("self",))
        .filter(ACTIVE_Q)
        .filter(
            platform__in={k[0] for k in wanted},
            author_id__in={k[1] for k in wanted},
        )
        .order_by("platform", "author_id", "-last_mention_at", "-id")
    )
    latest: dict[tuple[str, int | None], Case] = {}
    for case in qs:
        latest.setdefault((case.platform, case.author_id), case)
    return {k: latest[(k[0], k[1])] for k in wanted if (k[0], k[1]) in latest}


def _new_case(
    key: Conversation,
    mentions: Sequence[Mention],
    ctx: RoutingContext,
    now: dt.datetime,
) -> tuple[Case, RuleOutcome]:
    facts = facts_for(mentions, ctx)
    outcome = rules_apply(ctx.rules, facts)
    score = max(m.priority or 0.0 for m in mentions)
    last = mentions[-1]
    influencer = facts.followers >= conf.INFLUENCER_FOLLOWERS
    sentiment = last.sentiment_label or ""
    case = Case(
        platform=key[0],
        author_id=key[1],
        thread_key=key[2],
        status=CaseStatus.NEW,
        priority=outcome.priority or priority_for_score(score),
        priority_score=score,
        team_id=outcome.team_id or ctx.default_team_id,
        language=facts.language,
        sentiment_label=sentiment,
        intent=next((m.intent for m in mentions if m.intent), ""),
        influencer=influencer,
        skills=ctx.skills_for(facts.products),
        required_certification=required_certification(
            sentiment=sentiment,
            influencer=influencer,
            escalated=False,
        ),
        summary=(mentions[0].text or "")[:SUMMARY_LENGTH],
        mention_count=len(mentions),
        last_mention_at=last.created_at,
        created_at=now,
        # The customer has waited since they posted, not since we stored the row
        # (a post from 15:32 ingested at 16:30 has waited an hour). A post dated
        # after ``now`` (a platform clock ahead of ours) counts from now.
        first_posted_at=min(min(m.created_at for m in mentions), now),
        waiting_since=min(min(m.created_at for m in mentions), now),
    )
    case_sla_set_targets(case, policies=ctx.policies)
    return case, outcome


def _insert_cases(cases: list[Case]) -> tuple[list[Case], list[Case]]:
    """Insert new cases; return (inserted, lost) where ``lost`` are those another
    worker opened first for the same conversation (the partial unique index)."""
    if not cases:
        return [], []
    try:
        with transaction.atomic():
            return Case.objects.bulk_create(cases), []
    except IntegrityError:
        pass
    inserted, lost = [], []
    for case in cases:
        try:
            with transaction.atomic():
                case.save(force_insert=True)
            inserted.append(case)
        except IntegrityError:
            case.pk = None
            lost.append(case)
    return inserted, lost


def _attach_to_existing(case: Case, group: Sequence[Mention], now: dt.datetime) -> None:
    """New mentions in a conversation that already has an active case."""
    last = group[-1]
    case.mention_count += len(group)
    if case.last_mention_at is None or last.created_at > case.last_mention_at:
        case.last_mention_at = last.created_at
    score = max(m.priority or 0.0 for m in group)
    if score > case.priority_score:
        case.priority_score = score
        if not case.priority_locked:
            case.priority = min(case.priority, priority_for_score(score))
            case_sla_set_targets(case)
    if last.sentiment_label:
        case.sentiment_label = last.sentiment_label
    followers = max((m.author.followers_count if m.author else 0) for m in group)
    case.influencer = case.influencer or followers >= conf.INFLUENCER_FOLLOWERS
    case.required_certification = max(
        case.required_certification,
        required_certification(
            sentiment=case.sentiment_label,
            influencer=case.influencer,
            escalated=case.escalated,
        ),
    )
    if case.status == CaseStatus.PENDING:
        # The customer answered: the case is ours again and the clock runs, from
        # the moment they wrote.
        case.status = CaseStatus.OPEN
        case.waiting_since = min(min(m.created_at for m in group), now)
        case_sla_resume(case, now=now)
    if case.snoozed:
        # A customer's message ends any snooze (a timed one too: they need us).
        case_snooze_clear(case)
