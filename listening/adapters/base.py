"""The one interface every platform adapter speaks.

An adapter turns a platform's real JSON into normalised posts (``parse_*``) and fetches
pages of it over HTTP (``fetch_page``). It never touches the database: the poller in
``listening.services`` stores what it returns, page by page, and moves the source's
cursor only after the page's rows are committed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol
from urllib.parse import urlsplit

import requests
from django.conf import settings


@dataclass(frozen=True, slots=True)
class NormalizedAuthor:
    platform: str
    external_id: str
    screen_name: str = ""
    name: str = ""
    followers_count: int = 0
    friends_count: int = 0
    statuses_count: int = 0
    verified: bool = False
    verified_type: str = ""
    location: str = ""
    gender: str = ""
    description: str = ""
    profile_image_url: str = ""


@dataclass(frozen=True, slots=True)
class NormalizedPost:
    platform: str
    external_id: str
    text: str
    created_at: dt.datetime  # timezone-aware
    author: NormalizedAuthor | None
    in_reply_to_external_id: str = ""
    thread_external_id: str = ""
    repost_of_external_id: str = ""
    # reposts, comments, likes, quotes: never negative.
    metrics: dict[str, int] = field(default_factory=dict)
    language_hint: str = ""
    raw: dict[str, Any] = field(default_factory=dict)
    # A direct message to the brand, not a public post.
    is_private: bool = False


@dataclass(frozen=True, slots=True)
class Refusal:
    """An item of a payload that could not become a post, and why."""

    external_id: str
    reason: str


@dataclass(slots=True)
class ParsedPage:
    posts: list[NormalizedPost] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    # How to ask for the next (older) page of this walk; None when the walk is done
    # (the end of data, or the page reached the poll's since_id).
    next_page: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """What an adapter needs to know of a Source (adapters never see models)."""

    platform: str
    kind: str  # "search" | "mentions" | "comments" | "direct_messages"
    query: str
    api_base: str = ""


@dataclass(frozen=True, slots=True)
class ReplyTarget:
    """The post a reply answers, in the platform's own ids (from the Mention row)."""

    platform: str
    external_id: str  # the post or comment being answered
    thread_external_id: str = ""  # Weibo: the status a comment belongs to; Twitter:
    # conversation id; Renren: "ownerId:entryId" of the status (comment/put needs
    # both; a plain entry id works for a status whose author_external_id is set)
    author_external_id: str = ""  # the person answered (Renren targetUserId, ...)
    is_comment: bool = False  # the target is itself a comment (Weibo comments/reply)
    is_private: bool = False  # a DM: answer with a DM to author_external_id


class PlatformError(Exception):
    """The platform answered with an error, or not at all."""

    def __init__(self, message: str, *, code: str = "", http_status: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.code = str(code)
        self.http_status = http_status

    def __str__(self) -> str:
        code = f"[{self.code}] " if self.code else ""
        return f"{code}{self.message}"


class RateLimited(PlatformError):
    """Over the platform's quota: wait until ``reset_at`` (None: back off)."""

    def __init__(
        self,
        message: str,
        *,
        reset_at: dt.datetime | None = None,
        code: str = "",
        http_status: int = 0,
    ) -> None:
        super().__init__(message, code=code, http_status=http_status)
        self.reset_at = reset_at


class TransientError(PlatformError):
    """5xx, timeouts, refused connections: worth retrying with backoff."""


class MalformedPayload(PlatformError):
    """The body is not the JSON shape the platform speaks (truncated, garbage)."""


class PermanentError(PlatformError):
    """Bad token, missing permission, unknown target: retrying will not help."""


class DuplicateContent(PermanentError):
    """The platform refused a post it already has (Weibo 20019, Twitter 403)."""


class Adapter(Protocol):
    platform: ClassVar[str]

    def parse(self, body: Any, *, kind: str = "search") -> ParsedPage:
        """Parse one decoded response body; raise a PlatformError for error bodies."""

    def fetch_page(
        self, spec: SourceSpec, *, since_id: str | None, page: dict[str, Any] | None
    ) -> ParsedPage:
        """Fetch and parse one page of ``spec``'s walk, newest first."""

    def post_reply(self, *, target: ReplyTarget, text: str) -> str:
        """Post ``text`` as a reply to ``target``; return the platform's id for it."""

    def find_reply(self, *, target: ReplyTarget, text: str) -> str | None:
        """The id of a reply with this exact text already in the thread, if any.

        Delivery asks before posting again, so a worker killed after the platform
        accepted a reply never posts it twice.
        """


_session: requests.Session | None = None


def http_session() -> requests.Session:
    """One keep-alive session per worker process."""
    global _session
    if _session is None:
        _session = requests.Session()
        adapter = requests.adapters.HTTPAdapter(pool_connections=8, pool_maxsize=16)
        _session.mount("http://", adapter)
        _session.mount("https://", adapter)
    return _session


def _netloc(url: str) -> str:
    """``host:port`` of ``url``, lower case, with the scheme's default port."""
    try:
        parts = urlsplit(url)
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme, 0)
    except ValueError:
        return ""
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    return f"{parts.hostname.lower()}:{port}"


def allowed_api_hosts() -> set[str]:
    """Where platform calls may go: the official API hosts, the bases the operator
    configured (settings), this site's mock when MOCK_PLATFORMS is on, and the hosts
    of ``PLATFORM_API_ALLOWED_HOSTS`` (``host`` means its HTTPS port)."""
    urls = [*settings.OFFICIAL_PLATFORM_API.values()]
    urls += [conf["base"] for conf in settings.PLATFORM_API.values()]
    if settings.MOCK_PLATFORMS:
        urls.append(settings.SITE_URL)
    hosts = {_netloc(url) for url in urls}
    for entry in settings.PLATFORM_API_ALLOWED_HOSTS:
        entry = entry.strip().lower()
        if entry:
            hosts.add(entry if ":" in entry else f"{entry}:443")
    hosts.discard("")
    return hosts


def api_url_allowed(url: str) -> bool:
    return _netloc(url) in allowed_api_hosts()


def platform_config(platform: str, spec: SourceSpec | None = None) -> tuple[str, str]:
    """The API base URL and token for ``platform`` (a source may override the base,
    within the allowed hosts: the token is never sent anywhere else)."""
    conf = settings.PLATFORM_API[platform]
    base = (spec.api_base if spec and spec.api_base else conf["base"]).rstrip("/")
    if not api_url_allowed(base):
        raise PermanentError(
            f"API base URL host {_netloc(base) or base[:60]!r} is not allowed "
            "(official hosts, the mock, PLATFORM_API_ALLOWED_HOSTS)"
        )
    return base, conf["token"]


def http_timeout() -> float:
    return float(settings.PLATFORM_HTTP_TIMEOUT)
