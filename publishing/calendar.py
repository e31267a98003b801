"""The calendar's grid: a week (days × hours) or a month (weeks × days) in the
viewer's time zone, with the posts placed in their cells."""

from __future__ import annotations

import calendar as cal
import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

WEEK_HOURS = range(6, 24)  # the week view shows 06:00–23:59 (earlier posts in 06)


@dataclass(slots=True)
class Cell:
    day: dt.date
    hour: int | None = None
    posts: list = field(default_factory=list)
    in_month: bool = True
    is_today: bool = False

    @property
    def slot(self) -> str:
        """The local time a post dropped here gets (its own minutes are kept by the
        page for the week view; the month view keeps the time of day)."""
        hour = self.hour if self.hour is not None else 0
        return f"{self.day.isoformat()}T{hour:02d}:00"


@dataclass(slots=True)
class Grid:
    view: str
    start: dt.datetime  # aware, inclusive
    end: dt.datetime  # aware, exclusive
    rows: list[list[Cell]]
    days: list[dt.date]
    previous: dt.date
    next: dt.date
    title_date: dt.date


def _midnight(day: dt.date, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=zone)


def grid_build(
    *, view: str, anchor: dt.date, zone: zoneinfo.ZoneInfo, today: dt.date
) -> Grid:
    if view == "month":
        first = anchor.replace(day=1)
        start_day = first - dt.timedelta(days=first.weekday())
        last = first.replace(day=cal.monthrange(first.year, first.month)[1])
        end_day = last + dt.timedelta(days=7 - last.weekday())
        days = [
            start_day + dt.timedelta(days=n) for n in range((end_day - start_day).days)
        ]
        rows = [
            [
                Cell(day=d, in_month=d.month == first.month, is_today=d == today)
                for d in days[i : i + 7]
            ]
            for i in range(0, len(days), 7)
        ]
        previous = (first - dt.timedelta(days=1)).replace(day=1)
        following = last + dt.timedelta(days=1)
        return Grid(
            view="month",
            start=_midnight(start_day, zone),
            end=_midnight(end_day, zone),
            rows=rows,
            days=days[:7],
            previous=previous,
            next=following,
            title_date=first,
        )
    monday = anchor - dt.timedelta(days=anchor.weekday())
    days = [monday + dt.timedelta(days=n) for n in range(7)]
    rows = [
        [Cell(day=d, hour=h, is_today=d == today) for d in days] for h in WEEK_HOURS
    ]
    return Grid(
        view="week",
        start=_midnight(monday, zone),
        end=_midnight(monday + dt.timedelta(days=7), zone),
        rows=rows,
        days=days,
        previous=monday - dt.timedelta(days=7),
        next=monday + dt.timedelta(days=7),
        title_date=monday,
    )


def grid_place(grid: Grid, posts, zone: zoneinfo.ZoneInfo) -> None:
    """Put each post in the cell of its local day (and hour, for a week)."""
    cells = {}
    for row in grid.rows:
        for cell in row:
            cells[(cell.day, cell.hour)] = cell
    for post in posts:
        local = post.scheduled_at.astimezone(zone)
        post.local_time = local
        if grid.view == "month":
            key = (local.date(), None)
        else:
            key = (local.date(), max(local.hour, WEEK_HOURS.start))
        cell = cells.get(key)
        if cell is not None:
            cell.posts.append(post)
