"""Business time: seconds inside the working week (REPORTS_WORK_DAYS, from
REPORTS_WORK_START to REPORTS_WORK_END o'clock, in TIME_ZONE), holidays not counted.

The length of [a, b) in business time is ``clock(b) - clock(a)``, where ``clock(t)``
counts the business seconds from a fixed Monday to ``t``. The same closed form is
written in Python (tests, SQLite) and in SQL (PostgreSQL, so that the team report
aggregates 200,000 cases without fetching them).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.conf import settings

# A Monday before any data: the origin of the business clock.
EPOCH = dt.date(2000, 1, 3)


@dataclass(frozen=True)
class WorkWeek:
    days: tuple[int, ...]  # datetime.weekday() numbers
    start_hour: int
    end_hour: int
    time_zone: str

    @property
    def day_seconds(self) -> int:
        return max(0, self.end_hour - self.start_hour) * 3600

    def days_before(self, weekday: int) -> int:
        return sum(1 for d in self.days if d < weekday)


def work_week() -> WorkWeek:
    return WorkWeek(
        days=tuple(sorted(set(settings.REPORTS_WORK_DAYS))),
        start_hour=settings.REPORTS_WORK_START,
        end_hour=settings.REPORTS_WORK_END,
        time_zone=settings.TIME_ZONE,
    )


def business_clock(at: dt.datetime, week: WorkWeek | None = None) -> int:
    week = week or work_week()
    local = at.astimezone(zoneinfo.ZoneInfo(week.time_zone))
    days = (local.date() - EPOCH).days
    weeks, weekday = divmod(days, 7)
    seconds_of_day = local.hour * 3600 + local.minute * 60 + local.second
    today = 0
    if weekday in week.days:
        today = min(max(seconds_of_day - week.start_hour * 3600, 0), week.day_seconds)
    return (
        weeks * len(week.days) * week.day_seconds
        + week.days_before(weekday) * week.day_seconds
        + today
    )


def business_seconds(start: dt.datetime, end: dt.datetime) -> int:
    week = work_week()
    return max(0, business_clock(end, week) - business_clock(start, week))


def fixed_offset_seconds(zone: str, around: dt.datetime, days: int) -> int | None:
    """The zone's UTC offset in seconds if it is the same on every day of
    ``around`` ± ``days`` (Asia/Shanghai, UTC...), else None (a zone with summer
    time: its local time needs PostgreSQL's AT TIME ZONE, several times slower)."""
    tz = zoneinfo.ZoneInfo(zone)
    offsets = {
        (around + dt.timedelta(days=n)).astimezone(tz).utcoffset()
        for n in range(-days, days + 1)
    }
    if len(offsets) != 1:
        return None
    (offset,) = offsets
    return int(offset.total_seconds()) if offset is not None else None


def local_epoch_sql(column: str, week: WorkWeek, offset: int | None) -> str:
    """SQL: the local wall-clock time of a timestamptz column, as seconds since
    1970-01-01 00:00 local (double precision: cheaper than numeric EXTRACT)."""
    if offset is not None:
        return f"(date_part('epoch', {column}) + {offset})"
    zoneinfo.ZoneInfo(week.time_zone)  # raises for an unknown zone
    zone = week.time_zone.replace("'", "")
    return f"date_part('epoch', ({column}) AT TIME ZONE '{zone}')"


# Days from 1970-01-01 (the local epoch's origin) to EPOCH, the clock's Monday.
EPOCH_DAYS = (EPOCH - dt.date(1970, 1, 1)).days


def business_clock_sql(local: str, week: WorkWeek | None = None) -> str:
    """SQL (PostgreSQL) for ``business_clock`` of a local time written by
    ``local_epoch_sql`` (a trusted expression: column names and settings only)."""
    week = week or work_week()
    days = f"(floor({local} / 86400) - {EPOCH_DAYS})"
    weekday = f"mod({days}::int, 7)"
    seconds = f"({local} - floor({local} / 86400) * 86400)"
    before = ",".join(str(week.days_before(d)) for d in range(7))
    work_days = ",".join(str(d) for d in week.days) or "-1"
    today = (
        f"CASE WHEN {weekday} IN ({work_days}) THEN LEAST(GREATEST({seconds} - "
        f"{week.start_hour * 3600}, 0), {week.day_seconds}) ELSE 0 END"
    )
    return (
        f"(floor({days} / 7) * {len(week.days) * week.day_seconds}"
        f" + (ARRAY[{before}])[1 + {weekday}] * {week.day_seconds} + {today})"
    )


def business_duration_sql(start_local: str, end_local: str) -> str:
    """SQL: business seconds from one local time (``local_epoch_sql``) to another;
    NULL when either is NULL."""
    week = work_week()
    # GREATEST ignores NULLs: a case not yet answered must stay NULL, not 0.
    return (
        f"CASE WHEN {end_local} IS NULL OR {start_local} IS NULL THEN NULL ELSE "
        f"GREATEST({business_clock_sql(end_local, week)}"
        f" - {business_clock_sql(start_local, week)}, 0) END"
    )
