"""Sina Weibo Open API v2 (``<base>/<resource>.json``; base ends in ``/2``).

Source kinds → requests (token: ``access_token`` parameter, plus the SDKs'
``Authorization: OAuth2`` header):

* ``search``   (query = keyword): GET ``search/topics.json?q=&count=50`` with
  ``since_id`` and, past the first page, ``max_id = smallest id seen − 1``: the same
  gap walk as the timelines below, so a walk cut short (a failed page, the poll's
  page budget) continues from the ids it stored, across polls, until it meets the
  old cursor, never skipping what it has not read (page numbers shift as posts
  arrive and stop after a few dozen pages). The walk ends on an empty page (past
  the end the body is a bare ``[]``) or a page that reaches ``since_id``; only the
  very first walk (no cursor yet) is bounded, to MAX_SEARCH_PAGE pages of history.
  A server that ignores ``max_id`` (it answers newer ids again) is walked by page
  number instead, from where it stands.
* ``mentions`` (query = the brand account's uid; the token is that account's, which
  is what the endpoint answers for): GET ``statuses/mentions.json?count=200``.
* ``comments`` (query = the brand status id): GET ``comments/show.json?id=&count=200``.

  Both walk newest-first with ``since_id`` (exclusive) and ``max_id`` (inclusive):
  the next older page asks ``max_id = smallest id seen − 1``. The walk ends on an
  empty page, a ``next_cursor`` of 0 (or one at or below ``since_id``), a short page
  when the server sends no cursor, or a page that reaches ``since_id``.

Normalisation: ``idstr`` over ``id`` over ``mid``; ``created_at``
``Wed Jan 27 04:05:45 +0800 2016``; ``in_reply_to_*`` are ``""`` when unset; counters
clamped at 0; a status's thread is itself; a comment's thread is its status and it
answers its ``reply_comment`` if any, else the status; a repost points at
``retweeted_status`` (which may be a deleted stub without ``user``). Deleted statuses
(``"deleted": "1"``) and items without id, text or time are refused, never fatal.

Errors are keyed on ``error_code`` (int or string), never on the HTTP status:
10022/10023/10024 (and 20016, posting too often) → RateLimited, reset at the top of
the next hour (quotas are hourly; Weibo sends no headers); 20017/20019/20111 →
DuplicateContent; 10001/10002/10003/10009 (system error, service unavailable, remote
service error, system busy) → TransientError; everything else (21327/21332/10006
token errors, 20012 too long, 20101 no such status, ...) → PermanentError with its code.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.utils import timezone

from . import direct_messages as dms
from ._common import (
    as_bool,
    as_id,
    as_str,
    clamp_count,
    decode_json,
    first_id,
    http_request,
    id_number,
    parse_time,
    reply_text_key,
    text_or_none,
)
from .base import (
    MalformedPayload,
    NormalizedAuthor,
    NormalizedPost,
    ParsedPage,
    PermanentError,
    PlatformError,
    RateLimited,
    Refusal,
    ReplyTarget,
    SourceSpec,
    platform_config,
)
from .decoders import weibo_decode, weibo_raise_for_error

PLATFORM = "weibo"
# search/topics: the page size the recorded harvester used.
SEARCH_COUNT = 50
# statuses/mentions and comments/show: the documented maximum, to spend as few calls
# of the hourly quota as possible.
TIMELINE_COUNT = 200
# The first search walk (no cursor to meet) reads this many pages of history; a
# page-number walk (a server that ignores max_id) stops here too, since the server
# shows nothing deeper. A walk towards a cursor has no bound: max_id only descends.
MAX_SEARCH_PAGE = 100
# find_reply: comments read before giving up (newest first, so our reply, posted
# moments ago, is on the first page in practice).
FIND_REPLY_MAX_PAGES = 5

# A rate-limit refusal while the quota still has hits left: try again this soon.
QUOTA_LEFT_RETRY_SECONDS = 20
DELETED_TEXT_HINT = "deleted"


def _author(user: Any) -> NormalizedAuthor | None:
    if not isinstance(user, dict):
        return None
    external_id = first_id(user.get("idstr"), user.get("id"))
    if not external_id:
        return None
    verified_type = user.get("verified_type")
    return NormalizedAuthor(
        platform=PLATFORM,
        external_id=external_id,
        screen_name=as_str(user.get("screen_name")),
        name=as_str(user.get("name")),
        followers_count=clamp_count(user.get("followers_count")),
        friends_count=clamp_count(user.get("friends_count")),
        statuses_count=clamp_count(user.get("statuses_count")),
        verified=as_bool(user.get("verified")),
        verified_type="" if verified_type is None else as_str(verified_type),
        location=as_str(user.get("location")),
        gender=as_str(user.get("gender")),
        description=as_str(user.get("description")),
        profile_image_url=as_str(user.get("profile_image_url"))
        or as_str(user.get("avatar_large")),
    )


def _item_id(item: dict[str, Any]) -> str:
    return first_id(item.get("idstr"), item.get("id"), item.get("mid"))


def _is_deleted(item: dict[str, Any]) -> bool:
    return as_str(item.get("deleted")).strip() == "1"


def _common_fields(item: dict[str, Any]) -> tuple[str, str, Any] | Refusal:
    """(external_id, text, created_at) of a status or comment, or why not."""
    external_id = _item_id(item)
    if not external_id:
        return Refusal("", "no id")
    if _is_deleted(item):
        return Refusal(external_id, DELETED_TEXT_HINT)
    text = text_or_none(item.get("text"))
    if text is None:
        return Refusal(external_id, "no text")
    created_at = parse_time(item.get("created_at"))
    if created_at is None:
        return Refusal(external_id, "no valid created_at")
    return external_id, text, created_at


def _status(item: dict[str, Any]) -> NormalizedPost | Refusal:
    fields = _common_fields(item)
    if isinstance(fields, Refusal):
        return fields
    external_id, text, created_at = fields
    original = item.get("retweeted_status")
    repost_of = _item_id(original) if isinstance(original, dict) else ""
    if not text.strip() and not repost_of:
        return Refusal(external_id, "empty text")
    in_reply_to = as_id(item.get("in_reply_to_status_id"))
    return NormalizedPost(
        platform=PLATFORM,
        external_id=external_id,
        text=text,
        created_at=created_at,
        author=_author(item.get("user")),
        in_reply_to_external_id=in_reply_to,
        # Weibo statuses have no conversation root: a status is its own thread, so
        # its comments (thread = the status) join it.
        thread_external_id=in_reply_to or external_id,
        repost_of_external_id=repost_of,
        metrics={
            "reposts": clamp_count(item.get("reposts_count")),
            "comments": clamp_count(item.get("comments_count")),
            "likes": clamp_count(item.get("attitudes_count")),
        },
        raw=item,
    )


def _comment(item: dict[str, Any], *, status_hint: str) -> NormalizedPost | Refusal:
    fields = _common_fields(item)
    if isinstance(fields, Refusal):
        return fields
    external_id, text, created_at = fields
    if not text.strip():
        return Refusal(external_id, "empty text")
    status = item.get("status")
    status_id = (_item_id(status) if isinstance(status, dict) else "") or status_hint
    replied = item.get("reply_comment")
    replied_id = _item_id(replied) if isinstance(replied, dict) else ""
    metrics = {}
    for key in ("like_counts", "like_count"):
        if key in item:
            metrics["likes"] = clamp_count(item.get(key))
            break
    return NormalizedPost(
        platform=PLATFORM,
        external_id=external_id,
        text=text,
        created_at=created_at,
        author=_author(item.get("user")),
        in_reply_to_external_id=replied_id or status_id,
        thread_external_id=status_id,
        metrics=metrics,
        raw=item,
    )


def _is_comment(item: dict[str, Any], list_key: str | None, kind: str) -> bool:
    if list_key == "comments":
        return True
    if list_key in ("statuses", "reposts"):
        return False
    if isinstance(item.get("status"), dict) or isinstance(
        item.get("reply_comment"), dict
    ):
        return True
    return kind == "comments" and "retweeted_status" not in item


def _items(body: Any) -> tuple[list[Any], str | None]:
    """The list of items of a body, and the envelope key they came under."""
    if isinstance(body, list):
        return body, None
    if not isinstance(body, dict):
        raise MalformedPayload(f"expected a JSON object or array, got {type(body)}")
    weibo_raise_for_error(body)
    for key in ("statuses", "comments", "reposts"):
        if key in body:
            items = body[key]
            if items is None:
                return [], key
            if not isinstance(items, list):
                raise MalformedPayload(f"{key!r} is not an array")
            return items, key
    if _item_id(body) and ("text" in body or "created_at" in body):
        # One object: statuses/show, or the answer to comments/create.
        return [body], None
    if "error" in body:
        raise PermanentError(as_str(body.get("error")) or "error")
    raise MalformedPayload("no statuses, comments or reposts in the body")


def parse_body(body: Any, *, kind: str = "search", status_hint: str = "") -> ParsedPage:
    items, list_key = _items(body)
    page = ParsedPage()
    for item in items:
        if not isinstance(item, dict):
            # statuses/mentions/ids and friends: bare id strings, no content.
            reason = "id only (no content)" if as_id(item) else "not an object"
            page.refused.append(Refusal(as_id(item), reason))
            continue
        try:
            if _is_comment(item, list_key, kind):
                result = _comment(item, status_hint=status_hint)
            else:
                result = _status(item)
        except Exception as error:  # one bad item never stops the page
            result = Refusal(_item_id(item), f"unparseable: {type(error).__name__}")
        if isinstance(result, Refusal):
            page.refused.append(result)
        else:
            page.posts.append(result)
    return page


def _page_ids(page: ParsedPage) -> list[int]:
    ids = [id_number(p.external_id) for p in page.posts]
    ids += [id_number(r.external_id) for r in page.refused]
    return [i for i in ids if i is not None]


def _next_cursor(body: Any) -> int | None:
    """The server's next_cursor: None when absent, 0 when it says 'nothing older'."""
    if not isinstance(body, dict) or "next_cursor" not in body:
        return None
    value = body.get("next_cursor")
    number = id_number(as_str(value).strip()) if value is not None else None
    return number if number is not None else None


class WeiboAdapter:
    platform: ClassVar[str] = PLATFORM

    # -- reading ---------------------------------------------------------------

    def parse(self, body: Any, *, kind: str = "search") -> ParsedPage:
        return parse_body(body, kind=kind)

    def _get(self, spec: SourceSpec | None, path: str, params: dict[str, Any]) -> Any:
        base, token = platform_config(PLATFORM, spec)
        response = http_request(
            "GET",
            f"{base}/{path}",
            params={**params, "access_token": token},
            headers={"Authorization": f"OAuth2 {token}"},
        )
        try:
            return weibo_decode(response)
        except RateLimited as error:
            # Weibo sends no reset header: ask its quota endpoint (not counted
            # against the quota) when the limit really resets, instead of waiting
            # for the top of the hour on any 10023. When it cannot tell (it failed
            # too), no reset time: the poller backs off from a minute, doubling,
            # rather than assume the worst case.
            error.reset_at = self._quota_reset(base, token)
            raise

    def _quota_reset(self, base: str, token: str) -> dt.datetime | None:
        """When the quota resets, from ``account/rate_limit_status``: soon if hits
        remain (a passing refusal), at its ``reset_time_in_seconds`` otherwise;
        None when the endpoint cannot tell."""
        try:
            response = http_request(
                "GET",
                f"{base}/account/rate_limit_status.json",
                params={"access_token": token},
                headers={"Authorization": f"OAuth2 {token}"},
            )
            body = decode_json(response.content)
            remaining = int(body.get("remaining_user_hits"))
            seconds = int(body.get("reset_time_in_seconds"))
        except (PlatformError, ValueError, TypeError, AttributeError):
            return None
        now = timezone.now()
        if remaining > 0:
            return now + dt.timedelta(seconds=QUOTA_LEFT_RETRY_SECONDS)
        return now + dt.timedelta(seconds=max(1, min(seconds, 3600)))

    def fetch_page(
        self, spec: SourceSpec, *, since_id: str | None, page: dict[str, Any] | None
    ) -> ParsedPage:
        since = id_number(as_str(since_id).strip()) if since_id else None
        page = dict(page or {})
        if spec.kind == "search":
            return self._fetch_search(spec, since=since, page=page)
        if spec.kind == "direct_messages":
            return dms.weibo_fetch(
                self._get, spec, since=since, page=page, author_of=_author
            )
        params: dict[str, Any]
        if spec.kind == "mentions":
            path, params = "statuses/mentions.json", {}
        elif spec.kind == "comments":
            status_id = as_id(spec.query)
            if not status_id:
                raise PermanentError("a comments source needs the status id as query")
            path, params = "comments/show.json", {"id": status_id}
        else:
            raise PermanentError(f"unknown source kind {spec.kind!r}")
        params["count"] = TIMELINE_COUNT
        if since is not None:
            params["since_id"] = str(since)
        max_id = id_number(as_str(page.get("max_id")).strip())
        if max_id is not None:
            params["max_id"] = str(max_id)
        body = self._get(spec, path, params)
        parsed = parse_body(body, kind=spec.kind, status_hint=params.get("id", ""))
        parsed.next_page = _next_timeline_page(parsed, body, since=since, max_id=max_id)
        return parsed

    def _fetch_search(
        self, spec: SourceSpec, *, since: int | None, page: dict[str, Any]
    ) -> ParsedPage:
        number = clamp_count(page.get("page")) or 1
        depth = clamp_count(page.get("depth"))
        max_id = id_number(as_str(page.get("max_id")).strip())
        params: dict[str, Any] = {
            "q": spec.query,
            "count": SEARCH_COUNT,
            "page": number,
        }
        if since is not None:
            params["since_id"] = str(since)
        if max_id is not None:
            params["max_id"] = str(max_id)
        body = self._get(spec, "search/topics.json", params)
        parsed = parse_body(body, kind="search")
        parsed.next_page = _next_search_page(
            _page_ids(parsed), since=since, max_id=max_id, number=number, depth=depth
        )
        return parsed

    # -- writing ---------------------------------------------------------------

    def post_reply(self, *, target: ReplyTarget, text: str) -> str:
        if target.is_private:
            return dms.weibo_send(target=target, text=text)
        base, token = platform_config(PLATFORM)
        data = {"access_token": token, "comment": text, "comment_ori": 0}
        if target.is_comment:
            status_id = as_id(target.thread_external_id)
            if not status_id:
                raise PermanentError(
                    "replying to a Weibo comment needs its status id", code="no_status"
                )
            path = "comments/reply.json"
            data.update(cid=target.external_id, id=status_id, without_mention=1)
        else:
            path = "comments/create.json"
            data["id"] = target.external_id
        response = http_request(
            "POST",
            f"{base}/{path}",
            data=data,
            headers={"Authorization": f"OAuth2 {token}"},
        )
        body = weibo_decode(response)
        new_id = _item_id(body) if isinstance(body, dict) else ""
        if not new_id:
            raise MalformedPayload(f"{path} answered without a comment id")
        return new_id

    def find_reply(self, *, target: ReplyTarget, text: str) -> str | None:
        if target.is_private:
            return dms.weibo_find(self._get, target=target, text=text)
        status_id = as_id(
            target.thread_external_id if target.is_comment else target.external_id
        ) or as_id(target.thread_external_id)
        if not status_id:
            return None
        wanted = reply_text_key(text)
        max_id: int | None = None
        for _ in range(FIND_REPLY_MAX_PAGES):
            params = {"id": status_id, "count": TIMELINE_COUNT}
            if max_id is not None:
                params["max_id"] = str(max_id)
            body = self._get(None, "comments/show.json", params)
            parsed = parse_body(body, kind="comments", status_hint=status_id)
            for post in parsed.posts:
                if _is_our_reply(post, target=target, wanted=wanted):
                    return post.external_id
            max_id = _next_timeline_page_max(parsed, body, since=None, max_id=max_id)
            if max_id is None:
                return None
        return None


def _is_our_reply(post: NormalizedPost, *, target: ReplyTarget, wanted: str) -> bool:
    replied = post.raw.get("reply_comment")
    replied_id = _item_id(replied) if isinstance(replied, dict) else ""
    if target.is_comment:
        if replied_id != as_id(target.external_id):
            return False
    elif replied_id:
        return False
    candidate = reply_text_key(post.text)
    if candidate == wanted:
        return True
    # Written with without_mention=0 (or by hand): "回复@name:text".
    if candidate.startswith("回复@"):
        for separator in (":", "："):
            head, sep, rest = candidate.partition(separator)
            if sep and " " not in head and rest.strip() == wanted:
                return True
    return False


def _next_search_page(
    ids: list[int], *, since: int | None, max_id: int | None, number: int, depth: int
) -> dict[str, Any] | None:
    """Where a search walk goes after a page with these ids, or None when it is
    over. ``depth`` counts the pages this walk read before this one."""
    depth += 1
    if not ids:
        return None  # the end of data
    if since is not None and min(ids) <= since:
        return None  # met the old cursor: the gap is closed
    if since is None and depth >= MAX_SEARCH_PAGE:
        return None  # the first walk's history is bounded; no cursor to meet
    below = [i for i in ids if max_id is None or i <= max_id]
    if number > 1 or not below:
        # The server ignored max_id and answered from the top: walk its pages
        # (keeping max_id, which tells the walk's own ids from newer ones).
        if number >= MAX_SEARCH_PAGE:
            return None
        return {"max_id": str(max_id), "page": number + 1, "depth": depth}
    next_max = min(below) - 1
    if next_max <= 0 or (since is not None and next_max <= since):
        return None
    return {"max_id": str(next_max), "depth": depth}


def _next_timeline_page_max(
    parsed: ParsedPage, body: Any, *, since: int | None, max_id: int | None
) -> int | None:
    """The max_id of the next older page of a since_id/max_id walk, or None."""
    ids = _page_ids(parsed)
    cursor = _next_cursor(body)
    if cursor == 0:
        return None
    if cursor is not None and since is not None and cursor <= since:
        return None
    if not ids:
        # Every item on this page was filtered out by the server, but its cursor
        # says more lie below: follow the cursor (max_id is inclusive).
        if cursor and (max_id is None or cursor < max_id):
            return cursor
        return None
    if since is not None and min(ids) <= since:
        return None
    if cursor is None and len(ids) < TIMELINE_COUNT:
        return None
    next_max = min(ids) - 1
    if next_max <= 0 or (since is not None and next_max <= since):
        return None
    if max_id is not None and next_max >= max_id:
        # The server ignored max_id: walking on would repeat this page for ever.
        return None
    return next_max


def _next_timeline_page(
    parsed: ParsedPage, body: Any, *, since: int | None, max_id: int | None
) -> dict[str, Any] | None:
    next_max = _next_timeline_page_max(parsed, body, since=since, max_id=max_id)
    return None if next_max is None else {"max_id": str(next_max)}
