"""Fixtures and a scripted platform for engagement tests (the factories are in
``tests/engagement/factories.py``)."""

from __future__ import annotations

import pytest

from listening.adapters import DuplicateContent

# The factories' old import path, kept while branches that import them from here
# merge; import them from tests.engagement.factories.
from tests.engagement.factories import (  # noqa: F401
    MONDAY_10AM,
    PASSWORD,
    SHANGHAI,
    make_mention,
    make_person,
    make_team,
)


class WorkerDied(BaseException):
    """Stands for SIGKILL: not an Exception, so nothing on the way catches it."""


class FakePlatform:
    """A platform thread store: posts replies, finds them, refuses repeats.

    ``faults``: consumed one per post_reply; an exception to raise *instead* of
    posting, "die-after-accept" to store the post and then kill the worker, or None.
    """

    platform = "weibo"

    def __init__(self, faults=None, find_faults=None) -> None:
        self.posts: list[tuple[str, str, str]] = []  # (target id, text, new id)
        self.post_calls = 0
        self.find_calls = 0
        self.faults = list(faults or [])
        self.find_faults = list(find_faults or [])

    def _existing(self, target, text):
        for target_id, posted, new_id in self.posts:
            if target_id == target.external_id and posted == text:
                return new_id
        return None

    def post_reply(self, *, target, text):
        self.post_calls += 1
        fault = self.faults.pop(0) if self.faults else None
        if isinstance(fault, BaseException):
            raise fault
        if self._existing(target, text):
            raise DuplicateContent("repeat content!", code="20019")
        new_id = f"c{len(self.posts) + 1}"
        self.posts.append((target.external_id, text, new_id))
        if fault == "die-after-accept":
            raise WorkerDied()
        return new_id

    def find_reply(self, *, target, text):
        self.find_calls += 1
        fault = self.find_faults.pop(0) if self.find_faults else None
        if isinstance(fault, BaseException):
            raise fault
        return self._existing(target, text)


@pytest.fixture
def support(db):
    return make_team("support", default=True)


@pytest.fixture
def platform(monkeypatch):
    fake = FakePlatform()
    monkeypatch.setattr(
        "engagement.services.delivery.get_adapter", lambda platform: fake
    )
    return fake
