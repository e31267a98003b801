"""Writes of the mock platforms: request admission (quota and faults on demand), the
scenario (seed, rate, crisis, faults, backlog, reset) and replies received."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from . import selectors
from .dms import DM_PLATFORMS, brand_of, mock_dm_create
from .generator import BRANDS
from .models import MockAuthor, MockDirectMessage, MockPlatform, MockPost
from .traffic import (
    authors_ensure,
    mentions_brand,
    mock_backlog_seed,
    platform_defaults,
    platform_state_ensure,
)
from .wire import time_id

PLATFORMS = ("weibo", "twitter", "renren")
FAULTS = ("rate_limit", "error_500", "malformed", "truncated", "slow")
# Faults that replace the answer (slow only delays it), in the order they win.
ANSWER_FAULTS = ("rate_limit", "error_500", "malformed", "truncated")
MAX_SLOW_SECONDS = 120.0
MAX_BACKLOG = 2_000_000


class ScenarioError(ValueError):
    """A control request that cannot be applied (the message says why)."""


@dataclass(slots=True)
class Admission:
    """What the gate decided for one API request."""

    state: MockPlatform
    fault: str = ""  # one of ANSWER_FAULTS, or ""
    slow_seconds: float = 0.0
    over_limit: bool = False
    limit: int = 0
    remaining: int = 0
    reset_at: dt.datetime | None = None


def _take_fault(platform: str, name: str) -> bool:
    column = f"fault_{name}"
    taken = MockPlatform.objects.filter(pk=platform, **{f"{column}__gt": 0}).update(
        **{column: F(column) - 1}
    )
    return taken == 1


def mock_request_admit(*, platform: str, counted: bool = True) -> Admission:
    """Account one API request: spend a fault if one is armed, then a unit of the
    quota (atomically: concurrent requests never both take the last unit)."""
    now = timezone.now()
    state = selectors.platform_state_get(platform=platform)
    if state is None:
        state = platform_state_ensure(platform=platform)
    admission = Admission(state=state, limit=state.request_limit)
    for name in ANSWER_FAULTS:
        if getattr(state, f"fault_{name}") > 0 and _take_fault(platform, name):
            admission.fault = name
            break
    if state.fault_slow > 0 and _take_fault(platform, "slow"):
        admission.slow_seconds = state.slow_seconds
    if admission.fault == "rate_limit":
        counted = False
    window = dt.timedelta(seconds=state.window_seconds)
    started, used = state.window_started_at, state.window_used
    expired = started is None or now >= started + window
    if started is None or expired:
        started, used = now, 0
    if counted:
        rows = MockPlatform.objects.filter(pk=platform)
        if expired and rows.filter(window_started_at=state.window_started_at).update(
            window_started_at=now, window_used=1
        ):
            used = 1
        elif rows.filter(window_used__lt=F("request_limit")).update(
            window_used=F("window_used") + 1
        ):
            used += 1
        else:
            admission.over_limit = True
            used = state.request_limit
    admission.remaining = max(state.request_limit - used, 0)
    admission.reset_at = started + window
    if admission.fault == "rate_limit":
        admission.remaining = 0
    return admission


# --- replies ------------------------------------------------------------------------


class ReplyRefused(Exception):
    """The platform refuses the reply: ``reason`` is duplicate / too_long / ..."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@transaction.atomic
def mock_reply_create(
    *,
    platform: str,
    text: str,
    root_id: int | None,
    parent_id: int | None,
    target_user_id: int | None = None,
    kind: str = "comment",
) -> dict[str, Any]:
    """Store a reply the product posted, as the brand account; refuse the same
    text to the same target twice (``ReplyRefused("duplicate")``)."""
    platform_state_ensure(platform=platform)
    state = MockPlatform.objects.select_for_update().get(pk=platform)
    if not state.authors_ready:
        # The brand account must exist to write as it.
        authors_ensure(state)
        state.save(update_fields=["authors_ready"])
    if selectors.reply_exists(
        platform=platform, root_id=root_id, parent_id=parent_id, text=text
    ):
        raise ReplyRefused("duplicate")
    brand = MockAuthor.objects.get(platform=platform, pool_index=0)
    now = timezone.now()
    ext_id = max(time_id(platform, now), state.last_id + 1)
    post = MockPost.objects.create(
        ext_id=ext_id,
        platform=platform,
        kind=kind,
        author=brand,
        text=text,
        created_at=now,
        root_id=root_id,
        parent_id=parent_id,
        target_user_id=target_user_id,
        mentions_brand=mentions_brand(platform, text),
        is_received=True,
        source={"weibo": "微博 weibo.com", "twitter": "Twitter Web App"}.get(
            platform, "人人网"
        ),
        lang="en" if platform == "twitter" else "zh",
    )
    state.last_id = ext_id
    state.save(update_fields=["last_id"])
    answered = parent_id or root_id
    if answered is not None:
        MockPost.objects.filter(ext_id=answered).update(
            comments_count=F("comments_count") + 1
        )
    return selectors.posts_by_ids([post.ext_id])[post.ext_id]


@transaction.atomic
def mock_share_create(
    *, platform: str, original_id: int, text: str, sharer_ext_id: int | None = None
) -> dict[str, Any]:
    """Store a share (Weibo repost, Twitter retweet or quote, Renren share) of
    ``original_id`` by the token's account, or by the account ``sharer_ext_id``
    when the call names one (Twitter's users/:id/retweets). The same text shared
    by the same account twice is refused (``ReplyRefused("duplicate")``)."""
    platform_state_ensure(platform=platform)
    state = MockPlatform.objects.select_for_update().get(pk=platform)
    if not state.authors_ready:
        authors_ensure(state)
        state.save(update_fields=["authors_ready"])
    sharer = None
    if sharer_ext_id is not None:
        sharer = MockAuthor.objects.filter(
            platform=platform, ext_id=sharer_ext_id
        ).first()
    if sharer is None:
        sharer = MockAuthor.objects.get(platform=platform, pool_index=0)
    if MockPost.objects.filter(
        platform=platform, repost_of_id=original_id, author=sharer, text=text
    ).exists():
        raise ReplyRefused("duplicate")
    now = timezone.now()
    ext_id = max(time_id(platform, now), state.last_id + 1)
    MockPost.objects.create(
        ext_id=ext_id,
        platform=platform,
        kind="status",
        author=sharer,
        text=text,
        created_at=now,
        repost_of_id=original_id,
        mentions_brand=mentions_brand(platform, text),
        is_received=True,
        source={"weibo": "微博 weibo.com", "twitter": "Twitter Web App"}.get(
            platform, "人人网"
        ),
        lang="en" if platform == "twitter" else "zh",
    )
    state.last_id = ext_id
    state.save(update_fields=["last_id"])
    MockPost.objects.filter(ext_id=original_id).update(
        reposts_count=F("reposts_count") + 1
    )
    return selectors.posts_by_ids([ext_id])[ext_id]


def mock_shares_of(
    *, platform: str, original_id: int, limit: int = 200
) -> list[dict[str, Any]]:
    """Shares received of one post, newest first (repost_timeline, quote_tweets)."""
    return list(
        MockPost.objects.filter(
            platform=platform, repost_of_id=original_id, is_received=True
        )
        .order_by("-ext_id")
        .values(*selectors.POST_COLUMNS)[:limit]
    )


def twitter_text(text: str) -> str:
    """Twitter stores what it is sent NFC-normalised."""
    return unicodedata.normalize("NFC", text)


# --- the scenario -------------------------------------------------------------------


def _platforms(value: Any) -> list[str]:
    if value in (None, True, "all"):
        return list(PLATFORMS)
    names = [value] if isinstance(value, str) else list(value)
    unknown = [n for n in names if n not in PLATFORMS]
    if unknown:
        raise ScenarioError(f"unknown platform(s): {', '.join(map(str, unknown))}")
    return names


def _number(value: Any, name: str, *, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScenarioError(f"{name} must be a number")
    if not low <= value <= high:
        raise ScenarioError(f"{name} must be between {low} and {high}")
    return value


def _per_platform(payload: dict[str, Any], key: str) -> dict[str, Any]:
    """``{"weibo": x}`` as given, or one value for every platform."""
    value = payload[key]
    if isinstance(value, dict):
        _platforms(list(value))
        return value
    return dict.fromkeys(PLATFORMS, value)


def mock_scenario_reset(*, platforms: list[str], seed: int | None = None) -> None:
    """Forget every post, author and counter of ``platforms``; keep rate and quota
    settings, take ``seed`` if given. Generation starts again from item 0."""
    with transaction.atomic():
        for platform in platforms:
            state = platform_state_ensure(platform=platform)
            MockPost.objects.filter(platform=platform).delete()
            MockDirectMessage.objects.filter(platform=platform).delete()
            MockAuthor.objects.filter(platform=platform).delete()
            state.generated = 0
            state.last_id = 0
            state.clock_at = None
            state.authors_ready = False
            state.window_started_at = None
            state.window_used = 0
            for name in FAULTS:
                setattr(state, f"fault_{name}", 0)
            if seed is not None:
                state.seed = seed
            state.save()


def mock_scenario_update(*, payload: dict[str, Any]) -> dict[str, Any]:
    """Apply a control request (see mockfeeds/README.md); return what was done."""
    if not isinstance(payload, dict):
        raise ScenarioError("the body must be a JSON object")
    known = {
        "reset",
        "seed",
        "rate",
        "crisis",
        "faults",
        "limits",
        "backlog",
        "direct_messages",
    }
    unknown = (
        set(payload)
        - known
        - {"platforms", "all_mentions", "window_seconds", "backlog_span_hours"}
    )
    if unknown:
        raise ScenarioError(f"unknown keys: {', '.join(sorted(unknown))}")
    done: dict[str, Any] = {}
    seed = payload.get("seed")
    if seed is not None:
        seed = int(_number(seed, "seed", low=0, high=2**40))
    if payload.get("reset"):
        platforms = _platforms(payload.get("platforms", payload["reset"]))
        mock_scenario_reset(platforms=platforms, seed=seed)
        done["reset"] = platforms
    elif seed is not None:
        for platform in _platforms(payload.get("platforms")):
            platform_state_ensure(platform=platform)
            MockPlatform.objects.filter(pk=platform).update(seed=seed)
        done["seed"] = seed
    updates: dict[str, dict[str, Any]] = {p: {} for p in PLATFORMS}
    if "rate" in payload:
        for platform, rate in _per_platform(payload, "rate").items():
            updates[platform]["rate_per_minute"] = _number(
                rate, "rate", low=0, high=100_000
            )
    if "crisis" in payload:
        _crisis(payload["crisis"], updates)
    if "limits" in payload:
        for platform, limit in _per_platform(payload, "limits").items():
            updates[platform]["request_limit"] = int(
                _number(limit, "limit", low=0, high=10**9)
            )
    if "window_seconds" in payload:
        for platform, seconds in _per_platform(payload, "window_seconds").items():
            updates[platform]["window_seconds"] = int(
                _number(seconds, "window_seconds", low=1, high=86_400)
            )
    if "faults" in payload:
        _faults(payload["faults"], updates)
    for platform, fields in updates.items():
        if fields:
            platform_state_ensure(platform=platform)
            MockPlatform.objects.filter(pk=platform).update(
                **fields, updated_at=timezone.now()
            )
            done.setdefault("updated", {})[platform] = sorted(fields)
    if "backlog" in payload:
        done["backlog"] = _backlog(payload, seed)
    if "direct_messages" in payload:
        done["direct_messages"] = _direct_messages(payload["direct_messages"])
    return done


def _direct_messages(value: Any) -> list[str]:
    """``[{"platform", "from" (an author's screen name; default any customer),
    "text"}]``: customers write to the brand now; the new DM ids."""

    if not isinstance(value, list) or len(value) > 100:
        raise ScenarioError("direct_messages: a list of at most 100 messages")
    made = []
    for item in value:
        if not isinstance(item, dict) or item.get("platform") not in DM_PLATFORMS:
            raise ScenarioError("direct_messages: platform must be weibo or twitter")
        text = item.get("text")
        if not isinstance(text, str) or not text.strip() or len(text) > 300:
            raise ScenarioError("direct_messages: text of 1 to 300 characters")
        platform = item["platform"]
        state = platform_state_ensure(platform=platform)
        if not state.authors_ready:
            authors_ensure(state)
            state.save(update_fields=["authors_ready"])
        people = MockAuthor.objects.filter(
            platform=platform, is_deleted=False, pool_index__gt=0
        )
        name = item.get("from")
        sender = (
            people.filter(screen_name=name).first()
            if isinstance(name, str)
            else people.order_by("pool_index").first()
        )
        if sender is None:
            raise ScenarioError(f"direct_messages: no author {name!r}")
        brand = brand_of(platform)
        if brand is None:
            raise ScenarioError(f"direct_messages: no brand account on {platform}")
        dm = mock_dm_create(
            platform=platform, sender=sender, recipient=brand, text=text
        )
        made.append(str(dm.ext_id))
    return made


def _crisis(value: Any, updates: dict[str, dict[str, Any]]) -> None:
    if isinstance(value, bool):
        value = {"on": value}
    if not isinstance(value, dict):
        raise ScenarioError('crisis must be true/false or {"on": ..., "topic": ...}')
    topic = value.get("topic")
    if topic is not None and (not isinstance(topic, str) or not 0 < len(topic) <= 60):
        raise ScenarioError("crisis topic must be a string of 1 to 60 characters")
    for platform in _platforms(value.get("platforms")):
        if "on" in value:
            updates[platform]["crisis"] = bool(value["on"])
        if topic is not None:
            updates[platform]["crisis_topic"] = topic


def _faults(value: Any, updates: dict[str, dict[str, Any]]) -> None:
    if not isinstance(value, dict):
        raise ScenarioError('faults must be {"<platform>": {"<fault>": N, ...}}')
    for platform, faults in value.items():
        _platforms([platform])
        if not isinstance(faults, dict):
            raise ScenarioError(f"faults of {platform} must be an object")
        for name, count in faults.items():
            if name not in FAULTS:
                raise ScenarioError(f"unknown fault {name!r}; known: {FAULTS}")
            if name == "slow" and isinstance(count, dict):
                seconds = count.get("seconds", 2.0)
                updates[platform]["slow_seconds"] = _number(
                    seconds, "slow seconds", low=0, high=MAX_SLOW_SECONDS
                )
                count = count.get("count", 1)
            updates[platform][f"fault_{name}"] = int(
                _number(count, f"{name} count", low=0, high=1_000_000)
            )


def _backlog(payload: dict[str, Any], seed: int | None) -> dict[str, int]:
    value = payload["backlog"]
    if not isinstance(value, dict):
        raise ScenarioError('backlog must be {"<platform>": N, ...}')
    all_mentions = bool(payload.get("all_mentions"))
    span = None
    if "backlog_span_hours" in payload:
        hours = _number(
            payload["backlog_span_hours"], "backlog_span_hours", low=1, high=192
        )
        span = dt.timedelta(hours=hours)
    made = {}
    for platform, count in value.items():
        _platforms([platform])
        count = int(_number(count, "backlog", low=0, high=MAX_BACKLOG))
        made[platform] = mock_backlog_seed(
            platform=platform,
            count=count,
            seed=seed,
            all_mentions=all_mentions,
            span=span,
        )
    return made


def scenario_snapshot() -> dict[str, Any]:
    """The control endpoint's GET: every platform's settings and counters."""
    states = {s.platform: s for s in MockPlatform.objects.all()}
    result: dict[str, Any] = {"platforms": {}}
    for platform in PLATFORMS:
        state = states.get(platform) or MockPlatform(
            platform=platform, **platform_defaults(platform)
        )
        result["platforms"][platform] = {
            "seed": state.seed,
            "rate_per_minute": state.rate_per_minute,
            "crisis": {"on": state.crisis, "topic": state.crisis_topic},
            "generated": state.generated,
            "last_id": str(state.last_id),
            "clock_at": state.clock_at.isoformat() if state.clock_at else None,
            "limit": {
                "requests": state.request_limit,
                "window_seconds": state.window_seconds,
                "used": state.window_used,
            },
            "faults": {
                **{name: getattr(state, f"fault_{name}") for name in FAULTS},
                "slow_seconds": state.slow_seconds,
            },
            "brand": {
                "id": str(BRANDS[platform]["ext_id"]),
                "screen_name": BRANDS[platform]["screen_name"],
            },
            "counts": selectors.platform_counts(platform=platform),
        }
    return result


# The demo's traffic: slow enough that a week of it is ingested and analysed within
# minutes of `make run`, at the same rate as the history so the history is a fair
# baseline for spike detection.
DEMO_RATES = {"weibo": 2.0, "twitter": 1.0, "renren": 1.0}
DEMO_HISTORY = dt.timedelta(days=7)


def mock_demo_history(*, history: dt.timedelta = DEMO_HISTORY) -> dict[str, int]:
    """Give each platform that has no posts yet the demo's rate and a backlog of
    ``history`` at that rate (idempotent: platforms with posts are left alone)."""
    made = {}
    for platform, rate in DEMO_RATES.items():
        state = platform_state_ensure(platform=platform)
        if state.generated:
            continue
        MockPlatform.objects.filter(pk=platform).update(rate_per_minute=rate)
        count = int(rate * history.total_seconds() / 60)
        made[platform] = mock_backlog_seed(platform=platform, count=count, span=history)
    return made
