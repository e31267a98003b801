"""What the author wants: complaint, support question, purchase intent, praise,
suggestion, or other.

Cue phrases per intent (Chinese and English) are weighted and summed, then the
sentiment adds its weight: a negative post leans to complaint, a positive one to
praise. The highest sum wins if it reaches MIN_SCORE; ties go to the intent that needs
a person soonest (complaint, question, purchase, suggestion, praise). Only the
author's own words count, not the repost chain they quote.
"""

from __future__ import annotations

import re

from .sentiment import NEGATIVE, POSITIVE, SentimentResult

COMPLAINT, QUESTION, PURCHASE, PRAISE, SUGGESTION, OTHER = (
    "complaint",
    "question",
    "purchase",
    "praise",
    "suggestion",
    "other",
)
# Tie-break order: the intent that needs a person soonest first.
ORDER = (COMPLAINT, QUESTION, PURCHASE, SUGGESTION, PRAISE)
# Below this, nothing the post says is clear enough: "other".
MIN_SCORE = 1.0

_CUES: dict[str, list[tuple[float, str]]] = {
    COMPLAINT: [
        (
            2.0,
            r"投诉|维权|退货|退款|换货|返修|坑爹|坑人|骗子|太坑|垃圾|辣鸡|差评|"
            r"再也不买|再也不会买|没人管|没人理|不发货|打不通|敷衍|忽悠|欺骗|"
            r"消协|3\.15|315|曝光",
        ),
        (
            1.5,
            r"蓝屏|黑屏|死机|花屏|开不了机|开不开机|无法开机|卡死|卡成|坏了|"
            r"又坏|烧了|进水|自动关机|过热|坏点|漏光|异响|掉漆|故障|"
            r"醉了|无语|失望|后悔|气死|崩溃|心塞|伤不起|失灵|鼓包|闪烁|掉线|"
            r"充不进电|装不上|发热严重|狂转|浮云|召回|管不管",
        ),
        (
            2.0,
            r"\b(?:worst|refund|scam|rip-?off|never again|broken|broke|bsod|"
            r"blue screen|crash(?:ed|es|ing)?|won'?t (?:boot|turn on|charge)|"
            r"dead pixels?|overheat\w*|terrible|awful|unacceptable|disappointed|"
            r"complain\w*|still waiting|on hold|waiting for|call me back|seriously|"
            r"blue-?screen\w*|bsods?|swollen|stopped working|flickers?|"
            r"keeps (?:dropping|crashing|freezing))\b",
        ),
    ],
    QUESTION: [
        (
            2.0,
            r"怎么办|肿么办|怎么弄|怎么解决|如何解决|怎么回事|请问|求助|求解|求教|"
            r"有谁知道|有没有人知道|谁知道|哪里可以|在哪里|在哪|怎么联系|"
            r"客服电话|电话多少|电话是多少|怎么查|有没有.{0,4}知道|哪里有",
        ),
        (1.0, r"[?？]|吗[。\s]*$|为什么|为啥|咋|能不能|可不可以|是否|有木有"),
        (1.0, r"如何|怎样|怎么(?!办)"),
        (
            2.0,
            r"\b(?:how (?:do|can|to|long)|can (?:i|you|someone)|is there|"
            r"what(?:'s| is) the|where (?:can|do|is)|help me|need help|"
            r"any (?:idea|advice)|why (?:does|is|do|won'?t))\b",
        ),
        (2.5, r"\b(?:anyone know|does anyone|has anyone|did you try)\b"),
    ],
    PURCHASE: [
        (
            2.5,
            r"想买|想入手|准备入手|打算入手|准备买|打算买|要买|求推荐|值得买|值不值|"
            r"哪款好|买哪个|买哪款|选哪个|选哪款|入哪个|下单|剁手|种草|预算|"
            r"多少钱|报价|什么价|有优惠|优惠券|团购|采购|换.{0,4}试试|"
            r"想.{0,4}买|想入|贵不贵",
        ),
        (
            1.0,
            r"(?<![刚已])入手(?!了)|价格|优惠|促销|打折|便宜|性价比|纠结|购买|"
            r"给点建议|求建议",
        ),
        (
            2.5,
            r"\b(?:want to buy|wanna buy|thinking (?:of|about) (?:buying|getting)|"
            r"should i (?:buy|get)|looking (?:for|to buy)|which (?:one|laptop|model)|"
            r"recommend (?:a|me)|how much (?:is|does)|price of|in the market for|"
            r"need a new (?:laptop|computer|pc|monitor)|worth (?:it|buying)|"
            r"(?:buy|order)ing (?:a|an|the|my)|coupon|discount code|deal on)\b",
        ),
    ],
    SUGGESTION: [
        (
            2.5,
            r"(?<!给点)(?<!求)(?<!什么)建议(?!\W*$)|提议|希望能|希望可以|希望戴尔|"
            r"要是能|如果能|能不能出|"
            r"应该出|最好能|改进|改善一下|加个|增加一个|出一款|期待.{0,6}推出",
        ),
        (1.0, r"希望|期待|应该"),
        (
            2.5,
            r"\b(?:suggest\w*|feature request|would be (?:nice|great|cool) if|"
            r"please (?:add|make|bring)|you should|i wish|wish (?:you|dell|they)|"
            r"idea:|why not (?:make|add))\b",
        ),
    ],
    PRAISE: [
        (
            2.0,
            r"给力|点赞|好评|神器|良心|靠谱|推荐|满意|超赞|太棒|真棒|感谢|谢谢|"
            r"喜欢|爱死|完美|好用|流畅|赞|漂亮|不卡|很稳|专业|搞定|不错|"
            r"\[赞\]|\[good\]|\[心\]|\[爱你\]|\[给力\]",
        ),
        (
            2.0,
            r"\b(?:love|loving|great|awesome|amazing|excellent|perfect|thanks?|"
            r"thank you|kudos|best|fantastic|impressed|recommend|fixed my|wow)\b",
        ),
    ],
}
_HAN_RE = re.compile(r"[\u4e00-\u9fff]")
_LATIN_RE = re.compile(r"[A-Za-z]")
# (weight, pattern, English only): the English cues are words, so a post without a
# Latin letter cannot match them and is not searched for them (most Weibo posts: half
# the searches of the classifier saved).
_PATTERNS = {
    intent: [
        (weight, re.compile(pattern, re.IGNORECASE), not _HAN_RE.search(pattern))
        for weight, pattern in cues
    ]
    for intent, cues in _CUES.items()
}
# How much the sentiment moves the balance.
NEGATIVE_TO_COMPLAINT = 1.0
SARCASM_TO_COMPLAINT = 1.0
POSITIVE_TO_PRAISE = 0.5


# Links, @names and #topics# are labels, not requests ("#求推荐#" on a complaint).
_UNITS_RE = re.compile(r"https?://\S+|@[\w\-\u4e00-\u9fff]{1,30}|#[^#\n]{1,40}#|#\w+")


def scores(text: str, sentiment: SentimentResult) -> dict[str, float]:
    text = _UNITS_RE.sub(" ", text)
    result = dict.fromkeys(ORDER, 0.0)
    latin = _LATIN_RE.search(text) is not None
    for intent, patterns in _PATTERNS.items():
        for weight, pattern, english in patterns:
            if (latin or not english) and pattern.search(text):
                result[intent] += weight
    if sentiment.label == NEGATIVE:
        result[COMPLAINT] += NEGATIVE_TO_COMPLAINT
        result[PRAISE] = 0.0  # praise words in a negative post are not praise
    elif sentiment.label == POSITIVE:
        result[PRAISE] += POSITIVE_TO_PRAISE
        # A clearly happy post is no complaint, whatever words it uses.
        result[COMPLAINT] *= 0.5
    if sentiment.sarcasm and sentiment.label == NEGATIVE:
        result[COMPLAINT] += SARCASM_TO_COMPLAINT
    return result


def classify(text: str, sentiment: SentimentResult) -> str:
    """The intent of a post's own words (simplified if Chinese)."""
    result = scores(text, sentiment)
    best = max(ORDER, key=lambda intent: (result[intent], -ORDER.index(intent)))
    return best if result[best] >= MIN_SCORE else OTHER
