import pytest

from listening.adapters.lengths import fits, max_length, text_length


def test_weibo_counts_ascii_as_one_and_everything_else_as_two():
    assert text_length("weibo", "Dell XPS") == 8
    assert text_length("weibo", "戴尔XPS") == 7
    assert text_length("weibo", "，") == 2


def test_weibo_takes_140_chinese_characters():
    assert max_length("weibo") == 280
    assert fits("weibo", "戴" * 140)
    assert not fits("weibo", "戴" * 141)
    assert fits("weibo", "a" * 280)


def test_twitter_weighs_cjk_double_and_latin_single():
    assert text_length("twitter", "hello") == 5
    assert text_length("twitter", "戴尔") == 4
    assert text_length("twitter", "café") == 4
    assert fits("twitter", "戴" * 140)
    assert not fits("twitter", "戴" * 141)


def test_twitter_counts_every_link_as_23():
    short = "see https://t.co/x"
    long = "see https://www.dell.com/support/home/en-us/product-support/" + "x" * 80

    assert text_length("twitter", short) == 4 + 23
    assert text_length("twitter", long) == 4 + 23


def test_twitter_normalises_to_nfc_before_counting():
    decomposed = "cafe\u0301"  # e + combining acute: 5 code points, 4 after NFC

    assert text_length("twitter", decomposed) == 4


@pytest.mark.parametrize(
    "emoji",
    ["😤", "👍🏽", "👨\u200d👩\u200d👧", "🇨🇳", "❤\ufe0f", "1\ufe0f\u20e3"],
)
def test_twitter_counts_one_emoji_sequence_as_two(emoji):
    assert text_length("twitter", emoji) == 2


def test_renren_counts_characters_up_to_240():
    assert text_length("renren", "戴尔XPS") == 5
    assert max_length("renren") == 240
    assert fits("renren", "戴" * 240)
    assert not fits("renren", "戴" * 241)


def test_unknown_platform_is_an_error():
    with pytest.raises(ValueError):
        text_length("myspace", "hi")
    with pytest.raises(ValueError):
        max_length("myspace")
