"""The points ledger and the leaderboard.

Each event is stored once (unique ``(kind, key)``) and added to three tallies of its
person (its week, its month, all time) in the same transaction, so the leaderboard
reads one tally row per person instead of summing millions of events.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from ..models import Profile
from ..models.advocacy import PointEvent, PointKind, PointTally, TallyPeriod

# What each thing is worth. Sharing the brand's news is cheap to do, so it earns
# less than a reply; a course passed is worth the afternoon it took.
POINTS = {
    PointKind.SHARE: 5,
    PointKind.REPLY_SENT: 10,
    PointKind.REPLY_APPROVED: 5,
    PointKind.CSAT_ANSWER: 3,
    PointKind.COUPON_REDEEMED: 8,
    PointKind.COURSE_PASSED: 20,
}
ALL_TIME_START = dt.date(2000, 1, 1)
LEADERBOARD_SIZE = 50


def period_starts(moment: dt.datetime) -> dict[str, dt.date]:
    """The week (from Monday) and month the moment falls in, in local time."""
    day = timezone.localtime(moment).date()
    return {
        TallyPeriod.WEEK: day - dt.timedelta(days=day.weekday()),
        TallyPeriod.MONTH: day.replace(day=1),
        TallyPeriod.ALL: ALL_TIME_START,
    }


def _add_to_tallies(user_id: int, points: int, moment: dt.datetime) -> None:
    table = PointTally._meta.db_table
    rows = list(period_starts(moment).items())
    values = ", ".join(["(%s, %s, %s, %s)"] * len(rows))
    params: list = []
    for period, start in rows:
        params += [user_id, period, start, points]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (user_id, period, start, points) VALUES {values} "  # noqa: S608 (table name from the model)
            f"ON CONFLICT (user_id, period, start) "
            f"DO UPDATE SET points = {table}.points + EXCLUDED.points",
            params,
        )


@transaction.atomic
def points_record(
    *,
    user_id: int,
    kind: str,
    key: str,
    occurred_at: dt.datetime | None = None,
    value: float | None = None,
) -> bool:
    """Store one event and its points; False when it was already recorded."""
    if kind not in PointKind.values:
        raise ValueError(f"unknown point kind {kind!r}")
    occurred_at = occurred_at or timezone.now()
    points = POINTS[kind]
    try:
        with transaction.atomic():
            PointEvent.objects.create(
                user_id=user_id,
                kind=kind,
                key=key[:80],
                points=points,
                value=value,
                occurred_at=occurred_at,
            )
    except IntegrityError:
        return False
    if points:
        _add_to_tallies(user_id, points, occurred_at)
    return True


@transaction.atomic
def points_record_many(*, events: list[PointEvent]) -> int:
    """Store many events at once (demo records, imports): the ones not recorded
    yet, and their points added to the tallies in one statement per tally."""
    if not events:
        return 0
    known = set(
        PointEvent.objects.filter(key__in=[e.key for e in events]).values_list(
            "kind", "key"
        )
    )
    fresh = [e for e in events if (e.kind, e.key) not in known]
    for event in fresh:
        event.points = POINTS[event.kind]
    PointEvent.objects.bulk_create(fresh)
    sums: dict[tuple[int, str, dt.date], int] = {}
    for event in fresh:
        for period, start in period_starts(event.occurred_at).items():
            key = (event.user_id, period, start)
            sums[key] = sums.get(key, 0) + event.points
    table = PointTally._meta.db_table
    rows = [(*key, points) for key, points in sums.items() if points]
    for chunk in range(0, len(rows), 500):
        part = rows[chunk : chunk + 500]
        values = ", ".join(["(%s, %s, %s, %s)"] * len(part))
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (user_id, period, start, points) VALUES {values} "
                f"ON CONFLICT (user_id, period, start) "
                f"DO UPDATE SET points = {table}.points + EXCLUDED.points",
                [v for row in part for v in row],
            )
    return len(fresh)


@dataclass(frozen=True, slots=True)
class Standing:
    rank: int
    user_id: int
    username: str
    team: str
    points: int


def leaderboard(
    *,
    period: str = TallyPeriod.WEEK,
    team_id: int | None = None,
    now: dt.datetime | None = None,
    limit: int = LEADERBOARD_SIZE,
) -> list[Standing]:
    """The top people of the current week, month or all time, overall or in one
    team (the person's team now). Two small queries: the top tallies straight from
    their index (no join to sort through), then the names of those few people."""
    if period not in TallyPeriod.values:
        raise ValueError(period)
    start = period_starts(now or timezone.now())[period]
    rows = PointTally.objects.filter(period=period, start=start, points__gt=0)
    if team_id is not None:
        members = Profile.objects.filter(team_id=team_id).values("user_id")
        rows = rows.filter(user_id__in=members)
    top = list(
        rows.order_by("-points", "user_id").values_list("user_id", "points")[:limit]
    )
    names = {
        uid: (name, team or "")
        for uid, name, team in Profile.objects.filter(
            user_id__in=[u for u, _p in top]
        ).values_list("user_id", "user__username", "team__name")
    }
    return [
        Standing(
            rank=i,
            user_id=u,
            username=names.get(u, ("", ""))[0],
            team=names.get(u, ("", ""))[1],
            points=p,
        )
        for i, (u, p) in enumerate(top, start=1)
    ]


def points_of(*, user_id: int, now: dt.datetime | None = None) -> dict[str, int]:
    starts = period_starts(now or timezone.now())
    got = {
        period: points
        for period, start, points in PointTally.objects.filter(
            user_id=user_id
        ).values_list("period", "start", "points")
        if starts.get(period) == start
    }
    return {p: got.get(p, 0) for p in TallyPeriod.values}


def rank_of(*, user_id: int, period: str, now: dt.datetime | None = None) -> int | None:
    start = period_starts(now or timezone.now())[period]
    mine = (
        PointTally.objects.filter(user_id=user_id, period=period, start=start)
        .values_list("points", flat=True)
        .first()
    )
    if not mine:
        return None
    return (
        PointTally.objects.filter(period=period, start=start, points__gt=mine).count()
        + 1
    )


def team_ids_with_people() -> list[int]:
    return list(
        Profile.objects.exclude(team=None).values_list("team_id", flat=True).distinct()
    )
