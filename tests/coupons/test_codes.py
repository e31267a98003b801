import re
import time

import pytest

from common.errors import DomainError
from coupons.codes import (
    ALPHABET,
    code_display,
    code_is_valid,
    code_normalize,
    codes_random,
)
from coupons.models import CodeBatch, CouponCode
from coupons.services import code_batch_create, code_batch_generate, codes_generate
from tests.coupons.factories import make_campaign


def test_codes_avoid_look_alike_characters_and_are_grouped_by_four():
    codes = codes_random(2000)
    assert all(code_is_valid(code) for code in codes)
    assert not set("".join(codes)) & set("01OI")
    assert set("".join(codes)) == set(ALPHABET)  # every letter is used
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code_display(codes[0]))


def test_random_codes_do_not_repeat():
    codes = codes_random(50_000)
    assert len(set(codes)) == len(codes)


def test_typed_codes_are_normalised_for_case_spaces_and_dashes():
    assert code_normalize(" abcd-efgh jkLM ") == "ABCDEFGHJKLM"
    assert (
        code_normalize("ＡＢＣＤ－ＥＦＧＨ－ＪＫＬＭ") == "ABCDEFGHJKLM"
    )  # full width
    assert code_normalize("abcd_efgh.jklm") == "ABCDEFGHJKLM"
    assert not code_is_valid(code_normalize("ABCD-EFGH-JKL0"))  # 0 is not a letter
    assert not code_is_valid(code_normalize("ABCD-EFGH"))


@pytest.mark.django_db
def test_a_batch_makes_exactly_the_codes_asked_for():
    campaign = make_campaign()
    batch = codes_generate(campaign_id=campaign.id, count=25, max_redemptions=3)
    assert batch.status == CodeBatch.Status.DONE and batch.generated == 25
    codes = CouponCode.objects.filter(batch_id=batch.id)
    assert codes.count() == 25
    assert {c.max_redemptions for c in codes} == {3}


@pytest.mark.django_db
def test_generating_a_batch_twice_makes_no_more_codes():
    campaign = make_campaign()
    batch = code_batch_create(campaign_id=campaign.id, count=10)
    code_batch_generate(batch_id=batch.id)
    code_batch_generate(batch_id=batch.id)
    assert CouponCode.objects.filter(campaign=campaign).count() == 10


@pytest.mark.django_db
def test_the_budget_caps_the_codes_a_campaign_can_have():
    campaign = make_campaign(budget=100)
    codes_generate(campaign_id=campaign.id, count=40, max_redemptions=2)
    with pytest.raises(DomainError) as refused:
        codes_generate(campaign_id=campaign.id, count=11, max_redemptions=2)
    assert refused.value.code == "budget_exceeded"
    codes_generate(campaign_id=campaign.id, count=20)  # exactly the rest
    assert CouponCode.objects.filter(campaign=campaign).count() == 60


@pytest.mark.django_db
@pytest.mark.slow
def test_one_hundred_thousand_unique_codes_in_one_go():
    campaign = make_campaign()
    started = time.perf_counter()
    batch = codes_generate(campaign_id=campaign.id, count=100_000)
    elapsed = time.perf_counter() - started
    codes = CouponCode.objects.filter(campaign=campaign)
    assert batch.generated == 100_000
    assert codes.count() == 100_000
    assert codes.values("code").distinct().count() == 100_000
    assert all(code_is_valid(c) for c in codes.values_list("code", flat=True))
    print(f"100,000 codes in {elapsed:.1f} s")
