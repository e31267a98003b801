"""The level rules as a pure function of a person's records (no database), so the
service can compute thousands of people from a few bulk reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop


@dataclass(frozen=True, slots=True)
class LevelRule:
    rank: int
    name: str
    course_ids: frozenset[int]
    course_names: dict[int, str]
    courses_within_days: int | None
    approved_replies: int
    replies_sent: int
    min_csat: Decimal | None
    validity_days: int | None
    refresher_id: int | None


@dataclass(slots=True)
class Record:
    """What one person has done: the newest pass per course; how many replies were
    approved and sent, and when the n-th of each was (for the n the levels need);
    the CSAT answers' sum and count."""

    passes: dict[int, dt.datetime] = field(default_factory=dict)
    approved: int = 0
    approved_nth: dict[int, dt.datetime] = field(default_factory=dict)
    sent: int = 0
    sent_nth: dict[int, dt.datetime] = field(default_factory=dict)
    csat_sum: float = 0.0
    csat_count: int = 0
    revoked: bool = False


@dataclass(slots=True)
class LevelStatus:
    rank: int
    name: str
    earned_at: dt.datetime | None = None
    expires_at: dt.datetime | None = None
    expired: bool = False
    needs: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.earned_at is not None and not self.expired


@dataclass(slots=True)
class Computed:
    level: int
    state: str  # none | valid | expired | revoked
    expires_at: dt.datetime | None
    levels: list[LevelStatus]

    @property
    def next_level(self) -> LevelStatus | None:
        for status in self.levels:
            if status.rank > self.level:
                return status
        return None


def _level_status(
    rule: LevelRule,
    record: Record,
    below: LevelStatus | None,
    now: dt.datetime,
    *,
    explain: bool = True,
) -> LevelStatus:
    status = LevelStatus(rank=rule.rank, name=rule.name)
    needs = status.needs

    def need(message: str, params: dict[str, object]) -> None:
        # Recomputing everybody reads only whether something is missing: the
        # message is translated and formatted only when someone will read it.
        needs.append(_(message) % params if explain else message)

    moments: list[dt.datetime] = []
    if below is not None:
        if below.earned_at is None:
            need(gettext_noop("First: %(level)s."), {"level": below.name})
        else:
            moments.append(below.earned_at)
    passes = [record.passes.get(cid) for cid in rule.course_ids]
    for cid in sorted(rule.course_ids):
        if cid not in record.passes:
            need(
                gettext_noop("Pass the course “%(course)s”."),
                {"course": rule.course_names.get(cid, cid)},
            )
    got = [p for p in passes if p is not None]
    if got and len(got) == len(passes):
        if rule.courses_within_days is not None and max(got) - min(got) > dt.timedelta(
            days=rule.courses_within_days
        ):
            need(
                gettext_noop(
                    "Pass all the courses within %(days)d days of each other."
                ),
                {"days": rule.courses_within_days},
            )
        moments.append(max(got))
    if rule.approved_replies:
        have = record.approved
        if have < rule.approved_replies:
            need(
                gettext_noop(
                    "%(n)d more replies approved by a manager (%(have)d of %(need)d)."
                ),
                {
                    "n": rule.approved_replies - have,
                    "have": have,
                    "need": rule.approved_replies,
                },
            )
        else:
            moments.append(record.approved_nth[rule.approved_replies])
    if rule.replies_sent:
        have = record.sent
        if have < rule.replies_sent:
            need(
                gettext_noop("%(n)d more replies sent (%(have)d of %(need)d)."),
                {
                    "n": rule.replies_sent - have,
                    "have": have,
                    "need": rule.replies_sent,
                },
            )
        else:
            moments.append(record.sent_nth[rule.replies_sent])
    if rule.min_csat is not None:
        count = record.csat_count
        average = record.csat_sum / count if count else None
        if average is None or Decimal(str(round(average, 2))) < rule.min_csat:
            need(
                gettext_noop("An average CSAT of at least %(min)s (now %(avg)s)."),
                {
                    "min": rule.min_csat,
                    "avg": "-" if average is None else f"{average:.2f}",
                },
            )
    if needs:
        return status
    status.earned_at = max(moments) if moments else now
    if rule.validity_days is not None:
        base = status.earned_at
        renewed = record.passes.get(rule.refresher_id) if rule.refresher_id else None
        if renewed is not None and renewed > base:
            base = renewed
        status.expires_at = base + dt.timedelta(days=rule.validity_days)
        status.expired = status.expires_at <= now
    return status


def compute(
    rules: list[LevelRule], record: Record, now: dt.datetime, *, explain: bool = True
) -> Computed:
    """Level = the highest rank such that it and every rank below are earned and
    unexpired. A revoked person has none until reinstated."""
    statuses: list[LevelStatus] = []
    below = None
    for rule in sorted(rules, key=lambda r: r.rank):
        below = _level_status(rule, record, below, now, explain=explain)
        statuses.append(below)
    level, expires_at = 0, None
    for status in statuses:
        if not status.valid:
            break
        level, expires_at = status.rank, status.expires_at
    if record.revoked:
        return Computed(level=0, state="revoked", expires_at=None, levels=statuses)
    expired = any(s.expired for s in statuses if s.rank > level)
    if expired:
        state = "expired"
    else:
        state = "valid" if level else "none"
    return Computed(level=level, state=state, expires_at=expires_at, levels=statuses)
