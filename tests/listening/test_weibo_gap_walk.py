"""A Weibo search walk never moves its cursor past posts it has not stored (issue 11,
item 13): it walks newest-first with max_id, and a walk cut short (a failed page,
the page budget of one poll, the old page-number bound) is continued with max_id by
the next poll until it meets the old cursor."""

from __future__ import annotations

import json
import threading

import pytest

from listening.adapters import weibo
from listening.adapters.base import SourceSpec, TransientError
from listening.models import Mention, Source
from listening.services import polling, source_lease_acquire, source_lease_release
from listening.services import source_poll as poll_once

from .adapter_stub import Recorded, Reply, StubServer, configure, payload

pytestmark = pytest.mark.django_db

PATH = "/2/search/topics.json"
FIRST_ID = 4_012_345_678_900_000
TEMPLATE = payload("weibo/search_topics")["statuses"][0]


class SearchServer:
    """Weibo's search/topics over a growing list of statuses: newest first, since_id
    exclusive, max_id inclusive, ``count`` a page; a bare [] past the end. Requests
    listed in ``fail_at`` (1-based) answer 500 10001."""

    def __init__(self) -> None:
        self.ids: list[int] = []
        self.fail_at: set[int] = set()
        self.requests: list[dict[str, str]] = []
        self.lock = threading.Lock()

    def add(self, count: int) -> list[int]:
        start = (self.ids[-1] + 1) if self.ids else FIRST_ID
        new = list(range(start, start + count))
        self.ids += new
        return new

    def __call__(self, request: Recorded) -> Reply:
        with self.lock:
            self.requests.append(request.query)
            if len(self.requests) in self.fail_at:
                error = {"error": "system error!", "error_code": 10001}
                return Reply(500, json.dumps(error).encode())
            query = request.query
            since = int(query.get("since_id", 0))
            top = int(query.get("max_id", 0)) or None
            count = int(query.get("count", 10))
            page = int(query.get("page", 1))
            ids = [
                i for i in reversed(self.ids) if i > since and (top is None or i <= top)
            ]
            rows = ids[(page - 1) * count : page * count]
        if not rows:
            return Reply(200, b"[]")
        statuses = [{**TEMPLATE, "id": i, "idstr": str(i), "mid": str(i)} for i in rows]
        body = {"statuses": statuses, "total_number": len(ids)}
        return Reply(200, json.dumps(body, ensure_ascii=False).encode())


@pytest.fixture
def server(settings):
    search = SearchServer()
    with StubServer() as stub:
        configure(settings, "weibo", f"{stub.url}/2")
        stub.respond("GET", PATH, search)
        yield search


@pytest.fixture
def source():
    return Source.objects.create(
        name="戴尔", platform="weibo", kind="search", query="戴尔", poll_interval=60
    )


def poll(source: Source):
    assert source_lease_acquire(source_id=source.id, owner="t")
    try:
        return poll_once(source_id=source.id, owner="t")
    finally:
        source_lease_release(source_id=source.id, owner="t")


def stored() -> set[int]:
    return {int(i) for i in Mention.objects.values_list("external_id", flat=True)}


def test_search_pages_are_asked_by_max_id_below_the_last_page(server):
    server.add(120)
    spec = SourceSpec(platform="weibo", kind="search", query="戴尔")
    adapter = weibo.WeiboAdapter()

    first = adapter.fetch_page(spec, since_id=str(FIRST_ID + 9), page=None)
    second = adapter.fetch_page(spec, since_id=str(FIRST_ID + 9), page=first.next_page)

    smallest = min(int(p.external_id) for p in first.posts)
    assert first.next_page == {"max_id": str(smallest - 1), "depth": 1}
    assert server.requests[1]["max_id"] == str(smallest - 1)
    assert server.requests[1]["since_id"] == str(FIRST_ID + 9)
    assert server.requests[1]["page"] == "1"
    assert max(int(p.external_id) for p in second.posts) == smallest - 1


def test_a_failed_page_leaves_a_gap_the_next_poll_walks_to_the_old_cursor(
    server, source
):
    old = server.add(30)
    poll(source)
    source.refresh_from_db()
    assert source.cursor == {"since_id": str(old[-1])}

    gap = server.add(170)  # 4 pages of 50
    server.fail_at = {len(server.requests) + 2}  # the second page of the next walk
    with pytest.raises(TransientError):
        poll(source)
    source.refresh_from_db()
    # The first page is stored; the cursor remembers the gap below it.
    assert source.cursor["since_id"] == str(old[-1])
    assert source.cursor["pending_newest"] == str(gap[-1])
    assert "max_id" in source.cursor["resume"]
    newer = server.add(20)  # more posts arrive before the next poll

    poll(source)
    source.refresh_from_db()
    assert set(old + gap) <= stored()
    assert source.cursor == {"since_id": str(gap[-1])}
    resumed = server.requests[len(server.requests) - 3]
    assert int(resumed["max_id"]) < gap[-1]

    poll(source)
    assert stored() == set(old + gap + newer)
    assert Mention.objects.count() == len(old + gap + newer)


def test_a_walk_longer_than_the_page_bound_still_meets_the_old_cursor(
    server, source, monkeypatch
):
    # The bug of item 13: the page-number walk stopped at MAX_SEARCH_PAGE and moved
    # the cursor to the newest id, skipping everything below that page.
    monkeypatch.setattr(weibo, "MAX_SEARCH_PAGE", 3)
    old = server.add(10)
    poll(source)
    gap = server.add(50 * 6)  # six pages, twice the bound
    poll(source)
    source.refresh_from_db()
    assert stored() == set(old + gap)
    assert source.cursor == {"since_id": str(gap[-1])}


def test_a_gap_longer_than_one_poll_is_continued_across_polls(
    server, source, monkeypatch
):
    monkeypatch.setattr(polling, "MAX_PAGES_PER_POLL", 2)
    old = server.add(5)
    poll(source)
    gap = server.add(50 * 5)
    first = poll(source)
    assert not first.done
    source.refresh_from_db()
    assert source.cursor["since_id"] == str(old[-1])
    while not poll(source).done:
        pass
    source.refresh_from_db()
    assert stored() == set(old + gap)
    assert source.cursor == {"since_id": str(gap[-1])}


def test_the_first_walk_reads_a_bounded_history(server, source, monkeypatch):
    monkeypatch.setattr(weibo, "MAX_SEARCH_PAGE", 2)
    ids = server.add(50 * 4)
    poll(source)
    source.refresh_from_db()
    assert stored() == set(ids[-100:])
    assert source.cursor == {"since_id": str(ids[-1])}


def test_a_server_that_ignores_max_id_is_walked_by_page_number(settings):
    body = payload("weibo/search_topics")
    ids = sorted(int(s["idstr"]) for s in body["statuses"])
    with StubServer() as stub:
        configure(settings, "weibo", f"{stub.url}/2")
        stub.on("GET", PATH, body)
        spec = SourceSpec(platform="weibo", kind="search", query="戴尔")
        page = weibo.WeiboAdapter().fetch_page(
            spec, since_id=None, page={"max_id": str(ids[0] - 1), "depth": 1}
        )
    assert page.next_page == {"max_id": str(ids[0] - 1), "page": 2, "depth": 2}
