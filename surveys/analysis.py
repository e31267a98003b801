"""Keywords and sentiment of free-text answers and product ideas.

The listening room's analyser (``listening.nlp``: jieba with the brand and product
dictionary, the trained sentiment models) when it is there; otherwise jieba's TF-IDF
keywords and SnowNLP's sentiment, so survey results never depend on it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

logger = logging.getLogger(__name__)

KEYWORDS_PER_ANSWER = 6
# Answers are capped at 2,000 characters on input; this bounds the work again.
MAX_ANALYZED_CHARS = 2000


@dataclass(frozen=True)
class TextAnalysis:
    keywords: list[str]
    sentiment: float | None  # -1 (negative) … 1 (positive)
    label: str  # negative, neutral, positive, or "" when unknown


def _label(score: float | None) -> str:
    if score is None:
        return ""
    if score <= -0.2:
        return "negative"
    if score >= 0.2:
        return "positive"
    return "neutral"


# A wish that complains: "售后维修太慢了，希望能上门服务" is an idea *and* a complaint.
# Suggestions read as neutral or even positive to a sentiment model ("希望",
# "please", "I wish" are friendly words), so an answer phrased as a wish that also
# names something wrong counts as negative.
WISH = re.compile(
    r"希望|建议|要是|如果能|能不能|可不可以|最好|i wish|please|would be (nice|great)"
    r"|should|could you|hope",
    re.IGNORECASE,
)
GRIEVANCE = re.compile(
    r"太(慢|贵|少|差|久|难|小|重|吵|烫|卡)|不(好|够|行|能|方便|满意|稳定)|很(差|慢|烂)"
    r"|慢了|坏了|没(有|人)|难用|麻烦|失望|投诉|等了"
    r"|too (slow|expensive|few|long|hot|loud)|slow|broken|never|not enough"
    r"|doesn'?t|don'?t|can'?t|won'?t|took (\w+ )?(days|weeks|hours)|poor|bad|terrible",
    re.IGNORECASE,
)
WISH_COMPLAINT_SCORE = -0.4


def wish_complaint(text: str) -> bool:
    """An answer phrased as a wish that also says what is wrong."""
    return bool(WISH.search(text) and GRIEVANCE.search(text))


def _with_listening(text: str) -> TextAnalysis | None:
    try:
        from listening.nlp.pipeline import analyze_text
    except ImportError:
        return None
    result = analyze_text(text)
    # listening.nlp scores 0 (negative) … 1 (positive); answers use -1 … 1.
    score = 2 * float(result.sentiment) - 1
    label = result.sentiment_label or _label(score)
    return TextAnalysis(
        keywords=list(result.keywords)[:KEYWORDS_PER_ANSWER],
        sentiment=round(score, 4),
        label=label,
    )


def _complaints_as_negative(result: TextAnalysis, text: str) -> TextAnalysis:
    if result.label == "negative" or not wish_complaint(text):
        return result
    score = (
        WISH_COMPLAINT_SCORE
        if result.sentiment is None
        else min(result.sentiment, WISH_COMPLAINT_SCORE)
    )
    return TextAnalysis(keywords=result.keywords, sentiment=score, label="negative")


def _with_jieba(text: str) -> TextAnalysis:
    import jieba.analyse

    keywords = jieba.analyse.extract_tags(text, topK=KEYWORDS_PER_ANSWER)
    score = None
    if any("\u4e00" <= ch <= "\u9fff" for ch in text):
        from snownlp import SnowNLP

        score = 2 * SnowNLP(text).sentiments - 1
    else:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        score = SentimentIntensityAnalyzer().polarity_scores(text)["compound"]
    return TextAnalysis(keywords=keywords, sentiment=score, label=_label(score))


def text_analyze(text: str) -> TextAnalysis:
    text = (text or "").strip()[:MAX_ANALYZED_CHARS]
    if not text:
        return TextAnalysis(keywords=[], sentiment=None, label="")
    try:
        result = _with_listening(text)
    except Exception:  # the shared analyser failing must not lose survey answers
        logger.exception("listening.nlp failed on a survey answer; using jieba")
        result = None
    result = result if result is not None else _with_jieba(text)
    return _complaints_as_negative(result, text)


def sentiment_label(score: float | None) -> str:
    return _label(score)
