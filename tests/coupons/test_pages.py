"""Campaign pages: who sees what, creating in the browser, figures, CSV exports."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from common.errors import DomainError
from coupons.models import Campaign, CodeBatch, CouponCode
from coupons.services import code_batch_create, coupon_issue, coupon_redeem
from coupons.tasks import generate_codes
from tests.coupons.factories import make_campaign, make_codes

pytestmark = pytest.mark.django_db


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_campaign_pages_need_a_login(client):
    response = client.get(reverse("coupons:list"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_ambassadors_do_not_see_campaign_pages(client):
    from tests.coupons.factories import PASSWORD, make_user

    make_user("amb5")
    client.login(username="amb5", password=PASSWORD)
    assert client.get(reverse("coupons:list")).status_code == 403


def test_managers_see_figures_but_cannot_create(manager_client):
    campaign = make_campaign()
    assert (
        manager_client.get(reverse("coupons:detail", args=[campaign.id])).status_code
        == 200
    )
    assert manager_client.get(reverse("coupons:create")).status_code == 403
    response = manager_client.post(
        reverse("coupons:status", args=[campaign.id]), {"status": "paused"}
    )
    assert response.status_code == 403


def test_an_admin_creates_a_sina_only_campaign_in_the_browser(admin_client):
    response = admin_client.post(
        reverse("coupons:create"),
        {
            "name": "新浪专享",
            "platforms": ["weibo"],
            "discount_type": "amount",
            "discount_value": "200",
            "currency": "cny",
            "starts_at": "2030-01-01T00:00",
            "ends_at": "2030-02-01T00:00",
            "per_customer_limit": "1",
            "min_order_amount": "3000",
            "status": "active",
        },
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("coupons:detail", args=[campaign.id])
    assert campaign.platforms == ["weibo"]
    assert campaign.currency == "CNY"
    assert campaign.starts_at.isoformat().startswith("2029-12-31T16:00")  # Beijing


def test_the_campaign_form_explains_what_is_wrong(admin_client):
    response = admin_client.post(
        reverse("coupons:create"),
        {
            "name": "x",
            "discount_type": "percent",
            "discount_value": "120",
            "currency": "CNY",
            "starts_at": "2030-02-01T00:00",
            "ends_at": "2030-01-01T00:00",
            "per_customer_limit": "1",
            "min_order_amount": "0",
            "status": "active",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "discount_value" in errors
    assert "ends_at" in errors
    assert not Campaign.objects.exists()


def test_generating_codes_from_the_page_shows_progress_until_done(
    admin_client, django_capture_on_commit_callbacks, monkeypatch
):
    campaign = make_campaign()
    sent = []
    monkeypatch.setattr(generate_codes, "delay", lambda batch_id: sent.append(batch_id))
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("coupons:generate", args=[campaign.id]),
            {"count": "1500", "max_redemptions": "1"},
        )
    batch = CodeBatch.objects.get()
    assert sent == [batch.id]
    waiting = admin_client.get(reverse("coupons:batch", args=[batch.id])).content
    assert b'hx-trigger="every 1s"' in waiting
    assert b'value="0"' in waiting
    generate_codes(batch.id)  # what the worker runs
    done = admin_client.get(reverse("coupons:batch", args=[batch.id])).content
    assert b"hx-trigger" not in done
    assert b'value="1500"' in done
    assert CouponCode.objects.filter(campaign=campaign).count() == 1500


def test_the_campaign_page_shows_the_figures_as_charts(admin_client, ambassador):
    campaign = make_campaign(min_order_amount=Decimal("0"))
    make_codes(campaign, count=4)
    for uid in ("1", "2", "3"):
        coupon_issue(
            campaign_id=campaign.id,
            platform="weibo",
            platform_user_id=uid,
            ambassador=ambassador,
        )
    code = campaign.codes.filter(issued_platform_user_id="1").get()
    coupon_redeem(
        code=code.code,
        order_id="o1",
        order_amount="1000",
        platform="weibo",
        platform_user_id="1",
    )
    response = admin_client.get(reverse("coupons:detail", args=[campaign.id]))
    body = response.content.decode()
    stats = response.context["stats"]
    assert (stats.total.issued, stats.total.redemptions) == (3, 1)
    assert stats.total.revenue == Decimal("1000.00")
    assert stats.total.discount == Decimal("100.00")
    assert stats.total.rate_percent == "33.3%"
    assert body.count("<svg") >= 5
    assert "amb1" in body
    assert "http://" not in body.replace("http://www.w3.org", "")  # nothing remote


def test_the_report_exports_as_csv_by_platform_and_ambassador(admin_client, ambassador):
    campaign = make_campaign(min_order_amount=Decimal("0"))
    make_codes(campaign, count=2)
    code = coupon_issue(
        campaign_id=campaign.id,
        platform="weibo",
        platform_user_id="9",
        ambassador=ambassador,
    )
    coupon_redeem(
        code=code.code,
        order_id="o",
        order_amount="250",
        platform="weibo",
        platform_user_id="9",
    )
    rows = csv_rows(admin_client.get(reverse("coupons:report_csv", args=[campaign.id])))
    assert rows[0][:3] == ["dimension", "key", "label"]
    by = {(r[0], r[2]): r for r in rows[1:]}
    assert by[("platform", "新浪微博")][3:9] == [
        "1",
        "1",
        "1.0000",
        "1",
        "250.00",
        "25.00",
    ]
    assert by[("ambassador", "amb1")][7] == "250.00"


def test_all_codes_export_as_csv_for_admins_only(admin_client):
    from django.test import Client

    from tests.coupons.factories import PASSWORD, make_user

    campaign = make_campaign()
    codes = make_codes(campaign, count=3)
    rows = csv_rows(admin_client.get(reverse("coupons:codes_csv", args=[campaign.id])))
    assert sorted(r[0] for r in rows[1:]) == sorted(c.display for c in codes)
    manager = Client()
    make_user("mgr7", role="manager")
    manager.login(username="mgr7", password=PASSWORD)
    url = reverse("coupons:codes_csv", args=[campaign.id])
    assert manager.get(url).status_code == 403


def test_campaign_names_are_escaped(admin_client):
    campaign = make_campaign(name='<script>alert("x")</script>')
    body = admin_client.get(reverse("coupons:list")).content.decode()
    assert "<script>alert" not in body
    assert "&lt;script&gt;" in body
    detail = admin_client.get(reverse("coupons:detail", args=[campaign.id]))
    assert "<script>alert" not in detail.content.decode()


def test_pausing_from_the_page(admin_client):
    campaign = make_campaign()
    admin_client.post(
        reverse("coupons:status", args=[campaign.id]), {"status": "paused"}
    )
    campaign.refresh_from_db()
    assert campaign.status == "paused"


def test_a_batch_beyond_the_budget_is_refused_with_a_message(admin_client):
    campaign = make_campaign(budget=10)
    response = admin_client.post(
        reverse("coupons:generate", args=[campaign.id]),
        {"count": "11", "max_redemptions": "1"},
        follow=True,
    )
    assert not CodeBatch.objects.exists()
    assert any(
        "budget" in str(m).lower() or "预算" in str(m)
        for m in response.context["messages"]
    )


def test_code_batch_create_refuses_nonsense_counts():
    campaign = make_campaign()
    for count in (0, 100_001):
        with pytest.raises(DomainError):
            code_batch_create(campaign_id=campaign.id, count=count)
