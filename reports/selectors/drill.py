"""The cases behind one figure of a report (every chart and table links here)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce, ExtractHour, ExtractIsoWeekDay

from engagement.models import Case

from .common import DIMENSIONS, Period, key_filter_value
from .revenue import redemptions_in
from .team import _reopened, cohort

DRILL_METRICS = (
    "opened",
    "resolved",
    "reopened",
    "breached",
    "heat",
    "backlog",
    "revenue",
)


class DrillError(ValueError):
    pass


def drill_cases(
    *,
    period: Period,
    metric: str = "opened",
    dimension: str = "",
    key: str = "",
    weekday: int | None = None,
    hour: int | None = None,
    day: dt.date | None = None,
) -> QuerySet[Case]:
    """Cases in the period matching the figure; DrillError for a bad request."""
    if metric not in DRILL_METRICS:
        raise DrillError(metric)
    value = None
    if dimension:
        if dimension not in DIMENSIONS and dimension != "day":
            raise DrillError(dimension)
        try:
            value = key_filter_value(dimension, key) if dimension != "day" else None
        except (TypeError, ValueError):
            raise DrillError(key) from None
    if metric == "revenue":
        redemptions = redemptions_in(period)
        if dimension == "day":
            try:
                day = dt.date.fromisoformat(key)
            except ValueError:
                raise DrillError(key) from None
        elif dimension:
            redemptions = redemptions.filter(
                **{DIMENSIONS[dimension]["redemption"]: value}
            )
        if day is not None:
            start = dt.datetime.combine(day, dt.time(), tzinfo=period.zone)
            redemptions = redemptions.filter(
                created_at__gte=start, created_at__lt=start + dt.timedelta(days=1)
            )
        qs = Case.objects.filter(
            pk__in=redemptions.filter(case__isnull=False).values("case_id")
        )
    elif metric == "backlog":
        if day is None:
            raise DrillError("day")
        end = dt.datetime.combine(
            day + dt.timedelta(days=1), dt.time(), tzinfo=period.zone
        )
        qs = (
            Case.objects.annotate(ended=Coalesce("resolved_at", "closed_at"))
            .filter(created_at__lt=end)
            .filter(Q(ended__isnull=True) | Q(ended__gte=end))
        )
    else:
        qs = cohort(period)
        if metric == "resolved":
            qs = qs.filter(resolved_at__isnull=False)
        elif metric == "reopened":
            qs = qs.filter(_reopened())
        elif metric == "breached":
            qs = qs.filter(
                Q(first_response_breached=True) | Q(resolution_breached=True)
            )
        elif metric == "heat":
            if (
                weekday is None
                or hour is None
                or not (1 <= weekday <= 7 and 0 <= hour <= 23)
            ):
                raise DrillError("weekday/hour")
            qs = qs.annotate(
                _weekday=ExtractIsoWeekDay("created_at", tzinfo=period.zone),
                _hour=ExtractHour("created_at", tzinfo=period.zone),
            ).filter(_weekday=weekday, _hour=hour)
    if dimension and metric != "revenue":
        column = DIMENSIONS.get(dimension, {}).get("case")
        if not column:
            raise DrillError(dimension)
        qs = qs.filter(**{column: value})
    return qs.select_related("assignee", "team").order_by("-created_at", "-id")
