"""What the report selectors share: the period, the dimensions a figure is grouped
by, the labels of their keys, and percentiles (PostgreSQL's percentile_cont, or the
same linear interpolation in Python)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.postgres.fields import ArrayField
from django.db.models import Aggregate, Expression, FloatField
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassadors.models import Team
from coupons.models import Campaign
from engagement.models import PRIORITY_NAMES, Priority
from listening.models import Platform

# The longest period one report covers: a year of days keeps every chart readable
# and every query bounded.
MAX_PERIOD_DAYS = 366
DEFAULT_PERIOD_DAYS = 30
NONE_KEY = "none"


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    """Whole local days, ``first`` to ``last`` inclusive."""

    first: dt.date
    last: dt.date

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)

    @property
    def since(self) -> dt.datetime:
        return dt.datetime.combine(self.first, dt.time(), tzinfo=self.zone)

    @property
    def until(self) -> dt.datetime:
        return dt.datetime.combine(
            self.last + dt.timedelta(days=1), dt.time(), tzinfo=self.zone
        )

    def days(self) -> list[dt.date]:
        return [
            self.first + dt.timedelta(days=n)
            for n in range((self.last - self.first).days + 1)
        ]

    def query(self) -> str:
        return f"start={self.first.isoformat()}&end={self.last.isoformat()}"


def period_parse(start: str | None, end: str | None) -> Period:
    """The period of ``?start=YYYY-MM-DD&end=YYYY-MM-DD`` (both optional: the last
    30 days); PeriodError with a readable reason for anything else."""
    today = timezone.localdate()
    try:
        last = dt.date.fromisoformat(end) if end else today
        first = (
            dt.date.fromisoformat(start)
            if start
            else last - dt.timedelta(days=DEFAULT_PERIOD_DAYS - 1)
        )
    except (TypeError, ValueError):
        raise PeriodError(_("Dates are written YYYY-MM-DD.")) from None
    if first > last:
        raise PeriodError(_("The start date is after the end date."))
    if (last - first).days + 1 > MAX_PERIOD_DAYS:
        raise PeriodError(
            _("A report covers at most %(days)d days.") % {"days": MAX_PERIOD_DAYS}
        )
    return Period(first=first, last=last)


# Which column of each table holds a dimension's key.
DIMENSIONS: dict[str, dict[str, str]] = {
    "ambassador": {
        "case": "assignee_id",
        "reply": "author_id",
        "response": "ambassador_id",
        "redemption": "ambassador_id",
        "code": "issued_by_id",
    },
    "team": {
        "case": "team_id",
        "reply": "case__team_id",
        "response": "case__team_id",
        "redemption": "case__team_id",
        "code": "case__team_id",
    },
    "platform": {
        "case": "platform",
        "reply": "platform",
        "response": "platform",
        "redemption": "platform",
        "code": "issued_platform",
    },
    "priority": {
        "case": "priority",
        "reply": "case__priority",
        "response": "case__priority",
        "redemption": "case__priority",
        "code": "case__priority",
    },
    "campaign": {
        "case": "",
        "redemption": "campaign_id",
        "code": "campaign_id",
    },
}
TEAM_DIMENSIONS = ("ambassador", "team", "platform", "priority")
REVENUE_DIMENSIONS = ("platform", "campaign", "team", "ambassador", "day")


def key_text(value: object) -> str:
    """A key as the API and URLs write it: ids and names as text, none as "none"."""
    if value is None or value == "":
        return NONE_KEY
    if isinstance(value, int) and value in PRIORITY_NAMES:
        return str(value)
    return str(value)


def key_labels(dimension: str, keys: Iterable[object]) -> dict[object, str]:
    """Readable names for the keys of one dimension, in one query at most."""
    present = [k for k in keys if k not in (None, "")]
    # Ids (of people, teams, campaigns) and platform names are ints and strings.
    scalars = [k for k in present if isinstance(k, int | str)]
    labels: dict[object, str] = {None: _("(none)"), "": _("(none)")}
    if dimension == "ambassador":
        users = get_user_model().objects.filter(pk__in=scalars)
        labels.update({u.pk: u.get_username() for u in users})
    elif dimension == "team":
        teams = Team.objects.filter(pk__in=scalars).values_list("pk", "name")
        labels.update(dict(teams))
    elif dimension == "campaign":
        campaigns = Campaign.objects.filter(pk__in=scalars).values_list("pk", "name")
        labels.update(dict(campaigns))
    elif dimension == "platform":
        labels.update(
            {
                k: str(Platform(k).label)
                for k in present
                if isinstance(k, str) and k in Platform
            }
        )
    elif dimension == "priority":
        labels.update(
            {
                k: str(Priority(k).label)
                for k in present
                if isinstance(k, int) and k in Priority
            }
        )
    else:
        labels.update({k: str(k) for k in present})
    return labels


def key_filter_value(dimension: str, raw: str) -> object:
    """The stored value of a key written in a URL (None for "none"); ValueError
    for a key that cannot be one of that dimension."""
    if raw == NONE_KEY:
        return None
    if dimension in ("ambassador", "team", "campaign", "priority"):
        return int(raw)
    if dimension == "platform":
        if raw not in Platform.values:
            raise ValueError(raw)
        return raw
    raise ValueError(dimension)


class Percentile(Aggregate):
    """PostgreSQL ``percentile_cont(p) WITHIN GROUP (ORDER BY expr)``: linear
    interpolation between the closest ranks, NULLs ignored."""

    function = "percentile_cont"
    name = "Percentile"
    output_field = FloatField()
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(
        self, expression: Expression | str, fraction: float, **extra: Any
    ) -> None:
        super().__init__(expression, fraction=float(fraction), **extra)


class Percentiles(Aggregate):
    """``percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY expr)``: several
    percentiles from one sort (the median and p90 cost one pass, not two)."""

    function = "percentile_cont"
    name = "Percentiles"
    template = (
        "%(function)s(ARRAY[%(fractions)s]) WITHIN GROUP (ORDER BY %(expressions)s)"
    )

    def __init__(
        self, expression: Expression | str, fractions: tuple[float, ...], **extra: Any
    ) -> None:
        super().__init__(
            expression,
            fractions=", ".join(str(float(f)) for f in fractions),
            output_field=ArrayField(FloatField()),
            **extra,
        )


def percentile(values: list[float], fraction: float) -> float | None:
    """The same figure as percentile_cont, for the SQLite demo and the tests."""
    values = [v for v in values if v is not None]
    if not values:
        return None
    return float(np.percentile(values, fraction * 100, method="linear"))


def rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def is_postgres() -> bool:
    return bool(settings.IS_POSTGRES)
