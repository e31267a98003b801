"""Demo data of engagement: labels, canned responses (zh and en), SLA policies,
policy rules and routing rules. Idempotent: a second run changes nothing. The
people, teams and skills come from ``ambassadors.demo.demo_seed``."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ambassadors.models import Team

from ..models import CannedResponse, Label, PolicyRule, Priority, RoutingRule, SlaPolicy

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
