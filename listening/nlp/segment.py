"""Microblog-aware segmentation.

A post is first cut into the units a microblog has beside words: links, @mentions,
#topics#, Weibo emoticon codes ([怒]) and the repost chain (``//@someone: ...``), which
carries other people's words and is kept apart from the author's own. The remaining
text is segmented by jieba, with the project's user dictionary of brand, product and
net-slang terms loaded so that they are never split (戴尔, 外星人, 蓝屏, 坑爹...).

jieba runs without its HMM (new-word guessing): it is several times faster, and the
words it would guess are either in the user dictionary or single characters that the
sentiment model reads as character n-grams anyway.
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

_jieba_lock = threading.Lock()
_jieba_ready = False


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


def _jieba():
    """jieba with the project dictionary; loaded once per process."""
    global _jieba_ready
    import jieba

    if not _jieba_ready:
        with _jieba_lock:
            if not _jieba_ready:
                jieba.setLogLevel(60)
                jieba.initialize()
                jieba.load_userdict(str(USER_DICT))
                _jieba_ready = True
    return jieba


def add_words(words: Iterable[str]) -> None:
    """Teach jieba more terms that must stay whole (brand aliases from the database)."""
    jieba = _jieba()
    for word in words:
        word = word.strip()
        if word and _HAN_RE.search(word):
            jieba.add_word(word, freq=20000)


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
    cut = _jieba().lcut(text, HMM=False)
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
