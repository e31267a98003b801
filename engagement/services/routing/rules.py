"""Routing, the rules: the facts of a conversation's mentions, the routing rules
that match them (team, priority, labels), and the derived priority and required
certification.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ambassadors.models import (
    Certification,
    Skill,
    Team,
)
from listening.models import Brand, Mention, Sentiment

from ... import conf
from ...conf import PRIORITY_FLOOR
from ...models import (
    RoutingRule,
    SlaPolicy,
)


def normalize_language(code: str) -> str:
    """'zh-hans', 'zh_CN', 'ZH' → 'zh': the part routing compares."""
    return (code or "").strip().lower().replace("_", "-").split("-")[0]


def priority_for_score(score: float) -> int:
    for threshold, priority in conf.PRIORITY_THRESHOLDS:
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


def casefold_all(values: Iterable[str]) -> set[str]:
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
        wanted = casefold_all(rule.keywords)
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
                (slug, frozenset(casefold_all([slug, *(products or [])])))
                for slug, products in Skill.objects.values_list("slug", "products")
            ],
            policies={p.priority: p for p in SlaPolicy.objects.all()},
        )

    def skills_for(self, products: set[str]) -> list[str]:
        wanted = casefold_all(products)
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
        facts.keywords.update(casefold_all(m.keywords or []))
        facts.products.update(m.products or [])
        texts.append(m.text or "")
        if not facts.language:
            facts.language = normalize_language(m.language)
    facts.brand_kinds = {
        ctx.brand_kinds[b] for b in facts.brands if b in ctx.brand_kinds
    }
    facts.text = "\n".join(texts).casefold()
    return facts
