"""Normalized posts for listening tests (what an adapter hands to the store)."""

from __future__ import annotations

import datetime as dt

from listening.adapters import NormalizedAuthor, NormalizedPost

BEIJING = dt.timezone(dt.timedelta(hours=8))


def make_post(
    external_id: int | str, *, text: str = "", author_id: str = "1001"
) -> NormalizedPost:
    return NormalizedPost(
        platform="weibo",
        external_id=str(external_id),
        text=text or f"戴尔 XPS 第{external_id}条",
        created_at=dt.datetime(2011, 5, 31, 17, 46, 55, tzinfo=BEIJING),
        author=NormalizedAuthor(
            platform="weibo",
            external_id=author_id,
            screen_name=f"user{author_id}",
            followers_count=10,
        ),
        metrics={"reposts": 1, "comments": 0, "likes": 2},
        raw={"idstr": str(external_id)},
    )
