"""Wire details the three mock platforms share: ids from time, time strings, text
lengths as each platform counts them, and JSON encoding."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata

import orjson

BEIJING = dt.timezone(dt.timedelta(hours=8))
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)

# --- ids ---------------------------------------------------------------------------
# Weibo mids carry their second in the high bits: (unix − 515483463) << 22 gives the
# 16-digit ids of 2011–2060 (3935747314735304 was January 2016).
WEIBO_EPOCH = 515_483_463
# Twitter snowflakes: milliseconds since 2010-11-04 << 22 | machine << 12 | sequence.
TWITTER_EPOCH_MS = 1_288_834_974_657
TWITTER_MACHINE = 37
# Renren status/comment ids: ~10 digits, ten per second since 2013.
RENREN_BASE = 1_000_000_000
RENREN_EPOCH = 1_356_969_600
# Renren feed ids (~11 digits) are the status id shifted into their own range.
RENREN_FEED_OFFSET = 20_000_000_000


def time_id(platform: str, when: dt.datetime) -> int:
    """The id a platform would give an item created at ``when``."""
    seconds = when.timestamp()
    if platform == "weibo":
        whole = int(seconds)
        millis = int((seconds - whole) * 1000)
        return ((whole - WEIBO_EPOCH) << 22) + (millis << 12)
    if platform == "twitter":
        millis = int(seconds * 1000) - TWITTER_EPOCH_MS
        return (millis << 22) | (TWITTER_MACHINE << 12)
    return RENREN_BASE + int((seconds - RENREN_EPOCH) * 10)


def next_ids(platform: str, last_id: int, times: list[dt.datetime]) -> list[int]:
    """Strictly increasing ids for items created at ``times`` (ascending)."""
    ids = []
    for when in times:
        last_id = max(time_id(platform, when), last_id + 1)
        ids.append(last_id)
    return ids


# --- times -------------------------------------------------------------------------


def weibo_time(when: dt.datetime) -> str:
    """'Tue May 31 17:46:55 +0800 2011' (built by hand: strftime follows the locale)."""
    t = when.astimezone(BEIJING)
    return (
        f"{_DAYS[t.weekday()]} {_MONTHS[t.month - 1]} {t.day:02d} "
        f"{t.hour:02d}:{t.minute:02d}:{t.second:02d} +0800 {t.year}"
    )


def twitter_time(when: dt.datetime) -> str:
    """'2021-09-22T16:37:54.000Z'."""
    t = when.astimezone(dt.UTC)
    return (
        f"{t.year:04d}-{t.month:02d}-{t.day:02d}T{t.hour:02d}:{t.minute:02d}:"
        f"{t.second:02d}.{t.microsecond // 1000:03d}Z"
    )


def renren_time(when: dt.datetime) -> str:
    """'2013-9-13 9:51:27': Beijing, no zone, no padding (status and comment)."""
    t = when.astimezone(BEIJING)
    return f"{t.year}-{t.month}-{t.day} {t.hour}:{t.minute}:{t.second}"


def renren_feed_time(when: dt.datetime) -> str:
    """'2014-06-23 17:43': Beijing, no zone, padded, to the minute (feed items)."""
    t = when.astimezone(BEIJING)
    return f"{t.year}-{t.month:02d}-{t.day:02d} {t.hour:02d}:{t.minute:02d}"


def parse_iso(value: str) -> dt.datetime | None:
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


# --- lengths -----------------------------------------------------------------------


def weibo_length(text: str) -> int:
    """Weibo units: ASCII 1, anything else 2 (limit 280 = 140 Chinese characters)."""
    ascii_count = len(text.encode("ascii", "ignore"))
    return ascii_count + 2 * (len(text) - ascii_count)


_URL_RE = re.compile(r"https?://[^\s<>\"'\u3000-\u303f\uff01-\uff5e]+", re.I)
_EMOJI_RE = re.compile(
    "(?:[\U0001f1e6-\U0001f1ff]{2}"
    "|[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff]"
    "(?:[\ufe00-\ufe0f\U0001f3fb-\U0001f3ff]"
    "|\u200d[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff])*\ufe0f?)"
)
_LIGHT = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))


def twitter_length(text: str) -> int:
    """twitter-text v3 weighted length: NFC; Latin and common punctuation 1, other
    code points (CJK) 2, an emoji sequence 2, every URL 23 (limit 280)."""
    text = unicodedata.normalize("NFC", text)
    total = 23 * len(_URL_RE.findall(text))
    text = _URL_RE.sub("", text)
    total += 2 * len(_EMOJI_RE.findall(text))
    for ch in _EMOJI_RE.sub("", text):
        code = ord(ch)
        total += 1 if any(lo <= code <= hi for lo, hi in _LIGHT) else 2
    return total


# --- JSON --------------------------------------------------------------------------

_NON_BMP_RE = re.compile("[\U00010000-\U0010ffff]")


def _surrogates(match: re.Match) -> str:
    code = ord(match.group(0)) - 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def dumps(body, *, ascii_only: bool = False, escape_astral: bool = False) -> bytes:
    """JSON as the platforms send it: raw UTF-8 (timelines), all non-ASCII escaped
    (Weibo search), or raw with only non-BMP characters as surrogate pairs
    (Twitter)."""
    if not ascii_only:
        try:
            raw = orjson.dumps(body)  # several times faster than the json module
        except TypeError:
            pass  # odd values (lone surrogates in hostile text): the json module
        else:
            if not escape_astral:
                return raw
            return _NON_BMP_RE.sub(_surrogates, raw.decode()).encode("utf-8")
    text = json.dumps(body, ensure_ascii=ascii_only, separators=(",", ":"))
    if escape_astral and not ascii_only:
        text = _NON_BMP_RE.sub(_surrogates, text)
    return text.encode("utf-8")
