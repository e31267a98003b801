"""The room's panels by name: how each is computed and laid out as a table (for the
CSV/XLSX export and the page's tables). The API and the page share this."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from listening.selectors import own_accounts as own_account_ids

from . import selectors as s
from .filters import RoomFilter


@dataclass(frozen=True)
class Panel:
    compute: Callable[[RoomFilter], dict]
    header: tuple[str, ...]
    table: Callable[[dict], list[tuple]]


def _volume_table(data: dict) -> list[tuple]:
    return [
        (series["key"], p["t"], p["mentions"], p["authors"], p["reach"])
        for series in data["series"]
        for p in series["points"]
    ]


def _sentiment_table(data: dict) -> list[tuple]:
    return [
        (
            p["t"],
            p["mentions"],
            p["positive"],
            p["neutral"],
            p["negative"],
            p["net"],
            p["sarcastic"],
        )
        for p in data["points"]
    ]


def _sov_table(data: dict) -> list[tuple]:
    return [
        (
            b["brand"],
            b["name"],
            b["kind"],
            b["mentions"],
            b["share"],
            b["reach"],
            b["sentiment"]["positive"],
            b["sentiment"]["neutral"],
            b["sentiment"]["negative"],
        )
        for b in data["brands"]
    ]


def _keywords_table(data: dict) -> list[tuple]:
    return [
        (k["keyword"], k["topic"], k["count"], k["baseline"], k["rise"], k["ratio"])
        for k in data["results"]
    ]


def _influencers_table(data: dict) -> list[tuple]:
    return [
        (
            i["platform"],
            i["screen_name"],
            i["followers"],
            i["verified"],
            i["mentions"],
            i["reach"],
            i["engagement"],
            i["chain_depth"],
            i["sentiment"],
        )
        for i in data["results"]
    ]


def _intents_table(data: dict) -> list[tuple]:
    return [(i["intent"], i["mentions"], i["share"]) for i in data["results"]]


def _audience_table(data: dict) -> list[tuple]:
    rows = []
    for a in data["results"]:
        rows.append(
            (
                a["platform"],
                a["authors"],
                a["gender"].get("m", 0),
                a["gender"].get("f", 0),
                a["verified_share"],
                a["college_share"],
                " ".join(p["province"] for p in a["provinces"][:5]),
            )
        )
    return rows


def _accounts(f: RoomFilter) -> dict:
    return s.own_accounts(f, accounts=own_account_ids())


def _accounts_table(data: dict) -> list[tuple]:
    return [
        (
            a["platform"],
            a["screen_name"],
            a["followers"],
            a["posts"],
            a["comments_per_post"],
            a["reposts_per_post"],
        )
        for a in data["results"]
    ]


def _intents(f: RoomFilter) -> dict:
    data = s.intent_mix(f)
    for entry in data["results"]:
        entry["top"] = [
            {
                "id": m.id,
                "platform": m.platform,
                "author": m.author.screen_name if m.author else "",
                "text": m.text[:280],
                "created_at": m.created_at.isoformat(),
            }
            for m in entry["top"]
        ]
    return data


PANELS: dict[str, Panel] = {
    "volume": Panel(
        s.volume_series, ("series", "t", "mentions", "authors", "reach"), _volume_table
    ),
    "sentiment": Panel(
        s.sentiment_series,
        ("t", "mentions", "positive", "neutral", "negative", "net", "sarcastic"),
        _sentiment_table,
    ),
    "share-of-voice": Panel(
        s.share_of_voice,
        (
            "brand",
            "name",
            "kind",
            "mentions",
            "share",
            "reach",
            "positive",
            "neutral",
            "negative",
        ),
        _sov_table,
    ),
    "keywords": Panel(
        s.rising_keywords,
        ("keyword", "topic", "count", "baseline", "rise", "ratio"),
        _keywords_table,
    ),
    "influencers": Panel(
        s.influencers,
        (
            "platform",
            "screen_name",
            "followers",
            "verified",
            "mentions",
            "reach",
            "engagement",
            "chain_depth",
            "sentiment",
        ),
        _influencers_table,
    ),
    "intents": Panel(_intents, ("intent", "mentions", "share"), _intents_table),
    "audience": Panel(
        s.audience,
        (
            "platform",
            "authors",
            "male",
            "female",
            "verified_share",
            "college_share",
            "top_provinces",
        ),
        _audience_table,
    ),
    "accounts": Panel(
        _accounts,
        (
            "platform",
            "screen_name",
            "followers",
            "posts",
            "comments_per_post",
            "reposts_per_post",
        ),
        _accounts_table,
    ),
}
