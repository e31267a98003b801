"""The brand's own posts on the mock platforms (platform-apis.md §6): publishing a
status (with an uploaded picture), and the public's reaction to it.

A published status gets goals drawn once from its own random stream (comments,
reposts, likes, reach, followers it brings); posts carrying a coupon code draw
several times more (the seeds: the first Sina-only coupons "caused a spike in the
number of people following the Dell account"). As the post ages its counters
approach the goals along ``1 - exp(-age / TAU)``: read requests make the comments
and reposts that are due as real rows (so listening fetches them and they become
cases), set the like and reach counters, and add the followers due to the brand
account. Rows are taken with ``SELECT ... FOR UPDATE SKIP LOCKED``, so two requests
never make the same reaction twice.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import re
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from . import selectors
from .generator import POOL_SIZE
from .generator import texts as t
from .generator.seeding import rng_for
from .models import MockAuthor, MockMedia, MockPlatform, MockPost, MockPublished
from .traffic import authors_ensure, mentions_brand, platform_state_ensure
from .wire import time_id

# How fast the public reacts: most of a post's reaction comes within ~3 TAU.
TAU_SECONDS = 600.0
# Reaction is made at most this often per post while young, and at least this often.
MIN_STEP_SECONDS, MAX_STEP_SECONDS = 3.0, 600.0
# After this long a post has had all it will get.
SETTLED_AFTER = dt.timedelta(seconds=12 * TAU_SECONDS)
# Posts one request brings up to date at most (bounded work per request).
CATCH_UP_POSTS = 50
# Real rows per post at most (the counters of a real viral post would be far more).
MAX_COMMENT_ROWS, MAX_REPOST_ROWS = 40, 30
COUPON_FACTOR = 3.0
MAX_PICTURE_BYTES = 5 * 1024 * 1024
PICTURE_TYPES = {
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG": "image/png",
    b"GIF8": "image/gif",
}
SOURCE = {"weibo": "微博 weibo.com", "twitter": "Twitter Web App", "renren": "人人网"}
# What a coupon looks like to the public: a code in groups, or the words for one.
_COUPON_RE = re.compile(
    r"\b[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}\b"
    r"|优惠码|优惠券|折扣码|(?i:\b(?:coupon|promo\s+code|discount\s+code)\b)"
)
COUPON_COMMENTS = {
    "weibo": (
        "抢到了！谢谢戴尔",
        "求码！还有吗",
        "已下单，优惠码好用",
        "前500名太少了吧",
    ),
    "renren": ("抢到了！", "同学们快去领优惠码", "还有名额吗？", "刚用了，真便宜"),
    "twitter": ("Got one, thanks!", "Is the code still valid?", "Just ordered!"),
}


class PublishRefused(Exception):
    """The platform refuses the post: ``reason`` is duplicate / too_long / ..."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def picture_type(data: bytes) -> str:
    """The MIME type of a JPEG, PNG or GIF by its magic bytes; '' otherwise."""
    for magic, kind in PICTURE_TYPES.items():
        if data.startswith(magic):
            return kind
    return ""


@transaction.atomic
def mock_media_store(*, platform: str, data: bytes) -> MockMedia:
    """Keep an uploaded picture; PublishRefused("too_big"/"bad_type")."""
    if len(data) > MAX_PICTURE_BYTES:
        raise PublishRefused("too_big")
    kind = picture_type(data)
    if not kind:
        raise PublishRefused("bad_type")
    state = _locked_state(platform)
    now = timezone.now()
    media_id = max(time_id(platform, now), state.last_id + 1)
    state.last_id = media_id
    state.save(update_fields=["last_id"])
    return MockMedia.objects.create(
        media_id=media_id,
        platform=platform,
        content_type=kind,
        size=len(data),
        data=data,
        created_at=now,
    )


def _locked_state(platform: str) -> MockPlatform:
    locked = MockPlatform.objects.select_for_update().filter(pk=platform)
    state = locked.first()  # one query when the platform exists (every call but one)
    if state is None:
        platform_state_ensure(platform=platform)
        state = locked.get()
    if not state.authors_ready:
        authors_ensure(state)
        state.save(update_fields=["authors_ready"])
    return state


def _goals(platform: str, ext_id: int, coupon: bool, followers: int) -> dict[str, int]:
    rng = random.Random(f"published:{platform}:{ext_id}")
    heat = min(rng.paretovariate(1.5), 8.0)
    factor = COUPON_FACTOR if coupon else 1.0
    reposts = int(4 * heat * factor)
    return {
        "comments_goal": int(6 * heat * factor) + 2,
        "reposts_goal": reposts,
        "likes_goal": int(30 * heat * factor),
        "reach_goal": int(max(followers, 1000) * 0.08 * heat) + reposts * 120,
        "followers_goal": int(rng.uniform(150, 400) * factor)
        if coupon
        else int(rng.uniform(5, 40)),
    }


@transaction.atomic
def mock_status_publish(
    *, platform: str, text: str, media_id: int | None = None
) -> dict[str, Any]:
    """Store a status of the brand account; refuse the brand's own recent text
    again (``PublishRefused("duplicate")``) and an unknown picture ("no_media").

    The platform's row is locked (the ids are in order) only once the brand and the
    picture are in hand: every publish of the platform waits for that lock."""
    brand = MockAuthor.objects.filter(platform=platform, pool_index=0).first()
    media = None
    if media_id is not None:
        media = MockMedia.objects.filter(platform=platform, media_id=media_id).first()
        if media is None:
            raise PublishRefused("no_media")
    state = _locked_state(platform)
    if brand is None:  # the platform's first request made the pool just now
        brand = MockAuthor.objects.get(platform=platform, pool_index=0)
    since = timezone.now() - dt.timedelta(days=1)
    if MockPost.objects.filter(
        platform=platform, author=brand, kind="status", text=text, created_at__gte=since
    ).exists():
        raise PublishRefused("duplicate")
    now = timezone.now()
    ext_id = max(time_id(platform, now), state.last_id + 1)
    post = MockPost.objects.create(
        ext_id=ext_id,
        platform=platform,
        kind="status",
        author=brand,
        text=text,
        created_at=now,
        mentions_brand=mentions_brand(platform, text) or platform == "renren",
        source=SOURCE[platform],
        lang="en" if platform == "twitter" else "zh",
    )
    state.last_id = ext_id
    state.save(update_fields=["last_id"])
    coupon = bool(_COUPON_RE.search(text))
    MockPublished.objects.create(
        post=post,
        platform=platform,
        published_at=now,
        has_coupon=coupon,
        media=media,
        next_due_at=now + dt.timedelta(seconds=MIN_STEP_SECONDS),
        **_goals(platform, ext_id, coupon, brand.followers_count),
    )
    MockAuthor.objects.filter(id=brand.id).update(
        statuses_count=F("statuses_count") + 1
    )
    # The row as selectors.posts_by_ids reads it, from the instance just stored.
    return {column: getattr(post, column) for column in selectors.POST_COLUMNS}


def _progress(age: float) -> float:
    return 1.0 - math.exp(-max(age, 0.0) / TAU_SECONDS)


def _comment_text(platform: str, rng: random.Random, coupon: bool) -> str:
    if coupon and rng.random() < 0.5:
        return rng.choice(COUPON_COMMENTS[platform])
    english = platform == "twitter"
    slots = t.Slots(rng, "XPS", english=english)
    templates = {"weibo": t.WEIBO, "twitter": t.TWITTER, "renren": t.RENREN}[platform]
    key = "reply" if english else "comment"
    text = t.fill(rng.choice(templates[key]), slots)
    return f"@DellCares {text}" if english and "@DellCares" not in text else text


def mock_published_catch_up(*, platform: str, ext_ids: list[int] | None = None) -> int:
    """Make the reactions due to the brand's published posts (those of ``ext_ids``
    when given); returns how many posts were brought up to date."""
    now = timezone.now()
    due = MockPublished.objects.filter(platform=platform, next_due_at__lte=now)
    if ext_ids is not None:
        due = due.filter(post_id__in=ext_ids)
    if ext_ids is None and not due.exists():
        return 0  # the common case: one indexed probe, no lock, no write
    with transaction.atomic():
        rows = list(
            due.select_for_update(skip_locked=True)
            .select_related("post")
            .order_by("next_due_at")[:CATCH_UP_POSTS]
        )
        if rows:
            _react(platform, rows, now)
    return len(rows)


def _react(platform: str, rows: list[MockPublished], now: dt.datetime) -> None:
    pool = POOL_SIZE[platform]
    new_posts: list[tuple[MockPublished, str, random.Random, bool]] = []
    followers = 0
    for row in rows:
        age = (now - row.published_at).total_seconds()
        share = _progress(age)
        rng = rng_for(int(row.post_id) % 2**31, platform, int(age), 7)
        comments = min(round(row.comments_goal * share), MAX_COMMENT_ROWS)
        reposts = min(round(row.reposts_goal * share), MAX_REPOST_ROWS)
        for _ in range(max(comments - row.comments_made, 0)):
            new_posts.append((row, "comment", rng, row.has_coupon))
        for _ in range(max(reposts - row.reposts_made, 0)):
            new_posts.append((row, "repost", rng, row.has_coupon))
        row.comments_made = max(comments, row.comments_made)
        row.reposts_made = max(reposts, row.reposts_made)
        given = round(row.followers_goal * share)
        followers += max(given - row.followers_given, 0)
        row.followers_given = max(given, row.followers_given)
        row.reach = max(row.reach, round(row.reach_goal * share))
        row.post.likes_count = max(row.post.likes_count, round(row.likes_goal * share))
        if now - row.published_at >= SETTLED_AFTER:
            row.next_due_at = None
        else:
            step = min(max(age / 10, MIN_STEP_SECONDS), MAX_STEP_SECONDS)
            row.next_due_at = now + dt.timedelta(seconds=step)
    if new_posts:
        _make_posts(platform, new_posts, now, pool)
    MockPublished.objects.bulk_update(
        rows,
        [
            "comments_made",
            "reposts_made",
            "followers_given",
            "reach",
            "next_due_at",
        ],
    )
    MockPost.objects.bulk_update([row.post for row in rows], ["likes_count"])
    if followers:
        MockAuthor.objects.filter(platform=platform, pool_index=0).update(
            followers_count=F("followers_count") + followers
        )


def _make_posts(platform: str, wanted: list, now: dt.datetime, pool: int) -> None:
    state = _locked_state(platform)
    picks = [1 + int((pool - 1) * rng.random() ** 1.5) for _r, _k, rng, _c in wanted]
    authors = dict(
        MockAuthor.objects.filter(platform=platform, pool_index__in=set(picks))
        .exclude(is_deleted=True)
        .values_list("pool_index", "id")
    )
    brand = selectors.brand_author(platform=platform)
    last_id = state.last_id
    made: list[MockPost] = []
    counts: dict[int, list[int]] = {}
    for (row, kind, rng, coupon), pick in zip(wanted, picks, strict=True):
        author_id = authors.get(pick)
        if author_id is None:
            continue
        last_id = max(time_id(platform, now), last_id + 1)
        post_id = int(row.post_id)
        tally = counts.setdefault(post_id, [0, 0])
        if kind == "comment":
            text = _comment_text(platform, rng, coupon)
            tally[0] += 1
            fields = {
                "kind": "status" if platform == "twitter" else "comment",
                "root_id": post_id,
                "parent_id": post_id if platform == "twitter" else None,
                "target_user_id": brand["id"] if brand else None,
            }
        else:
            tally[1] += 1
            original = row.post.text
            if platform == "twitter":
                text = (
                    f"RT @{brand['screen_name'] if brand else 'DellCares'}: {original}"
                )
            else:
                text = rng.choice(("转发微博", "好消息！", "分享一下", "//@戴尔中国"))
            fields = {"kind": "status", "repost_of_id": post_id}
        made.append(
            MockPost(
                ext_id=last_id,
                platform=platform,
                author_id=author_id,
                text=text,
                created_at=now,
                mentions_brand=mentions_brand(platform, text),
                source=SOURCE[platform],
                lang="en" if platform == "twitter" else "zh",
                **fields,
            )
        )
    MockPost.objects.bulk_create(made)
    state.last_id = last_id
    state.save(update_fields=["last_id"])
    for post_id, (comments, reposts) in counts.items():
        MockPost.objects.filter(ext_id=post_id).update(
            comments_count=F("comments_count") + comments,
            reposts_count=F("reposts_count") + reposts,
        )


def published_reach(ext_ids: list[int]) -> dict[int, int]:
    """The reach (impressions) of the brand's published posts among ``ext_ids``."""
    return dict(
        MockPublished.objects.filter(post_id__in=ext_ids).values_list(
            "post_id", "reach"
        )
    )


def published_media(ext_ids: list[int]) -> dict[int, int]:
    """The picture (media id) of each published post among ``ext_ids`` that has one."""
    return dict(
        MockPublished.objects.filter(
            post_id__in=ext_ids, media__isnull=False
        ).values_list("post_id", "media_id")
    )


def brand_followers(*, platform: str) -> dict[str, Any] | None:
    """The brand account's row read fresh (the author cache keeps a user's first
    follower count; the brand's grows), made with the pool if need be."""
    brand = selectors.brand_author(platform=platform)
    if brand is None:
        with transaction.atomic():
            _locked_state(platform)
        brand = selectors.brand_author(platform=platform)
    return brand
