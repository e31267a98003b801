"""A scripted in-memory platform, for testing polling without HTTP."""

from __future__ import annotations

import datetime as dt

from listening.adapters import NormalizedAuthor, NormalizedPost, ParsedPage

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


class FakeAdapter:
    """Serves ``posts`` newest first, ``page_size`` at a time, honouring since_id.

    ``faults`` is a list consumed one per fetch: an exception instance to raise, or
    None to answer normally.
    """

    platform = "weibo"

    def __init__(self, ids: list[int], *, page_size: int = 3, faults=None) -> None:
        self.ids = sorted(ids, reverse=True)
        self.page_size = page_size
        self.faults = list(faults or [])
        self.calls: list[dict] = []

    def fetch_page(self, spec, *, since_id, page) -> ParsedPage:
        self.calls.append({"since_id": since_id, "page": page})
        if self.faults:
            fault = self.faults.pop(0)
            if fault is not None:
                raise fault
        max_id = (page or {}).get("max_id")
        visible = [
            i
            for i in self.ids
            if (since_id is None or i > int(since_id))
            and (max_id is None or i <= max_id)
        ]
        chunk = visible[: self.page_size]
        more = len(visible) > self.page_size
        return ParsedPage(
            posts=[make_post(i) for i in chunk],
            next_page={"max_id": chunk[-1] - 1} if more else None,
        )
