"""Private messages of the mock platforms (platform-apis.md §6): customers write to
the brand account as traffic is made, the product reads them and answers.

Every DM_EVERY-th generated item of Weibo and Twitter also sends the brand a
private message from the same author (Renren has no DM API), so a demo has a few
an hour; ``mock_dm_create`` makes one on demand (the control endpoint, tests).
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from .models import MockAuthor, MockDirectMessage, MockPlatform
from .wire import time_id

DM_PLATFORMS = ("weibo", "twitter")
# One generated item in this many is followed by a DM from its author.
DM_EVERY = 15
DM_TEXTS = {
    "weibo": [
        "你好，我的笔记本保修期内屏幕坏了，订单号私信给你们，请帮忙看看。",
        "客服你好，上次说的上门维修什么时候能来？我一直在家等。",
        "你们好，我想问下XPS 13现在买有没有教育优惠？",
        "电脑开机就蓝屏，已经重装过系统了，怎么办？",
    ],
    "twitter": [
        "Hi, my Dell XPS won't charge anymore. Order number in this DM, can you help?",
        "Hello, I was promised a callback about my warranty repair. Any news?",
        "Is there a student discount on the new Inspiron?",
        "My monitor arrived with a dead pixel line. How do I get a replacement?",
    ],
}


class DmRefused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "duplicate" | "unknown_user"


def brand_of(platform: str) -> MockAuthor | None:
    return MockAuthor.objects.filter(platform=platform, pool_index=0).first()


def _next_id(state: MockPlatform, when: dt.datetime) -> int:
    last = (
        MockDirectMessage.objects.filter(platform=state.platform)
        .order_by("-ext_id")
        .values_list("ext_id", flat=True)
        .first()
    )
    # DM ids live beside post ids: offset so they never equal one.
    return max(time_id(state.platform, when) + 1, (last or 0) + 1)


def mock_dm_create(
    *,
    platform: str,
    sender: MockAuthor,
    recipient: MockAuthor,
    text: str,
    when: dt.datetime | None = None,
    received: bool = False,
) -> MockDirectMessage:
    """Store one DM; the brand's DM with the same text to the same person twice is
    refused (Weibo 20019 / Twitter duplicate)."""
    when = when or timezone.now()
    with transaction.atomic():
        state = MockPlatform.objects.select_for_update().get(pk=platform)
        if (
            received
            and MockDirectMessage.objects.filter(
                platform=platform, sender=sender, recipient=recipient, text=text
            ).exists()
        ):
            raise DmRefused("duplicate")
        return MockDirectMessage.objects.create(
            ext_id=_next_id(state, when),
            platform=platform,
            sender=sender,
            recipient=recipient,
            text=text,
            created_at=when,
            is_received=received,
        )


def dms_for_items(state: MockPlatform, made: list[tuple[int, int, dt.datetime]]) -> int:
    """Generated items (seq, author id, time) → the DMs some of their authors send
    the brand, deterministic by the platform's seed and the item's sequence."""
    if state.platform not in DM_PLATFORMS:
        return 0
    brand = brand_of(state.platform)
    if brand is None:
        return 0
    texts = DM_TEXTS[state.platform]
    rows = []
    last = (
        MockDirectMessage.objects.filter(platform=state.platform)
        .order_by("-ext_id")
        .values_list("ext_id", flat=True)
        .first()
    ) or 0
    for seq, author_id, when in made:
        if seq % DM_EVERY != DM_EVERY - 1 or author_id == brand.pk:
            continue
        rng = random.Random(f"{state.seed}:dm:{seq}")  # noqa: S311 - mock data
        when = when + dt.timedelta(seconds=rng.randint(5, 50))
        last = max(time_id(state.platform, when) + 1, last + 1)
        rows.append(
            MockDirectMessage(
                ext_id=last,
                platform=state.platform,
                sender_id=author_id,
                recipient_id=brand.pk,
                text=rng.choice(texts),
                created_at=when,
            )
        )
    MockDirectMessage.objects.bulk_create(rows)
    return len(rows)
