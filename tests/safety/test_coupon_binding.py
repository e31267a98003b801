"""An issued code is redeemed by its customer only, and a campaign by the shops it
names (issue 11, item 5)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from coupons.models import Redemption
from coupons.services import coupon_issue
from integrations.tokens import shop_user_create
from tests.coupons.factories import make_campaign, make_codes, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued():
    campaign = make_campaign(min_order_amount=Decimal("0"), shops=["tmall-shop"])
    make_codes(campaign, count=2)
    code = coupon_issue(
        campaign_id=campaign.id,
        platform="weibo",
        platform_user_id="1001",
        ambassador=make_user("amb1"),
    )
    return campaign, code


def shop(username: str) -> APIClient:
    _user, token = shop_user_create(username=username)
    return APIClient(HTTP_AUTHORIZATION=f"Token {token}")


def redeem(client, code, **extra):
    body = {"code": code.display, "order_id": "A-1", "order_amount": "500", **extra}
    return client.post("/api/v1/coupons/redeem/", body, format="json")


@pytest.mark.parametrize("path", ["redeem", "validate"])
def test_an_issued_code_without_its_customer_is_refused(issued, path):
    _campaign, code = issued
    client = shop("tmall-shop")
    body = {"code": code.display, "order_id": "A-1", "order_amount": "500"}
    response = client.post(f"/api/v1/coupons/{path}/", body, format="json")
    assert response.status_code == 422
    assert response.json()["code"] == "customer_required"
    response = client.post(
        f"/api/v1/coupons/{path}/",
        {**body, "platform": "weibo", "platform_user_id": "2002"},
        format="json",
    )
    assert response.json()["code"] == "customer_mismatch"
    assert not Redemption.objects.exists()


def test_the_customer_it_was_given_to_redeems_it(issued):
    _campaign, code = issued
    response = redeem(
        shop("tmall-shop"), code, platform="weibo", platform_user_id="1001"
    )
    assert response.status_code == 200, response.json()
    assert Redemption.objects.get().platform_user_id == "1001"


def test_a_shop_the_campaign_does_not_name_is_refused(issued):
    _campaign, code = issued
    response = redeem(shop("jd-shop"), code, platform="weibo", platform_user_id="1001")
    assert response.status_code == 403
    assert response.json()["code"] == "shop_not_allowed"
    assert not Redemption.objects.exists()


def test_a_campaign_naming_no_shop_is_redeemed_by_none(issued):
    campaign = make_campaign(min_order_amount=Decimal("0"), shops=[])
    code = make_codes(campaign, count=1)[0]
    response = redeem(shop("tmall-shop"), code)
    assert response.json()["code"] == "shop_not_allowed"


def test_redeem_and_validate_are_rate_limited_per_shop(issued, settings):
    from django.core.cache import cache

    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"redeem": "5/min"},
    }
    from rest_framework.throttling import SimpleRateThrottle

    SimpleRateThrottle.THROTTLE_RATES = {"redeem": "5/min"}
    try:
        _campaign, code = issued
        busy, calm = shop("tmall-shop"), shop("jd-shop")
        body = {"code": code.display, "order_id": "A-1", "order_amount": "500"}
        answers = [
            busy.post("/api/v1/coupons/validate/", body, format="json").status_code
            for _ in range(7)
        ]
        assert answers[:5] == [422] * 5 and answers[5:] == [429, 429]
        # Another shop has its own bucket.
        assert (
            calm.post("/api/v1/coupons/validate/", body, format="json").status_code
            != 429
        )
    finally:
        from rest_framework.settings import api_settings

        SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
        cache.clear()
