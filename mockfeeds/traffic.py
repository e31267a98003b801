"""Writes of generated traffic: posts arriving as time passes, and backlogs.

Posts are due at the platform's rate from its clock on; a read request makes the
ones due since the last generation (a bounded number, so the request stays fast).
The platform row is locked while items are made (``SELECT ... FOR UPDATE SKIP
LOCKED``: a request that finds another one generating just serves what exists), so
no item is made twice and ids only grow.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from .generator import Generator, Item, author_pool
from .generator import compose as c
from .models import MockAuthor, MockPlatform, MockPost
from .wire import time_id

# Items made by one read request at most (~10 ms of work): a server idle for long
# catches up over several requests instead of stalling one.
CATCH_UP_CAP = 200
# A server idle longer than this does not owe the whole gap, only its last hour.
MAX_BEHIND = dt.timedelta(hours=1)
# A fresh platform starts with this much history, made over the first requests.
INITIAL_HISTORY = dt.timedelta(hours=1)
# Backlogs are made and inserted this many items at a time (bounded memory).
BACKLOG_CHUNK = 10_000
# A backlog this big is followed by VACUUM ANALYZE (PostgreSQL).
VACUUM_AFTER = 5_000
# A backlog's posts are spread over at most this long before now.
BACKLOG_MAX_SPAN = dt.timedelta(days=6)
# The longest span a caller may ask a backlog to cover (the demo's week of history).
BACKLOG_SPAN_LIMIT = dt.timedelta(days=8)
# While a crisis is on, posts arrive this many times faster.
CRISIS_RATE_FACTOR = 3.0
DEFAULTS = {
    # rate (posts per minute), request quota, quota window in seconds
    "weibo": {"rate_per_minute": 12.0, "request_limit": 10_000, "window_seconds": 3600},
    "twitter": {"rate_per_minute": 8.0, "request_limit": 450, "window_seconds": 900},
    "renren": {"rate_per_minute": 4.0, "request_limit": 10_000, "window_seconds": 3600},
}
COLUMNS = (
    "ext_id",
    "platform",
    "seq",
    "kind",
    "author_id",
    "text",
    "created_at",
    "root_id",
    "parent_id",
    "repost_of_id",
    "target_user_id",
    "mentions_brand",
    "is_deleted",
    "is_received",
    "reposts_count",
    "comments_count",
    "likes_count",
    "quotes_count",
    "lat",
    "lon",
    "source",
    "lang",
)


@dataclass(slots=True)
class Ref:
    """What later items need to know of a stored one."""

    ext_id: int
    kind: str
    text: str
    author_id: int | None
    root_id: int | None
    repost_of_id: int | None


def platform_state_ensure(*, platform: str) -> MockPlatform:
    state, _ = MockPlatform.objects.get_or_create(
        pk=platform, defaults=DEFAULTS[platform]
    )
    return state


def mentions_brand(platform: str, text: str) -> bool:
    """Whether a status belongs to the brand account's mentions stream: "@戴尔中国"
    on Weibo, "@DellCares" on Twitter; on Renren every status (the brand page's
    news feed, feed/list, is its mentions stream)."""
    if platform == "weibo":
        return "@戴尔中国" in text
    if platform == "twitter":
        return "@dellcares" in text.lower()
    return True


# --- when posts are due -----------------------------------------------------------


def _interval(state: MockPlatform) -> float:
    # A crisis brings more people to the platform, not only other words.
    factor = CRISIS_RATE_FACTOR if state.crisis else 1.0
    return 60.0 / (state.rate_per_minute * factor)


def is_due(state: MockPlatform, now: dt.datetime) -> bool:
    if state.rate_per_minute <= 0:
        return False
    if state.clock_at is None:
        return True
    clock = max(state.clock_at, now - MAX_BEHIND)
    return (now - clock).total_seconds() >= _interval(state)


def _due_times(
    state: MockPlatform, now: dt.datetime
) -> tuple[list[dt.datetime], dt.datetime]:
    clock = state.clock_at or now - INITIAL_HISTORY
    clock = max(clock, now - MAX_BEHIND)
    step = dt.timedelta(seconds=_interval(state))
    count = min(int((now - clock) / step), CATCH_UP_CAP)
    times = [clock + step * (i + 1) for i in range(count)]
    return times, clock + step * count


def mock_traffic_catch_up(
    *, state: MockPlatform, now: dt.datetime | None = None
) -> int:
    """Make the posts due on ``state``'s platform; return how many were made."""
    now = now or timezone.now()
    if not is_due(state, now):
        return 0
    with transaction.atomic():
        locked = (
            MockPlatform.objects.select_for_update(skip_locked=True)
            .filter(pk=state.pk)
            .first()
        )
        if locked is None or not is_due(locked, now):
            return 0  # another request is making them right now, or just did
        times, clock = _due_times(locked, now)
        made = materialise(locked, times) if times else 0
        locked.clock_at = clock
        locked.save(update_fields=["generated", "last_id", "authors_ready", "clock_at"])
    return made


def mock_backlog_seed(
    *,
    platform: str,
    count: int,
    seed: int | None = None,
    all_mentions: bool = False,
    now: dt.datetime | None = None,
    span: dt.timedelta | None = None,
) -> int:
    """Make ``count`` items at once, spread over the time before now (over ``span``
    when given, at most BACKLOG_SPAN_LIMIT); return the number made. Later items
    keep arriving from now on at the platform's rate."""
    platform_state_ensure(platform=platform)
    now = now or timezone.now()
    with transaction.atomic():
        state = MockPlatform.objects.select_for_update().get(pk=platform)
        if seed is not None:
            state.seed = seed
        interval = _interval(state) if state.rate_per_minute > 0 else 1.0
        if span is not None:
            span = min(span, BACKLOG_SPAN_LIMIT)
            start = now - span
        else:
            span = min(dt.timedelta(seconds=count * interval), BACKLOG_MAX_SPAN)
            start = max(state.clock_at or now - span, now - span)
        step = (now - start) / max(count, 1)
        made = 0
        for first in range(0, count, BACKLOG_CHUNK):
            size = min(BACKLOG_CHUNK, count - first)
            times = [start + step * (first + i + 1) for i in range(size)]
            made += materialise(state, times, all_mentions=all_mentions)
        state.clock_at = now
        state.save(
            update_fields=["seed", "generated", "last_id", "authors_ready", "clock_at"]
        )
    if made >= VACUUM_AFTER and connection.vendor == "postgresql":
        _vacuum()
    return made


def _vacuum() -> None:
    """Fresh statistics and visibility map after a big backlog, so deep pages skip
    their offset with an index-only scan instead of a sequential scan and sort."""
    if connection.in_atomic_block:
        return  # VACUUM cannot run in a transaction; autovacuum will get to it
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {MockPost._meta.db_table}")


# --- making items -----------------------------------------------------------------


def authors_ensure(state: MockPlatform) -> None:
    if state.authors_ready:
        return
    now = timezone.now()
    MockAuthor.objects.bulk_create(
        [
            MockAuthor(platform=state.platform, **fields)
            for fields in author_pool(state.platform, state.seed, now)
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )
    state.authors_ready = True


def materialise(
    state: MockPlatform, times: list[dt.datetime], *, all_mentions: bool = False
) -> int:
    """Store the next ``len(times)`` items of the platform's sequence, created at
    ``times`` (ascending). ``state`` must be locked; its counters move in memory and
    the caller saves them."""
    authors_ensure(state)
    platform = state.platform
    generator = Generator(
        platform,
        state.seed,
        crisis=state.crisis,
        crisis_topic=state.crisis_topic,
        all_mentions=all_mentions,
    )
    first = state.generated
    items = [generator.item(first + i) for i in range(len(times))]
    authors = {
        index: (pk, name, deleted)
        for index, pk, name, deleted in MockAuthor.objects.filter(
            platform=platform
        ).values_list("pool_index", "id", "screen_name", "is_deleted")
    }
    names = {pk: name for pk, name, _deleted in authors.values()}
    refs = _stored_refs(platform, items, first)
    rows: list[tuple] = []
    last_id = state.last_id
    for item, when in zip(items, times, strict=True):
        author_id, _name, _deleted = authors[item.author_index]
        if item.ghost:
            last_id = max(time_id(platform, when), last_id + 1)
            rows.append(_ghost_row(platform, last_id, when))
            item_ghost_id = last_id
        last_id = max(time_id(platform, when), last_id + 1)
        row = _row(platform, item, last_id, author_id, when, refs, names)
        if item.ghost:
            row["repost_of_id"] = item_ghost_id
        refs[item.seq] = Ref(
            ext_id=last_id,
            kind=row["kind"],
            text=row["text"],
            author_id=author_id,
            root_id=row["root_id"],
            repost_of_id=row["repost_of_id"],
        )
        rows.append(tuple(row[column] for column in COLUMNS))
    _insert(rows)
    state.generated = first + len(items)
    state.last_id = last_id
    return len(items)


def _stored_refs(platform: str, items: list[Item], first: int) -> dict[int, Ref]:
    """Earlier items the batch links to that were stored by earlier batches."""
    wanted = set()
    for item in items:
        for seq in (item.target_seq, item.repost_seq):
            if seq is not None and seq < first:
                wanted.add(seq)
    if not wanted:
        return {}
    rows = MockPost.objects.filter(platform=platform, seq__in=wanted).values_list(
        "seq", "ext_id", "kind", "text", "author_id", "root_id", "repost_of_id"
    )
    return {row[0]: Ref(*row[1:]) for row in rows}


def _ghost_row(platform: str, ext_id: int, when: dt.datetime) -> tuple:
    row = dict.fromkeys(COLUMNS)
    row.update(
        ext_id=ext_id,
        platform=platform,
        kind="status",
        text=c.DELETED_TEXT,
        created_at=when - dt.timedelta(hours=5),
        mentions_brand=False,
        is_deleted=True,
        is_received=False,
        reposts_count=0,
        comments_count=0,
        likes_count=0,
        quotes_count=0,
        source="",
        lang="zh",
    )
    return tuple(row[column] for column in COLUMNS)


def _row(
    platform: str,
    item: Item,
    ext_id: int,
    author_id: int,
    when: dt.datetime,
    refs: dict[int, Ref],
    names: dict[int, str],
) -> dict:
    row = {
        "ext_id": ext_id,
        "platform": platform,
        "seq": item.seq,
        "kind": item.kind,
        "author_id": author_id,
        "text": item.text,
        "created_at": when,
        "root_id": None,
        "parent_id": None,
        "repost_of_id": None,
        "target_user_id": None,
        "is_deleted": False,
        "is_received": False,
        "reposts_count": item.reposts,
        "comments_count": item.comments,
        "likes_count": item.likes,
        "quotes_count": item.quotes,
        "lat": item.lat,
        "lon": item.lon,
        "source": item.source,
        "lang": item.lang,
    }
    target = refs.get(item.target_seq) if item.target_seq is not None else None
    original = refs.get(item.repost_seq) if item.repost_seq is not None else None
    if item.target_seq is not None and target is not None:
        _link_answer(platform, item, row, target, names)
    elif item.repost_seq is not None and original is not None:
        _link_repost(platform, item, row, original, names)
    elif item.role in ("comment", "reply", "retweet"):
        # Its target is gone (cannot happen without a hand-edited store): make it
        # an ordinary post rather than a dangling comment.
        row["kind"] = "status"
        row["text"] = item.text or "转发微博"
    row["mentions_brand"] = mentions_brand(platform, row["text"])
    return row


def _link_answer(platform, item: Item, row: dict, target: Ref, names) -> None:
    name = names.get(target.author_id, "")
    if platform == "twitter":
        row["root_id"] = target.root_id or target.ext_id
        row["parent_id"] = target.ext_id
        row["target_user_id"] = target.author_id
        row["text"] = c.twitter_reply(name, item.text)
        return
    if target.kind == "comment":
        row["root_id"] = target.root_id
        if item.target_is_comment:
            row["parent_id"] = target.ext_id
            row["target_user_id"] = target.author_id
            if platform == "weibo":
                row["text"] = c.weibo_reply(name, item.text)
            else:
                row["text"] = c.renren_reply(name, item.text)
    else:
        row["root_id"] = target.ext_id


def _link_repost(platform, item: Item, row: dict, original: Ref, names) -> None:
    name = names.get(original.author_id, "")
    row["repost_of_id"] = original.repost_of_id or original.ext_id
    if platform == "weibo":
        row["text"] = c.weibo_repost(
            item.text,
            name=name,
            text=original.text,
            is_repost=original.repost_of_id is not None,
        )
    elif platform == "twitter":
        row["text"] = c.twitter_retweet(name, original.text)
    else:
        row["text"] = c.renren_share(item.text, name=name, text=original.text)


def _csv_field(value) -> str:
    # CSV for COPY: strings quoted (so "" is an empty string), NULL unquoted empty.
    if value is None:
        return ""
    if isinstance(value, str):
        return '"' + value.replace('"', '""') + '"'
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return repr(value)


def _csv_line(row: tuple) -> str:
    return ",".join(map(_csv_field, row)) + "\n"


def _insert(rows: list[tuple]) -> None:
    """COPY on PostgreSQL (100,000 rows in about a second), bulk_create elsewhere."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor
            if hasattr(raw, "copy_expert"):
                buffer = io.StringIO("".join(map(_csv_line, rows)))
                table = MockPost._meta.db_table
                raw.copy_expert(
                    f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN WITH (FORMAT csv)",
                    buffer,
                )
                return
    MockPost.objects.bulk_create(
        [MockPost(**dict(zip(COLUMNS, row, strict=True))) for row in rows],
        batch_size=2000,
    )
