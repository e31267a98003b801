"""Concurrent redemptions against the real database: limits hold exactly."""

import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection

from common.errors import DomainError
from coupons.models import CouponCode, CustomerAllowance, Redemption
from coupons.services import coupon_issue, coupon_redeem
from tests.coupons.factories import make_campaign, make_codes

pytestmark = [pytest.mark.django_db(transaction=True)]

REQUESTS = 50


def run_concurrently(calls) -> list[str]:
    """Run the calls at the same moment, each in its own thread and connection;
    return "ok" or the error code of each."""
    barrier = threading.Barrier(len(calls))

    def one(call) -> str:
        try:
            barrier.wait(timeout=30)
            call()
            return "ok"
        except DomainError as error:
            return error.code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(one, calls))


def test_fifty_concurrent_requests_for_a_code_of_five_uses_redeem_exactly_five(
    require_postgres,
):
    campaign = make_campaign(min_order_amount=Decimal("0"))
    code = make_codes(campaign, count=1, uses=5)[0]
    calls = [
        lambda n=n: coupon_redeem(
            code=code.display, order_id=f"O-{n}", order_amount="100", merchant="s"
        )
        for n in range(REQUESTS)
    ]
    outcomes = run_concurrently(calls)
    assert outcomes.count("ok") == 5
    assert outcomes.count("code_used_up") == REQUESTS - 5
    assert Redemption.objects.filter(code=code).count() == 5
    assert CouponCode.objects.get(id=code.id).redeemed_count == 5


def test_one_customer_racing_with_many_orders_is_served_once(require_postgres):
    campaign = make_campaign(per_customer_limit=1, min_order_amount=Decimal("0"))
    public = make_codes(campaign, count=1, uses=1000)[0]
    calls = [
        lambda n=n: coupon_redeem(
            code=public.code,
            order_id=f"C-{n}",
            order_amount="100",
            platform="weibo",
            platform_user_id="5001",
            merchant="s",
        )
        for n in range(REQUESTS)
    ]
    outcomes = run_concurrently(calls)
    assert outcomes.count("ok") == 1
    assert outcomes.count("customer_limit_reached") == REQUESTS - 1
    assert Redemption.objects.count() == 1
    assert CustomerAllowance.objects.get().redeemed_count == 1


def test_the_same_order_sent_fifty_times_at_once_is_redeemed_once(require_postgres):
    campaign = make_campaign(min_order_amount=Decimal("0"))
    code = make_codes(campaign, count=1, uses=100)[0]
    results = []

    def call():
        results.append(
            coupon_redeem(
                code=code.code, order_id="SAME", order_amount="100", merchant="s"
            )
        )

    outcomes = run_concurrently([call] * REQUESTS)
    assert outcomes == ["ok"] * REQUESTS
    assert Redemption.objects.count() == 1
    assert len({r.redemption_id for r in results}) == 1
    assert sum(not r.replayed for r in results) == 1


def test_one_order_racing_with_two_codes_gets_one_discount(require_postgres):
    campaign = make_campaign(min_order_amount=Decimal("0"))
    codes = make_codes(campaign, count=REQUESTS)
    calls = [
        lambda c=c: coupon_redeem(
            code=c.code, order_id="ONE", order_amount="100", merchant="s"
        )
        for c in codes
    ]
    outcomes = run_concurrently(calls)
    assert outcomes.count("ok") == 1
    assert outcomes.count("order_already_redeemed") == REQUESTS - 1
    assert Redemption.objects.count() == 1


def test_one_customer_asked_for_by_many_ambassadors_at_once_gets_one_code(
    require_postgres,
):
    campaign = make_campaign(per_customer_limit=1)
    make_codes(campaign, count=REQUESTS)
    calls = [
        lambda: coupon_issue(
            campaign_id=campaign.id,
            platform="weibo",
            platform_user_id="6001",
            ambassador=None,
        )
    ] * REQUESTS
    outcomes = run_concurrently(calls)
    assert outcomes.count("ok") == 1
    assert outcomes.count("customer_limit_reached") == REQUESTS - 1
    assert CouponCode.objects.filter(issued_at__isnull=False).count() == 1


def test_concurrent_issues_to_different_customers_never_share_a_code(
    require_postgres,
):
    campaign = make_campaign()
    make_codes(campaign, count=30)
    issued = []

    def call(n):
        issued.append(
            coupon_issue(
                campaign_id=campaign.id,
                platform="weibo",
                platform_user_id=f"u{n}",
                ambassador=None,
            ).id
        )

    outcomes = run_concurrently([lambda n=n: call(n) for n in range(40)])
    assert outcomes.count("ok") == 30
    assert outcomes.count("campaign_exhausted") == 10
    assert len(set(issued)) == 30
