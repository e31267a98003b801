import datetime as dt

import pytest
from django.utils import timezone

from listening.adapters import MalformedPayload, RateLimited, TransientError
from listening.models import Mention, Source
from listening.services import (
    polling,
    source_lease_acquire,
    source_lease_release,
    source_poll,
    sources_claim_due,
)
from tests.listening.fakes import FakeAdapter

pytestmark = pytest.mark.django_db

OWNER = "task-1"


@pytest.fixture
def source():
    return Source.objects.create(
        name="戴尔", platform="weibo", kind="search", query="戴尔", poll_interval=60
    )


@pytest.fixture
def platform(monkeypatch):
    def install(adapter):
        monkeypatch.setattr(polling, "get_adapter", lambda platform: adapter)
        return adapter

    return install


def poll(source):
    assert source_lease_acquire(source_id=source.id, owner=OWNER)
    try:
        return source_poll(source_id=source.id, owner=OWNER)
    finally:
        source_lease_release(source_id=source.id, owner=OWNER)


def test_a_poll_walks_every_page_and_sets_the_cursor_to_the_newest(source, platform):
    platform(FakeAdapter(list(range(1, 11)), page_size=3))
    outcome = poll(source)
    source.refresh_from_db()
    assert outcome.done
    assert outcome.created == 10
    assert outcome.pages == 4
    assert source.cursor == {"since_id": "10"}
    assert Mention.objects.count() == 10
    assert source.mentions_fetched == 10


def test_polling_the_same_page_twice_creates_no_duplicate(source, platform):
    platform(FakeAdapter([1, 2, 3], page_size=5))
    poll(source)
    Source.objects.filter(id=source.id).update(cursor={})  # forget the cursor
    outcome = poll(source)
    assert outcome.created == 0
    assert outcome.known == 3
    assert Mention.objects.count() == 3


def test_next_poll_asks_only_for_newer_posts(source, platform):
    adapter = platform(FakeAdapter([1, 2, 3], page_size=5))
    poll(source)
    adapter.ids = [5, 4, 3, 2, 1]
    outcome = poll(source)
    assert adapter.calls[-1]["since_id"] == "3"
    assert outcome.created == 2


def test_the_cursor_survives_a_failed_poll(source, platform):
    ids = list(range(1, 11))
    # Page 1 (10, 9, 8) is stored; page 2 fails with garbage.
    platform(FakeAdapter(ids, page_size=3, faults=[None, MalformedPayload("garbage")]))
    outcome = poll(source)
    source.refresh_from_db()
    assert outcome.error
    assert Mention.objects.count() == 3
    # The cursor did not jump to 10: it resumes below the committed page, and the
    # walk's newest id is kept until the walk reaches the old since_id.
    assert source.cursor == {
        "since_id": None,
        "resume": {"max_id": 7},
        "pending_newest": "10",
    }
    assert source.consecutive_failures == 1
    assert "garbage" in source.last_error
    platform(FakeAdapter(ids, page_size=3))
    outcome = poll(source)
    source.refresh_from_db()
    assert Mention.objects.count() == 10
    assert source.cursor == {"since_id": "10"}
    assert source.consecutive_failures == 0


def test_a_transient_error_is_recorded_and_raised_for_retry(source, platform):
    platform(
        FakeAdapter([1], faults=[TransientError("502 Bad Gateway", http_status=502)])
    )
    with pytest.raises(TransientError):
        poll(source)
    source.refresh_from_db()
    assert source.consecutive_failures == 1
    assert source.next_poll_at > timezone.now()
    assert source.cursor == {}


def test_a_rate_limited_source_waits_until_its_reset(source, platform):
    reset = timezone.now() + dt.timedelta(minutes=7)
    adapter = platform(FakeAdapter([1, 2], faults=[RateLimited("429", reset_at=reset)]))
    outcome = poll(source)
    source.refresh_from_db()
    assert outcome.rate_limited_until == reset
    assert source.rate_limited_until == reset
    # Not dispatched before the reset...
    assert source.id not in sources_claim_due(now=reset - dt.timedelta(seconds=5))
    # ...and a poll that runs anyway does not call the platform.
    calls = len(adapter.calls)
    poll(source)
    assert len(adapter.calls) == calls
    # After the reset it is due again and polls normally.
    assert source.id in sources_claim_due(now=reset + dt.timedelta(seconds=1))
    Source.objects.filter(id=source.id).update(rate_limited_until=timezone.now())
    assert poll(source).created == 2


def test_a_long_backlog_is_continued_by_the_next_poll(source, platform, monkeypatch):
    monkeypatch.setattr(polling, "MAX_PAGES_PER_POLL", 2)
    platform(FakeAdapter(list(range(1, 11)), page_size=2))
    first = poll(source)
    assert not first.done
    assert first.created == 4
    while not poll(source).done:
        pass
    source.refresh_from_db()
    assert Mention.objects.count() == 10
    assert source.cursor == {"since_id": "10"}


def test_a_live_lease_keeps_a_second_poll_out(source):
    assert source_lease_acquire(source_id=source.id, owner="a")
    assert not source_lease_acquire(source_id=source.id, owner="b")
    # The same task (a redelivered message) may take its own lease back.
    assert source_lease_acquire(source_id=source.id, owner="a")
    Source.objects.filter(id=source.id).update(
        lease_until=timezone.now() - dt.timedelta(seconds=1)
    )
    assert source_lease_acquire(source_id=source.id, owner="b")


def test_a_poll_that_lost_its_lease_does_not_move_the_cursor(source, platform):
    platform(FakeAdapter([1, 2, 3], page_size=5))
    assert source_lease_acquire(source_id=source.id, owner="old")
    Source.objects.filter(id=source.id).update(lease_owner="new")
    with pytest.raises(polling.LeaseLost):
        source_poll(source_id=source.id, owner="old")
    source.refresh_from_db()
    assert source.cursor == {}
    assert Mention.objects.count() == 0


def test_each_due_source_is_claimed_once(source):
    now = timezone.now()
    assert sources_claim_due(now=now) == [source.id]
    assert sources_claim_due(now=now) == []
