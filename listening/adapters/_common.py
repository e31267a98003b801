"""Helpers shared by the platform adapters: lenient ids, counters, times, HTTP.

Real payloads are inconsistent (ids as numbers or strings, counters that are negative
or missing, times in three formats with or without a zone), so every value read from a
payload goes through one of these functions, which never raise on odd input.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import unicodedata
from typing import Any

import orjson
import requests
from django.utils import timezone

from .base import (
    MalformedPayload,
    PermanentError,
    TransientError,
    api_url_allowed,
    http_session,
    http_timeout,
)

BEIJING = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")

_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov")
        + ("dec",),
        start=1,
    )
}
# "Wed Jan 27 04:05:45 +0800 2016" (Weibo, Twitter v1.1). Parsed by hand rather than
# with strptime, whose %a/%b depend on the process locale.
_CTIME_RE = re.compile(
    r"^\s*(?:[A-Za-z]{3},?\s+)?([A-Za-z]{3})\s+(\d{1,2})\s+"
    r"(\d{1,2}):(\d{1,2}):(\d{1,2})\s+([+-])(\d{2}):?(\d{2})\s+(\d{4})\s*$"
)
# "2013-9-13 9:51:27", "2014-06-23 17:43", "2013-09-13": Renren's zone-less
# Beijing times, unpadded.
_LOCAL_RE = re.compile(
    r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"
    r"(?:[ T]+(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,6})\d*)?)?)?\s*$"
)
# Epoch values below this are seconds, above it milliseconds (year 2286 in seconds).
_EPOCH_MS_THRESHOLD = 10_000_000_000


def text_or_none(value: Any) -> str | None:
    """A payload's text as sent, or None when it is missing or not text."""
    return value if isinstance(value, str) else None


def as_dict(value: Any) -> dict[str, Any]:
    """An object of the payload, {} for anything else (missing, null, a list)."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    """An array of the payload, [] for anything else."""
    return value if isinstance(value, list) else []


def as_str(value: Any) -> str:
    """A display string from a payload value: None and containers become ''."""
    if value is None or isinstance(value, dict | list):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def as_id(value: Any) -> str:
    """A platform id as a decimal string; '' when absent or unusable.

    Accepts JSON numbers (int, or float from a lossy encoder when integral) and
    strings; ``0`` and ``"0"`` mean "none" on every platform we speak (Renren's
    ``sharedStatusId: 0``, Weibo's empty ``in_reply_to_status_id``).
    """
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, int):
        return str(value) if value > 0 else ""
    if isinstance(value, float):
        if value.is_integer() and value > 0:
            return str(int(value))
        return ""
    if isinstance(value, str):
        text = value.strip()
        if not text or text in ("0", "-1", "null", "None"):
            return ""
        return text if len(text) <= 64 else ""
    return ""


def first_id(*values: Any) -> str:
    for value in values:
        found = as_id(value)
        if found:
            return found
    return ""


def id_number(external_id: str) -> int | None:
    """The numeric value of a decimal id (for since_id comparisons), else None."""
    return (
        int(external_id) if (external_id.isascii() and external_id.isdigit()) else None
    )


def clamp_count(value: Any) -> int:
    """A counter that is never negative and never raises: '12', -3, None, 1.0."""
    if isinstance(value, bool) or value is None:
        return 0
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        number = int(value) if value == value and abs(value) < 1e18 else 0
    elif isinstance(value, str):
        try:
            number = int(value.strip())
        except ValueError:
            try:
                number = int(float(value.strip()))
            except (ValueError, OverflowError):
                return 0
    else:
        return 0
    # Bound it too: a counter past a bigint is nonsense and would not store.
    return min(max(number, 0), 2**62)


def as_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "y", "t")
    if isinstance(value, int | float):
        return value != 0
    return bool(value) if isinstance(value, bool) else False


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=BEIJING)


def parse_ctime(value: str) -> dt.datetime | None:
    """'Wed Jan 27 04:05:45 +0800 2016' → aware datetime (None if not that)."""
    match = _CTIME_RE.match(value)
    if not match:
        return None
    month = _MONTHS.get(match.group(1).lower())
    if month is None:
        return None
    sign = 1 if match.group(6) == "+" else -1
    offset = dt.timedelta(hours=int(match.group(7)), minutes=int(match.group(8)))
    try:
        return dt.datetime(
            int(match.group(9)),
            month,
            int(match.group(2)),
            int(match.group(3)),
            int(match.group(4)),
            int(match.group(5)),
            tzinfo=dt.timezone(sign * offset),
        )
    except ValueError:
        return None


def parse_local(value: str, tz: dt.tzinfo = BEIJING) -> dt.datetime | None:
    """'2013-9-13 9:51:27' / '2014-06-23 17:43' in ``tz`` → aware datetime."""
    match = _LOCAL_RE.match(value)
    if not match:
        return None
    year, month, day, hour, minute, second, fraction = match.groups()
    try:
        return dt.datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            int((fraction or "0").ljust(6, "0")),
            tzinfo=tz,
        )
    except ValueError:
        return None


def parse_iso(value: str) -> dt.datetime | None:
    """ISO 8601 ('2021-09-22T16:37:54.000Z'); a missing zone means Beijing."""
    text = value.strip()
    if not text or not (text[0].isascii() and text[0].isdigit()):
        return None
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        return _aware(dt.datetime.fromisoformat(text))
    except ValueError:
        return None


def parse_epoch(value: int | float) -> dt.datetime | None:
    if isinstance(value, bool) or value <= 0:
        return None
    seconds = value / 1000 if value > _EPOCH_MS_THRESHOLD else value
    try:
        return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None


def parse_time(value: Any, *, local_tz: dt.tzinfo = BEIJING) -> dt.datetime | None:
    """Any time format the three platforms used → aware datetime, or None.

    Zone-less strings are taken in ``local_tz`` (Beijing: Weibo and Renren are
    Chinese services and never sent a zone in their local formats).
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        return parse_epoch(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    if text.isascii() and text.isdigit():
        return parse_epoch(int(text))
    parsed = parse_ctime(text) or parse_local(text, local_tz) or parse_iso(text)
    if parsed is None:
        return None
    # Years outside what the store and any platform can mean are garbage.
    if not 1990 <= parsed.year <= 2200:
        return None
    return parsed


def top_of_next_hour(now: dt.datetime | None = None) -> dt.datetime:
    now = now or timezone.now()
    return now.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)


def decode_json(content: bytes) -> Any:
    """Decode a response body as the platforms send it (UTF-8, maybe with a BOM).

    Invalid UTF-8 bytes inside strings are replaced rather than refused: the text is
    kept as sent as far as it can be, and the store cleans what is left. A body that
    is not JSON at all (truncated, an HTML error page) raises MalformedPayload.
    """
    if not content or not content.strip():
        raise MalformedPayload("empty body")
    if content[:2] in (b"\xff\xfe", b"\xfe\xff") or (
        len(content) > 1 and (content[0] == 0 or content[1] == 0)
    ):
        text = content.decode("utf-16", errors="replace")
    else:
        text = content.decode("utf-8-sig", errors="replace")
    try:
        return orjson.loads(text)  # several times faster; strict on odd input
    except orjson.JSONDecodeError:
        pass  # e.g. a lone surrogate escape: the standard decoder accepts it
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as error:
        # Never echo the body: it may come from anywhere and is shown to users.
        raise MalformedPayload(f"not JSON ({type(error).__name__})") from None


def http_request(method: str, url: str, **kwargs: Any) -> requests.Response:
    """One HTTP call with the shared session and timeout; transport faults → Transient.

    Only allowed hosts are called (the token goes with every call), and redirects are
    never followed: a redirect could send the token to any host.
    """
    if not api_url_allowed(url):
        raise PermanentError(f"host of {_path(url)[:80]} is not an allowed API host")
    kwargs.setdefault("timeout", http_timeout())
    kwargs["allow_redirects"] = False
    try:
        response = http_session().request(method, url, **kwargs)
    except requests.Timeout:
        raise TransientError(f"timeout calling {_path(url)}") from None
    except (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema) as error:
        # A misconfigured base URL: retrying cannot help.
        raise PermanentError(f"bad API URL {_path(url)}: {error}") from None
    except requests.RequestException as error:
        raise TransientError(
            f"cannot reach {_path(url)}: {type(error).__name__}"
        ) from None
    if response.is_redirect or 300 <= response.status_code < 400:
        raise PermanentError(
            f"{_path(url)} answered a redirect (HTTP {response.status_code}), "
            "not followed",
            http_status=response.status_code,
        )
    return response


def _path(url: str) -> str:
    # Never put query strings (tokens) into error messages.
    return url.split("?", 1)[0]


def is_json_content(response: requests.Response) -> bool:
    return bool(response.content and response.content.lstrip()[:1] in (b"{", b"["))


# Links are rewritten by the platforms (t.cn on Weibo, t.co on Twitter), so two reply
# texts are compared with every link reduced to a placeholder.
_URL_RE = re.compile(r"(?:https?://|www\.)[^\s\u3000-\u303f\uff01-\uff5e<>\"']+", re.I)
_SPACE_RE = re.compile(r"\s+")


def reply_text_key(text: str) -> str:
    """What two copies of one reply have in common once the platform has handled it.

    NFC (Twitter normalises), HTML entities (Twitter escapes & < >), links (shortened
    by Weibo and Twitter), runs of white space, and leading/trailing space.
    """
    value = unicodedata.normalize("NFC", html.unescape(text))
    value = _URL_RE.sub("\x00", value)
    return _SPACE_RE.sub(" ", value).strip()
