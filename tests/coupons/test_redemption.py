"""Every redemption rule, each with its error code; discounts; idempotency."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from common.errors import DomainError
from coupons.models import CouponCode, Redemption
from coupons.services import (
    campaign_set_status,
    campaign_update,
    coupon_code_revoke,
    coupon_issue,
    coupon_redeem,
    coupon_validate,
)
from tests.coupons.factories import make_campaign, make_codes

pytestmark = pytest.mark.django_db


def redeem(code, *, order="A-1", amount="500.00", currency="CNY", **extra):
    return coupon_redeem(
        code=code,
        order_id=order,
        order_amount=amount,
        currency=currency,
        merchant="shop",
        **extra,
    )


def refusal(code, **kwargs) -> str:
    """The error code of a refused redemption (which must store nothing)."""
    before = Redemption.objects.count()
    with pytest.raises(DomainError) as refused:
        redeem(code, **kwargs)
    assert Redemption.objects.count() == before
    return refused.value.code


@pytest.fixture
def campaign():
    return make_campaign()


@pytest.fixture
def code(campaign):
    return make_codes(campaign, count=1)[0]


def test_a_valid_code_gives_its_percentage_discount(code):
    result = redeem(code.display.lower(), amount="599.90")
    assert result.discount_amount == Decimal("59.99")
    assert result.amount_payable == Decimal("539.91")
    assert result.replayed is False
    redemption = Redemption.objects.get()
    assert (redemption.order_id, redemption.order_amount) == ("A-1", Decimal("599.90"))
    code.refresh_from_db()
    assert code.redeemed_count == 1


def test_a_fixed_amount_never_exceeds_the_order():
    campaign = make_campaign(
        discount_type="amount", discount_value=Decimal("200"), min_order_amount=0
    )
    code = make_codes(campaign, count=1)[0]
    assert redeem(code.code, amount="150").discount_amount == Decimal("150.00")


def test_an_unknown_code_is_refused(code):
    assert refusal("ABCD-EFGH-JKLM") == "code_not_found"


def test_a_malformed_code_is_refused_before_any_lookup():
    assert refusal("hello world") == "code_malformed"
    assert refusal("") == "code_malformed"


def test_a_missing_or_too_long_order_id_is_refused(code):
    assert refusal(code.code, order="") == "invalid_order"
    assert refusal(code.code, order="x" * 101) == "invalid_order"


@pytest.mark.parametrize("amount", ["0", "-5", "abc", "NaN", "Infinity", "1e20", None])
def test_a_nonsense_order_amount_is_refused(code, amount):
    assert refusal(code.code, amount=amount) == "invalid_amount"


def test_an_unknown_platform_is_refused(code):
    assert refusal(code.code, platform="myspace") == "invalid_platform"


def test_a_revoked_code_is_refused(code):
    coupon_code_revoke(code=code.display)
    assert refusal(code.code) == "code_revoked"


def test_a_paused_campaign_refuses_its_codes(campaign, code):
    campaign_set_status(campaign_id=campaign.id, status="paused")
    assert refusal(code.code) == "campaign_paused"


def test_a_closed_campaign_refuses_its_codes(campaign, code):
    campaign_set_status(campaign_id=campaign.id, status="closed")
    assert refusal(code.code) == "campaign_closed"


def test_a_campaign_that_has_not_started_refuses_its_codes(campaign, code):
    campaign_update(
        campaign_id=campaign.id, starts_at=timezone.now() + timedelta(hours=1)
    )
    assert refusal(code.code) == "campaign_not_started"


def test_a_code_past_the_end_of_its_campaign_has_expired(campaign, code):
    campaign_update(
        campaign_id=campaign.id,
        starts_at=timezone.now() - timedelta(days=10),
        ends_at=timezone.now() - timedelta(seconds=1),
    )
    assert refusal(code.code) == "code_expired"


def test_a_weibo_only_code_is_refused_for_a_twitter_customer(code):
    assert refusal(code.code, platform="twitter") == "platform_not_allowed"
    assert redeem(code.code, platform="weibo").discount_amount > 0


def test_an_issued_code_is_refused_for_another_customer(campaign, code, ambassador):
    issued = coupon_issue(
        campaign_id=campaign.id,
        platform="weibo",
        platform_user_id="1001",
        ambassador=ambassador,
    )
    assert (
        refusal(issued.code, platform="weibo", platform_user_id="2002")
        == "customer_mismatch"
    )
    assert redeem(issued.code, platform="weibo", platform_user_id="1001")


def test_an_order_in_another_currency_is_refused(code):
    assert refusal(code.code, currency="USD") == "currency_mismatch"
    assert redeem(code.code, currency="cny")  # case does not matter


def test_an_order_below_the_minimum_is_refused(code):
    assert refusal(code.code, amount="99.99") == "order_below_minimum"
    assert redeem(code.code, amount="100.00")


def test_a_single_use_code_is_refused_the_second_time(code):
    redeem(code.code, order="A-1")
    with pytest.raises(DomainError) as refused:
        redeem(code.code, order="A-2")
    assert refused.value.code == "code_used_up"
    assert Redemption.objects.count() == 1


def test_a_public_code_serves_exactly_its_number_of_buyers(campaign):
    public = make_codes(campaign, count=1, uses=3)[0]
    for n in range(3):
        redeem(public.code, order=f"P-{n}")
    with pytest.raises(DomainError) as refused:
        redeem(public.code, order="P-3")
    assert refused.value.code == "code_used_up"
    assert Redemption.objects.filter(code=public).count() == 3


def test_one_customer_gets_the_discount_only_as_often_as_the_campaign_allows(
    campaign,
):
    public = make_codes(campaign, count=1, uses=100)[0]
    redeem(public.code, order="C-1", platform="weibo", platform_user_id="777")
    with pytest.raises(DomainError) as refused:
        redeem(public.code, order="C-2", platform="weibo", platform_user_id="777")
    assert refused.value.code == "customer_limit_reached"
    redeem(public.code, order="C-3", platform="weibo", platform_user_id="778")
    assert Redemption.objects.count() == 2


def test_the_same_order_twice_gives_the_same_answer_and_one_redemption(code):
    first = redeem(code.code, order="ORDER-9", amount="300")
    again = redeem(code.display, order="ORDER-9", amount="300")
    assert again.replayed is True
    assert (again.redemption_id, again.discount_amount) == (
        first.redemption_id,
        first.discount_amount,
    )
    assert Redemption.objects.count() == 1
    code.refresh_from_db()
    assert code.redeemed_count == 1


def test_an_order_already_redeemed_cannot_use_a_second_code(campaign):
    first, second = make_codes(campaign, count=2)
    redeem(first.code, order="ORDER-1")
    with pytest.raises(DomainError) as refused:
        redeem(second.code, order="ORDER-1")
    assert refused.value.code == "order_already_redeemed"
    assert CouponCode.objects.get(id=second.id).redeemed_count == 0


def test_order_ids_are_scoped_to_the_shop(campaign):
    first, second = make_codes(campaign, count=2)
    coupon_redeem(code=first.code, order_id="1", order_amount=200, merchant="jd")
    coupon_redeem(code=second.code, order_id="1", order_amount=200, merchant="tmall")
    assert Redemption.objects.count() == 2


def test_validation_checks_every_rule_but_redeems_nothing(code):
    result = coupon_validate(code=code.code, order_id="V-1", order_amount="1000")
    assert result.discount_amount == Decimal("100.00")
    assert result.redemption_id is None
    with pytest.raises(DomainError) as refused:
        coupon_validate(code=code.code, order_id="V-1", order_amount="50")
    assert refused.value.code == "order_below_minimum"
    assert Redemption.objects.count() == 0
    code.refresh_from_db()
    assert code.redeemed_count == 0


def test_a_redemption_is_attributed_to_the_case_mention_and_ambassador(
    campaign, ambassador
):
    from engagement.models import Case
    from listening.services import mentions_store
    from tests.listening.factories import make_post

    mention_id = mentions_store(posts=[make_post(1)]).created_ids[0]
    case = Case.objects.create(platform="weibo", thread_key="1")
    make_codes(campaign, count=1)
    issued = coupon_issue(
        campaign_id=campaign.id,
        platform="weibo",
        platform_user_id="1001",
        ambassador=ambassador,
        case_id=case.id,
        mention_id=mention_id,
    )
    redeem(issued.display, amount="888", platform="weibo", platform_user_id="1001")
    redemption = Redemption.objects.get()
    assert redemption.campaign_id == campaign.id
    assert redemption.platform == "weibo"
    assert redemption.platform_user_id == "1001"
    assert redemption.case_id == case.id
    assert redemption.mention_id == mention_id
    assert redemption.ambassador_id == ambassador.id
    assert redemption.order_amount == Decimal("888.00")
