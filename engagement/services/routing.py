"""Routing: analysed mentions → cases → rules → an eligible ambassador.

1. ``mentions_route`` groups a batch of mentions by conversation (platform, author,
   thread) and attaches each group to the conversation's active case, or opens a
   new one. A mention is linked at most once (``CaseMention.mention`` is unique, and
   the batch's mentions are row-locked while they are routed), so a redelivered
   batch changes nothing.
2. A new case runs the routing rules (team, priority, labels) and gets its SLA due
   times.
3. Auto-assignment picks, among the team's ambassadors who are eligible (available,
   in working hours, speak the language, have a handle on the platform, have the
   skills, are certified high enough, under capacity), the least loaded one, and
   among equals the one who waited longest for a case (round robin).

Capacity holds under concurrency because every assignment (here, in the drain of
waiting cases and in ``case_assign``) first row-locks the ambassadors' profiles and
only then counts their active cases: two workers assigning to the same team take
turns, each seeing the other's committed assignments. Locks are taken in a fixed
order (cases by id, then profiles by id, teams by id) so they cannot deadlock; the
drain, which locks profiles first, skips locked cases instead of waiting for them.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from ambassadors.models import (
    Availability,
    Certification,
    HandleStatus,
    PlatformHandle,
    Profile,
    Role,
    Skill,
    Team,
)
from listening.models import Brand, Mention, Sentiment
from listening.selectors import own_accounts

from ..conf import INFLUENCER_FOLLOWERS, PRIORITY_FLOOR, PRIORITY_THRESHOLDS
from ..models import (
    ACTIVE_Q,
    Case,
    CaseEvent,
    CaseMention,
    CaseStatus,
    Reply,
    RoutingRule,
    SlaPolicy,
)
from .sla import case_sla_resume, case_sla_set_targets

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
SUMMARY_LENGTH = 300

# Why an ambassador may not take a case (ineligibility reasons, for tests and the
# manager's "why not" hint).
UNAVAILABLE = "unavailable"
OFF_HOURS = "off_hours"
LANGUAGE = "language"
PLATFORM = "platform"
SKILLS = "skills"
CERTIFICATION = "certification"
CAPACITY = "capacity"


def normalize_language(code: str) -> str:
    """'zh-hans', 'zh_CN', 'ZH' → 'zh': the part routing compares."""
    return (code or "").strip().lower().replace("_", "-").split("-")[0]


def priority_for_score(score: float) -> int:
    for threshold, priority in PRIORITY_THRESHOLDS:
        if score >= threshold:
            return priority
    return PRIORITY_FLOOR


def required_certification(*, sentiment: str, influencer: bool, escalated: bool) -> int:
    """Escalations need an expert; negative or influencer cases a professional."""
    if escalated:
        return Certification.EXPERT
    if influencer or sentiment == Sentiment.NEGATIVE:
        return Certification.PROFESSIONAL
    return Certification.ENTHUSIAST


# --- Rules ---------------------------------------------------------------------------


@dataclass(slots=True)
class Facts:
    """What the rules see of a new case: the union over its first mentions."""

    platform: str
    language: str
    followers: int
    brands: set[str] = field(default_factory=set)
    brand_kinds: set[str] = field(default_factory=set)
    intents: set[str] = field(default_factory=set)
    sentiments: set[str] = field(default_factory=set)
    keywords: set[str] = field(default_factory=set)
    products: set[str] = field(default_factory=set)
    text: str = ""


@dataclass(slots=True)
class RuleOutcome:
    team_id: int | None = None
    priority: int | None = None
    label_ids: list[int] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)


def _casefold_all(values: Iterable[str]) -> set[str]:
    return {str(v).casefold() for v in values if v}


def rule_matches(rule: RoutingRule, facts: Facts) -> bool:
    """Every condition the rule sets must hold; an empty condition holds."""
    if rule.platforms and facts.platform not in rule.platforms:
        return False
    if rule.languages and facts.language not in {
        normalize_language(code) for code in rule.languages
    }:
        return False
    if rule.brands and not facts.brands & set(rule.brands):
        return False
    if rule.brand_kind and rule.brand_kind not in facts.brand_kinds:
        return False
    if rule.intents and not facts.intents & set(rule.intents):
        return False
    if rule.sentiments and not facts.sentiments & set(rule.sentiments):
        return False
    if rule.min_followers is not None and facts.followers < rule.min_followers:
        return False
    if rule.keywords:
        wanted = _casefold_all(rule.keywords)
        if not (wanted & facts.keywords or any(w in facts.text for w in wanted)):
            return False
    return True


def rules_apply(rules: Sequence[RoutingRule], facts: Facts) -> RuleOutcome:
    outcome = RuleOutcome()
    for rule in rules:
        if not rule.enabled or not rule_matches(rule, facts):
            continue
        outcome.rules.append(rule.name)
        if outcome.team_id is None and rule.set_team_id is not None:
            outcome.team_id = rule.set_team_id
        if outcome.priority is None and rule.set_priority is not None:
            outcome.priority = rule.set_priority
        if rule.add_label_id is not None and rule.add_label_id not in outcome.label_ids:
            outcome.label_ids.append(rule.add_label_id)
        if rule.stop:
            break
    return outcome


@dataclass(slots=True)
class RoutingContext:
    """Everything a batch needs besides its mentions, read once per batch."""

    rules: list[RoutingRule]
    brand_kinds: dict[str, str]
    default_team_id: int | None
    team_names: dict[int, str]
    skills: list[tuple[str, frozenset[str]]]
    policies: dict[int, SlaPolicy]

    @classmethod
    def load(cls) -> RoutingContext:
        teams = list(
            Team.objects.order_by("id").values_list("id", "name", "is_default")
        )
        return cls(
            rules=list(RoutingRule.objects.filter(enabled=True)),
            brand_kinds=dict(Brand.objects.values_list("slug", "kind")),
            default_team_id=next((t for t, _, default in teams if default), None),
            team_names={t: name for t, name, _ in teams},
            skills=[
                (slug, frozenset(_casefold_all([slug, *(products or [])])))
                for slug, products in Skill.objects.values_list("slug", "products")
            ],
            policies={p.priority: p for p in SlaPolicy.objects.all()},
        )

    def skills_for(self, products: set[str]) -> list[str]:
        wanted = _casefold_all(products)
        return sorted(slug for slug, names in self.skills if names & wanted)


def facts_for(mentions: Sequence[Mention], ctx: RoutingContext) -> Facts:
    first = mentions[0]
    facts = Facts(
        platform=first.platform,
        language=normalize_language(first.language),
        followers=max((m.author.followers_count if m.author else 0) for m in mentions),
    )
    texts = []
    for m in mentions:
        facts.brands.update(m.brands or [])
        if m.intent:
            facts.intents.add(m.intent)
        if m.sentiment_label:
            facts.sentiments.add(m.sentiment_label)
        facts.keywords.update(_casefold_all(m.keywords or []))
        facts.products.update(m.products or [])
        texts.append(m.text or "")
        if not facts.language:
            facts.language = normalize_language(m.language)
    facts.brand_kinds = {
        ctx.brand_kinds[b] for b in facts.brands if b in ctx.brand_kinds
    }
    facts.text = "\n".join(texts).casefold()
    return facts


# --- Eligibility ---------------------------------------------------------------------


@dataclass(slots=True)
class Candidate:
    """An ambassador as routing sees them, with their current load."""

    user_id: int
    profile_id: int
    username: str
    availability: str
    languages: frozenset[str]
    platforms: frozenset[str]
    skills: frozenset[str]
    certification: int
    capacity: int
    work_days: frozenset[int]
    work_start: dt.time
    work_end: dt.time
    time_zone: str
    last_assigned_at: dt.datetime | None
    load: int = 0
    assigned_now: bool = False

    @classmethod
    def from_profile(
        cls,
        profile: Profile,
        *,
        platforms: Iterable[str],
        skills: Iterable[str],
        load: int,
    ) -> Candidate:
        return cls(
            user_id=profile.user_id,
            profile_id=profile.pk,
            username=profile.user.get_username(),
            availability=profile.availability,
            languages=frozenset(normalize_language(c) for c in profile.languages or []),
            platforms=frozenset(platforms),
            skills=frozenset(skills),
            certification=profile.certification,
            capacity=profile.capacity,
            work_days=frozenset(profile.work_days or []),
            work_start=profile.work_start,
            work_end=profile.work_end,
            time_zone=profile.time_zone,
            last_assigned_at=profile.last_assigned_at,
            load=load,
        )


def in_working_hours(candidate: Candidate, now: dt.datetime) -> bool:
    try:
        zone = zoneinfo.ZoneInfo(candidate.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    local = now.astimezone(zone)
    start, end, time = candidate.work_start, candidate.work_end, local.time()
    if start == end:  # all day
        return local.weekday() in candidate.work_days
    if start < end:
        return local.weekday() in candidate.work_days and start <= time < end
    # Overnight shift: the evening belongs to today, the small hours to yesterday.
    if time >= start:
        return local.weekday() in candidate.work_days
    return time < end and (local.weekday() - 1) % 7 in candidate.work_days


def ineligibility(candidate: Candidate, case: Case, now: dt.datetime) -> list[str]:
    """Why ``candidate`` may not take ``case`` now; empty when they may."""
    reasons = []
    if candidate.availability != Availability.AVAILABLE:
        reasons.append(UNAVAILABLE)
    if not in_working_hours(candidate, now):
        reasons.append(OFF_HOURS)
    if case.language and normalize_language(case.language) not in candidate.languages:
        reasons.append(LANGUAGE)
    if case.platform not in candidate.platforms:
        reasons.append(PLATFORM)
    if not set(case.skills or []) <= candidate.skills:
        reasons.append(SKILLS)
    if candidate.certification < max(
        case.required_certification, Certification.ENTHUSIAST
    ):
        reasons.append(CERTIFICATION)
    if candidate.load >= candidate.capacity:
        reasons.append(CAPACITY)
    return reasons


def choose_ambassador(
    candidates: Sequence[Candidate], case: Case, now: dt.datetime
) -> Candidate | None:
    """The fairest eligible candidate: least loaded, then longest without a case."""
    eligible = [c for c in candidates if not ineligibility(c, case, now)]
    if not eligible:
        return None
    return min(eligible, key=lambda c: (c.load, c.last_assigned_at or EPOCH, c.user_id))


def lock_candidates(
    team_ids: Iterable[int], *, user_ids: Iterable[int] = (), lock: bool = True
) -> dict[int, list[Candidate]]:
    """Row-lock the ambassadors of ``team_ids`` (or the users ``user_ids``) who
    could take a case, and read their load. Must run inside a transaction; the locks
    hold until it ends, so the loads stay true while the caller assigns. ``lock``
    False only reads (for showing options; never to assign)."""
    team_ids = sorted(set(team_ids))
    user_ids = sorted(set(user_ids))
    if not team_ids and not user_ids:
        return {}
    qs = Profile.objects.select_related("user")
    if lock:
        qs = qs.select_for_update(of=("self",))
    if user_ids:
        qs = qs.filter(user_id__in=user_ids)
    else:
        qs = qs.filter(
            team_id__in=team_ids,
            role=Role.AMBASSADOR,
            availability=Availability.AVAILABLE,
            certification__gte=Certification.ENTHUSIAST,
            capacity__gt=0,
            user__is_active=True,
        )
    profiles = list(qs.order_by("id"))
    if not profiles:
        return {}
    profile_ids = [p.pk for p in profiles]
    platforms: dict[int, set[str]] = defaultdict(set)
    # Only handles a manager approved are routed to (governance).
    for profile_id, platform in PlatformHandle.objects.filter(
        profile_id__in=profile_ids, status=HandleStatus.APPROVED
    ).values_list("profile_id", "platform"):
        platforms[profile_id].add(platform)
    skills: dict[int, set[str]] = defaultdict(set)
    for profile_id, slug in Profile.skills.through.objects.filter(
        profile_id__in=profile_ids
    ).values_list("profile_id", "skill__slug"):
        skills[profile_id].add(slug)
    loads = dict(
        Case.objects.filter(ACTIVE_Q, assignee_id__in=[p.user_id for p in profiles])
        .values("assignee_id")
        .annotate(n=Count("id"))
        .values_list("assignee_id", "n")
    )
    pools: dict[int, list[Candidate]] = defaultdict(list)
    for p in profiles:
        candidate = Candidate.from_profile(
            p,
            platforms=platforms[p.pk],
            skills=skills[p.pk],
            load=loads.get(p.user_id, 0),
        )
        pools[p.team_id or 0].append(candidate)
    return dict(pools)


@dataclass(frozen=True, slots=True)
class AssignmentOption:
    user_id: int
    username: str
    load: int
    capacity: int
    reasons: tuple[str, ...]  # why not eligible now; empty when eligible

    @property
    def eligible(self) -> bool:
        return not self.reasons


def assignment_options(
    *, case: Case, now: dt.datetime | None = None
) -> list[AssignmentOption]:
    """The case team's ambassadors with their load and, for each, why routing
    would not give them the case now (for the manager's assign menu). Reads only."""
    now = now or timezone.now()
    if case.team_id is None:
        return []
    profiles = Profile.objects.filter(
        team_id=case.team_id, role=Role.AMBASSADOR, user__is_active=True
    ).values_list("user_id", flat=True)
    pools = lock_candidates([], user_ids=list(profiles), lock=False)
    options = [
        AssignmentOption(
            c.user_id,
            c.username,
            c.load,
            c.capacity,
            tuple(ineligibility(c, case, now)),
        )
        for pool in pools.values()
        for c in pool
    ]
    return sorted(options, key=lambda o: (bool(o.reasons), o.load, o.username))


def _assign_in_memory(
    cases: Sequence[Case], pools: dict[int, list[Candidate]], now: dt.datetime
) -> list[tuple[Case, Candidate]]:
    """Assign what can be, most urgent and longest waiting first."""
    made = []
    tick = 0
    for case in sorted(cases, key=lambda c: (c.priority, c.waiting_since, c.pk or 0)):
        if case.team_id is None or case.assignee_id is not None:
            continue
        chosen = choose_ambassador(pools.get(case.team_id, ()), case, now)
        if chosen is None:
            continue
        case.assignee_id = chosen.user_id
        case.assigned_at = now
        chosen.load += 1
        # Later assignments in the same batch count as later, so round robin
        # rotates within a batch too.
        tick += 1
        chosen.last_assigned_at = now + dt.timedelta(microseconds=tick)
        chosen.assigned_now = True
        made.append((case, chosen))
    return made


def _save_assignments(
    made: list[tuple[Case, Candidate]], *, save_cases: bool, now: dt.datetime
) -> None:
    if not made:
        return
    if save_cases:
        Case.objects.bulk_update([c for c, _ in made], ["assignee", "assigned_at"])
    touched = {c.profile_id: c for _, c in made}
    Profile.objects.bulk_update(
        [
            Profile(pk=pid, last_assigned_at=c.last_assigned_at)
            for pid, c in touched.items()
        ],
        ["last_assigned_at"],
    )
    CaseEvent.objects.bulk_create(
        CaseEvent(
            case_id=case.pk,
            kind=CaseEvent.Kind.ASSIGNED,
            data={"assignee": cand.username, "by": "routing"},
            created_at=now,
        )
        for case, cand in made
    )


# --- Routing a batch -----------------------------------------------------------------


@dataclass(slots=True)
class RouteResult:
    mentions: int = 0  # mentions linked to a case by this call
    cases_created: int = 0
    cases_updated: int = 0
    assigned: int = 0
    waiting: int = 0  # new cases left in their team's queue
    skipped: int = 0  # already routed, missing, or written by the brand itself


def _conversation_key(m: Mention) -> tuple[str, int | None, str]:
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
        if m.author_id and (m.platform, m.author.external_id) in accounts
    }
    return _own_reply_ids(mentions) | by_account


def _active_cases(keys: set[tuple[str, int | None, str]]) -> dict[tuple, Case]:
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
    found = {}
    for case in qs:
        key = (case.platform, case.author_id, case.thread_key)
        if key in keys:
            found.setdefault(key, case)
    return found


def _new_case(
    key: tuple, mentions: Sequence[Mention], ctx: RoutingContext, now: dt.datetime
) -> tuple[Case, RuleOutcome]:
    facts = facts_for(mentions, ctx)
    outcome = rules_apply(ctx.rules, facts)
    score = max(m.priority or 0.0 for m in mentions)
    last = mentions[-1]
    influencer = facts.followers >= INFLUENCER_FOLLOWERS
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
        waiting_since=now,
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
        # 1. Lock the batch's mentions (a concurrent redelivery of the same batch
        #    waits here), then drop those a committed routing already linked.
        mentions = list(
            Mention.objects.select_for_update(of=("self",), no_key=True)
            .filter(id__in=ids)
            .select_related("author")
            .only(
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
                "sentiment_label",
                "intent",
                "brands",
                "products",
                "keywords",
                "priority",
            )
            .order_by("id")
        )
        linked = set(
            CaseMention.objects.filter(mention_id__in=ids).values_list(
                "mention_id", flat=True
            )
        )
        own = _own_mention_ids([m for m in mentions if m.id not in linked])
        fresh = [m for m in mentions if m.id not in linked and m.id not in own]
        result.skipped = len(ids) - len(fresh)
        if not fresh:
            return result
        fresh.sort(key=lambda m: (m.created_at, m.id))

        # 2. Group by conversation; attach to active cases or open new ones.
        groups: dict[tuple, list[Mention]] = defaultdict(list)
        for m in fresh:
            groups[_conversation_key(m)].append(m)
        existing = _active_cases(set(groups))
        ctx = RoutingContext.load()
        new_cases, outcomes = [], {}
        for key, group in groups.items():
            if key not in existing:
                case, outcome = _new_case(key, group, ctx, now)
                new_cases.append(case)
                outcomes[key] = outcome
        # 3. Assign the new cases before inserting them (one write per case).
        pools = lock_candidates({c.team_id for c in new_cases if c.team_id})
        made = _assign_in_memory(new_cases, pools, now)
        inserted, lost = _insert_cases(new_cases)
        for _attempt in range(3):
            if not lost:
                break
            # Another worker opened these conversations a moment ago: join its
            # case, or (if it has closed since) open one after all.
            lost_keys = {(c.platform, c.author_id, c.thread_key) for c in lost}
            existing.update(_active_cases(lost_keys))
            retry = [
                c
                for c in lost
                if (c.platform, c.author_id, c.thread_key) not in existing
            ]
            more, lost = _insert_cases(retry)
            inserted.extend(more)
        if lost:
            raise IntegrityError("conversation keys keep conflicting; retry the batch")
        by_key = {(c.platform, c.author_id, c.thread_key): c for c in inserted}
        made = [(case, cand) for case, cand in made if case.pk is not None]

        links, events, updated = [], [], []
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
                            "team": ctx.team_names.get(case.team_id, ""),
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
                CaseMention(case_id=case.pk, mention_id=m.id, created_at=now)
                for m in group
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
        CaseEvent.objects.bulk_create(events)

        _save_assignments(made, save_cases=False, now=now)

        result.mentions = len(links)
        result.cases_created = len(inserted)
        result.cases_updated = len(updated)
        result.assigned = len(made)
        result.waiting = len(inserted) - len(made)
    return result


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
]


def _attach_to_existing(case: Case, group: Sequence[Mention], now: dt.datetime):
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
    case.influencer = case.influencer or followers >= INFLUENCER_FOLLOWERS
    case.required_certification = max(
        case.required_certification,
        required_certification(
            sentiment=case.sentiment_label,
            influencer=case.influencer,
            escalated=case.escalated,
        ),
    )
    if case.status == CaseStatus.PENDING:
        # The customer answered: the case is ours again and the clock runs.
        case.status = CaseStatus.OPEN
        case.waiting_since = now
        case_sla_resume(case, now=now)


# --- Waiting cases -------------------------------------------------------------------


def cases_assign_waiting(
    *, team_id: int | None = None, now: dt.datetime | None = None, limit: int = 500
) -> int:
    """Assign a team's waiting (unassigned, active) cases to whoever is eligible
    now: after a case frees capacity, an ambassador comes online, or the working
    day starts. All teams when ``team_id`` is None. Returns how many were assigned.
    """
    now = now or timezone.now()
    if team_id is None:
        team_ids = sorted(
            set(
                Case.objects.filter(
                    ACTIVE_Q, assignee__isnull=True, team__isnull=False
                ).values_list("team_id", flat=True)
            )
        )
    else:
        team_ids = [team_id]
    assigned = 0
    for tid in team_ids:
        with transaction.atomic():
            pools = lock_candidates([tid])
            pool = pools.get(tid, [])
            if not any(c.load < c.capacity for c in pool):
                continue
            waiting = list(
                Case.objects.select_for_update(of=("self",), skip_locked=True)
                .filter(ACTIVE_Q, team_id=tid, assignee__isnull=True)
                .order_by("priority", "waiting_since", "id")[:limit]
            )
            made = _assign_in_memory(waiting, pools, now)
            _save_assignments(made, save_cases=True, now=now)
            assigned += len(made)
    return assigned
