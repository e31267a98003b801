"""Renren API 2.0 (``<base>/<resource>/<action>``; base ends in ``/v2``), and REST 1.0
arrays for archives.

Source kinds → requests (token: ``Authorization: Bearer`` and the ``access_token``
parameter; both are accepted by API 2.0), all pages of ``pageSize=100``:

* ``search``   (query = keyword): Renren has no search API. GET ``feed/list`` with
  ``feedType=ALL`` (the brand account's news feed: what the people connected to it
  post) and keep the items whose text contains the keyword (case-insensitive).
* ``mentions`` (query = the brand account's user id; the token is that account's):
  GET ``feed/list?feedType=ALL`` — the same feed, every item (Renren has no mentions
  timeline either; the news feed is where people reach the brand).
* ``comments`` (query = ``"ownerId:entryId"`` of the brand status): GET
  ``comment/list?commentType=STATUS&entryOwnerId=&entryId=&desc=true``.

Paging: ``pageNumber`` 1, 2, ...; the answer is a bare array without cursor or total,
so the walk ends on an empty or short page, or on a page that reaches ``since_id``
(item ids compared numerically; for ``search`` the unfiltered items count).

Normalisation: ``{"response": [...]}`` of Status (``id``, ``ownerId``, ``content``,
``createTime``, ``shareCount``, ``commentCount``, ``sharedStatusId``), Feed (``id``,
``type``, ``time``, ``sourceUser``, ``message``, ``resource``, ...) or Comment (``id``,
``entryId``, ``entryOwnerId``, ``authorId``, ``content``, ``time``); REST 1.0 arrays
of ``status.gets`` (``status_id``, ``uid``, ``message``, ``time``, ``root_*``),
``feed.get`` (``post_id``, ``actor_id``, ``update_time``, ...) and comments
(``comment_id``, ``uid``, ``text``, ``time``). Ids (JSON integers) become strings;
times are zone-less, unpadded Beijing times ("2013-9-13 9:51:27", "2014-06-23 17:43")
and get +08:00. A REST forward keeps the forwarder's ``message`` as text (falling
back to ``root_message`` when it is empty) and points at ``root_status_id``.

Threads: a status's thread is ``"<ownerId>:<statusId>"`` and a comment's is
``"<entryOwnerId>:<entryId>"`` (a status feed item: ``"<sourceUser.id>:<resource.id>"``)
— the same form as a comments source's query, because replying on Renren
(``comment/put``) needs the owner of the status as well as its id.

Errors: ``{"error": {"code": "type.CODE", "message"}}`` (non-200):
``forbidden.APP_OVER_INVOCATION_LIMIT`` → RateLimited (no reset time is given);
``internal_error.*`` (SERVICE_BUSY, SERVICE_UNAVAILABLE, SERVICE-EXECUTION-TIMEOUT)
→ TransientError; everything else (invalid_authorization.*, forbidden.NO_RIGHT,
invalid_request.*) → PermanentError with the code. REST 1.0 ``{"error_code",
"error_msg"}`` → PermanentError with the code.
"""

from __future__ import annotations

from typing import Any, ClassVar

import requests

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
    TransientError,
    platform_config,
)

PLATFORM = "renren"
# The most feed/list and comment/list give per page.
PAGE_SIZE = 100
FIND_REPLY_MAX_PAGES = 5
# Feed types whose resource is a status (so the feed item can be replied to).
STATUS_FEED_TYPES = frozenset({"UPDATE_STATUS", "10", "11"})
# Avatar sizes, best first, for a profile picture.
AVATAR_PREFERENCE = ("HEAD", "MAIN", "TINY", "LARGE")


def _error_code(body: Any) -> tuple[str, str] | None:
    """(code, message) of an error body (API 2.0 or REST 1.0), None for data."""
    if not isinstance(body, dict):
        return None
    error = body.get("error")
    if isinstance(error, dict) and "response" not in body:
        return as_str(error.get("code")) or "error", as_str(error.get("message"))
    if isinstance(error, str) and "response" not in body:
        # An OAuth-style error: {"error": "invalid_token", "error_description": ...}
        return error, as_str(body.get("error_description"))
    if "error_code" in body and body.get("error_code") not in (None, 0, "0", ""):
        return as_str(body.get("error_code")), as_str(body.get("error_msg"))
    return None


def error_for(code: str, message: str, *, http_status: int = 0) -> PlatformError:
    kw = {"code": code, "http_status": http_status}
    message = message or code
    upper = code.upper()
    if "OVER_INVOCATION_LIMIT" in upper or "OVER-INVOCATION-LIMIT" in upper:
        return RateLimited(message, reset_at=None, **kw)
    if code.lower().startswith("internal_error"):
        return TransientError(message, **kw)
    return PermanentError(message, **kw)


def _raise_for_error(body: Any, *, http_status: int = 0) -> None:
    found = _error_code(body)
    if found:
        raise error_for(*found, http_status=http_status)


def _avatar(value: Any) -> str:
    if isinstance(value, str):
        return value
    if not isinstance(value, list):
        return ""
    by_size = {
        as_str(a.get("size")).upper(): as_str(a.get("url"))
        for a in value
        if isinstance(a, dict)
    }
    for size in AVATAR_PREFERENCE:
        if by_size.get(size):
            return by_size[size]
    return next((url for url in by_size.values() if url), "")


def _author(
    user_id: Any, *, name: Any = "", avatar: Any = ""
) -> NormalizedAuthor | None:
    external_id = as_id(user_id)
    if not external_id:
        return None
    return NormalizedAuthor(
        platform=PLATFORM,
        external_id=external_id,
        name=as_str(name),
        profile_image_url=_avatar(avatar),
    )


def _user_object(user: Any) -> NormalizedAuthor | None:
    if not isinstance(user, dict):
        return None
    author = _author(user.get("id"), name=user.get("name"), avatar=user.get("avatar"))
    if author is None or "star" not in user:
        return author
    # "star" (a verified-like badge) is the closest Renren has to verification.
    return NormalizedAuthor(
        platform=PLATFORM,
        external_id=author.external_id,
        name=author.name,
        profile_image_url=author.profile_image_url,
        verified=as_bool(user.get("star")),
        verified_type="star" if as_bool(user.get("star")) else "",
    )


def thread_id(owner_id: str, entry_id: str) -> str:
    """The thread key of a status: "ownerId:statusId" (comment/put needs both)."""
    if owner_id and entry_id:
        return f"{owner_id}:{entry_id}"
    return entry_id


def split_thread(value: str) -> tuple[str, str]:
    """("ownerId", "entryId") of a thread key or comments query; owner may be ''."""
    owner, sep, entry = as_str(value).strip().partition(":")
    if not sep:
        return "", as_id(owner)
    return as_id(owner), as_id(entry)


def _post(
    item: dict[str, Any],
    *,
    external_id: str,
    text: Any,
    created: Any,
    author: NormalizedAuthor | None,
    fallback_text: tuple[Any, ...] = (),
    **links: Any,
) -> NormalizedPost | Refusal:
    if not external_id:
        return Refusal("", "no id")
    value = text_or_none(text)
    if value is None or not value.strip():
        for other in fallback_text:
            candidate = text_or_none(other)
            if candidate and candidate.strip():
                value = candidate
                break
    if value is None:
        return Refusal(external_id, "no text")
    if not value.strip() and not links.get("repost_of_external_id"):
        return Refusal(external_id, "empty text")
    created_at = parse_time(created)
    if created_at is None:
        return Refusal(external_id, "no valid created_at")
    return NormalizedPost(
        platform=PLATFORM,
        external_id=external_id,
        text=value,
        created_at=created_at,
        author=author,
        raw=item,
        **links,
    )


def _v2_status(item: dict[str, Any]) -> NormalizedPost | Refusal:
    external_id = as_id(item.get("id"))
    owner = as_id(item.get("ownerId"))
    return _post(
        item,
        external_id=external_id,
        text=item.get("content"),
        created=item.get("createTime"),
        author=_author(owner),
        thread_external_id=thread_id(owner, external_id),
        repost_of_external_id=as_id(item.get("sharedStatusId")),
        metrics={
            "reposts": clamp_count(item.get("shareCount")),
            "comments": clamp_count(item.get("commentCount")),
        },
    )


def _v2_feed(item: dict[str, Any]) -> NormalizedPost | Refusal:
    external_id = as_id(item.get("id"))
    user = item.get("sourceUser")
    author = _user_object(user)
    resource = item.get("resource") if isinstance(item.get("resource"), dict) else {}
    thread = ""
    if as_str(item.get("type")).upper() in STATUS_FEED_TYPES:
        thread = thread_id(
            author.external_id if author else "", as_id(resource.get("id"))
        )
    return _post(
        item,
        external_id=external_id,
        text=item.get("message"),
        fallback_text=(
            resource.get("content"),
            resource.get("title"),
            item.get("title"),
            item.get("description"),
        ),
        created=item.get("time"),
        author=author,
        thread_external_id=thread,
    )


def _v2_comment(
    item: dict[str, Any], *, entry_hint: tuple[str, str]
) -> NormalizedPost | Refusal:
    external_id = as_id(item.get("id"))
    entry = as_id(item.get("entryId")) or entry_hint[1]
    owner = as_id(item.get("entryOwnerId")) or entry_hint[0]
    author = _user_object(item.get("author")) or _author(item.get("authorId"))
    return _post(
        item,
        external_id=external_id,
        text=item.get("content"),
        created=item.get("time"),
        author=author,
        in_reply_to_external_id=entry,
        thread_external_id=thread_id(owner, entry),
    )


def _rest_status(item: dict[str, Any]) -> NormalizedPost | Refusal:
    external_id = first_id(item.get("status_id"), item.get("id"))
    uid = as_id(item.get("uid"))
    return _post(
        item,
        external_id=external_id,
        text=item.get("message"),
        fallback_text=(item.get("root_message"),),
        created=item.get("time"),
        author=_author(uid, name=item.get("name"), avatar=item.get("headurl") or ""),
        thread_external_id=thread_id(uid, external_id),
        repost_of_external_id=as_id(item.get("root_status_id")),
        metrics={
            "reposts": clamp_count(item.get("forward_count")),
            "comments": clamp_count(item.get("comment_count")),
        },
    )


def _rest_feed(item: dict[str, Any]) -> NormalizedPost | Refusal:
    external_id = first_id(item.get("post_id"), item.get("id"))
    actor = as_id(item.get("actor_id"))
    comments = item.get("comments") if isinstance(item.get("comments"), dict) else {}
    likes = item.get("likes") if isinstance(item.get("likes"), dict) else {}
    trace = item.get("trace") if isinstance(item.get("trace"), dict) else {}
    thread = ""
    if as_str(item.get("feed_type")) in STATUS_FEED_TYPES:
        thread = thread_id(actor, as_id(item.get("source_id")))
    return _post(
        item,
        external_id=external_id,
        text=item.get("message"),
        fallback_text=(item.get("title"), item.get("description"), trace.get("text")),
        created=item.get("update_time"),
        author=_author(actor, name=item.get("name"), avatar=item.get("headurl")),
        thread_external_id=thread,
        metrics={
            "comments": clamp_count(comments.get("count")),
            "likes": clamp_count(likes.get("total_count")),
        },
    )


def _rest_comment(
    item: dict[str, Any], *, entry_hint: tuple[str, str]
) -> NormalizedPost | Refusal:
    owner, entry = entry_hint
    return _post(
        item,
        external_id=first_id(item.get("comment_id"), item.get("id")),
        text=item.get("text"),
        fallback_text=(item.get("content"),),
        created=item.get("time"),
        author=_author(
            item.get("uid"),
            name=item.get("name"),
            avatar=item.get("headurl") or item.get("tinyurl") or "",
        ),
        in_reply_to_external_id=entry,
        thread_external_id=thread_id(owner, entry),
    )


def _parse_item(
    item: dict[str, Any], *, kind: str, entry_hint: tuple[str, str]
) -> NormalizedPost | Refusal:
    if "status_id" in item:
        return _rest_status(item)
    if "post_id" in item or "feed_type" in item or "actor_id" in item:
        return _rest_feed(item)
    if "comment_id" in item:
        return _rest_comment(item, entry_hint=entry_hint)
    if "entryId" in item or "commentType" in item or "authorId" in item:
        return _v2_comment(item, entry_hint=entry_hint)
    if "sourceUser" in item or "resource" in item or "message" in item:
        return _v2_feed(item)
    if "ownerId" in item or "createTime" in item:
        return _v2_status(item)
    if "content" in item and "time" in item:
        if kind == "comments":
            return _v2_comment(item, entry_hint=entry_hint)
        return _v2_feed(item)
    return Refusal(first_id(item.get("id")), "unknown item shape")


def parse_body(
    body: Any, *, kind: str = "search", entry_hint: tuple[str, str] = ("", "")
) -> ParsedPage:
    _raise_for_error(body)
    if isinstance(body, dict):
        if "response" in body:
            response = body.get("response")
            if isinstance(response, list):
                items = response
            elif isinstance(response, dict):
                items = [response]
            else:
                # null, or a bare id (feed/put answers with the new feed's id).
                items = []
        elif "id" in body or "status_id" in body or "post_id" in body:
            items = [body]
        else:
            raise MalformedPayload("no 'response' in the body")
    elif isinstance(body, list):
        items = body
    else:
        raise MalformedPayload(f"expected a JSON object or array, got {type(body)}")
    page = ParsedPage()
    for item in items:
        if not isinstance(item, dict):
            page.refused.append(Refusal(as_id(item), "not an object"))
            continue
        try:
            result = _parse_item(item, kind=kind, entry_hint=entry_hint)
        except Exception as error:  # one bad item never stops the page
            result = Refusal(
                first_id(item.get("id"), item.get("status_id")),
                f"unparseable: {type(error).__name__}",
            )
        if isinstance(result, Refusal):
            page.refused.append(result)
        else:
            page.posts.append(result)
    return page


def _decode(response: requests.Response) -> Any:
    status = response.status_code
    try:
        body = decode_json(response.content)
    except MalformedPayload as error:
        if status == 429:
            raise RateLimited(f"HTTP {status}", http_status=status) from None
        if status >= 500:
            raise TransientError(f"HTTP {status}", http_status=status) from None
        if status >= 400:
            raise PermanentError(f"HTTP {status}", http_status=status) from None
        error.http_status = status
        raise
    _raise_for_error(body, http_status=status)
    if status == 429:
        raise RateLimited(f"HTTP {status}", http_status=status)
    if status >= 500:
        raise TransientError(f"HTTP {status}", http_status=status)
    if status >= 400:
        raise PermanentError(f"HTTP {status}", http_status=status)
    return body


def _page_ids(page: ParsedPage) -> list[int]:
    ids = [id_number(p.external_id) for p in page.posts]
    ids += [id_number(r.external_id) for r in page.refused]
    return [i for i in ids if i is not None]


class RenrenAdapter:
    platform: ClassVar[str] = PLATFORM

    def parse(self, body: Any, *, kind: str = "search") -> ParsedPage:
        return parse_body(body, kind=kind)

    def _call(
        self, method: str, spec: SourceSpec | None, path: str, params: dict
    ) -> Any:
        base, token = platform_config(PLATFORM, spec)
        params = {**params, "access_token": token}
        response = http_request(
            method,
            f"{base}/{path}",
            **({"params": params} if method == "GET" else {"data": params}),
            headers={"Authorization": f"Bearer {token}"},
        )
        return _decode(response)

    def fetch_page(
        self, spec: SourceSpec, *, since_id: str | None, page: dict[str, Any] | None
    ) -> ParsedPage:
        since = id_number(as_str(since_id).strip()) if since_id else None
        number = clamp_count((page or {}).get("pageNumber")) or 1
        entry_hint = ("", "")
        if spec.kind in ("search", "mentions"):
            path = "feed/list"
            params: dict[str, Any] = {"feedType": "ALL"}
        elif spec.kind == "comments":
            entry_hint = split_thread(spec.query)
            if not all(entry_hint):
                raise PermanentError(
                    "a Renren comments source needs 'ownerId:entryId' as query"
                )
            path = "comment/list"
            params = {
                "commentType": "STATUS",
                "entryOwnerId": entry_hint[0],
                "entryId": entry_hint[1],
                "desc": "true",
            }
        else:
            raise PermanentError(f"unknown source kind {spec.kind!r}")
        params.update(pageSize=PAGE_SIZE, pageNumber=number)
        body = self._call("GET", spec, path, params)
        parsed = parse_body(body, kind=spec.kind, entry_hint=entry_hint)
        items = len(parsed.posts) + len(parsed.refused)
        reached = since is not None and any(i <= since for i in _page_ids(parsed))
        if spec.kind == "search":
            keyword = spec.query.strip().casefold()
            parsed.posts = [p for p in parsed.posts if keyword in p.text.casefold()]
        if items < PAGE_SIZE or reached:
            parsed.next_page = None
        else:
            parsed.next_page = {"pageNumber": number + 1}
        return parsed

    def _entry(self, target: ReplyTarget) -> tuple[str, str]:
        """(entryOwnerId, entryId) of the status a reply to ``target`` goes under."""
        owner, entry = split_thread(target.thread_external_id)
        if not entry and not target.is_comment:
            owner, entry = split_thread(target.external_id)
            owner = owner or as_id(target.author_external_id)
        if not owner or not entry:
            raise PermanentError(
                "replying on Renren needs the status owner and id "
                "(thread 'ownerId:entryId')",
                code="no_entry",
            )
        return owner, entry

    def post_reply(self, *, target: ReplyTarget, text: str) -> str:
        if target.is_private:
            raise PermanentError(
                "Renren has no private messages for apps", code="no_private_messages"
            )
        owner, entry = self._entry(target)
        params: dict[str, Any] = {
            "content": text,
            "commentType": "STATUS",
            "entryOwnerId": owner,
            "entryId": entry,
        }
        replied_user = as_id(target.author_external_id)
        if target.is_comment and replied_user:
            params["targetUserId"] = replied_user
        body = self._call("POST", None, "comment/put", params)
        response = body.get("response") if isinstance(body, dict) else None
        new_id = as_id(response.get("id")) if isinstance(response, dict) else ""
        if not new_id:
            raise MalformedPayload("comment/put answered without a comment id")
        return new_id

    def find_reply(self, *, target: ReplyTarget, text: str) -> str | None:
        try:
            owner, entry = self._entry(target)
        except PermanentError:
            return None
        wanted = reply_text_key(text)
        replied_user = as_id(target.author_external_id) if target.is_comment else ""
        for number in range(1, FIND_REPLY_MAX_PAGES + 1):
            params = {
                "commentType": "STATUS",
                "entryOwnerId": owner,
                "entryId": entry,
                "desc": "true",
                "pageSize": PAGE_SIZE,
                "pageNumber": number,
            }
            body = self._call("GET", None, "comment/list", params)
            parsed = parse_body(body, kind="comments", entry_hint=(owner, entry))
            for post in parsed.posts:
                target_user = as_id(post.raw.get("targetUserId"))
                if target_user and replied_user and target_user != replied_user:
                    continue
                if _text_matches(post.text, wanted):
                    return post.external_id
            if len(parsed.posts) + len(parsed.refused) < PAGE_SIZE:
                return None
        return None


def _text_matches(candidate: str, wanted: str) -> bool:
    key = reply_text_key(candidate)
    if key == wanted:
        return True
    # The server may prefix a reply with "回复name：".
    if key.startswith("回复"):
        for separator in ("：", ":"):
            _head, sep, rest = key.partition(separator)
            if sep and rest.strip() == wanted:
                return True
    return False
