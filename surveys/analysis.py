"""Keywords and sentiment of free-text answers and product ideas.

The listening room's analyser (``listening.nlp``: jieba with the brand and product
dictionary, the trained sentiment models) when it is there; otherwise jieba's TF-IDF
keywords and SnowNLP's sentiment, so survey results never depend on it.
"""

from __future__ import annotations

import logging
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


def _with_listening(text: str) -> TextAnalysis | None:
    try:
        from listening.nlp.pipeline import analyze_text
    except ImportError:
        return None
    result = analyze_text(text)
    return TextAnalysis(
        keywords=list(result.keywords)[:KEYWORDS_PER_ANSWER],
        sentiment=float(result.sentiment),
        label=result.sentiment_label or _label(result.sentiment),
    )


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
    return result if result is not None else _with_jieba(text)


def sentiment_label(score: float | None) -> str:
    return _label(score)
