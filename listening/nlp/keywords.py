"""The top terms of a post: TF-IDF over its words, with a microblog stop-word list.

The IDF comes from the word frequencies of jieba's own dictionary (``dict.txt``, which
the jieba package ships): idf(w) = log(total / freq(w)). Only the words that can be
keywords are kept (two characters or more, seen more than UNKNOWN_FREQ times: about
118,000 of 349,000, some 15 MB): words the dictionary does not know or has seen
rarely (slang, model numbers) get the IDF of a rare word. Topics (#戴尔蓝屏#) are
keywords by themselves.
"""

from __future__ import annotations

import math
import re
import threading
from functools import lru_cache
from importlib import resources
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


_idf_lock = threading.Lock()
_idf_table: dict[str, float] | None = None
_rare_idf = 0.0


def idf_table() -> dict[str, float]:
    """IDF of the dictionary's frequent words of two characters or more (read once)."""
    global _idf_table, _rare_idf
    if _idf_table is None:
        with _idf_lock:
            if _idf_table is None:
                counts: dict[str, int] = {}
                total = 0
                dictionary = resources.files("jieba") / "dict.txt"
                with dictionary.open(encoding="utf-8") as handle:
                    for line in handle:
                        word, freq, *_ = line.split(" ")
                        count = int(freq)
                        total += count
                        if count > UNKNOWN_FREQ and len(word) > 1:
                            counts[word] = count
                _rare_idf = math.log(total / UNKNOWN_FREQ)
                _idf_table = {w: math.log(total / n) for w, n in counts.items()}
    return _idf_table


def idf(word: str) -> float:
    if not _HAN_RE.search(word):
        return LATIN_IDF
    return idf_table().get(word, _rare_idf)


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
