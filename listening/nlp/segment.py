"""Microblog-aware segmentation.

A post is first cut into the units a microblog has beside words: links, @mentions,
#topics#, Weibo emoticon codes ([怒]) and the repost chain (``//@someone: ...``), which
carries other people's words and is kept apart from the author's own. The remaining
text is segmented by jieba's dictionary and algorithm, with the project's user
dictionary of brand, product and net-slang terms loaded so that they are never split
(戴尔, 外星人, 蓝屏, 坑爹...).

The segmenter is rjieba (jieba-rs, jieba's algorithm and dictionary in Rust): about 35
times faster than Python jieba and a fraction of its memory. On the 16,123 Chinese
rows of the training pools, with the project dictionary loaded, it gives jieba's
words on all but 45 (0.3%): runs of one repeated character (啊啊啊啊, 哈哈哈哈哈),
where two cuts have exactly the same probability and the two break the tie
differently (``benchmarks/nlp.py`` prints the comparison). Both run without the HMM
(new-word guessing): the words it would guess are either in the user dictionary or
single characters that the sentiment model reads as character n-grams anyway.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
USER_DICT = DATA_DIR / "userdict.txt"

URL_RE = re.compile(r"https?://[A-Za-z0-9\-._~:/?#@!$&'()*+,;=%]+|www\.[\w\-./?=&%]+")
MENTION_RE = re.compile(r"@[\w\-\u4e00-\u9fff]{1,30}")
# Weibo topics are #between hashes#; Twitter hashtags are #word.
TOPIC_RE = re.compile(r"#[^#\n]{1,40}#|#\w+")
EMOTICON_RE = re.compile(r"\[[\w\u4e00-\u9fff]{1,8}\]")
# The start of a repost chain: //@name: (Weibo) or a leading "RT @name:" (Twitter).
CHAIN_RE = re.compile(r"//\s*@[\w\-\u4e00-\u9fff]{1,30}\s*[:：]?")
RT_RE = re.compile(r"^\s*RT\s+@\w{1,30}\s*:?\s*", re.IGNORECASE)
UNIT_RE = re.compile(
    "|".join(
        f"(?P<{name}>{pattern.pattern})"
        for name, pattern in (
            ("repost", CHAIN_RE),
            ("url", URL_RE),
            ("mention", MENTION_RE),
            ("topic", TOPIC_RE),
            ("emoticon", EMOTICON_RE),
        )
    )
)
# Renren writes emoticons in parentheses, (生气); they become Weibo's [生气].
RENREN_EMOTICON_RE = re.compile(r"[(（]([\u4e00-\u9fff]{1,4})[)）]")
_HAN_RE = re.compile(r"[\u4e00-\u9fff]")
_LATIN_TOKEN_RE = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*|[^\s\w]")
# What Weibo writes when someone reposts without a word of their own.
EMPTY_REPOST_TEXTS = frozenset({"", "转发微博", "轉發微博", "repost", "转发", "rt"})

_segmenter_lock = threading.Lock()
_segmenter = None
# The frequency a taught word gets (brand aliases, lexicon terms): high enough that the
# word is never split.
TAUGHT_FREQ = 20000


@dataclass(slots=True)
class Segmented:
    """A post cut into its parts. ``tokens`` are the author's own words and units."""

    own_text: str
    chain_text: str
    tokens: list[str]
    chain_tokens: list[str] = field(default_factory=list)
    emoticons: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)

    @property
    def is_bare_repost(self) -> bool:
        return bool(self.chain_text) and (
            self.own_text.strip().lower() in EMPTY_REPOST_TEXTS
        )


def _rjieba():
    """rjieba with the project dictionary; loaded once per process."""
    global _segmenter
    if _segmenter is None:
        with _segmenter_lock:
            if _segmenter is None:
                import rjieba

                cutter = rjieba.Jieba()
                for word, freq, tag in user_dictionary():
                    cutter.add_word(word, freq, tag)
                _segmenter = cutter
    return _segmenter


def user_dictionary() -> list[tuple[str, int | None, str | None]]:
    """Entries of the project dictionary: word, frequency, part of speech (jieba's
    user dictionary format, ``word [freq] [tag]``)."""
    entries = []
    with open(USER_DICT, encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if not parts:
                continue
            freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
            tag = parts[-1] if len(parts) > 1 and not parts[-1].isdigit() else None
            entries.append((parts[0], freq, tag))
    return entries


def add_words(words: Iterable[str]) -> None:
    """Teach the segmenter more terms that must stay whole (brand aliases from the
    database)."""
    cutter = _rjieba()
    for word in words:
        word = word.strip()
        if word and _HAN_RE.search(word):
            cutter.add_word(word, TAUGHT_FREQ, None)


def split_chain(text: str) -> tuple[str, str]:
    """The author's own words, and the repost chain that follows them."""
    rt = RT_RE.match(text)
    if rt:
        return "", text[rt.end() :]
    match = CHAIN_RE.search(text)
    if not match:
        return text, ""
    return text[: match.start()], text[match.start() :]


def words(text: str) -> list[str]:
    """jieba's words of plain text (no units), blanks dropped."""
    if not text:
        return []
    if not _HAN_RE.search(text):
        return _LATIN_TOKEN_RE.findall(text.lower())
    cut = _rjieba().cut(text, False)
    return [w.lower() for w in cut if not w.isspace()]


def tokenize(text: str) -> tuple[list[str], dict[str, list[str]]]:
    """Tokens of ``text`` with microblog units kept whole, and the units by kind."""
    tokens: list[str] = []
    units: dict[str, list[str]] = {
        "repost": [],
        "url": [],
        "mention": [],
        "topic": [],
        "emoticon": [],
    }
    position = 0
    for match in UNIT_RE.finditer(text):
        tokens.extend(words(text[position : match.start()]))
        kind = match.lastgroup or "url"
        unit = match.group()
        if kind == "repost":  # "//@name:" -> "//@name"
            unit = unit.rstrip(":： ").replace(" ", "")
        units[kind].append(unit)
        tokens.append(unit)
        position = match.end()
    tokens.extend(words(text[position:]))
    return tokens, units


def segment(text: str) -> Segmented:
    if "(" in text or "（" in text:
        text = RENREN_EMOTICON_RE.sub(r"[\1]", text)
    own, chain = split_chain(text)
    tokens, units = tokenize(own)
    chain_tokens = tokenize(chain)[0] if chain else []
    return Segmented(
        own_text=own.strip(),
        chain_text=chain.strip(),
        tokens=tokens,
        chain_tokens=chain_tokens,
        emoticons=units["emoticon"],
        mentions=units["mention"],
        topics=units["topic"],
        urls=units["url"],
    )
