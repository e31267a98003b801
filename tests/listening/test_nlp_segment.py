"""Segmentation: dictionary terms stay whole, microblog units are recognised."""

import pytest

from listening.nlp.language import detect_language, to_simplified
from listening.nlp.pipeline import analyzer
from listening.nlp.segment import segment


@pytest.mark.parametrize(
    "text, term",
    [
        ("我的戴尔笔记本又蓝屏了", "戴尔"),
        ("我的戴尔笔记本又蓝屏了", "蓝屏"),
        ("外星人笔记本跑分真给力", "给力"),
        ("刚买的灵越游匣到了", "灵越游匣"),
        ("这售后真坑爹", "坑爹"),
        ("联想的客服我也是醉了", "也是醉了"),
        ("华硕玩家国度和宏碁掠夺者怎么选", "玩家国度"),
        ("华硕玩家国度和宏碁掠夺者怎么选", "掠夺者"),
    ],
)
def test_dictionary_terms_are_never_split(text, term):
    analyzer(use_database=False)  # the analyser's jieba: lexicon and brand terms
    assert term in segment(text).tokens


def test_emoticon_codes_are_single_tokens():
    seg = segment("气死我了[怒][抓狂]，又死机")
    assert "[怒]" in seg.tokens
    assert "[抓狂]" in seg.tokens
    assert seg.emoticons == ["[怒]", "[抓狂]"]
    assert "怒" not in seg.tokens


def test_mentions_topics_and_links_are_units():
    seg = segment("@戴尔中国 #戴尔蓝屏# 看这里 http://t.cn/zOXAaic 怎么办")
    assert seg.mentions == ["@戴尔中国"]
    assert seg.topics == ["#戴尔蓝屏#"]
    assert seg.urls == ["http://t.cn/zOXAaic"]
    assert {"@戴尔中国", "#戴尔蓝屏#", "http://t.cn/zOXAaic"} <= set(seg.tokens)


def test_repost_chain_is_separated_from_the_authors_words():
    seg = segment("同感，太坑了//@小明: 戴尔售后一直不回复//@戴尔中国: 已私信")
    assert seg.own_text == "同感，太坑了"
    assert seg.chain_text.startswith("//@小明")
    assert "小明" not in "".join(seg.tokens)
    assert "//@小明" in seg.chain_tokens
    assert "//@戴尔中国" in seg.chain_tokens
    assert "售后" in seg.chain_tokens
    assert "售后" not in seg.tokens


def test_a_bare_repost_is_recognised():
    seg = segment("转发微博//@小明: 外星人真香")
    assert seg.is_bare_repost
    assert not segment("说得对//@小明: 外星人真香").is_bare_repost


def test_twitter_retweet_prefix_is_a_repost_chain():
    seg = segment("RT @dell: New XPS 13 is here")
    assert seg.own_text == ""
    assert "xps" in seg.chain_tokens


def test_english_is_tokenised_without_jieba_splitting_words():
    assert segment("Great, another blue screen!").tokens == [
        "great",
        ",",
        "another",
        "blue",
        "screen",
        "!",
    ]


def test_traditional_chinese_is_normalised_to_simplified():
    assert (
        to_simplified("戴爾筆電藍屏了，售後服務太爛") == "戴尔笔电蓝屏了，售后服务太烂"
    )
    assert detect_language("戴爾筆電藍屏了，售後服務太爛") == "zh"


@pytest.mark.parametrize(
    "text, lang",
    [
        ("戴尔的电脑不错", "zh"),
        ("My Dell laptop is great", "en"),
        ("今日は新しいパソコンを買いました", "ja"),
        ("Me encanta mi nuevo portátil, gracias", "es"),
        ("Eu adoro o meu computador novo, obrigado", "pt"),
        ("새 노트북을 샀어요 정말 좋아요", "ko"),
        ("Мой новый ноутбук отличный", "other"),
        ("@戴尔中国 [怒][怒]", "zh"),
    ],
)
def test_language_is_recognised(text, lang):
    assert detect_language(text) == lang


def test_platform_hint_decides_only_when_the_text_says_nothing():
    assert detect_language("http://t.co/x 👍", hint="pt") == "pt"
    assert detect_language("this is great", hint="pt") == "en"
