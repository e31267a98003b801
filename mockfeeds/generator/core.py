"""What item k of a platform's traffic is: its role, author, text and links to earlier
items (by sequence number; the service turns them into ids when it stores them)."""

from __future__ import annotations

import random
from dataclasses import dataclass

from . import texts as t
from . import words as w
from .authors import POOL_SIZE
from .seeding import CRISIS_STREAM, PLAN_STREAM, TEXT_STREAM, rng_for

# Every BRAND_EVERY-th item (and item 0) is a post of the brand account itself, so
# the brand always has recent posts for people to comment on.
BRAND_EVERY = {"weibo": 40, "twitter": 50, "renren": 40}
# Share of items (by the first draw) per role, cumulative, after brand items.
ROLES = {
    "weibo": ((0.20, "comment"), (0.32, "repost"), (1.0, "status")),
    "twitter": ((0.15, "reply"), (0.22, "retweet"), (1.0, "status")),
    "renren": ((0.25, "comment"), (0.31, "share"), (1.0, "status")),
}
INTENTS = (
    (0.25, "complaint"),
    (0.33, "sarcasm"),
    (0.48, "question"),
    (0.63, "purchase"),
    (0.78, "praise"),
    (0.88, "competitor"),
    (1.0, "neutral"),
)
TEMPLATES = {"weibo": t.WEIBO, "twitter": t.TWITTER, "renren": t.RENREN}
CRISIS_SHARE = 0.6  # of original posts while a crisis is on
HOSTILE_SHARE = 0.01
LOOKBACK = 30  # how far back a comment, reply or repost looks for its target
COMMENT_ROLES = frozenset({"comment"})
STATUS_ROLES = frozenset({"brand", "status", "repost", "share", "retweet", "reply"})
ORIGINAL_ROLES = frozenset({"brand", "status"})


@dataclass(slots=True)
class Item:
    seq: int
    role: str  # brand, status, repost, share, retweet, reply, comment
    author_index: int
    text: str
    intent: str
    target_seq: int | None = None  # comment/reply: what it answers
    target_is_comment: bool = False
    repost_seq: int | None = None  # repost/share/retweet: what it passes on
    ghost: bool = False  # Weibo: a repost of an original since deleted
    reposts: int = 0
    comments: int = 0
    likes: int = 0
    quotes: int = 0
    lat: float | None = None
    lon: float | None = None
    source: str = ""
    lang: str = "zh"

    @property
    def kind(self) -> str:
        return "comment" if self.role == "comment" else "status"


def _pick(table, roll: float) -> str:
    return next(name for bound, name in table if roll < bound)


class Generator:
    def __init__(
        self,
        platform: str,
        seed: int,
        *,
        crisis: bool = False,
        crisis_topic: str = "XPS 蓝屏",
        all_mentions: bool = False,
    ) -> None:
        self.platform = platform
        # Benchmarks: every item an original status that mentions the brand, so a
        # backlog of N is exactly N items of statuses/mentions, search and feeds.
        self.all_mentions = all_mentions
        self.seed = seed
        self.crisis = crisis
        self.crisis_topic = crisis_topic
        self.brand_every = BRAND_EVERY[platform]
        self.pool = POOL_SIZE[platform]

    # -- the plan: role and author, from the first draws of the item's own stream --

    def plan(self, seq: int) -> tuple[str, int]:
        if seq % self.brand_every == 0 and not self.all_mentions:
            return "brand", 0
        rng = rng_for(self.seed, self.platform, seq, PLAN_STREAM)
        role = _pick(ROLES[self.platform], rng.random())
        if self.all_mentions:
            role = "status"
        # Heavy-tailed activity: low pool indexes post far more often.
        return role, 1 + int((self.pool - 1) * rng.random() ** 2.2)

    def _earlier(self, rng: random.Random, seq: int, roles: frozenset[str]) -> int:
        """A recent earlier item with one of ``roles`` (the brand's post if none)."""
        start = seq - rng.randint(1, LOOKBACK)
        for candidate in range(start, max(start - 2 * LOOKBACK, -1), -1):
            if candidate < 0:
                break
            if self.plan(candidate)[0] in roles:
                return candidate
        return self.latest_brand(seq)

    def latest_brand(self, seq: int) -> int:
        return (seq - 1) // self.brand_every * self.brand_every

    # -- the item --------------------------------------------------------------

    def item(self, seq: int) -> Item:
        role, author = self.plan(seq)
        rng = rng_for(self.seed, self.platform, seq, TEXT_STREAM)
        crisis = (
            self.crisis
            and role in ("status", "repost", "share")
            and rng_for(self.seed, self.platform, seq, CRISIS_STREAM).random()
            < CRISIS_SHARE
        )
        intent = "crisis" if crisis else _pick(INTENTS, rng.random())
        english = self.platform == "twitter"
        slots = t.Slots(rng, self.crisis_topic, english=english)
        templates = TEMPLATES[self.platform]
        item = Item(seq=seq, role=role, author_index=author, text="", intent=intent)
        if role == "brand":
            item.intent = "brand"
            item.text = t.fill(rng.choice(templates["brand"]), slots)
        elif role in ("comment", "reply"):
            self._answer(item, rng, slots)
        elif role in ("repost", "share", "retweet"):
            self._pass_on(item, rng, slots)
        else:
            item.text = self._decorate(
                t.fill(rng.choice(templates[intent]), slots), rng
            )
        self._extras(item, rng)
        return item

    def _answer(self, item: Item, rng: random.Random, slots: t.Slots) -> None:
        templates = TEMPLATES[self.platform]
        roll = rng.random()
        if self.platform == "twitter":
            targets = STATUS_ROLES - {"retweet"}
            item.target_seq = (
                self.latest_brand(item.seq)
                if roll < 0.4
                else self._earlier(rng, item.seq, targets)
            )
            pool = templates["reply"] + templates[item.intent]
            item.text = t.fill(rng.choice(pool), slots)
            return
        if roll < 0.3:
            target = self._earlier(rng, item.seq, COMMENT_ROLES)
            item.target_is_comment = self.plan(target)[0] == "comment"
            item.target_seq = target
        elif roll < 0.75:
            item.target_seq = self.latest_brand(item.seq)
        else:
            item.target_seq = self._earlier(rng, item.seq, STATUS_ROLES)
        item.intent = "comment"
        item.text = t.fill(rng.choice(templates["comment"]), slots)

    def _pass_on(self, item: Item, rng: random.Random, slots: t.Slots) -> None:
        templates = TEMPLATES[self.platform]
        if self.platform == "weibo" and rng.random() < 0.08:
            item.ghost = True
        else:
            # A retweet passes on an original tweet (retweeting a retweet retweets
            # its original); Weibo and Renren chain reposts of reposts.
            roles = ORIGINAL_ROLES if self.platform == "twitter" else STATUS_ROLES
            item.repost_seq = self._earlier(rng, item.seq, roles)
        if item.role == "retweet":
            item.text = ""  # "RT @name: ..." is written when the original is known
        elif rng.random() < 0.6 and "repost" in templates:
            item.text = t.fill(rng.choice(templates["repost"]), slots)
        else:
            item.text = t.fill(rng.choice(templates[item.intent]), slots)

    def _decorate(self, text: str, rng: random.Random) -> str:
        """Hashtags, links and @-mentions of the brand, the way people add them."""
        if self.platform == "weibo":
            if "#" not in text and rng.random() < 0.12:
                text = f"#{rng.choice(w.TOPICS_CN)}# {text}"
            if rng.random() < 0.15:
                text = f"{text} {t.weibo_link(rng)}"
            if "@" not in text and (rng.random() < 0.4 or self.all_mentions):
                handle = f"@{t.WEIBO_BRAND_HANDLE}"
                text = f"{handle} {text}" if rng.random() < 0.3 else f"{text} {handle}"
        elif self.platform == "twitter":
            if rng.random() < 0.15 and "http" not in text:
                text = f"{text} {t.twitter_link(rng)}"
            if "@DellCares" not in text and (rng.random() < 0.4 or self.all_mentions):
                text = f"@{t.TWITTER_BRAND_HANDLE} {text}"
        return text

    def _extras(self, item: Item, rng: random.Random) -> None:
        if rng.random() < HOSTILE_SHARE:
            item.text = f"{item.text} {rng.choice(w.HOSTILE)}"
        heat = rng.paretovariate(1.4)
        item.likes = int(heat * 3) - 3
        item.comments = int(heat * 1.5) - 1
        item.reposts = int(heat) - 1
        item.quotes = int(heat / 4)
        if rng.random() < 0.003:
            item.reposts = -1  # odd counters happen; consumers must clamp
        if self.platform == "weibo" and item.kind == "status" and rng.random() < 0.1:
            _code, _province, cities = rng.choice(w.PLACES[:10])
            _city_code, _city, lat, lon = rng.choice(cities)
            item.lat = round(lat + rng.uniform(-0.05, 0.05), 5)
            item.lon = round(lon + rng.uniform(-0.05, 0.05), 5)
        sources = {
            "weibo": w.WEIBO_SOURCES,
            "twitter": w.TWITTER_SOURCES,
            "renren": w.RENREN_SOURCES,
        }[self.platform]
        item.source = rng.choice(sources)
        item.lang = "en" if self.platform == "twitter" else "zh"
