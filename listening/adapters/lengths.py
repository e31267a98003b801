"""How long a text is, counted the way each platform counts it, and each limit.

* Weibo: "units" — an ASCII character counts 1, any other character 2; posts,
  reposts and comments take 280 units (= 140 Chinese characters). This is what the
  platform's ``textLength`` field reports.
* Twitter: twitter-text's weighted length — NFC first; code points in U+0000–U+10FF
  and a few punctuation ranges weigh 1, everything else (CJK, emoji) 2; an emoji
  sequence (ZWJ joins, skin tones, variation selectors, flags, keycaps) counts as one
  emoji; every URL counts 23. Limit 280.
* Renren: characters; statuses and status comments take 240.

Private messages have their own limits, in plain characters (code points):
Weibo's ``direct_messages/new`` takes 300 (platform-apis.md §6.1), a Twitter DM
10,000 (Twitter's DM documentation; §6.2 names no figure). Renren has no private
messages for apps; a "private" Renren text is held to the public limit.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

LIMITS = {"weibo": 280, "twitter": 280, "renren": 240}
PRIVATE_LIMITS = {"weibo": 300, "twitter": 10_000}

# twitter-text v3 configuration.
TWITTER_URL_WEIGHT = 23
_TWITTER_LIGHT_RANGES = (
    (0x0000, 0x10FF),
    (0x2000, 0x200D),
    (0x2010, 0x201F),
    (0x2032, 0x2037),
)
# Links as twitter-text finds them: with a scheme, "www.", or a bare domain on a
# common top-level domain.
_TWITTER_URL_RE = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'\u3000-\u303f\uff01-\uff5e]+"
    r"|\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+"
    r"(?:com|net|org|edu|gov|io|co|cn|jp|uk|de|me|ly|tv|info|biz|app|dev)"
    r"(?:/[^\s<>\"'\u3000-\u303f\uff01-\uff5e]*)?(?![a-z0-9-])",
    re.I,
)
_ZWJ = 0x200D
_KEYCAP = 0x20E3
# Characters that only modify the emoji before them.
_EMOJI_MODIFIERS = (
    (0xFE00, 0xFE0F),  # variation selectors
    (0x1F3FB, 0x1F3FF),  # skin tones
    (0xE0020, 0xE007F),  # tag characters (subdivision flags)
)
_REGIONAL_INDICATORS = (0x1F1E6, 0x1F1FF)


def _in(code: int, ranges: Iterable[tuple[int, int]]) -> bool:
    return any(low <= code <= high for low, high in ranges)


def weibo_length(text: str) -> int:
    return sum(1 if ord(char) < 128 else 2 for char in text)


def _is_emoji(code: int) -> bool:
    return code >= 0x1F000 or 0x2600 <= code <= 0x27BF or 0x2B00 <= code <= 0x2BFF


def _twitter_plain_length(text: str) -> int:
    total = 0
    last_emoji = False  # the previous counted code point was an emoji
    joined = False  # the previous code point was a ZWJ inside an emoji
    pending_flag = False  # one regional indicator waiting for its pair
    for char in text:
        code = ord(char)
        if joined:
            # The code point after a ZWJ belongs to the same emoji.
            joined = False
            continue
        if code == _ZWJ and last_emoji:
            joined = True
            continue
        if code == _KEYCAP:
            # "1️⃣": the digit counted 1, the keycap emoji as a whole weighs 2.
            total += 0 if last_emoji else 1
            last_emoji = True
            continue
        if _in(code, _EMOJI_MODIFIERS):
            continue
        if _REGIONAL_INDICATORS[0] <= code <= _REGIONAL_INDICATORS[1]:
            if pending_flag:
                pending_flag = False
                continue
            pending_flag = True
            last_emoji = True
            total += 2
            continue
        pending_flag = False
        last_emoji = _is_emoji(code)
        total += 1 if _in(code, _TWITTER_LIGHT_RANGES) else 2
    return total


def twitter_length(text: str) -> int:
    text = unicodedata.normalize("NFC", text)
    total = 0
    position = 0
    for match in _TWITTER_URL_RE.finditer(text):
        total += _twitter_plain_length(text[position : match.start()])
        total += TWITTER_URL_WEIGHT
        position = match.end()
    return total + _twitter_plain_length(text[position:])


def renren_length(text: str) -> int:
    return len(text)


_COUNTERS = {
    "weibo": weibo_length,
    "twitter": twitter_length,
    "renren": renren_length,
}


def private_length(text: str) -> int:
    """A private message's length: characters (code points), after NFC."""
    return len(unicodedata.normalize("NFC", text))


def text_length(platform: str, text: str, *, private: bool = False) -> int:
    """The length of ``text`` as ``platform`` counts it against ``max_length``
    (``private``: as a private message)."""
    try:
        counter = _COUNTERS[platform]
    except KeyError:
        raise ValueError(f"unknown platform {platform!r}") from None
    if private and platform in PRIVATE_LIMITS:
        return private_length(text or "")
    return counter(text or "")


def max_length(platform: str, *, private: bool = False) -> int:
    """The longest reply ``platform`` accepts, in its own units (``private``: the
    longest private message)."""
    try:
        limit = LIMITS[platform]
    except KeyError:
        raise ValueError(f"unknown platform {platform!r}") from None
    return PRIVATE_LIMITS.get(platform, limit) if private else limit


def fits(platform: str, text: str, *, private: bool = False) -> bool:
    return text_length(platform, text, private=private) <= max_length(
        platform, private=private
    )
