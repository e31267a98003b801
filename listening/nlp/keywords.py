"""The top terms of a post: TF-IDF over its words, with a microblog stop-word list.

The IDF comes from the word frequencies of jieba's own dictionary (already in memory
for segmentation), so no IDF table is loaded: idf(w) = log(total / freq(w)). Words the
dictionary does not know (slang, model numbers) get the IDF of a rare word. Topics
(#戴尔蓝屏#) are keywords by themselves.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from pathlib import Path

STOPWORDS_FILE = Path(__file__).resolve().parent / "data" / "stopwords.txt"
TOP_K = 5
# IDF of a word jieba's dictionary does not know: as rare as a word seen five times.
UNKNOWN_FREQ = 5
# Latin words: a fixed IDF (jieba's dictionary has few) unless they are stop words.
LATIN_IDF = 8.0
TOPIC_BOOST = 1.0

_HAN_RE = re.compile(r"[\u4e00-\u9fff]")
_WORDLIKE_RE = re.compile(r"^[\w\u4e00-\u9fff][\w\u4e00-\u9fff.+\-']*$")
_DIGITS_RE = re.compile(r"^[\d.]+$")


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    with open(STOPWORDS_FILE, encoding="utf-8") as handle:
        return frozenset(
            line.strip().lower()
            for line in handle
            if line.strip() and not line.startswith("#")
        )


_idf_cache: dict[str, float] = {}


def idf(word: str) -> float:
    value = _idf_cache.get(word)
    if value is None:
        if _HAN_RE.search(word):
            import jieba

            freq = jieba.dt.FREQ.get(word) or UNKNOWN_FREQ
            value = math.log(jieba.dt.total / freq)
        else:
            value = LATIN_IDF
        if len(_idf_cache) < 200_000:  # bounded: hostile text is unbounded
            _idf_cache[word] = value
    return value


def extract(tokens: list[str], topics: list[str], *, k: int = TOP_K) -> list[str]:
    stop = stopwords()
    counts: dict[str, float] = {}
    for token in tokens:
        if (
            len(token) < 2
            or token in stop
            or not _WORDLIKE_RE.match(token)
            or _DIGITS_RE.match(token)
        ):
            continue
        counts[token] = counts.get(token, 0.0) + 1.0
    total = sum(counts.values()) or 1.0
    weights = {word: count / total * idf(word) for word, count in counts.items()}
    # Topics rank first: the author named them as what the post is about.
    top = max(weights.values(), default=0.0)
    for topic in topics:
        name = topic.strip("#").strip().lower()
        if name and name not in stop:
            weights[name] = top + TOPIC_BOOST
    ranked = sorted(weights.items(), key=lambda item: (-item[1], item[0]))
    return [word for word, _ in ranked[:k]]
