"""People, the brand's accounts, a platform-exclusive campaign, and the mock
platforms served by the live server for publishing tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import requests
from django.utils import timezone

from ambassadors.demo import records_seed
from ambassadors.models import Certification, Role
from ambassadors.services import user_create
from coupons.models import DiscountType
from coupons.services import campaign_create
from listening.models import Source
from publishing.models import BrandAccount
from publishing.services import brand_accounts_sync

PASSWORD = "pw-123456789"
BRANDS = {"weibo": "1642909335", "twitter": "17025475", "renren": "600002246"}


def make_person(
    username: str, *, role=Role.AMBASSADOR, level=Certification.PROFESSIONAL
):
    user = user_create(username=username, password=PASSWORD, role=role)
    # Levels are earned (quiz passes, replies...): the records of ``level``.
    records_seed(user=user, level=level if role == Role.AMBASSADOR else 0)
    user.refresh_from_db()
    return user


def make_campaign(
    *, platform="weibo", kind=DiscountType.AMOUNT, value="50", budget=None
):
    now = timezone.now()
    return campaign_create(
        name=f"{platform} only {value}",
        description="",
        platforms=[platform],
        discount_type=kind,
        discount_value=Decimal(value),
        currency="CNY",
        starts_at=now - dt.timedelta(days=1),
        ends_at=now + dt.timedelta(days=30),
        per_customer_limit=1,
        min_order_amount=Decimal("0"),
        budget=budget,
    )


@pytest.fixture
def accounts(db) -> dict[str, BrandAccount]:
    for platform, uid in BRANDS.items():
        Source.objects.create(
            name=f"{platform} mentions", platform=platform, kind="mentions", query=uid
        )
    brand_accounts_sync()
    return {a.platform: a for a in BrandAccount.objects.all()}


@pytest.fixture
def people(db):
    return {
        "expert": make_person("expert", level=Certification.EXPERT),
        "trainee": make_person("trainee", level=Certification.PROFESSIONAL),
        "manager": make_person("boss", role=Role.MANAGER),
        "manager2": make_person("boss2", role=Role.MANAGER),
    }


@pytest.fixture
def mock_platforms(live_server, settings):
    """Point the product at the mock platforms of the live server."""
    paths = {"weibo": "/mock/weibo/2", "twitter": "/mock/twitter/2"}
    paths["renren"] = "/mock/renren/v2"
    settings.PLATFORM_API = {
        platform: {**conf, "base": f"{live_server.url}{paths[platform]}"}
        for platform, conf in settings.PLATFORM_API.items()
    }
    settings.SITE_URL = live_server.url
    # No generated traffic (an hour of history per platform is slow to make): only
    # the brand's posts and the public's reaction to them.
    requests.post(f"{live_server.url}/mock/_control", json={"rate": 0}, timeout=30)
    return live_server


def soon(minutes: int = 5) -> dt.datetime:
    return timezone.now() + dt.timedelta(minutes=minutes)
