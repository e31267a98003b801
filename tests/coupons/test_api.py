"""The coupons REST API: campaigns, codes, redemption for shops, errors, schema."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from coupons.models import Campaign, CouponCode, Redemption
from tests.coupons.factories import make_campaign, make_codes, make_user

pytestmark = pytest.mark.django_db


def campaign_body(**overrides):
    now = timezone.now()
    body = {
        "name": "Sina only 50 off",
        "platforms": ["weibo"],
        "discount_type": "amount",
        "discount_value": "50.00",
        "currency": "CNY",
        "starts_at": (now - timedelta(hours=1)).isoformat(),
        "ends_at": (now + timedelta(days=7)).isoformat(),
        "per_customer_limit": 1,
        "min_order_amount": "299.00",
    }
    body.update(overrides)
    return body


def test_an_admin_creates_a_campaign_and_codes_through_the_api(admin_api):
    created = admin_api.post(
        "/api/v1/coupons/campaigns/", campaign_body(), format="json"
    )
    assert created.status_code == 201, created.json()
    campaign = created.json()
    assert campaign["platforms"] == ["weibo"]
    assert campaign["discount_type"] == "amount"
    codes = admin_api.post(
        f"/api/v1/coupons/campaigns/{campaign['id']}/codes/",
        {"count": 20, "max_redemptions": 1},
        format="json",
    )
    assert codes.status_code == 201
    listed = codes.json()["codes"]
    assert len(listed) == len(set(listed)) == 20
    assert all(len(code) == 14 and code.count("-") == 2 for code in listed)
    page = admin_api.get(
        f"/api/v1/coupons/campaigns/{campaign['id']}/codes/", {"limit": 5}
    ).json()
    assert page["count"] == 20
    assert len(page["results"]) == 5


def test_a_public_code_for_the_first_buyers(admin_api):
    campaign = make_campaign()
    body = admin_api.post(
        f"/api/v1/coupons/campaigns/{campaign.id}/codes/",
        {"count": 1, "max_redemptions": 100},
        format="json",
    ).json()
    assert CouponCode.objects.get().max_redemptions == 100
    assert body["max_redemptions"] == 100


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"platforms": ["myspace"]}, "platforms"),
        ({"discount_type": "percent", "discount_value": "150"}, "discount_value"),
        ({"discount_value": "-1"}, "discount_value"),
        ({"ends_at": "2000-01-01T00:00:00Z"}, "ends_at"),
        ({"currency": "RMB1"}, "currency"),
        ({"per_customer_limit": 0}, "per_customer_limit"),
        ({"starts_at": "yesterday"}, "starts_at"),
    ],
)
def test_an_invalid_campaign_is_a_clear_400_and_stores_nothing(
    admin_api, change, field
):
    response = admin_api.post(
        "/api/v1/coupons/campaigns/", campaign_body(**change), format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["details"]
    assert not Campaign.objects.exists()


def test_campaigns_list_is_paginated_and_filterable(admin_api):
    make_campaign(name="a")
    paused = make_campaign(name="b", status="paused")
    body = admin_api.get("/api/v1/coupons/campaigns/", {"status": "paused"}).json()
    assert [c["id"] for c in body["results"]] == [paused.id]
    assert body["count"] == 1


def test_an_admin_pauses_a_campaign_with_patch(admin_api):
    campaign = make_campaign()
    response = admin_api.patch(
        f"/api/v1/coupons/campaigns/{campaign.id}/", {"status": "paused"}, format="json"
    )
    assert response.status_code == 200
    campaign.refresh_from_db()
    assert campaign.status == "paused"


def test_the_shop_redeems_with_or_without_the_trailing_slash(shop_api):
    campaign = make_campaign()
    first, second = make_codes(campaign, count=2)
    for path, code in (
        ("/api/v1/coupons/redeem/", first),
        ("/api/v1/coupons/redeem", second),
    ):
        response = shop_api.post(
            path,
            {
                "code": code.display.lower(),
                "order_id": f"T-{code.id}",
                "order_amount": "1000.00",
                "currency": "CNY",
                "platform": "weibo",
            },
            format="json",
        )
        assert response.status_code == 200, response.json()
        body = response.json()
        assert body["discount_amount"] == "100.00"
        assert body["amount_payable"] == "900.00"
        assert body["replayed"] is False
    redemption = Redemption.objects.get(code=first)
    assert redemption.merchant == "tmall-shop"


def test_validate_answers_the_discount_and_redeems_nothing(shop_api):
    code = make_codes(make_campaign(), count=1)[0]
    for path in ("/api/v1/coupons/validate/", "/api/v1/coupons/validate"):
        response = shop_api.post(
            path,
            {"code": code.code, "order_id": "V", "order_amount": "200"},
            format="json",
        )
        assert response.status_code == 200
        assert response.json()["discount_amount"] == "20.00"
        assert response.json()["redemption_id"] is None
    assert not Redemption.objects.exists()


def test_validate_needs_no_order_id(shop_api):
    """A shop checks a basket before the order exists."""
    code = make_codes(make_campaign(), count=1)[0]
    response = shop_api.post(
        "/api/v1/coupons/validate/",
        {"code": code.display, "order_amount": "200"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["valid"] is True
    assert body["discount_amount"] == "20.00"
    assert body["order_id"] is None
    assert not Redemption.objects.exists()


def test_redeem_still_needs_an_order_id(shop_api):
    code = make_codes(make_campaign(), count=1)[0]
    response = shop_api.post(
        "/api/v1/coupons/redeem/",
        {"code": code.code, "order_amount": "200"},
        format="json",
    )
    assert response.status_code == 400
    assert "order_id" in response.content.decode()
    assert not Redemption.objects.exists()


def test_the_same_order_id_twice_answers_the_same_through_the_api(shop_api):
    code = make_codes(make_campaign(), count=1)[0]
    body = {"code": code.code, "order_id": "X-1", "order_amount": "300"}
    first = shop_api.post("/api/v1/coupons/redeem/", body, format="json").json()
    again = shop_api.post("/api/v1/coupons/redeem/", body, format="json").json()
    assert again["redemption_id"] == first["redemption_id"]
    assert again["replayed"] is True
    assert Redemption.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"code": "ABCD-EFGH-JKLM"}, 404, "code_not_found"),
        ({"code": "!!"}, 400, "code_malformed"),
        ({"order_amount": "10"}, 422, "order_below_minimum"),
        ({"currency": "USD"}, 422, "currency_mismatch"),
        ({"platform": "twitter"}, 422, "platform_not_allowed"),
        ({"platform": "myspace"}, 400, "invalid"),
        ({"order_amount": "abc"}, 400, "invalid"),
        ({"order_amount": "1e9999"}, 400, "invalid"),
        ({"order_amount": None}, 400, "invalid"),
        ({"order_id": "x" * 500}, 400, "invalid"),
        ({"code": ["a", "b"]}, 400, "invalid"),
    ],
)
def test_bad_redemptions_get_a_4xx_with_a_code_and_a_message(
    shop_api, body, status, code
):
    coupon = make_codes(make_campaign(), count=1)[0]
    request = {"code": coupon.code, "order_id": "B-1", "order_amount": "500"}
    request.update(body)
    response = shop_api.post("/api/v1/coupons/redeem/", request, format="json")
    assert response.status_code == status
    assert response.json()["code"] == code
    assert response.json()["message"]
    assert not Redemption.objects.exists()


def test_control_characters_and_lone_surrogates_are_a_clear_400(shop_api):
    raw = '{"code": "\\u0000\\ud800", "order_id": "\\ud800", "order_amount": "5"}'
    response = shop_api.post(
        "/api/v1/coupons/redeem/", raw, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert set(response.json()["details"]) == {"code", "order_id"}


def test_a_body_that_is_not_json_is_a_400(shop_api):
    response = shop_api.post(
        "/api/v1/coupons/redeem/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_a_used_code_is_a_409(shop_api):
    code = make_codes(make_campaign(), count=1)[0]
    body = {"code": code.code, "order_id": "1", "order_amount": "500"}
    shop_api.post("/api/v1/coupons/redeem/", body, format="json")
    response = shop_api.post(
        "/api/v1/coupons/redeem/", body | {"order_id": "2"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "code_used_up"


def test_only_shops_and_admins_redeem(db):
    code = make_codes(make_campaign(), count=1)[0]
    body = {"code": code.code, "order_id": "1", "order_amount": "500"}
    anonymous = APIClient().post("/api/v1/coupons/redeem/", body, format="json")
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "not_authenticated"
    ambassador = APIClient()
    ambassador.force_authenticate(make_user("amb9"))
    forbidden = ambassador.post("/api/v1/coupons/redeem/", body, format="json")
    assert forbidden.status_code == 403
    assert forbidden.json()["code"] == "permission_denied"


def test_shops_cannot_manage_campaigns(shop_api):
    assert shop_api.get("/api/v1/coupons/campaigns/").status_code == 403
    response = shop_api.post(
        "/api/v1/coupons/campaigns/", campaign_body(), format="json"
    )
    assert response.status_code == 403


def test_managers_read_campaigns_but_do_not_create_them(db):
    make_campaign()
    manager = APIClient()
    manager.force_authenticate(make_user("mgr2", role="manager"))
    assert manager.get("/api/v1/coupons/campaigns/").status_code == 200
    created = manager.post("/api/v1/coupons/campaigns/", campaign_body(), format="json")
    assert created.status_code == 403


def test_an_admin_issues_lists_and_revokes_codes(admin_api, shop_api):
    campaign = make_campaign()
    make_codes(campaign, count=3)
    issued = admin_api.post(
        "/api/v1/coupons/codes/issue/",
        {"campaign": campaign.id, "platform": "weibo", "platform_user_id": "42"},
        format="json",
    )
    assert issued.status_code == 201
    code = issued.json()["code"]
    listed = admin_api.get(
        "/api/v1/coupons/codes/", {"campaign": campaign.id, "issued": "true"}
    ).json()
    assert [c["code"] for c in listed["results"]] == [code]
    refused = admin_api.post(
        "/api/v1/coupons/codes/issue/",
        {"campaign": campaign.id, "platform": "twitter", "platform_user_id": "42"},
        format="json",
    )
    assert refused.status_code == 422
    assert refused.json()["code"] == "platform_not_allowed"
    assert admin_api.post(f"/api/v1/coupons/codes/{code}/revoke/").status_code == 200
    response = shop_api.post(
        "/api/v1/coupons/redeem/",
        {"code": code, "order_id": "R", "order_amount": "500"},
        format="json",
    )
    assert response.json()["code"] == "code_revoked"
    missing = admin_api.post("/api/v1/coupons/codes/AAAA-AAAA-AAAA/revoke/")
    assert missing.status_code == 404


def test_redemptions_are_listed_with_their_attribution(admin_api, shop_api):
    campaign = make_campaign()
    code = make_codes(campaign, count=1)[0]
    shop_api.post(
        "/api/v1/coupons/redeem/",
        {"code": code.code, "order_id": "L-1", "order_amount": "500"},
        format="json",
    )
    body = admin_api.get(
        "/api/v1/coupons/redemptions/", {"campaign": campaign.id}
    ).json()
    assert body["count"] == 1
    assert body["results"][0]["order_id"] == "L-1"
    assert body["results"][0]["discount_amount"] == "50.00"
    stats = admin_api.get(f"/api/v1/coupons/campaigns/{campaign.id}/stats/").json()
    assert stats["total"]["redemptions"] == 1
    assert stats["total"]["revenue"] == "500.00"


def test_the_schema_documents_every_redemption_error(admin_api):
    schema = admin_api.get("/api/schema/", {"format": "json"}).json()
    redeem = schema["paths"]["/api/v1/coupons/redeem/"]["post"]["responses"]
    assert {"200", "400", "401", "403", "404", "409", "422"} <= set(redeem)
    described = " ".join(r.get("description", "") for r in redeem.values())
    for code in ("code_expired", "code_used_up", "customer_limit_reached"):
        assert code in described
    codes = schema["paths"]["/api/v1/coupons/campaigns/{id}/codes/"]["post"]
    assert "409" in codes["responses"]


def test_redeem_tokens_are_checked_for_shop_membership_and_activity(db):
    from rest_framework.authtoken.models import Token

    from integrations.tokens import shop_user_create

    code = make_codes(make_campaign(), count=1)[0]
    body = {"code": code.code, "order_id": "T-1", "order_amount": "500"}

    def post(token: str):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        return client.post("/api/v1/coupons/redeem/", body, format="json")

    wrong = post("0" * 40)
    assert wrong.status_code == 401
    assert wrong.json()["code"] == "authentication_failed"
    ambassador = make_user("amb-token")
    assert post(Token.objects.create(user=ambassador).key).status_code == 403
    shop, token = shop_user_create(username="jd-shop")
    shop.is_active = False
    shop.save(update_fields=["is_active"])
    assert post(token).status_code == 401
    shop.is_active = True
    shop.save(update_fields=["is_active"])
    assert post(token).status_code == 200
    assert not Redemption.objects.exclude(merchant="jd-shop").exists()
