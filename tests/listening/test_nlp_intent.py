"""Intent of each class, in Chinese and English."""

import pytest

from listening.nlp.pipeline import analyzer


@pytest.fixture(scope="module")
def analyze():
    return analyzer(use_database=False).analyze


@pytest.mark.parametrize(
    "text, intent",
    [
        ("戴尔售后太坑了，我要投诉！修了三次还是蓝屏", "complaint"),
        ("新买的灵越屏幕有坏点，客服还不给换，气死了", "complaint"),
        (
            "My XPS keeps crashing and support is useless. Worst purchase ever.",
            "complaint",
        ),
        ("请问戴尔笔记本蓝屏了怎么办？重装系统有用吗", "question"),
        ("有谁知道外星人的客服电话是多少？", "question"),
        ("How do I update the BIOS on my Inspiron 15?", "question"),
        ("想入手一台游戏本，外星人和拯救者哪个好？", "purchase"),
        ("预算八千，求推荐轻薄本，XPS值得买吗", "purchase"),
        ("Thinking of buying an XPS 13 or a MacBook Air, which one?", "purchase"),
        ("外星人到手，跑分给力，颜值也高，好评！", "praise"),
        ("Love my new Alienware, thanks Dell!", "praise"),
        ("建议戴尔出一款带背光键盘的轻薄本，希望能加个指纹识别", "suggestion"),
        (
            "It would be great if Dell made the XPS in black. Please add a numpad.",
            "suggestion",
        ),
        ("下午三点开会，记得带上电脑和充电器", "other"),
        ("Watching the game tonight", "other"),
    ],
)
def test_intent_of_each_class(analyze, text, intent):
    assert analyze(text).intent == intent


def test_the_repost_chain_does_not_set_the_authors_intent(analyze):
    result = analyze("哈哈哈//@小明: 请问戴尔蓝屏怎么办？")
    assert result.intent != "question"
