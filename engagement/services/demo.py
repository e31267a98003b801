"""Demo data of engagement: labels, canned responses (zh and en), SLA policies,
policy rules and routing rules. Idempotent: a second run changes nothing. The
people, teams and skills come from ``ambassadors.demo.demo_seed``."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from ambassadors.models import Team

from ..models import (
    ACTIVE_Q,
    MANUAL_CLOSE_REASONS,
    CannedResponse,
    Case,
    CaseEvent,
    CaseStatus,
    Label,
    PolicyRule,
    Priority,
    Reply,
    RoutingRule,
    SlaPolicy,
)

LABELS = ["competitor", "complaint", "influencer", "lead"]

CANNED = [
    # (short code, language, title, text)
    ("thanks-zh", "zh", "感谢支持", "感谢{name}的支持！有任何问题随时告诉我们。"),
    (
        "dm-zh",
        "zh",
        "请私信",
        "{name}您好，很抱歉给您带来不便。请私信我们您的联系方式和订单信息，"
        "我们会尽快为您处理。",
    ),
    (
        "warranty-zh",
        "zh",
        "保修查询",
        "{name}您好，在戴尔官网“服务与支持”页面输入服务编号即可查询保修状态。",
    ),
    (
        "driver-zh",
        "zh",
        "驱动下载",
        "{name}您好，最新驱动可在戴尔官网支持页面下载，输入服务编号即可找到对应机型。",
    ),
    (
        "thanks-en",
        "en",
        "Thanks",
        "Thanks {name}! Let us know if there is anything we can help with.",
    ),
    (
        "dm-en",
        "en",
        "Please DM us",
        "Hi {name}, sorry for the trouble. Please send us a DM with your contact "
        "details and we will look into it right away.",
    ),
    (
        "warranty-en",
        "en",
        "Warranty check",
        "Hi {name}, you can check your warranty status on Dell's support site with "
        "your service tag.",
    ),
]

# Minutes: (first response, resolution).
SLA = {
    Priority.URGENT: (30, 240),
    Priority.HIGH: (60, 480),
    Priority.NORMAL: (240, 1440),
    Priority.LOW: (1440, 4320),
}

BANNED_WORDS = ["垃圾", "白痴", "骗子", "idiot", "stupid", "sucks"]


def _seed_policy() -> None:
    for word in BANNED_WORDS:
        PolicyRule.objects.get_or_create(kind=PolicyRule.Kind.BANNED_WORD, value=word)
    for kind in (
        PolicyRule.Kind.PHONE_NUMBER,
        PolicyRule.Kind.ORDER_NUMBER,
        PolicyRule.Kind.PRICE_PROMISE,
        PolicyRule.Kind.DISCLOSURE,
    ):
        PolicyRule.objects.get_or_create(kind=kind, value="")


def _seed_routing() -> None:
    teams = {t.slug: t for t in Team.objects.all()}
    labels = {label.name: label for label in Label.objects.all()}
    rules: list[tuple[str, int, dict[str, Any], dict[str, Any]]] = [
        # (name, position, conditions, actions)
        (
            # Reach makes urgent what needs an answer, not praise or news.
            "Influencers who need an answer are urgent",
            10,
            {"min_followers": 10_000, "intents": ["complaint", "question", "purchase"]},
            {"set_priority": Priority.URGENT, "add_label": labels["influencer"]},
        ),
        (
            "Competitor mentions go to marketing",
            20,
            {"brand_kind": RoutingRule.BrandKind.COMPETITOR},
            {"set_team": teams.get("marketing"), "add_label": labels["competitor"]},
        ),
        (
            "Purchase intent goes to sales",
            30,
            {"intents": ["purchase"]},
            {"set_team": teams.get("sales"), "add_label": labels["lead"]},
        ),
        (
            "Complaints go to support, high priority",
            40,
            {"intents": ["complaint"], "sentiments": ["negative"]},
            {
                "set_team": teams.get("support"),
                "set_priority": Priority.HIGH,
                "add_label": labels["complaint"],
            },
        ),
    ]
    for name, position, conditions, actions in rules:
        if RoutingRule.objects.filter(name=name).exists():
            continue
        RoutingRule.objects.create(
            name=name, position=position, **conditions, **actions
        )


@transaction.atomic
def demo_seed(password: str | None = None) -> None:
    """``password`` is accepted for symmetry with the people's seed; unused here."""
    for name in LABELS:
        Label.objects.get_or_create(name=name)
    for shortcode, language, title, text in CANNED:
        CannedResponse.objects.get_or_create(
            shortcode=shortcode,
            defaults={"language": language, "title": title, "text": text},
        )
    for priority, (first, resolution) in SLA.items():
        SlaPolicy.objects.get_or_create(
            priority=priority,
            defaults={
                "first_response_minutes": first,
                "resolution_minutes": resolution,
            },
        )
    _seed_policy()
    _seed_routing()


# --- The demo's week of history ------------------------------------------------------
# The mock platforms start with a week of posts (seed_demo), which the pollers bring
# in over the first minutes of ``make run``. A desk that had run that week would have
# answered them; opening them all as waiting cases puts a week of SLA breaches in the
# queue at once. So, in the demo only (settings.DEMO_HISTORY_SETTLE), a case whose
# post was already old when it reached the desk (the backlog) is recorded as the work
# that week would have done: answered and resolved, mostly in time. The backlog of
# the last HISTORY_LIVE_WINDOW stays open: the queue a shift starts with, a few of its
# cases already past their first-response target.
HISTORY_BACKFILL_LAG = dt.timedelta(hours=1)  # reached the desk this long after posting
HISTORY_LIVE_WINDOW = dt.timedelta(minutes=90)
HISTORY_SETTLE_BATCH = 2000  # one bulk update per route batch of the backlog
# The mix, out of 100 cases: answered late, closed without an answer (spam or
# irrelevant), resolved after the resolution target; the rest in time.
HISTORY_LATE_ANSWER = 7
HISTORY_CLOSED = 6
HISTORY_LATE_RESOLUTION = 4


def _history_outcome(
    case: Case, policy: SlaPolicy | None, now: dt.datetime
) -> dict[str, Any]:
    """What a working desk would have done with ``case`` (deterministic per case)."""
    rng = random.Random(case.pk)
    posted = case.first_posted_at or case.created_at
    first_minutes = policy.first_response_minutes if policy else 240
    resolution_minutes = policy.resolution_minutes if policy else 1440
    latest = now - dt.timedelta(minutes=1)
    roll = rng.randrange(100)
    if roll < HISTORY_CLOSED:
        closed = min(posted + dt.timedelta(minutes=rng.uniform(5, 90)), latest)
        return {
            "status": CaseStatus.CLOSED,
            "close_reason": rng.choice(MANUAL_CLOSE_REASONS),
            "closed_at": closed,
        }
    late = roll < HISTORY_CLOSED + HISTORY_LATE_ANSWER
    share = rng.uniform(1.1, 2.5) if late else rng.uniform(0.1, 0.9)
    answered = min(posted + dt.timedelta(minutes=first_minutes * share), latest)
    late_resolution = rng.randrange(100) < HISTORY_LATE_RESOLUTION
    share = rng.uniform(1.05, 1.6) if late_resolution else rng.uniform(0.05, 0.7)
    resolved = min(
        max(posted + dt.timedelta(minutes=resolution_minutes * share), answered),
        latest,
    )
    return {
        "status": CaseStatus.RESOLVED,
        "first_responded_at": answered,
        "first_response_breached": bool(
            case.first_response_due_at and answered > case.first_response_due_at
        ),
        "resolved_at": resolved,
        "resolution_breached": bool(
            case.resolution_due_at and resolved > case.resolution_due_at
        ),
    }


@transaction.atomic
def demo_history_settle(*, now: dt.datetime | None = None) -> int:
    """Record the demo's backlog cases as that week's work (see above); returns
    how many were settled. Cases people have touched (a reply, a note, a status
    change) are left alone."""
    now = now or timezone.now()
    cases = list(
        Case.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(
            ACTIVE_Q,
            first_posted_at__lt=now - HISTORY_LIVE_WINDOW,
            created_at__gt=F("first_posted_at") + HISTORY_BACKFILL_LAG,
            first_responded_at__isnull=True,
        )
        .exclude(Exists(Reply.objects.filter(case=OuterRef("pk"))))
        .order_by("id")[:HISTORY_SETTLE_BATCH]
    )
    if not cases:
        return 0
    policies = {p.priority: p for p in SlaPolicy.objects.all()}
    fields = {"status", "updated_at"}
    for case in cases:
        for field, value in _history_outcome(
            case, policies.get(case.priority), now
        ).items():
            setattr(case, field, value)
            fields.add(field)
        case.updated_at = now
    Case.objects.bulk_update(cases, sorted(fields))
    CaseEvent.objects.bulk_create(
        CaseEvent(
            case=case,
            kind=CaseEvent.Kind.STATUS_CHANGED,
            actor=case.assignee if case.assignee_id else None,
            data={"to": case.status, "history": True},
            created_at=case.resolved_at or case.closed_at or now,
        )
        for case in cases
    )
    return len(cases)
