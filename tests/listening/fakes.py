"""A scripted in-memory platform, for testing polling without HTTP."""

from __future__ import annotations

from listening.adapters import ParsedPage

from .factories import make_post


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
