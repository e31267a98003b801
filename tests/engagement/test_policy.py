import pytest

from engagement.models import PolicyRule
from engagement.services import reply_policy_check

pytestmark = pytest.mark.django_db


def rule(kind, value="", message=""):
    return PolicyRule.objects.create(kind=kind, value=value, message=message)


def check(text, platform="weibo", signature=""):
    return reply_policy_check(text=text, platform=platform, signature=signature)


def test_a_clean_reply_passes():
    for kind in ("phone_number", "order_number", "price_promise"):
        rule(kind)
    rule("banned_word", "垃圾")
    assert check("您好，请私信我们，我们会尽快处理。") == []


def test_a_banned_word_is_named_with_where_it_is():
    rule("banned_word", "Sucks")
    [violation] = check("Honestly the old model sucks, try the new one")
    assert violation.code == "banned_word"
    assert violation.message == "Contains the banned word “Sucks”."
    assert violation.fragment == "sucks"
    assert (violation.start, violation.end) == (23, 28)


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("请拨打 138 0013 8000 联系我们", "138 0013 8000"),
        ("call +86-138-0013-8000 now", "+86-138-0013-8000"),
        ("热线800-858-2969", "800-858-2969"),
        ("打010-6532 1234", "010-6532 1234"),
        ("全角１３８００１３８０００也算", "１３８００１３８０００"),
    ],
)
def test_phone_numbers_are_refused_with_the_number_quoted(text, fragment):
    rule("phone_number")
    [violation] = check(text)
    assert violation.code == "phone_number"
    assert violation.fragment == fragment
    assert f"“{fragment}”" in violation.message
    assert "private message" in violation.message


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("您的订单号：A12345678 已发货", "订单号：A12345678"),
        ("Your order #7654321 shipped", "order #7654321"),
        ("单号 987654321", "单号 987654321"),
        ("查一下 2011053117 这个", "2011053117"),
    ],
)
def test_order_numbers_are_refused(text, fragment):
    rule("order_number")
    [violation] = check(text)
    assert violation.code == "order_number"
    assert violation.fragment == fragment


def test_words_after_order_are_not_an_order_number():
    rule("order_number")
    assert check("Your order status is on the support site") == []


def test_a_phone_number_is_not_reported_again_as_an_order_number():
    rule("phone_number")
    rule("order_number")
    assert [v.code for v in check("电话13800138000")] == ["phone_number"]


@pytest.mark.parametrize(
    "text",
    [
        "这款现在只要4999元",
        "保证全网最低价",
        "We guarantee the lowest price",
        "It's just $999 today",
        "我们承诺价格不变",
    ],
)
def test_price_promises_are_refused(text):
    rule("price_promise")
    [violation] = check(text)
    assert violation.code == "price_promise"
    assert "never promised" in violation.message


def test_an_admin_pattern_extends_the_built_in_one():
    rule("order_number", value=r"\bDL-\d{4}\b")
    [violation] = check("Case DL-1234 is open")
    assert violation.fragment == "DL-1234"


def test_a_missing_disclosure_signature_is_named():
    rule("disclosure")
    [violation] = check("Thanks!", signature="—Dell employee Wang")
    assert violation.code == "disclosure"
    assert "“—Dell employee Wang”" in violation.message
    assert check("Thanks! —Dell employee Wang", signature="—Dell employee Wang") == []


def test_an_author_without_a_signature_cannot_pass_the_disclosure_rule():
    rule("disclosure")
    [violation] = check("Thanks!", signature="")
    assert "no disclosure signature" in violation.message


def test_a_custom_message_replaces_the_built_in_one():
    rule("banned_word", "cheap", message="Say “affordable”, not %(word)s.")
    [violation] = check("A cheap laptop")
    assert violation.message == "Say “affordable”, not cheap."


def test_weibo_counts_a_chinese_character_as_two():
    exactly = "戴" * 140
    assert check(exactly) == []
    [violation] = check(exactly + "a")
    assert violation.code == "too_long"
    assert violation.message == (
        "The reply is 281 long as Weibo counts it; the limit is 280. Shorten it by 1."
    )


def test_twitter_counts_a_link_as_23():
    text = "x" * 256 + " https://example.com/" + "a" * 100
    assert check(text, platform="twitter") == []  # 256 + 1 + 23 = 280
    assert [v.code for v in check("!" + text, platform="twitter")] == ["too_long"]


def test_every_violation_is_reported_at_once():
    rule("banned_word", "垃圾")
    rule("phone_number")
    rule("disclosure")
    codes = [v.code for v in check("垃圾 13800138000", signature="—小王")]
    assert sorted(codes) == ["banned_word", "disclosure", "phone_number"]


def test_disabled_rules_are_not_checked():
    PolicyRule.objects.create(kind="banned_word", value="垃圾", enabled=False)
    assert check("垃圾") == []


def test_an_empty_reply_is_refused():
    assert [v.code for v in check("   ")] == ["empty"]
