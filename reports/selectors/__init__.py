"""Reads of the reports: they only read the other apps' tables, never write."""

from .common import (
    DIMENSIONS,
    REVENUE_DIMENSIONS,
    TEAM_DIMENSIONS,
    Period,
    PeriodError,
    period_parse,
)
from .revenue import RevenueReport, revenue_report, revenue_rows
from .team import TeamReport, team_report, team_rows

__all__ = [
    "DIMENSIONS",
    "REVENUE_DIMENSIONS",
    "TEAM_DIMENSIONS",
    "Period",
    "PeriodError",
    "RevenueReport",
    "TeamReport",
    "period_parse",
    "revenue_report",
    "revenue_rows",
    "team_report",
    "team_rows",
]
