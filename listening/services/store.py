"""Storing normalised posts exactly once, in batches.

One statement per table per batch: authors are upserted (their profile is refreshed),
mentions are inserted with ``ON CONFLICT DO NOTHING RETURNING id`` so that exactly the
rows that are new come back, and only those are handed to analysis. The unique key
``(platform, external_id)`` makes a re-fetched page, a redelivered task or a second
worker on the same page harmless.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from django.db import connection, transaction
from django.db.models import CharField, F, Model
from django.utils import timezone

from dellsocial import pipeline
from listening.adapters import NormalizedAuthor, NormalizedPost
from listening.models import Author, Mention, Source

# A row of column values (the order of AUTHOR_COLUMNS or MENTION_COLUMNS), and the
# natural key of an author or a mention: (platform, external_id).
Row = tuple[Any, ...]
Key = tuple[str, str]

# A microblog post is at most a few thousand characters even for Weibo long posts;
# anything longer is a hostile or broken payload and is cut, not stored whole.
MAX_TEXT_CHARS = 10_000
# Rows per INSERT: keeps statements under SQLite's 32k parameter limit and PostgreSQL
# round trips few.
INSERT_CHUNK = 500

# C0/C1 control characters except tab, newline and carriage return; NUL first of all
# (PostgreSQL refuses it in text and jsonb).
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(value: Any, *, limit: int = MAX_TEXT_CHARS) -> str:
    """Text safe to store: valid Unicode, no control characters, bounded length."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if not text.isascii():
        # Lone surrogates (from \\ud83d-style escapes cut in half) cannot be encoded.
        text = text.encode("utf-8", "replace").decode("utf-8")
        text = unicodedata.normalize("NFC", text)
    text = _CONTROL_RE.sub("", text)
    return text[:limit]


# An escaped NUL inside a JSON text (PostgreSQL's jsonb refuses it), not preceded by
# an odd number of backslashes (which would make it literal text "\\u0000").
_JSON_NUL_RE = re.compile(r"(?<!\\)((?:\\\\)*)\\u0000")


def json_text(value: Any) -> str:
    """Serialise a payload for a jsonb column: valid UTF-8, no NUL escapes."""
    try:
        text = orjson.dumps(value).decode()
    except TypeError:  # lone surrogates (half of a cut emoji escape), odd types
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
        text = text.encode("utf-8", "replace").decode("utf-8")
    if "\\u0000" in text:
        text = _JSON_NUL_RE.sub(r"\1", text)
    return text


@dataclass(slots=True)
class StoreResult:
    created_ids: list[int] = field(default_factory=list)
    known: int = 0

    @property
    def created(self) -> int:
        return len(self.created_ids)


def _field_limit(model: type[Model], name: str) -> int:
    field = model._meta.get_field(name)
    assert isinstance(field, CharField), f"{model.__name__}.{name} is not text"
    return int(field.max_length or 0)


AUTHOR_COLUMNS = (
    "platform",
    "external_id",
    "screen_name",
    "name",
    "followers_count",
    "friends_count",
    "statuses_count",
    "verified",
    "verified_type",
    "location",
    "gender",
    "description",
    "profile_image_url",
    "updated_at",
)
MENTION_COLUMNS = (
    "platform",
    "external_id",
    "source_id",
    "author_id",
    "text",
    "language",
    "created_at",
    "fetched_at",
    "in_reply_to_external_id",
    "thread_external_id",
    "repost_of_external_id",
    "is_private",
    "metrics",
    "raw",
    "sentiment_label",
    "sarcasm",
    "intent",
    "brands",
    "products",
    "keywords",
    "priority",
    "analyzer_version",
    "needs_human",
)
_JSON_COLUMNS = {"metrics", "raw", "brands", "products", "keywords"}
_PG_CASTS = {"raw": "::json"}  # see RawJSONField; the others are jsonb


def _placeholders(columns: Sequence[str]) -> str:
    is_pg = connection.vendor == "postgresql"
    parts = [
        f"%s{_PG_CASTS.get(c, '::jsonb')}" if (is_pg and c in _JSON_COLUMNS) else "%s"
        for c in columns
    ]
    return "(" + ", ".join(parts) + ")"


def _execute_values(
    sql_head: str, columns: Sequence[str], rows: list[Row], tail: str
) -> list[Row]:
    """Run a multi-row INSERT in chunks; return all rows it RETURNs."""
    returned: list[Row] = []
    row_sql = _placeholders(columns)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_CHUNK):
            chunk = rows[start : start + INSERT_CHUNK]
            sql = f"{sql_head} VALUES {', '.join([row_sql] * len(chunk))} {tail}"
            cursor.execute(sql, [value for row in chunk for value in row])
            returned.extend(cursor.fetchall())
    return returned


def _author_row(author: NormalizedAuthor, now: dt.datetime) -> Row:
    limit = _field_limit
    return (
        author.platform,
        clean_text(author.external_id, limit=limit(Author, "external_id")),
        clean_text(author.screen_name, limit=limit(Author, "screen_name")),
        clean_text(author.name, limit=limit(Author, "name")),
        max(0, int(author.followers_count or 0)),
        max(0, int(author.friends_count or 0)),
        max(0, int(author.statuses_count or 0)),
        bool(author.verified),
        clean_text(author.verified_type, limit=limit(Author, "verified_type")),
        clean_text(author.location, limit=limit(Author, "location")),
        clean_text(author.gender, limit=limit(Author, "gender")),
        clean_text(author.description, limit=2000),
        clean_text(author.profile_image_url, limit=limit(Author, "profile_image_url")),
        now,
    )


# Authors this process has stored, with their profile as stored: {(platform,
# external_id): (id, profile row)}. The same few thousand people post again and again;
# an unchanged profile is not written again. Filled only after the rows commit, and
# bounded, so it never outgrows a worker.
_AUTHOR_CACHE: dict[Key, tuple[int, Row]] = {}
AUTHOR_CACHE_SIZE = 200_000


def _remember_authors(rows: dict[Key, tuple[int, Row]]) -> None:
    if len(_AUTHOR_CACHE) + len(rows) > AUTHOR_CACHE_SIZE:
        _AUTHOR_CACHE.clear()
    _AUTHOR_CACHE.update(rows)


def _authors_upsert(
    authors: Iterable[NormalizedAuthor | None], now: dt.datetime
) -> dict[Key, int]:
    """Insert new authors and refresh changed profiles; return {(platform,
    external_id): id} for all of them."""
    unique: dict[Key, NormalizedAuthor] = {}
    for author in authors:
        if author is not None and author.external_id:
            unique[(author.platform, str(author.external_id))] = author
    if not unique:
        return {}
    ids: dict[Key, int] = {}
    profiles: dict[Key, Row] = {}
    for key, author in unique.items():
        profile = _author_row(author, now)[:-1]  # all but updated_at
        cached = _AUTHOR_CACHE.get(key)
        if cached is not None and cached[1] == profile:
            ids[key] = cached[0]
        else:
            profiles[key] = profile
    if ids and Author.objects.filter(id__in=ids.values()).count() != len(ids):
        # An author this process remembered is gone (deleted, or the database was
        # restored): forget them all and write every author of the batch.
        _AUTHOR_CACHE.clear()
        return _authors_upsert(unique.values(), now)
    if not profiles:
        return ids
    # A stable order, so two polls upserting the same authors lock rows in the same
    # order and cannot deadlock.
    ordered = [unique[key] for key in sorted(profiles)]
    table = Author._meta.db_table
    updates = ", ".join(
        f"{c} = EXCLUDED.{c}"
        for c in AUTHOR_COLUMNS
        if c not in ("platform", "external_id")
    )
    rows = _execute_values(
        f"INSERT INTO {table} ({', '.join(AUTHOR_COLUMNS)})",
        AUTHOR_COLUMNS,
        [_adapt(_author_row(a, now), AUTHOR_COLUMNS) for a in ordered],
        f"ON CONFLICT (platform, external_id) DO UPDATE SET {updates} "
        "RETURNING id, platform, external_id",
    )
    stored: dict[Key, tuple[int, Row]] = {}
    for pk, platform, external_id in rows:
        ids[(platform, external_id)] = pk
        stored[(platform, external_id)] = (pk, profiles[(platform, external_id)])
    transaction.on_commit(lambda: _remember_authors(stored))
    return ids


def _adapt(row: Row, columns: Sequence[str]) -> Row:
    ops = connection.ops
    out = []
    for column, value in zip(columns, row, strict=True):
        if column in _JSON_COLUMNS:
            value = json_text(value)
        elif column in ("created_at", "fetched_at", "updated_at"):
            value = ops.adapt_datetimefield_value(value)
        out.append(value)
    return tuple(out)


# A mention not analysed this long after it was stored lost its hand-off message.
REQUEUE_AFTER = dt.timedelta(minutes=2)
# Mentions re-sent per sweep: bounded so one sweep never floods the nlp queue.
REQUEUE_LIMIT = 20_000


def mentions_requeue_unanalyzed(*, older_than: dt.timedelta = REQUEUE_AFTER) -> int:
    """Send unanalysed mentions older than ``older_than`` to analysis again."""
    cutoff = timezone.now() - older_than
    ids = list(
        Mention.objects.filter(analyzed_at__isnull=True, fetched_at__lt=cutoff)
        .order_by("id")
        .values_list("id", flat=True)[:REQUEUE_LIMIT]
    )
    with transaction.atomic():
        pipeline.mentions_ingested(ids)
    return len(ids)


_AUTHOR_ID_INDEX = MENTION_COLUMNS.index("author_id")


def _mention_row(
    post: NormalizedPost, source_id: int | None, now: dt.datetime
) -> list[Any]:
    """The mention's column values, adapted, with author_id still to fill in."""
    limit = _field_limit
    return list(
        _adapt(
            (
                post.platform,
                clean_text(post.external_id, limit=limit(Mention, "external_id")),
                source_id,
                None,
                clean_text(post.text),
                clean_text(post.language_hint, limit=limit(Mention, "language")),
                post.created_at,
                now,
                clean_text(post.in_reply_to_external_id, limit=64),
                clean_text(post.thread_external_id, limit=64),
                clean_text(post.repost_of_external_id, limit=64),
                bool(post.is_private),
                {k: max(0, int(v or 0)) for k, v in (post.metrics or {}).items()},
                post.raw or {},
                "",
                False,
                "",
                [],
                [],
                [],
                0.0,
                "",
                False,
            ),
            MENTION_COLUMNS,
        )
    )


def _mentions_insert(
    rows: list[list[Any]], author_keys: list[Key | None], author_ids: dict[Key, int]
) -> list[Row]:
    for row, key in zip(rows, author_keys, strict=True):
        row[_AUTHOR_ID_INDEX] = author_ids.get(key) if key else None
    return _execute_values(
        f"INSERT INTO {Mention._meta.db_table} ({', '.join(MENTION_COLUMNS)})",
        MENTION_COLUMNS,
        [tuple(row) for row in rows],
        "ON CONFLICT (platform, external_id) DO NOTHING RETURNING id",
    )


# No savepoint: inside a poll's transaction it would cost two round trips a page, and
# nothing catches an error half-way through a store anyway.
@transaction.atomic(savepoint=False)
def mentions_store(
    *,
    posts: Sequence[NormalizedPost],
    source_id: int | None = None,
    count_on_source: bool = True,
) -> StoreResult:
    """Store posts exactly once; hand the new ones to analysis after commit.

    Returns the ids of the mentions this call created and how many were already
    known. Safe to call again with the same posts, from any number of workers.
    ``count_on_source=False``: the caller adds the new mentions to the source's
    counter itself (the poller does, in the statement that moves the cursor).
    """
    result = StoreResult()
    if not posts:
        return result
    now = timezone.now()
    unique: dict[Key, NormalizedPost] = {}
    for post in posts:
        unique.setdefault((post.platform, str(post.external_id)), post)
    ordered = sorted(unique.items())
    rows = [_mention_row(post, source_id, now) for _, post in ordered]
    author_keys = [
        (post.author.platform, str(post.author.external_id)) if post.author else None
        for _, post in ordered
    ]
    authors = [post.author for _, post in ordered]
    returned = _mentions_insert(rows, author_keys, _authors_upsert(authors, now))
    result.created_ids = [row[0] for row in returned]
    result.known = len(rows) - len(result.created_ids)
    if count_on_source and source_id is not None and result.created_ids:
        Source.objects.filter(id=source_id).update(
            mentions_fetched=F("mentions_fetched") + len(result.created_ids)
        )
    pipeline.mentions_ingested(result.created_ids)
    # Opt-in for webhooks (high volume): the pipeline drops it when no endpoint
    # hears it; integrations adds the mention's fields.
    pipeline.webhook_events(
        "mention.created",
        [(f"mention.created:{i}", {"mention_id": i}) for i in result.created_ids],
    )
    return result
