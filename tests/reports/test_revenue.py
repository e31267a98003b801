"""Revenue figures against the redemption rows of tests/reports/dataset.py."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Sum

from coupons.models import Redemption
from coupons.selectors import codes_of_case
from reports.selectors import period_parse, revenue_report, revenue_rows
from tests.reports.dataset import build_week

pytestmark = pytest.mark.django_db
WEEK = period_parse("2026-11-23", "2026-11-29")


@pytest.fixture
def week(require_postgres):
    return build_week()


def test_revenue_by_platform_with_conversion_and_cost(week):
    rows, total = revenue_rows(period=WEEK, group_by="platform")
    by = {r.key: r for r in rows}
    weibo, twitter = by["weibo"], by["twitter"]
    assert (weibo.redemptions, weibo.order_value, weibo.discount) == (
        1,
        Decimal("500.00"),
        Decimal("50.00"),
    )
    assert weibo.net_revenue == Decimal("450.00")
    assert (weibo.codes_issued, weibo.codes_redeemed, weibo.conversion_rate) == (
        2,
        1,
        0.5,
    )
    assert weibo.cost_per_redemption == Decimal("50.00")
    assert (twitter.redemptions, twitter.order_value, twitter.net_revenue) == (
        2,
        Decimal("1300.00"),
        Decimal("1170.00"),
    )
    assert twitter.cost_per_redemption == Decimal("65.00")
    assert twitter.conversion_rate == 1.0
    assert (total.redemptions, total.order_value, total.net_revenue) == (
        3,
        Decimal("1800.00"),
        Decimal("1620.00"),
    )
    assert total.conversion_rate == pytest.approx(2 / 3, abs=1e-4)
    assert total.cost_per_redemption == Decimal("60.00")


@pytest.mark.parametrize(
    "group_by", ["platform", "campaign", "team", "ambassador", "day"]
)
def test_every_grouping_sums_to_the_redemption_rows(week, group_by):
    rows, total = revenue_rows(period=WEEK, group_by=group_by)
    stored = Redemption.objects.aggregate(
        o=Sum("order_amount"), d=Sum("discount_amount")
    )
    assert sum(r.order_value for r in rows) == stored["o"] == total.order_value
    assert sum(r.discount for r in rows) == stored["d"] == total.discount
    assert sum(r.redemptions for r in rows) == Redemption.objects.count()


def test_grouping_by_campaign_ambassador_and_day(week):
    rows, _ = revenue_rows(period=WEEK, group_by="campaign")
    assert {r.label: r.order_value for r in rows} == {
        "微博专享": Decimal("500.00"),
        "Twitter deal": Decimal("1300.00"),
    }
    rows, _ = revenue_rows(period=WEEK, group_by="ambassador")
    assert {r.label: (r.redemptions, r.codes_issued) for r in rows} == {
        "amb1": (1, 2),
        "amb2": (2, 1),
    }
    rows, _ = revenue_rows(period=WEEK, group_by="day")
    days = {r.key: r.order_value for r in rows if r.redemptions}
    assert days == {
        "2026-11-24": Decimal("500.00"),
        "2026-11-28": Decimal("1000.00"),
        "2026-11-29": Decimal("300.00"),
    }


def test_top_cases_and_mentions_by_revenue(week):
    report = revenue_report(period=WEEK, group_by="platform")
    assert [(t.case_id, t.order_value) for t in report.top_cases] == [
        (week.cases["c4"].pk, Decimal("1300.00")),
        (week.cases["c1"].pk, Decimal("500.00")),
    ]
    assert report.top_mentions[0].id == week.mentions["c4"].pk
    assert report.top_mentions[0].case_id == week.cases["c4"].pk


def test_case_codes_show_redeemed_and_order_value(week):
    codes = codes_of_case(case_id=week.cases["c1"].pk)
    assert [(c.redeemed, c.order_value) for c in codes] == [(True, Decimal("500.00"))]
    codes = codes_of_case(case_id=week.cases["c2"].pk)
    assert [(c.redeemed, c.order_value) for c in codes] == [(False, Decimal("0"))]
