"""Sentiment on microblog slang, sarcasm and mixed posts (examples written for the
tests, not taken from any training data)."""

import pytest

from listening.nlp.pipeline import analyzer


@pytest.fixture(scope="module")
def analyze():
    return analyzer(use_database=False).analyze


@pytest.mark.parametrize(
    "text",
    [
        "戴尔这售后真坑爹，电脑修了一个月还没修好",
        "新买的笔记本三天两头蓝屏，我也是醉了",
        "呵呵，又死机了，这电脑真不给力",
        "无语了，客服电话永远打不通 [怒]",
        "这什么破电脑，卡成狗，再也不买了",
        "The fan is so loud and the battery died after a week. Worst laptop ever.",
        "Support kept me on hold for two hours and then hung up. Useless.",
    ],
)
def test_slang_and_plain_complaints_are_negative(analyze, text):
    result = analyze(text)
    assert result.sentiment_label == "negative", result
    assert result.sentiment < 0.4


@pytest.mark.parametrize(
    "text",
    [
        "外星人到手，跑分给力，颜值也高 [哈哈]",
        "戴尔的上门服务真给力，第二天工程师就来换了主板，点赞！",
        "XPS屏幕太漂亮了，良心之作，强烈推荐[赞]",
        "新电脑开机飞快，666",
        "Love my new XPS 13, the screen is gorgeous!",
        "Dell support fixed my laptop in one day. Thank you, great service!",
    ],
)
def test_slang_and_plain_praise_is_positive(analyze, text):
    result = analyze(text)
    assert result.sentiment_label == "positive", result
    assert result.sentiment > 0.6


@pytest.mark.parametrize(
    "text",
    [
        "戴尔的售后真是太给力了，修了三次还是蓝屏",
        "谢谢戴尔，新电脑第一天就黑屏，真是太好了",
        "呵呵，外星人又开不了机了，厉害了我的戴尔",
        "Great, another blue screen. Thanks a lot Dell.",
        "Just what I needed, my new laptop won't boot the day before my exam.",
        "Oh great, the replacement is broken too. Yeah right, 'quality'.",
    ],
)
def test_sarcastic_praise_of_a_fault_is_flagged_and_negative(analyze, text):
    result = analyze(text)
    assert result.sarcasm, result
    assert result.sentiment_label == "negative", result


def test_praise_and_blame_that_do_not_settle_are_flagged_as_mixed(analyze):
    result = analyze("屏幕很漂亮，就是有点失望，风扇声音不小")
    assert result.sarcasm
    assert result.sentiment_label != "positive"


def test_plain_praise_and_plain_complaints_are_not_flagged(analyze):
    assert not analyze("外星人到手，跑分给力，颜值也高 [哈哈]").sarcasm
    assert not analyze("电脑又蓝屏了，郁闷").sarcasm
    assert not analyze("Love my new XPS 13, the screen is gorgeous!").sarcasm


def test_negated_fault_is_not_a_complaint(analyze):
    fault = analyze("换了新系统以后一直蓝屏")
    fixed = analyze("换了新系统以后再也没有蓝屏了，开心")
    assert fixed.sentiment > fault.sentiment
    assert fixed.sentiment_label == "positive"


def test_traditional_chinese_is_scored_like_simplified(analyze):
    traditional = analyze("戴爾的售後真坑爹，電腦修了一個月還沒修好")
    simplified = analyze("戴尔的售后真坑爹，电脑修了一个月还没修好")
    assert traditional.lang == "zh"
    assert traditional.sentiment == simplified.sentiment
    assert traditional.brands == ["dell"]


def test_the_repost_chain_gives_a_bare_repost_its_sentiment(analyze):
    result = analyze("转发微博//@小明: 戴尔售后太坑了，再也不买了 [怒]")
    assert result.sentiment_label == "negative"
    assert result.tokens == ["转发微博"]
    assert "//@小明" in result.repost


def test_other_languages_are_neutral_not_guessed(analyze):
    result = analyze("今日は新しいパソコンを買いました")
    assert result.lang == "ja"
    assert result.sentiment == 0.5
    assert result.sentiment_label == "neutral"


def test_hostile_input_is_analysed_without_error(analyze):
    for text in ["", " ", "\x00\ud83d", "[" * 5000, "//@" * 3000, "哈" * 50_000]:
        result = analyze(text)
        assert 0.0 <= result.sentiment <= 1.0
