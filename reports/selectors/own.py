"""An ambassador's own figures: their row of the team and revenue reports."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User

from .common import Period
from .revenue import RevenueRow, revenue_rows
from .team import TeamRow, team_rows


@dataclass
class OwnFigures:
    team: TeamRow
    revenue: RevenueRow


def own_figures(*, user: User, period: Period) -> OwnFigures:
    key = str(user.pk)
    team = next(
        (r for r in team_rows(period=period, group_by="ambassador")[0] if r.key == key),
        TeamRow(key=key, label=user.get_username()),
    )
    revenue = next(
        (
            r
            for r in revenue_rows(period=period, group_by="ambassador")[0]
            if r.key == key
        ),
        RevenueRow(key=key, label=user.get_username()),
    )
    return OwnFigures(team=team, revenue=revenue)
