"""Issuing a code from the reply composer."""

from datetime import timedelta

import pytest
from django.utils import timezone

from common.errors import DomainError
from coupons.models import CouponCode
from coupons.selectors import campaigns_available_for_platform
from coupons.services import campaign_set_status, campaign_update, coupon_issue
from tests.coupons.factories import make_campaign, make_codes

pytestmark = pytest.mark.django_db


def issue(campaign, ambassador, *, platform="weibo", uid="1001", **extra):
    return coupon_issue(
        campaign_id=campaign.id,
        platform=platform,
        platform_user_id=uid,
        ambassador=ambassador,
        **extra,
    )


def issue_refusal(campaign, ambassador, **kwargs) -> str:
    with pytest.raises(DomainError) as refused:
        issue(campaign, ambassador, **kwargs)
    return refused.value.code


def test_an_issued_code_is_bound_to_the_customer_and_the_ambassador(ambassador):
    campaign = make_campaign()
    make_codes(campaign, count=2)
    code = issue(campaign, ambassador, uid="1001")
    code.refresh_from_db()
    assert code.issued_at is not None
    assert (code.issued_platform, code.issued_platform_user_id) == ("weibo", "1001")
    assert code.issued_by == ambassador


def test_a_weibo_campaign_cannot_be_issued_on_twitter(ambassador):
    campaign = make_campaign(platforms=["weibo"])
    make_codes(campaign, count=2)
    assert (
        issue_refusal(campaign, ambassador, platform="twitter")
        == "platform_not_allowed"
    )
    assert not CouponCode.objects.filter(issued_at__isnull=False).exists()


def test_a_campaign_open_to_every_platform_issues_anywhere(ambassador):
    campaign = make_campaign(platforms=[])
    make_codes(campaign, count=2)
    assert issue(campaign, ambassador, platform="renren", uid="r-1")


def test_one_weibo_uid_gets_one_code(ambassador):
    campaign = make_campaign(per_customer_limit=1)
    make_codes(campaign, count=5)
    issue(campaign, ambassador, uid="1001")
    assert issue_refusal(campaign, ambassador, uid="1001") == "customer_limit_reached"
    assert issue(campaign, ambassador, uid="1002")


def test_asking_again_in_the_same_case_returns_the_same_code(ambassador):
    from engagement.models import Case

    case = Case.objects.create(platform="weibo", thread_key="9")
    campaign = make_campaign()
    make_codes(campaign, count=5)
    first = issue(campaign, ambassador, case_id=case.id)
    again = issue(campaign, ambassador, case_id=case.id)
    assert first.id == again.id
    assert CouponCode.objects.filter(issued_at__isnull=False).count() == 1


def test_a_campaign_that_ran_out_says_so(ambassador):
    campaign = make_campaign(per_customer_limit=5)
    make_codes(campaign, count=1)
    issue(campaign, ambassador, uid="1")
    assert issue_refusal(campaign, ambassador, uid="2") == "campaign_exhausted"


def test_public_multi_use_codes_are_not_handed_out_one_by_one(ambassador):
    campaign = make_campaign()
    make_codes(campaign, count=1, uses=50)
    assert issue_refusal(campaign, ambassador) == "campaign_exhausted"


def test_a_paused_or_closed_campaign_issues_nothing(ambassador):
    campaign = make_campaign()
    make_codes(campaign, count=3)
    campaign_set_status(campaign_id=campaign.id, status="paused")
    assert issue_refusal(campaign, ambassador) == "campaign_paused"
    campaign_set_status(campaign_id=campaign.id, status="closed")
    assert issue_refusal(campaign, ambassador) == "campaign_closed"


def test_a_campaign_past_its_end_issues_nothing(ambassador):
    campaign = make_campaign()
    make_codes(campaign, count=3)
    campaign_update(
        campaign_id=campaign.id,
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(minutes=1),
    )
    assert issue_refusal(campaign, ambassador) == "campaign_closed"


def test_an_unknown_campaign_or_a_missing_customer_is_a_clear_error(ambassador):
    campaign = make_campaign()
    make_codes(campaign, count=1)
    with pytest.raises(DomainError) as refused:
        coupon_issue(
            campaign_id=999999, platform="weibo", platform_user_id="1", ambassador=None
        )
    assert refused.value.code == "campaign_not_found"
    assert issue_refusal(campaign, ambassador, uid=" ") == "invalid_customer"
    assert issue_refusal(campaign, ambassador, platform="myspace") == "invalid_platform"
    assert issue_refusal(campaign, ambassador, case_id=424242) == "case_not_found"


def test_the_composer_lists_the_campaigns_it_may_use_on_a_platform():
    weibo_only = make_campaign(name="weibo only", platforms=["weibo"])
    everywhere = make_campaign(name="everywhere", platforms=[])
    paused = make_campaign(name="paused", platforms=[])
    campaign_set_status(campaign_id=paused.id, status="paused")
    make_codes(weibo_only, count=2)
    on_weibo = {
        c.name: c.codes_available
        for c in campaigns_available_for_platform(platform="weibo")
    }
    on_twitter = [c.name for c in campaigns_available_for_platform(platform="twitter")]
    assert on_weibo == {"weibo only": 2, "everywhere": 0}
    assert on_twitter == ["everywhere"]
    assert (
        campaigns_available_for_platform(platform="twitter", with_codes_only=True) == []
    )
    assert everywhere.id not in [
        c.id
        for c in campaigns_available_for_platform(
            platform="weibo", with_codes_only=True
        )
    ]
