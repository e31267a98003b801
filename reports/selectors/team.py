"""Team performance: how well cases are answered, per ambassador, team, platform or
priority, for the cases created in a period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import (
    Coalesce,
    ExtractHour,
    ExtractIsoWeekDay,
    TruncDate,
)

from engagement.models import ACTIVE_STATUSES, Case, CaseEvent, CaseStatus, Reply
from surveys.selectors import Scores, scores_by

from ..business_hours import (
    business_duration_sql,
    business_seconds,
    fixed_offset_seconds,
    local_epoch_sql,
    work_week,
)
from .common import (
    DIMENSIONS,
    Percentile,
    Period,
    is_postgres,
    key_labels,
    key_text,
    percentile,
    rate,
)

# The breaches listed under the report (the drill-down lists them all).
BREACHES_LISTED = 50
CASE = '"engagement_case"'
REPLY = '"engagement_reply"'

# figure name → (start column, end column) of a duration on the case.
DURATIONS = {
    "first_response": ("created_at", "first_responded_at"),
    "resolution": ("created_at", "resolved_at"),
}


@dataclass
class TeamRow:
    key: str
    label: str
    cases_opened: int = 0
    cases_resolved: int = 0
    cases_reopened: int = 0
    first_response_median_s: float | None = None
    first_response_p90_s: float | None = None
    first_response_business_median_s: float | None = None
    first_response_business_p90_s: float | None = None
    resolution_median_s: float | None = None
    resolution_p90_s: float | None = None
    resolution_business_median_s: float | None = None
    resolution_business_p90_s: float | None = None
    sla_first_response_hit_rate: float | None = None
    sla_first_response_breaches: int = 0
    sla_resolution_hit_rate: float | None = None
    sla_resolution_breaches: int = 0
    replies_sent: int = 0
    approval_turnaround_median_s: float | None = None
    approval_turnaround_p90_s: float | None = None
    survey_responses: int = 0
    csat: int | None = None
    nps: int | None = None


COLUMNS = list(TeamRow.__dataclass_fields__)


@dataclass
class TeamReport:
    period: Period
    group_by: str
    rows: list[TeamRow]
    total: TeamRow
    breaches: list[Case] = field(default_factory=list)
    backlog: list[tuple[dt.date, int]] = field(default_factory=list)
    # heatmap[weekday 1..7][hour 0..23] = cases created
    heatmap: list[list[int]] = field(default_factory=list)


def cohort(period: Period) -> QuerySet[Case]:
    """The cases a period's team report is about: those created in it."""
    return Case.objects.filter(
        created_at__gte=period.since, created_at__lt=period.until
    )


def _reopened() -> Exists:
    return Exists(
        CaseEvent.objects.filter(
            case_id=OuterRef("pk"),
            kind=CaseEvent.Kind.STATUS_CHANGED,
            data__previous__in=[CaseStatus.RESOLVED, CaseStatus.CLOSED],
            data__status__in=[s.value for s in ACTIVE_STATUSES],
        )
    )


def _wall_sql(table: str, start: str, end: str) -> str:
    return f'EXTRACT(EPOCH FROM ({table}."{end}" - {table}."{start}"))'


def _sla_counts() -> dict[str, Any]:
    fr_due = Q(first_response_due_at__isnull=False) & (
        Q(first_responded_at__isnull=False) | Q(first_response_breached=True)
    )
    res_due = Q(resolution_due_at__isnull=False) & (
        Q(resolved_at__isnull=False) | Q(resolution_breached=True)
    )
    return {
        "fr_due": Count("id", filter=fr_due),
        "fr_breached": Count("id", filter=fr_due & Q(first_response_breached=True)),
        "res_due": Count("id", filter=res_due),
        "res_breached": Count("id", filter=res_due & Q(resolution_breached=True)),
    }


def _case_aggregates() -> dict[str, Any]:
    """The counts per key without PostgreSQL (the SQLite demo; the durations are
    added by ``_python_durations``)."""
    return {
        "opened": Count("id"),
        "resolved": Count("id", filter=Q(resolved_at__isnull=False)),
        **_sla_counts(),
    }


# The columns a team report may group cases by (DIMENSIONS' "case" entries): the
# panel's SQL names only these.
CASE_KEY_COLUMNS = {"assignee_id", "team_id", "platform", "priority"}
# Sorting 200,000 durations for the percentiles spills to disk at PostgreSQL's
# default work_mem (4 MB); this much keeps the panel's sorts in memory.
PANEL_WORK_MEM = "64MB"
# A case's resolution can come months after it was opened: the fixed-offset check
# of the time zone covers that far around the period.
OFFSET_CHECK_DAYS = 400


def _case_panel_sql(column: str, period: Period) -> str:
    """One query for the whole case panel: every count, SLA figure and duration
    percentile, per key and in total (GROUPING SETS), from one scan of the
    period's cases. The local times are computed once per row (the inner
    query's OFFSET 0 keeps PostgreSQL from inlining them into every use)."""
    if column not in CASE_KEY_COLUMNS:
        raise ValueError(column)
    week = work_week()
    offset = fixed_offset_seconds(week.time_zone, period.since, OFFSET_CHECK_DAYS)
    local = {
        c: local_epoch_sql(f'"{c}"', week, offset)
        for c in ("created_at", "first_responded_at", "resolved_at")
    }
    fr_due = (
        "first_response_due_at IS NOT NULL AND (first_responded_at IS NOT NULL"
        " OR first_response_breached)"
    )
    res_due = (
        "resolution_due_at IS NOT NULL AND (resolved_at IS NOT NULL"
        " OR resolution_breached)"
    )
    durations = {
        "first_response_wall": "fr_end - start",
        "resolution_wall": "res_end - start",
        "first_response_business": business_duration_sql("l_start", "l_fr"),
        "resolution_business": business_duration_sql("l_start", "l_res"),
    }
    # The grouping sets feed each row to two groups: the durations are computed
    # once, in the middle query, not once per group.
    computed = ", ".join(f"{expr} AS {name}" for name, expr in durations.items())
    percentiles = ", ".join(
        f"percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY {name}) AS {name}"
        for name in durations
    )
    return f"""
        SELECT k, GROUPING(k) AS is_total,
            count(*) AS opened,
            count(*) FILTER (WHERE resolved) AS resolved,
            count(*) FILTER (WHERE fr_due) AS fr_due,
            count(*) FILTER (WHERE fr_due AND first_response_breached)
                AS fr_breached,
            count(*) FILTER (WHERE res_due) AS res_due,
            count(*) FILTER (WHERE res_due AND resolution_breached)
                AS res_breached,
            {percentiles}
        FROM (
            SELECT k, resolved, fr_due, first_response_breached, res_due,
                resolution_breached, {computed}
            FROM (
                SELECT "{column}" AS k, resolved_at IS NOT NULL AS resolved,
                    {fr_due} AS fr_due, first_response_breached,
                    {res_due} AS res_due, resolution_breached,
                    date_part('epoch', created_at) AS start,
                    date_part('epoch', first_responded_at) AS fr_end,
                    date_part('epoch', resolved_at) AS res_end,
                    {local["created_at"]} AS l_start,
                    {local["first_responded_at"]} AS l_fr,
                    {local["resolved_at"]} AS l_res
                FROM {CASE}
                WHERE created_at >= %s AND created_at < %s
                OFFSET 0
            ) times
            OFFSET 0
        ) cases
        GROUP BY GROUPING SETS ((k), ())
    """


def _case_panel(
    period: Period, column: str
) -> tuple[dict[object, dict[str, Any]], dict[str, Any]]:
    """The case figures per key of ``column``, and in total."""
    sql = _case_panel_sql(column, period)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL work_mem = '{PANEL_WORK_MEM}'")
        cursor.execute(sql, [period.since, period.until])
        names = [c.name for c in cursor.description]
        rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    by_key: dict[object, dict[str, Any]] = {}
    total: dict[str, Any] = dict(_EMPTY_CASE_AGG)
    for row in rows:
        is_total = row.pop("is_total")
        key = row.pop("k")
        figures = _unpack(row)
        if is_total:
            total.update(figures)
        else:
            by_key[key] = figures
    return by_key, total


def _unpack(agg: dict[str, Any]) -> dict[str, Any]:
    """The [median, p90] arrays as the row's named figures."""
    for name in DURATIONS:
        for kind, prefix in (("wall", ""), ("business", "business_")):
            pair = agg.pop(f"{name}_{kind}", None) or [None, None]
            agg[f"{name}_{prefix}median_s"] = pair[0]
            agg[f"{name}_{prefix}p90_s"] = pair[1]
    return agg


def _reopened_by(period: Period, column: str | None) -> dict[object, int]:
    """Cases of the period reopened at least once (resolved or closed, then active
    again), per key: one grouped query over the history, not a subquery per case."""
    events = CaseEvent.objects.filter(
        kind=CaseEvent.Kind.STATUS_CHANGED,
        data__previous__in=[CaseStatus.RESOLVED, CaseStatus.CLOSED],
        data__status__in=[s.value for s in ACTIVE_STATUSES],
        case__created_at__gte=period.since,
        case__created_at__lt=period.until,
    )
    if column is None:
        return {None: events.values("case_id").distinct().count()}
    key = f"case__{column}"
    return {
        row[key]: row["n"]
        for row in events.values(key)
        .annotate(n=Count("case_id", distinct=True))
        .order_by()
    }


def _python_durations(qs: QuerySet[Case], column: str) -> dict[object, dict[str, Any]]:
    """The duration percentiles without PostgreSQL (the SQLite demo)."""
    samples: dict[object, dict[str, list[float]]] = {}
    fields = {c for pair in DURATIONS.values() for c in pair}
    for row in qs.values(column, *fields):
        bucket = samples.setdefault(row[column], {})
        for name, (start, end) in DURATIONS.items():
            if row[end] is None:
                continue
            wall = (row[end] - row[start]).total_seconds()
            bucket.setdefault(name, []).append(wall)
            bucket.setdefault(f"{name}_business", []).append(
                business_seconds(row[start], row[end])
            )
    result: dict[object, dict[str, Any]] = {}
    for key, bucket in samples.items():
        figures = result.setdefault(key, {})
        for name, values in bucket.items():
            figures[f"{name}_median_s"] = percentile(values, 0.5)
            figures[f"{name}_p90_s"] = percentile(values, 0.9)
    return result


def _fill_cases(row: TeamRow, agg: dict[str, Any]) -> None:
    row.cases_opened = agg["opened"]
    row.cases_resolved = agg["resolved"]
    row.cases_reopened = agg["reopened"]
    row.sla_first_response_breaches = agg["fr_breached"]
    row.sla_first_response_hit_rate = rate(
        agg["fr_due"] - agg["fr_breached"], agg["fr_due"]
    )
    row.sla_resolution_breaches = agg["res_breached"]
    row.sla_resolution_hit_rate = rate(
        agg["res_due"] - agg["res_breached"], agg["res_due"]
    )
    for name in DURATIONS:
        for suffix in ("median_s", "p90_s", "business_median_s", "business_p90_s"):
            attr = f"{name}_{suffix}"
            if attr in agg:
                value = agg[attr]
                setattr(row, attr, round(value, 1) if value is not None else None)


def _reply_aggregates(
    period: Period, column: str | None
) -> dict[object, dict[str, Any]]:
    """Replies sent and approval turnaround per key (``column`` None: in total,
    under the key None)."""
    sent = Reply.objects.filter(sent_at__gte=period.since, sent_at__lt=period.until)
    reviewed = Reply.objects.filter(
        reviewed_at__gte=period.since, reviewed_at__lt=period.until
    ).exclude(approval_reason="")
    if column is None:
        # One group for everything.
        sent = sent.annotate(_all=RawSQL("1", []))
        reviewed = reviewed.annotate(_all=RawSQL("1", []))
        column = "_all"
        fold = {1: None}
    else:
        fold = {}
    result: dict[object, dict[str, Any]] = {}
    for row in sent.values(column).annotate(n=Count("id")).order_by():
        key = fold.get(row[column], row[column])
        result.setdefault(key, {})["replies_sent"] = row["n"]
    if is_postgres():
        wait = RawSQL(_wall_sql(REPLY, "created_at", "reviewed_at"), [])  # noqa: S611
        rows = (
            reviewed.values(column)
            .annotate(med=Percentile(wait, 0.5), p90=Percentile(wait, 0.9))
            .order_by()
        )
        for row in rows:
            bucket = result.setdefault(fold.get(row[column], row[column]), {})
            bucket["approval_turnaround_median_s"] = _round(row["med"])
            bucket["approval_turnaround_p90_s"] = _round(row["p90"])
    else:
        waits: dict[object, list[float]] = {}
        for row in reviewed.values(column, "created_at", "reviewed_at"):
            waits.setdefault(fold.get(row[column], row[column]), []).append(
                (row["reviewed_at"] - row["created_at"]).total_seconds()
            )
        for key, values in waits.items():
            bucket = result.setdefault(key, {})
            bucket["approval_turnaround_median_s"] = _round(percentile(values, 0.5))
            bucket["approval_turnaround_p90_s"] = _round(percentile(values, 0.9))
    return result


# The reply columns a report groups by (DIMENSIONS' "reply" entries), as SQL.
REPLY_KEY_SQL = {
    "author_id": f'{REPLY}."author_id"',
    "platform": f'{REPLY}."platform"',
    "case__team_id": f'{CASE}."team_id"',
    "case__priority": f'{CASE}."priority"',
}


def _reply_panel(
    period: Period, column: str
) -> tuple[dict[object, dict[str, Any]], dict[str, Any]]:
    """Replies sent and approval turnaround per key and in total: one query, one
    scan of the replies sent or reviewed in the period (PostgreSQL)."""
    key = REPLY_KEY_SQL[column]
    join = (
        f'JOIN {CASE} ON {CASE}."id" = {REPLY}."case_id"'
        if column.startswith("case__")
        else ""
    )
    sent = f'{REPLY}."sent_at" >= %s AND {REPLY}."sent_at" < %s'
    reviewed = (
        f'{REPLY}."reviewed_at" >= %s AND {REPLY}."reviewed_at" < %s'
        f" AND {REPLY}.\"approval_reason\" <> ''"
    )
    wait = (
        f"date_part('epoch', {REPLY}.\"reviewed_at\")"
        f" - date_part('epoch', {REPLY}.\"created_at\")"
    )
    sql = f"""
        SELECT {key} AS k, GROUPING({key}) AS is_total,
            count(*) FILTER (WHERE {sent}) AS replies_sent,
            percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY {wait})
                FILTER (WHERE {reviewed}) AS turnaround
        FROM {REPLY} {join}
        WHERE ({sent}) OR ({reviewed})
        GROUP BY GROUPING SETS (({key}), ())
    """
    window = [period.since, period.until]
    with connection.cursor() as cursor:
        cursor.execute(sql, window * 4)
        rows = cursor.fetchall()
    by_key: dict[object, dict[str, Any]] = {}
    total: dict[str, Any] = {}
    for k, is_total, n, turnaround in rows:
        med, p90 = turnaround or (None, None)
        figures = {
            "replies_sent": n,
            "approval_turnaround_median_s": _round(med),
            "approval_turnaround_p90_s": _round(p90),
        }
        if is_total:
            total = figures
        else:
            by_key[k] = figures
    return by_key, total


def _round(value: float | None) -> float | None:
    return round(value, 1) if value is not None else None


def team_rows(*, period: Period, group_by: str) -> tuple[list[TeamRow], TeamRow]:
    """One row per key of ``group_by``, and the total over all cases."""
    columns = DIMENSIONS[group_by]
    case_column = columns["case"]
    qs = cohort(period)
    if is_postgres():
        by_key, total_agg = _case_panel(period, case_column)
    else:
        aggregates = _case_aggregates()
        by_key = {
            row[case_column]: row
            for row in qs.values(case_column).annotate(**aggregates).order_by()
        }
        total_agg = qs.aggregate(**aggregates)
        for key, figures in _python_durations(qs, case_column).items():
            by_key.setdefault(key, {}).update(figures)
        total_agg.update(_python_total(qs))
    for key, n in _reopened_by(period, case_column).items():
        by_key.setdefault(key, {})["reopened"] = n
    total_agg["reopened"] = _reopened_by(period, None)[None]
    if is_postgres():
        replies, replies_total = _reply_panel(period, columns["reply"])
    else:
        replies = _reply_aggregates(period, columns["reply"])
        replies_total = _reply_aggregates(period, None).get(None, {})
    surveys = scores_by(since=period.since, until=period.until, key=columns["response"])
    surveys_total = scores_by(since=period.since, until=period.until, key=None)[None]
    keys = set(by_key) | set(replies) | set(surveys)
    labels = key_labels(group_by, keys)
    rows = []
    for key in keys:
        row = TeamRow(key=key_text(key), label=labels.get(key, str(key)))
        if key in by_key:
            _fill_cases(row, {**_EMPTY_CASE_AGG, **by_key[key]})
        for attr, value in replies.get(key, {}).items():
            setattr(row, attr, value)
        if key in surveys:
            _fill_scores(row, surveys[key])
        rows.append(row)
    rows.sort(key=lambda r: (-r.cases_opened, r.label))
    total = TeamRow(key="total", label="")
    _fill_cases(total, {**_EMPTY_CASE_AGG, **total_agg})
    for attr, value in replies_total.items():
        setattr(total, attr, value)
    _fill_scores(total, surveys_total)
    return rows, total


_EMPTY_CASE_AGG = {
    "opened": 0,
    "resolved": 0,
    "reopened": 0,
    "fr_due": 0,
    "fr_breached": 0,
    "res_due": 0,
    "res_breached": 0,
}


def _python_total(qs: QuerySet[Case]) -> dict[str, Any]:
    return _python_durations(qs.annotate(_all=RawSQL("1", [])), "_all").get(1, {})


def _fill_scores(row: TeamRow, scores: Scores) -> None:
    row.survey_responses = scores.responses
    row.csat = scores.csat
    row.nps = scores.nps


def breaches(*, period: Period, limit: int = BREACHES_LISTED) -> list[Case]:
    return list(
        cohort(period)
        .filter(Q(first_response_breached=True) | Q(resolution_breached=True))
        .select_related("assignee", "team")
        .order_by("created_at", "id")[:limit]
    )


def _local_day_sql(column: str, period: Period) -> str:
    """SQL: the local day of a timestamptz column, as days since 1970-01-01."""
    week = work_week()
    offset = fixed_offset_seconds(week.time_zone, period.since, OFFSET_CHECK_DAYS)
    return f"floor({local_epoch_sql(column, week, offset)} / 86400)::int"


def _day_number(day: dt.date) -> int:
    return (day - dt.date(1970, 1, 1)).days


def backlog(*, period: Period) -> list[tuple[dt.date, int]]:
    """Active cases at the end of each day: those created by then and not yet
    resolved or closed by then (the current end of each case is used)."""
    if not is_postgres():
        return _python_backlog(period=period)
    ended = 'COALESCE("resolved_at", "closed_at")'
    # One scan of the cases open at some point of the period: the baseline (open
    # when it began), and per local day those created and those ended in it.
    sql = f"""
        WITH c AS (
            SELECT created_at, {ended} AS ended_at FROM {CASE}
            WHERE created_at < %(until)s
                AND ({ended} IS NULL OR {ended} >= %(since)s)
        )
        SELECT 0 AS kind, NULL AS day, count(*) FROM c WHERE created_at < %(since)s
        UNION ALL
        SELECT 1, {_local_day_sql("created_at", period)}, count(*) FROM c
            WHERE created_at >= %(since)s GROUP BY 2
        UNION ALL
        SELECT 2, {_local_day_sql("ended_at", period)}, count(*) FROM c
            WHERE ended_at < %(until)s GROUP BY 2
    """
    created: dict[int, int] = {}
    closed: dict[int, int] = {}
    baseline = 0
    with connection.cursor() as cursor:
        cursor.execute(sql, {"since": period.since, "until": period.until})
        for kind, day, n in cursor.fetchall():
            if kind == 0:
                baseline = n
            elif kind == 1:
                created[day] = n
            else:
                closed[day] = n
    running = baseline
    series = []
    for day in period.days():
        number = _day_number(day)
        running += created.get(number, 0) - closed.get(number, 0)
        series.append((day, running))
    return series


def _python_backlog(*, period: Period) -> list[tuple[dt.date, int]]:
    ended = Coalesce("resolved_at", "closed_at")
    zone = period.zone
    baseline = (
        Case.objects.filter(created_at__lt=period.since)
        .annotate(ended=ended)
        .filter(Q(ended__isnull=True) | Q(ended__gte=period.since))
        .count()
    )
    created = dict(
        cohort(period)
        .annotate(day=TruncDate("created_at", tzinfo=zone))
        .values("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
        .order_by()
    )
    closed = dict(
        Case.objects.annotate(ended=ended)
        .filter(ended__gte=period.since, ended__lt=period.until)
        .annotate(day=TruncDate("ended", tzinfo=zone))
        .values("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
        .order_by()
    )
    running = baseline
    series = []
    for day in period.days():
        running += created.get(day, 0) - closed.get(day, 0)
        series.append((day, running))
    return series


def heatmap(*, period: Period) -> list[list[int]]:
    """Cases created per ISO weekday (rows 0..6 = Monday..Sunday) and local hour."""
    grid = [[0] * 24 for _ in range(7)]
    if is_postgres():
        week = work_week()
        offset = fixed_offset_seconds(week.time_zone, period.since, OFFSET_CHECK_DAYS)
        local = local_epoch_sql('"created_at"', week, offset)
        # 1970-01-01 was a Thursday (ISO weekday 4): weekday 0..6 = Monday..Sunday.
        sql = f"""
            SELECT mod(floor(le / 86400)::int + 3, 7) AS weekday,
                floor((le - floor(le / 86400) * 86400) / 3600)::int AS hour,
                count(*)
            FROM (
                SELECT {local} AS le FROM {CASE}
                WHERE created_at >= %s AND created_at < %s
            ) c
            GROUP BY 1, 2
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, [period.since, period.until])
            for weekday, hour, n in cursor.fetchall():
                grid[weekday][hour] = n
        return grid
    rows = (
        cohort(period)
        .annotate(
            weekday=ExtractIsoWeekDay("created_at", tzinfo=period.zone),
            hour=ExtractHour("created_at", tzinfo=period.zone),
        )
        .values("weekday", "hour")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        grid[row["weekday"] - 1][row["hour"]] = row["n"]
    return grid


def team_report(*, period: Period, group_by: str) -> TeamReport:
    rows, total = team_rows(period=period, group_by=group_by)
    return TeamReport(
        period=period,
        group_by=group_by,
        rows=rows,
        total=total,
        breaches=breaches(period=period),
        backlog=backlog(period=period),
        heatmap=heatmap(period=period),
    )
