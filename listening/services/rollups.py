"""Rollups of the listening room, kept incrementally and idempotently.

Each analysed mention *contributes* to the rollups: one volume row per subject it is
about (every mention, each brand it names, each product line), a distinct-author
presence per hour and day, its keywords, and, for authors with a large following,
an influencer row. What it contributed is stored beside it (``RollupContribution``),
so applying a mention again subtracts the old contribution and adds the new one, in
one statement per rollup table:

* a mention re-analysed or corrected moves its counts, never counts twice;
* a batch delivered twice changes nothing (the difference is zero);
* the mention rows are locked (``FOR UPDATE``) while their contribution changes, and
  rollup rows are always written in key order, so concurrent workers neither lose
  an update nor deadlock.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, Model, OuterRef
from django.utils import timezone

from listening.models import (
    Mention,
    RollupAudienceDay,
    RollupAuthorsHour,
    RollupContribution,
    RollupDay,
    RollupDaySummary,
    RollupHour,
    RollupHourSummary,
    RollupInfluencerDay,
    RollupKeywordDay,
    RollupPresence,
    RollupTopPost,
)

# Rows per INSERT ... ON CONFLICT statement: a batch of 200 mentions makes a few
# hundred rollup rows; bounded so a statement never grows past the driver's limits.
UPSERT_CHUNK = 500
# Mentions per transaction in rebuild_rollups.
REBUILD_CHUNK = 2000
VOLUME_KEY = (
    "bucket",
    "subject",
    "platform",
    "source_id",
    "sentiment",
    "intent",
    "language",
)
VOLUME_VALUES = ("mentions", "reach", "sarcastic")
SUMMARY_KEY = ("bucket", "subject", "platform", "sentiment")
INFLUENCER_VALUES = ("mentions", "reach", "positive", "negative", "engagement", "depth")
AUDIENCE = ("gender", "province", "verified", "college")
# Top posts kept per hour × subject × platform × sentiment × intent (the room shows 5).
TOP_POST_KEEP = 5
TOP_POST_GROUP = ("bucket", "subject", "platform", "sentiment", "intent")

_HAN_RE = re.compile(r"[\u4e00-\u9fff]")
_COLLEGE_RE = re.compile(r"大学|学院|学生|\d{4}级|student|university|college", re.I)
MENTION_FIELDS = (
    "id",
    "platform",
    "source_id",
    "created_at",
    "text",
    "metrics",
    "sentiment_label",
    "sarcasm",
    "intent",
    "priority",
    "language",
    "brands",
    "products",
    "keywords",
    "analyzed_at",
    "author_id",
    "author__followers_count",
    "author__gender",
    "author__location",
    "author__verified",
    "author__description",
)


def influencer_min_followers() -> int:
    return getattr(settings, "LISTENING_INFLUENCER_MIN_FOLLOWERS", 5000)


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def province_of(location: str) -> str:
    """The province (or region) of a profile's location: 福建 厦门 → 福建;
    Round Rock, Texas → Texas."""
    location = (location or "").strip()
    if not location:
        return ""
    if _HAN_RE.search(location):
        return location.split()[0][:40]
    return location.split(",")[-1].strip()[:40]


# A rollup row's key and its values, as written by _upsert.
Key = tuple[Any, ...]
Row = tuple[Any, ...]
Contribution = dict[str, Any]


def contribution_of(row: dict[str, Any]) -> Contribution | None:
    """What a mention (a row of MENTION_FIELDS) adds to the rollups; None before
    its analysis."""
    if row["analyzed_at"] is None:
        return None
    created = row["created_at"]
    hour = created.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
    day = created.astimezone(local_zone()).date()
    subjects = [""]
    subjects += sorted({str(b)[:80] for b in row["brands"] or [] if b})
    subjects += sorted({f"p:{p}"[:80] for p in row["products"] or [] if p})
    text = (row["text"] or "").lower()
    keywords = []
    for word in row["keywords"] or []:
        word = str(word)[:98]
        keywords.append(f"#{word}#" if f"#{word.lower()}#" in text else word)
    metrics = row["metrics"] or {}
    followers = int(row["author__followers_count"] or 0)
    return {
        "h": hour.isoformat(),
        "d": day.isoformat(),
        "p": row["platform"],
        "s": row["source_id"] or 0,
        "subj": subjects,
        "sent": row["sentiment_label"] or "",
        "int": row["intent"] or "",
        "prio": float(row["priority"] or 0.0),
        "lang": (row["language"] or "")[:8],
        "reach": followers,
        "sarc": int(bool(row["sarcasm"])),
        "a": row["author_id"] or 0,
        "kw": sorted(set(keywords)),
        "g": (row["author__gender"] or "")[:8],
        "prov": province_of(row["author__location"] or ""),
        "v": bool(row["author__verified"]),
        "c": bool(_COLLEGE_RE.search(row["author__description"] or "")),
        "inf": followers >= influencer_min_followers(),
        "eng": int(metrics.get("reposts", 0) or 0)
        + int(metrics.get("comments", 0) or 0),
        "depth": (row["text"] or "").count("//@"),
    }


class _Deltas:
    """The rollup changes of a batch, summed per key before they are written."""

    def __init__(self) -> None:
        self.hour: dict[Key, list[int]] = defaultdict(lambda: [0, 0, 0])
        self.day: dict[Key, list[int]] = defaultdict(lambda: [0, 0, 0])
        self.hour_summary: dict[Key, list[int]] = defaultdict(lambda: [0, 0, 0])
        self.day_summary: dict[Key, list[int]] = defaultdict(lambda: [0, 0, 0])
        self.presence: dict[Key, list[Any]] = {}
        self.keywords: dict[Key, int] = defaultdict(int)
        self.influencers: dict[Key, list[Any]] = {}
        # Top posts: (group key, mention id) -> priority to add; removed ones.
        self.top_added: dict[tuple[Key, int], float] = {}
        self.top_removed: set[tuple[Key, int]] = set()

    def add(self, c: Contribution, sign: int, *, mention_id: int = 0) -> None:
        hour = dt.datetime.fromisoformat(c["h"])
        day = dt.date.fromisoformat(c["d"])
        day_key = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
        values = (sign, sign * c["reach"], sign * c["sarc"])
        attrs = (c["g"], c["prov"], c["v"], c["c"])
        for subject in c["subj"]:
            dims = (subject, c["p"], c["s"], c["sent"], c["int"], c["lang"])
            brief = (subject, c["p"], c["sent"])
            key: Key
            table: dict[Key, list[int]]
            for table, key in (
                (self.hour, (hour, *dims)),
                (self.day, (day, *dims)),
                (self.hour_summary, (hour, *brief)),
                (self.day_summary, (day, *brief)),
            ):
                row = table[key]
                for i, value in enumerate(values):
                    row[i] += value
            if c["a"]:
                for grain, bucket in (("h", hour), ("d", day_key)):
                    key = (grain, bucket, c["p"], subject, c["a"])
                    entry = self.presence.setdefault(key, [0, attrs])
                    entry[0] += sign
                    if sign > 0:
                        entry[1] = attrs
                if c["inf"]:
                    key = (day, subject, c["a"])
                    entry = self.influencers.setdefault(key, [c["p"], 0, 0, 0, 0, 0, 0])
                    positive = int(c["sent"] == "positive")
                    negative = int(c["sent"] == "negative")
                    for i, value in enumerate(
                        (1, c["reach"], positive, negative, c["eng"], c["depth"])
                    ):
                        entry[i + 1] += sign * value
            for word in c["kw"]:
                self.keywords[(day, subject, word)] += sign
            if mention_id:
                group = (hour, subject, c["p"], c["sent"], c["int"])
                if sign > 0:
                    self.top_added[(group, mention_id)] = c.get("prio", 0.0)
                else:
                    self.top_removed.add((group, mention_id))


def _adapt(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, dt.date):
        return connection.ops.adapt_datefield_value(value)
    return value


def _upsert(
    model: type[Model],
    key: Sequence[str],
    add: Sequence[str],
    rows: list[Row],
    *,
    keep: Sequence[str] = (),
    refresh_when_zero: Sequence[str] = (),
    returning: Sequence[str] = (),
) -> list[Row]:
    """INSERT rows of (key columns, ``add`` columns, ``keep`` columns), adding the
    ``add`` values to a row that exists. ``keep`` columns are only written on insert,
    or, for ``refresh_when_zero``, when the row's count was back at zero. Rows are
    written in key order, so concurrent workers never deadlock."""
    if not rows:
        return []
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)

    def col(name: str) -> str:
        column = getattr(model._meta.get_field(name), "column", None)
        return quote(str(column or name))

    columns = [col(c) for c in (*key, *add, *keep)]
    sets = [f"{col(c)} = {table}.{col(c)} + EXCLUDED.{col(c)}" for c in add]
    sets += [
        f"{col(c)} = CASE WHEN {table}.{col('mentions')} = 0 THEN EXCLUDED.{col(c)}"
        f" ELSE {table}.{col(c)} END"
        for c in refresh_when_zero
    ]
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    tail = f" ON CONFLICT ({', '.join(col(c) for c in key)}) DO UPDATE SET "
    tail += ", ".join(sets)
    if returning:
        tail += " RETURNING " + ", ".join(col(c) for c in returning)
    out: list[Row] = []
    rows = sorted(rows, key=lambda r: tuple(str(v) for v in r[: len(key)]))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), UPSERT_CHUNK):
            chunk = rows[start : start + UPSERT_CHUNK]
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
            sql += ", ".join([placeholders] * len(chunk)) + tail
            cursor.execute(sql, [_adapt(v) for row in chunk for v in row])
            if returning:
                out.extend(cursor.fetchall())
    return out


def _write(deltas: _Deltas) -> None:
    volume: list[tuple[type[Model], Sequence[str], dict[Key, list[int]]]] = [
        (RollupHour, VOLUME_KEY, deltas.hour),
        (RollupDay, VOLUME_KEY, deltas.day),
        (RollupHourSummary, SUMMARY_KEY, deltas.hour_summary),
        (RollupDaySummary, SUMMARY_KEY, deltas.day_summary),
    ]
    for model, key, table in volume:
        rows = [(*k, *v) for k, v in table.items() if any(v)]
        _upsert(model, key, VOLUME_VALUES, rows)
    _write_presence(deltas)
    rows = [(*k, v) for k, v in deltas.keywords.items() if v]
    _upsert(RollupKeywordDay, ("bucket", "subject", "keyword"), ("mentions",), rows)
    rows = [(*k, *v[1:], v[0]) for k, v in deltas.influencers.items() if any(v[1:])]
    _upsert(
        RollupInfluencerDay,
        ("bucket", "subject", "author_id"),
        INFLUENCER_VALUES,
        rows,
        keep=("platform",),
    )
    _write_top_posts(deltas)


def _write_top_posts(deltas: _Deltas) -> None:
    """Keep the TOP_POST_KEEP posts of highest priority of every group touched: drop
    the removed (and the re-scored), add the new, trim the groups that grew, refill
    from the mention table the groups that lost one (a re-analysis: rare)."""
    if not deltas.top_added and not deltas.top_removed:
        return
    added: dict[tuple[Key, int], float] = dict(deltas.top_added)
    groups = {g for g, _m in added} | {g for g, _m in deltas.top_removed}
    if deltas.top_removed:
        by_group: dict[Key, list[int]] = defaultdict(list)
        for group, mention_id in deltas.top_removed:
            by_group[group].append(mention_id)
        for group, ids in sorted(by_group.items(), key=lambda kv: str(kv[0])):
            RollupTopPost.objects.filter(
                **dict(zip(TOP_POST_GROUP, group, strict=True)), mention_id__in=ids
            ).delete()
        for group, mention_id, priority in _top_post_refill(set(by_group)):
            added[(group, mention_id)] = priority
    RollupTopPost.objects.bulk_create(
        [
            RollupTopPost(
                **dict(zip(TOP_POST_GROUP, group, strict=True)),
                mention_id=mention_id,
                priority=priority,
            )
            for (group, mention_id), priority in sorted(
                added.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])
            )
        ],
        update_conflicts=True,
        unique_fields=[*TOP_POST_GROUP, "mention"],
        update_fields=["priority"],
        batch_size=UPSERT_CHUNK,
    )
    rows = list(
        RollupTopPost.objects.filter(
            bucket__in={g[0] for g in groups},
            subject__in={g[1] for g in groups},
            intent__in={g[4] for g in groups},
        ).values_list("id", *TOP_POST_GROUP, "mention_id", "priority")
    )
    ranked: dict[Key, list[tuple[float, int, int]]] = defaultdict(list)
    for row_id, *group, mention_id, priority in rows:
        key = (_as_bucket(group[0]), *group[1:])
        if key in groups:
            ranked[key].append((priority, mention_id, row_id))
    extra = []
    for entries in ranked.values():
        entries.sort(reverse=True)
        extra += [row_id for _p, _m, row_id in entries[TOP_POST_KEEP:]]
    if extra:
        RollupTopPost.objects.filter(id__in=sorted(extra)).delete()


def _top_post_refill(groups: set[Key]) -> list[tuple[Key, int, float]]:
    """The best mentions of groups that lost a post, read from the mention table
    (bounded by the hour's created_at range)."""
    from listening.selectors import json_has

    rows: list[tuple[Key, int, float]] = []
    for group in sorted(groups, key=str):
        bucket, subject, platform, sentiment, intent = group
        qs = Mention.objects.filter(
            created_at__gte=bucket,
            created_at__lt=bucket + dt.timedelta(hours=1),
            analyzed_at__isnull=False,
            platform=platform,
            sentiment_label=sentiment,
            intent=intent,
        )
        if subject.startswith("p:"):
            qs = qs.filter(json_has("products", subject[2:]))
        elif subject:
            qs = qs.filter(json_has("brands", subject))
        for mention_id, priority in qs.order_by("-priority", "-id").values_list(
            "id", "priority"
        )[:TOP_POST_KEEP]:
            rows.append((group, mention_id, priority))
    return rows


PRESENCE_KEY = ("grain", "bucket", "platform", "subject", "author_id")


def _write_presence(deltas: _Deltas) -> None:
    """Distinct authors move only when an author's count in a bucket goes 0 <-> 1."""
    rows = [
        (*key, change, *attrs)
        for key, (change, attrs) in deltas.presence.items()
        if change
    ]
    if not rows:
        return
    returned = _upsert(
        RollupPresence,
        PRESENCE_KEY,
        ("mentions",),
        rows,
        keep=AUDIENCE,
        refresh_when_zero=AUDIENCE,
        returning=(*PRESENCE_KEY, "mentions", *AUDIENCE),
    )
    changes = {(r[0], _as_bucket(r[1]), r[2], r[3], int(r[4])): r[5] for r in rows}
    authors_hour: dict[Key, int] = defaultdict(int)
    audience: dict[Key, int] = defaultdict(int)
    for grain, bucket, platform, subject, author_id, count, *attrs in returned:
        bucket = _as_bucket(bucket)
        change = changes[(grain, bucket, platform, subject, int(author_id))]
        step = (count > 0) - (count - change > 0)
        if not step:
            continue
        if grain == "h":
            authors_hour[(bucket, subject, platform)] += step
        else:
            gender, province, verified, college = attrs
            key = (bucket.date(), subject, platform, gender, province)
            audience[(*key, bool(verified), bool(college))] += step
    _upsert(
        RollupAuthorsHour,
        ("bucket", "subject", "platform"),
        ("authors",),
        [(*k, v) for k, v in authors_hour.items() if v],
    )
    _upsert(
        RollupAudienceDay,
        ("bucket", "subject", "platform", *AUDIENCE),
        ("authors",),
        [(*k, v) for k, v in audience.items() if v],
    )


def _as_bucket(value: Any) -> dt.datetime:
    parsed: dt.datetime = (
        dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    )  # SQLite returns text
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


# --- the services ---------------------------------------------------------------------


@transaction.atomic
def rollups_apply(*, mention_ids: Iterable[int]) -> int:
    """Bring the rollups up to date with these mentions as they are now. Idempotent;
    returns how many mentions changed their contribution."""
    ids = sorted({int(i) for i in mention_ids})
    if not ids:
        return 0
    queryset = Mention.objects.filter(id__in=ids).order_by("id")
    if connection.features.has_select_for_update_of:
        queryset = queryset.select_for_update(of=("self",))
    rows = list(queryset.values(*MENTION_FIELDS))
    before = dict(
        RollupContribution.objects.filter(mention_id__in=ids).values_list(
            "mention_id", "data"
        )
    )
    deltas = _Deltas()
    changed: list[RollupContribution] = []
    gone: list[int] = []
    for row in rows:
        new = contribution_of(row)
        old = before.get(row["id"])
        if new == old:
            continue
        if old:
            deltas.add(old, -1, mention_id=row["id"])
        if new:
            deltas.add(new, +1, mention_id=row["id"])
            changed.append(RollupContribution(mention_id=row["id"], data=new))
        else:
            gone.append(row["id"])
    if not changed and not gone:
        return 0
    _write(deltas)
    RollupContribution.objects.bulk_create(
        changed,
        update_conflicts=True,
        unique_fields=["mention"],
        update_fields=["data"],
        batch_size=UPSERT_CHUNK,
    )
    if gone:
        RollupContribution.objects.filter(mention_id__in=gone).delete()
    return len(changed) + len(gone)


# The sweep looks this far back (by created_at, which its index bounds) for analysed
# mentions whose rollup hand-off was lost (a broker restart, a purged queue).
SWEEP_LOOKBACK = dt.timedelta(hours=2)
SWEEP_LIMIT = 20_000


def rollups_sweep(*, now: dt.datetime | None = None) -> int:
    """Apply the recent analysed mentions that have no contribution yet; returns how
    many were applied (normally none: the pipeline hands every one over)."""

    now = now or timezone.now()
    ids = list(
        Mention.objects.filter(
            created_at__gte=now - SWEEP_LOOKBACK, analyzed_at__isnull=False
        )
        .filter(~Exists(RollupContribution.objects.filter(mention_id=OuterRef("pk"))))
        .values_list("id", flat=True)[:SWEEP_LIMIT]
    )
    for start in range(0, len(ids), REBUILD_CHUNK):
        rollups_apply(mention_ids=ids[start : start + REBUILD_CHUNK])
    return len(ids)


ROLLUP_MODELS = (
    RollupHour,
    RollupDay,
    RollupHourSummary,
    RollupDaySummary,
    RollupAuthorsHour,
    RollupAudienceDay,
    RollupKeywordDay,
    RollupInfluencerDay,
    RollupPresence,
    RollupTopPost,
)


def rollups_rebuild(
    *,
    since: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Recount the rollups from the mention table (from ``since``, a local date, on).

    The rollup rows of those days and the contributions of those mentions are dropped,
    then the mentions are applied again in chunks of REBUILD_CHUNK (each its own
    transaction). Returns how many mentions were applied.
    """
    zone = local_zone()
    mentions = Mention.objects.filter(analyzed_at__isnull=False)
    with transaction.atomic():
        if since is None:
            for model in ROLLUP_MODELS:
                model.objects.all().delete()
            RollupContribution.objects.all().delete()
        else:
            start = dt.datetime(since.year, since.month, since.day, tzinfo=zone)
            start_utc = start.astimezone(dt.UTC)
            mentions = mentions.filter(created_at__gte=start)
            for model in (
                RollupHour,
                RollupHourSummary,
                RollupAuthorsHour,
                RollupTopPost,
            ):
                model.objects.filter(bucket__gte=start_utc).delete()
            for model in (
                RollupDay,
                RollupDaySummary,
                RollupAudienceDay,
                RollupKeywordDay,
                RollupInfluencerDay,
            ):
                model.objects.filter(bucket__gte=since).delete()
            RollupPresence.objects.filter(grain="h", bucket__gte=start_utc).delete()
            day_key = dt.datetime(since.year, since.month, since.day, tzinfo=dt.UTC)
            RollupPresence.objects.filter(grain="d", bucket__gte=day_key).delete()
            RollupContribution.objects.filter(mention__created_at__gte=start).delete()
    ids = list(mentions.order_by("id").values_list("id", flat=True))
    done = 0
    for start_index in range(0, len(ids), REBUILD_CHUNK):
        chunk = ids[start_index : start_index + REBUILD_CHUNK]
        rollups_apply(mention_ids=chunk)
        done += len(chunk)
        if progress:
            progress(done, len(ids))
    return done
