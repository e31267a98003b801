"""People, mentions and a scripted platform for engagement tests."""

from __future__ import annotations

import datetime as dt
import itertools
import zoneinfo

import pytest

from ambassadors.demo import records_seed
from ambassadors.models import Certification, Role, Skill, Team
from ambassadors.services import profile_update, user_create
from listening.adapters import DuplicateContent
from listening.models import Author, Mention

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
# A Monday, 10:00 in Beijing: inside the default working hours.
MONDAY_10AM = dt.datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)
PASSWORD = "pw-123456789"

_ids = itertools.count(1)


def make_team(slug: str = "support", *, default: bool = True) -> Team:
    team, _ = Team.objects.get_or_create(
        slug=slug, defaults={"name": slug.title(), "is_default": default}
    )
    return team


def make_person(
    username: str,
    *,
    role: str = Role.AMBASSADOR,
    team: Team | None = None,
    languages=("zh", "en"),
    platforms=("weibo", "twitter", "renren"),
    skills=(),
    certification: int = Certification.PROFESSIONAL,
    capacity: int = 10,
    availability: str = "available",
    signature: str | None = None,
    **fields,
):
    user = user_create(username=username, password=PASSWORD, role=role)
    for slug in skills:
        Skill.objects.get_or_create(slug=slug, defaults={"name": slug})
    profile_update(
        profile=user.profile,
        team=team,
        languages=list(languages),
        capacity=capacity,
        availability=availability,
        disclosure_signature=signature if signature is not None else f"—{username}",
        skills=list(skills),
        handles={p: f"{username}_{p}" for p in platforms},
        **fields,
    )
    # Levels are earned: the records of ``certification`` (quiz passes, approved
    # replies...), and the current policy accepted.
    records_seed(user=user, level=certification if role == Role.AMBASSADOR else 0)
    user.refresh_from_db()
    return user


def make_mention(
    *,
    platform: str = "weibo",
    author: str = "fan1",
    followers: int = 100,
    text: str = "戴尔电脑怎么样",
    language: str = "zh",
    sentiment: str = "neutral",
    intent: str = "question",
    brands=("dell",),
    products=(),
    keywords=(),
    priority: float = 50.0,
    thread: str = "",
    external_id: str | None = None,
    created_at: dt.datetime | None = None,
) -> Mention:
    author_row, _ = Author.objects.update_or_create(
        platform=platform,
        external_id=author,
        defaults={"screen_name": author, "followers_count": followers},
    )
    external_id = external_id or str(1_000_000 + next(_ids))
    return Mention.objects.create(
        platform=platform,
        external_id=external_id,
        author=author_row,
        text=text,
        language=language,
        created_at=created_at or MONDAY_10AM,
        thread_external_id=thread or external_id,
        sentiment_label=sentiment,
        sentiment=-0.8 if sentiment == "negative" else 0.1,
        intent=intent,
        brands=list(brands),
        products=list(products),
        keywords=list(keywords),
        priority=priority,
        analyzed_at=created_at or MONDAY_10AM,
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


@pytest.fixture
def sent_tasks(monkeypatch):
    """Tasks sent to the broker (by name and args) instead of sending them."""
    sent: list[tuple[str, list]] = []
    monkeypatch.setattr(
        "dellsocial.celery.app.send_task",
        lambda name, args=None, **kw: sent.append((name, list(args or []))),
    )
    return sent
