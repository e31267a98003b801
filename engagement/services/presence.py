"""Who else is on a case right now: viewing it, or writing a reply (collision
detection). Kept in the cache (Redis in production), not the database: it is
ephemeral, every open case page refreshes it every few seconds, and an entry not
refreshed for PRESENCE_TTL seconds is gone."""

from __future__ import annotations

import time

from django.contrib.auth.models import User
from django.core.cache import cache

# A page refreshes its presence every PRESENCE_REFRESH seconds; an entry older
# than PRESENCE_TTL belongs to a closed tab.
PRESENCE_REFRESH = 5
PRESENCE_TTL = 20
VIEWING = "viewing"
COMPOSING = "composing"
STATES = (VIEWING, COMPOSING)


def _key(case_id: int) -> str:
    return f"desk:presence:{case_id}"


def case_presence_touch(
    *, case_id: int, user: User, state: str, now: float | None = None
) -> None:
    """Record that ``user`` views (or composes on) the case now."""
    now = now if now is not None else time.time()
    state = state if state in STATES else VIEWING
    entries = {
        uid: e
        for uid, e in (cache.get(_key(case_id)) or {}).items()
        if now - e["at"] < PRESENCE_TTL
    }
    entries[user.pk] = {"name": user.get_username(), "state": state, "at": now}
    cache.set(_key(case_id), entries, PRESENCE_TTL)


def case_presence_leave(*, case_id: int, user: User) -> None:
    entries = dict(cache.get(_key(case_id)) or {})
    if entries.pop(user.pk, None) is not None:
        cache.set(_key(case_id), entries, PRESENCE_TTL)


def case_presence_others(
    *, case_id: int, user: User, now: float | None = None
) -> list[dict[str, str]]:
    """The other people on the case now: [{"name", "state"}], composers first."""
    now = now if now is not None else time.time()
    others = [
        {"name": e["name"], "state": e["state"]}
        for uid, e in (cache.get(_key(case_id)) or {}).items()
        if uid != user.pk and now - e["at"] < PRESENCE_TTL
    ]
    return sorted(others, key=lambda e: (e["state"] != COMPOSING, e["name"]))
