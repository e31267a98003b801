"""The listening room's part of the demo (seed_demo): watched terms, a wall token,
and an alert rule telling the community manager of every spike."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.db import transaction

from listening.models import AlertRule, WallToken, WatchedTerm

DEMO_TERMS = ["蓝屏", "爆炸", "起火", "召回"]


@transaction.atomic
def demo_seed() -> None:
    for term in DEMO_TERMS:
        WatchedTerm.objects.get_or_create(term=term)
    WallToken.objects.get_or_create(
        name="demo wall", defaults={"key": secrets.token_urlsafe(24)}
    )
    manager = get_user_model().objects.filter(username="manager").first()
    if manager is not None and not AlertRule.objects.filter(name="任何峰值").exists():
        AlertRule.objects.create(
            name="任何峰值",
            kind=AlertRule.Kind.SPIKE,
            user_ids=[manager.id],
            email=True,
            created_by=manager,
        )
