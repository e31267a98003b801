"""Revenue from social: what the redeemed codes brought, across every campaign,
attributed to platform, campaign, team, ambassador and day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    Count,
    DecimalField,
    F,
    Model,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate

from coupons.models import CouponCode, Redemption
from engagement.models import Case
from listening.models import Mention

from .common import DIMENSIONS, Period, is_postgres, key_labels, key_text, rate

TOP_LISTED = 10
ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=14, decimal_places=2)


@dataclass
class RevenueRow:
    key: str
    label: str
    redemptions: int = 0
    order_value: Decimal = ZERO
    discount: Decimal = ZERO
    net_revenue: Decimal = ZERO
    codes_issued: int = 0
    codes_redeemed: int = 0
    conversion_rate: float | None = None
    cost_per_redemption: Decimal | None = None


COLUMNS = list(RevenueRow.__dataclass_fields__)


@dataclass
class TopItem:
    id: int
    text: str
    redemptions: int
    order_value: Decimal
    net_revenue: Decimal
    case_id: int | None = None


@dataclass
class RevenueReport:
    period: Period
    group_by: str
    rows: list[RevenueRow]
    total: RevenueRow
    top_cases: list[TopItem] = field(default_factory=list)
    top_mentions: list[TopItem] = field(default_factory=list)


def redemptions_in(period: Period) -> QuerySet[Redemption]:
    return Redemption.objects.filter(
        created_at__gte=period.since, created_at__lt=period.until
    )


def codes_issued_in(period: Period) -> QuerySet[CouponCode]:
    return CouponCode.objects.filter(
        issued_at__gte=period.since, issued_at__lt=period.until
    )


_MONEY_AGG = {
    "n": Count("id"),
    "order_value": Coalesce(Sum("order_amount"), Value(ZERO), output_field=MONEY),
    "discount": Coalesce(Sum("discount_amount"), Value(ZERO), output_field=MONEY),
}
_CODE_AGG = {
    "issued": Count("id"),
    "redeemed": Count("id", filter=Q(redeemed_count__gt=0)),
}


def _grouped(
    qs: QuerySet[Model],
    column: str,
    field_name: str,
    aggregates: dict[str, Any],
    period: Period,
) -> dict[object, dict[str, Any]]:
    if column == "day":
        qs = qs.annotate(_key=TruncDate(field_name, tzinfo=period.zone))
    else:
        qs = qs.annotate(_key=F(column))
    return {
        row["_key"]: row for row in qs.values("_key").annotate(**aggregates).order_by()
    }


def _fill(
    row: RevenueRow, money: dict[str, Any] | None, codes: dict[str, Any] | None
) -> None:
    if money:
        row.redemptions = money["n"]
        row.order_value = money["order_value"]
        row.discount = money["discount"]
        row.net_revenue = money["order_value"] - money["discount"]
        if row.redemptions:
            row.cost_per_redemption = (row.discount / row.redemptions).quantize(
                Decimal("0.01")
            )
    if codes:
        row.codes_issued = codes["issued"]
        row.codes_redeemed = codes["redeemed"]
        row.conversion_rate = rate(row.codes_redeemed, row.codes_issued)


# A key column as SQL: its own column, the case's (through a LEFT JOIN: a code or
# a redemption without a case counts under "none"), or the local day.
_CASE_JOIN = 'LEFT JOIN "engagement_case" c ON c."id" = t."case_id"'


def _key_sql(column: str, time_column: str, period: Period) -> tuple[str, str]:
    if column == "day":
        zone = period.zone.key.replace("'", "")
        return f"(t.\"{time_column}\" AT TIME ZONE '{zone}')::date", ""
    if column.startswith("case__"):
        return f'c."{column.removeprefix("case__")}"', _CASE_JOIN
    return f't."{column}"', ""


def _panel_sql(
    table: str, column: str, time_column: str, figures: str, period: Period
) -> str:
    """Rows and total of one panel in one scan (GROUPING SETS)."""
    key, join = _key_sql(column, time_column, period)
    return f"""
        SELECT {key} AS k, GROUPING({key}) AS is_total, {figures}
        FROM "{table}" t {join}
        WHERE t."{time_column}" >= %s AND t."{time_column}" < %s
        GROUP BY GROUPING SETS (({key}), ())
    """


_MONEY_SQL = (
    "count(*) AS n, COALESCE(sum(t.order_amount), 0.00) AS order_value,"
    " COALESCE(sum(t.discount_amount), 0.00) AS discount"
)
_CODE_SQL = (
    "count(*) AS issued, count(*) FILTER (WHERE t.redeemed_count > 0) AS redeemed"
)


def _panel(
    table: str, column: str, time_column: str, figures: str, period: Period
) -> tuple[dict[object, dict[str, Any]], dict[str, Any] | None]:
    sql = _panel_sql(table, column, time_column, figures, period)
    with connection.cursor() as cursor:
        cursor.execute(sql, [period.since, period.until])
        names = [c.name for c in cursor.description]
        rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    by_key: dict[object, dict[str, Any]] = {}
    total = None
    for row in rows:
        key, is_total = row.pop("k"), row.pop("is_total")
        if is_total:
            total = row
        else:
            by_key[key] = row
    return by_key, total


def revenue_rows(
    *, period: Period, group_by: str
) -> tuple[list[RevenueRow], RevenueRow]:
    if group_by == "day":
        money_col = code_col = "day"
    else:
        money_col = DIMENSIONS[group_by]["redemption"]
        code_col = DIMENSIONS[group_by]["code"]
    if is_postgres():
        # Each panel's rows and total from one grouped query.
        money, money_total = _panel(
            Redemption._meta.db_table, money_col, "created_at", _MONEY_SQL, period
        )
        codes, codes_total = _panel(
            CouponCode._meta.db_table, code_col, "issued_at", _CODE_SQL, period
        )
    else:
        money = _grouped(
            redemptions_in(period), money_col, "created_at", _MONEY_AGG, period
        )
        codes = _grouped(
            codes_issued_in(period), code_col, "issued_at", _CODE_AGG, period
        )
        money_total = redemptions_in(period).aggregate(**_MONEY_AGG)
        codes_total = codes_issued_in(period).aggregate(**_CODE_AGG)
    keys = set(money) | set(codes)
    if group_by == "day":
        labels: dict[object, str] = {
            day: day.isoformat() for day in keys if isinstance(day, dt.date)
        }
    else:
        labels = key_labels(group_by, keys)
    rows = []
    for key in keys:
        text = key.isoformat() if isinstance(key, dt.date) else key_text(key)
        row = RevenueRow(key=text, label=labels.get(key, str(key)))
        _fill(row, money.get(key), codes.get(key))
        rows.append(row)
    if group_by == "day":
        rows.sort(key=lambda r: r.key)
    else:
        rows.sort(key=lambda r: (-r.order_value, -r.codes_issued, r.label))
    total = RevenueRow(key="total", label="")
    _fill(total, money_total or _EMPTY_MONEY, codes_total or _EMPTY_CODES)
    return rows, total


_EMPTY_MONEY = {"n": 0, "order_value": ZERO, "discount": ZERO}
_EMPTY_CODES = {"issued": 0, "redeemed": 0}


def _top(period: Period, column: str, limit: int) -> list[dict[str, Any]]:
    return list(
        redemptions_in(period)
        .filter(**{f"{column}__isnull": False})
        .values(column)
        .annotate(**_MONEY_AGG)
        .order_by("-order_value", column)[:limit]
    )


def top_cases(*, period: Period, limit: int = TOP_LISTED) -> list[TopItem]:
    rows = _top(period, "case_id", limit)
    summaries = dict(
        Case.objects.filter(pk__in=[r["case_id"] for r in rows]).values_list(
            "pk", "summary"
        )
    )
    return [
        TopItem(
            id=r["case_id"],
            case_id=r["case_id"],
            text=summaries.get(r["case_id"], ""),
            redemptions=r["n"],
            order_value=r["order_value"],
            net_revenue=r["order_value"] - r["discount"],
        )
        for r in rows
    ]


def top_mentions(*, period: Period, limit: int = TOP_LISTED) -> list[TopItem]:
    rows = _top(period, "mention_id", limit)
    mentions = {
        m.pk: m
        for m in Mention.objects.filter(pk__in=[r["mention_id"] for r in rows]).only(
            "pk", "text"
        )
    }
    cases = dict(
        Redemption.objects.filter(mention_id__in=list(mentions), case__isnull=False)
        .values_list("mention_id", "case_id")
        .distinct()
    )
    return [
        TopItem(
            id=r["mention_id"],
            case_id=cases.get(r["mention_id"]),
            text=mentions[r["mention_id"]].text if r["mention_id"] in mentions else "",
            redemptions=r["n"],
            order_value=r["order_value"],
            net_revenue=r["order_value"] - r["discount"],
        )
        for r in rows
    ]


def revenue_report(*, period: Period, group_by: str) -> RevenueReport:
    rows, total = revenue_rows(period=period, group_by=group_by)
    return RevenueReport(
        period=period,
        group_by=group_by,
        rows=rows,
        total=total,
        top_cases=top_cases(period=period),
        top_mentions=top_mentions(period=period),
    )
