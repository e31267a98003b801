"""Renren: bodies and HTTP answers into posts, refusals and errors (API v2 and the
old REST shapes).
"""

from __future__ import annotations

from typing import Any

from .._common import (
    as_bool,
    as_dict,
    as_id,
    as_str,
    clamp_count,
    first_id,
    id_number,
    parse_time,
    text_or_none,
)
from ..base import (
    MalformedPayload,
    NormalizedAuthor,
    NormalizedPost,
    ParsedPage,
    Refusal,
)
from ..decoders import renren_raise_for_error

PLATFORM = "renren"
# Feed types whose resource is a status (so the feed item can be replied to).
STATUS_FEED_TYPES = frozenset({"UPDATE_STATUS", "10", "11"})
# Avatar sizes, best first, for a profile picture.
AVATAR_PREFERENCE = ("HEAD", "MAIN", "TINY", "LARGE")


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
    resource = as_dict(item.get("resource"))
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
    comments = as_dict(item.get("comments"))
    likes = as_dict(item.get("likes"))
    trace = as_dict(item.get("trace"))
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
    renren_raise_for_error(body)
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


def page_ids(page: ParsedPage) -> list[int]:
    ids = [id_number(p.external_id) for p in page.posts]
    ids += [id_number(r.external_id) for r in page.refused]
    return [i for i in ids if i is not None]
