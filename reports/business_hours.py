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


def business_clock_sql(column: str, week: WorkWeek | None = None) -> str:
    """SQL (PostgreSQL) for ``business_clock`` of a timestamptz column.

    ``column`` is a trusted, quoted column reference written by the caller; the
    time zone comes from settings and is checked against the zone database.
    """
    week = week or work_week()
    zoneinfo.ZoneInfo(week.time_zone)  # raises for an unknown zone
    zone = week.time_zone.replace("'", "")
    local = f"({column} AT TIME ZONE '{zone}')"
    days = f"(({local})::date - DATE '{EPOCH.isoformat()}')"
    weekday = f"MOD({days}, 7)"
    seconds = f"EXTRACT(EPOCH FROM ({local})::time)"
    before = " ".join(f"WHEN {d} THEN {week.days_before(d)}" for d in range(7))
    work_days = ",".join(str(d) for d in week.days) or "-1"
    today = (
        f"CASE WHEN {weekday} IN ({work_days}) THEN LEAST(GREATEST({seconds} - "
        f"{week.start_hour * 3600}, 0), {week.day_seconds}) ELSE 0 END"
    )
    return (
        f"(FLOOR(({days}) / 7) * {len(week.days) * week.day_seconds}"
        f" + (CASE {weekday} {before} END) * {week.day_seconds} + {today})"
    )


def business_duration_sql(start_column: str, end_column: str) -> str:
    week = work_week()
    # GREATEST ignores NULLs: a case not yet answered must stay NULL, not 0.
    return (
        f"CASE WHEN {end_column} IS NULL OR {start_column} IS NULL THEN NULL ELSE "
        f"GREATEST({business_clock_sql(end_column, week)}"
        f" - {business_clock_sql(start_column, week)}, 0) END"
    )
