"""Private messages (platform-apis.md §6) for the Weibo and Twitter adapters.

A direct-messages source (kind ``direct_messages``; query: the brand account's
user id) walks the DMs customers sent the brand, newest first, into normalised
posts marked ``is_private`` whose thread is the conversation (Weibo: the sender;
Twitter: ``dm_conversation_id``). Messages the brand sent itself are skipped. A
reply to a private post is sent as a DM to its author, never posted in public.

Renren has no DM API for apps: its adapter refuses private replies.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._common import (
    as_dict,
    as_id,
    as_str,
    http_request,
    id_number,
    parse_time,
    reply_text_key,
)
from .base import (
    MalformedPayload,
    NormalizedAuthor,
    NormalizedPost,
    ParsedPage,
    PermanentError,
    Refusal,
    ReplyTarget,
    SourceSpec,
    platform_config,
)
from .decoders import twitter_decode, weibo_decode

WEIBO_DM_COUNT = 50
TWITTER_DM_MAX_RESULTS = 100
DM_FIND_MAX_PAGES = 3
TWITTER_DM_FIELDS = "id,event_type,text,sender_id,dm_conversation_id,created_at"


def _dm_post(
    platform: str,
    external_id: str,
    text: Any,
    created: Any,
    author: NormalizedAuthor | None,
    conversation: str,
    raw: dict[str, Any],
) -> NormalizedPost | Refusal:
    if not external_id:
        return Refusal("", "no id")
    when = parse_time(created)
    if when is None:
        return Refusal(external_id, "no valid created_at")
    body = as_str(text)
    if not body.strip():
        return Refusal(external_id, "empty text")
    return NormalizedPost(
        platform=platform,
        external_id=external_id,
        text=body,
        created_at=when,
        author=author,
        thread_external_id=f"dm:{conversation}"[:64],
        raw=raw,
        is_private=True,
    )


# --- Weibo ------------------------------------------------------------------------


def weibo_parse(
    body: Any, *, brand_id: str, author_of: Callable[[Any], NormalizedAuthor | None]
) -> ParsedPage:
    if not isinstance(body, dict) or not isinstance(body.get("direct_messages"), list):
        raise MalformedPayload("no direct_messages list in the body")
    page = ParsedPage()
    for item in body["direct_messages"]:
        if not isinstance(item, dict):
            page.refused.append(Refusal("", "not an object"))
            continue
        external_id = as_id(item.get("idstr")) or as_id(item.get("id"))
        sender = as_id(item.get("sender_id")) or as_id(
            (item.get("sender") or {}).get("idstr")
            if isinstance(item.get("sender"), dict)
            else ""
        )
        if sender and sender == brand_id:
            continue  # our own message
        result = _dm_post(
            "weibo",
            external_id,
            item.get("text"),
            item.get("created_at"),
            author_of(item.get("sender")),
            sender,
            item,
        )
        if isinstance(result, Refusal):
            page.refused.append(result)
        else:
            page.posts.append(result)
    return page


def weibo_fetch(
    get: Callable[[SourceSpec, str, dict[str, Any]], Any],
    spec: SourceSpec,
    *,
    since: int | None,
    page: dict[str, Any],
    author_of: Callable[[Any], NormalizedAuthor | None],
) -> ParsedPage:
    params: dict[str, Any] = {"count": WEIBO_DM_COUNT}
    if since is not None:
        params["since_id"] = str(since)
    max_id = id_number(as_str(page.get("max_id")).strip())
    if max_id is not None:
        params["max_id"] = str(max_id)
    body = get(spec, "direct_messages.json", params)
    parsed = weibo_parse(body, brand_id=as_id(spec.query), author_of=author_of)
    items = body.get("direct_messages") or []
    ids = [
        i
        for i in (
            id_number(as_id(d.get("idstr")) or as_id(d.get("id")))
            for d in items
            if isinstance(d, dict)
        )
        if i is not None
    ]
    if len(items) < WEIBO_DM_COUNT or not ids:
        parsed.next_page = None
    else:
        parsed.next_page = {"max_id": str(min(ids) - 1)}
    return parsed


def weibo_send(*, target: ReplyTarget, text: str) -> str:
    base, token = platform_config("weibo")
    uid = as_id(target.author_external_id)
    if not uid:
        raise PermanentError("a private reply needs the customer's id", code="no_uid")
    response = http_request(
        "POST",
        f"{base}/direct_messages/new.json",
        data={"access_token": token, "uid": uid, "text": text},
        headers={"Authorization": f"OAuth2 {token}"},
    )
    body = weibo_decode(response)
    new_id = (
        (as_id(body.get("idstr")) or as_id(body.get("id")))
        if isinstance(body, dict)
        else ""
    )
    if not new_id:
        raise MalformedPayload("direct_messages/new answered without a message id")
    return new_id


def weibo_find(
    get: Callable[[SourceSpec | None, str, dict[str, Any]], Any],
    *,
    target: ReplyTarget,
    text: str,
) -> str | None:
    """Our DM with this text to the customer, among the brand's sent DMs."""
    uid = as_id(target.author_external_id)
    if not uid:
        return None
    wanted = reply_text_key(text)
    params: dict[str, Any] = {"count": WEIBO_DM_COUNT}
    for number in range(1, DM_FIND_MAX_PAGES + 1):
        params["page"] = number
        body = get(None, "direct_messages/sent.json", params)
        items = body.get("direct_messages") if isinstance(body, dict) else None
        if not isinstance(items, list):
            raise MalformedPayload("no direct_messages list in the body")
        for item in items:
            if not isinstance(item, dict):
                continue
            if as_id(item.get("recipient_id")) != uid:
                continue
            if reply_text_key(as_str(item.get("text"))) == wanted:
                return as_id(item.get("idstr")) or as_id(item.get("id")) or None
        if len(items) < WEIBO_DM_COUNT:
            return None
    return None


# --- Twitter ----------------------------------------------------------------------


def twitter_parse(
    body: Any,
    *,
    brand_id: str,
    author_of: Callable[[dict[str, Any]], NormalizedAuthor | None],
) -> ParsedPage:
    if not isinstance(body, dict):
        raise MalformedPayload("the DM events body is not an object")
    data = body.get("data", [])
    if not isinstance(data, list):
        raise MalformedPayload("DM events data is not a list")
    includes = as_dict(body.get("includes"))
    users = {
        as_id(u.get("id")): u
        for u in (includes.get("users") or [])
        if isinstance(u, dict)
    }
    page = ParsedPage()
    for event in data:
        if not isinstance(event, dict):
            page.refused.append(Refusal("", "not an object"))
            continue
        if as_str(event.get("event_type")) not in ("", "MessageCreate"):
            continue
        sender = as_id(event.get("sender_id"))
        if not sender or sender == brand_id:
            continue  # our own message, or nobody's
        user = users.get(sender)
        author = author_of(user) if user else NormalizedAuthor("twitter", sender)
        conversation = as_str(event.get("dm_conversation_id")) or sender
        result = _dm_post(
            "twitter",
            as_id(event.get("id")),
            event.get("text"),
            event.get("created_at"),
            author,
            conversation,
            event,
        )
        if isinstance(result, Refusal):
            page.refused.append(result)
        else:
            page.posts.append(result)
    return page


def _event_ids(body: Any) -> list[int]:
    data = body.get("data") if isinstance(body, dict) else None
    ids = [id_number(as_id(e.get("id"))) for e in data or [] if isinstance(e, dict)]
    return [i for i in ids if i is not None]


def twitter_fetch(
    get: Callable[[SourceSpec | None, str, dict[str, Any]], Any],
    spec: SourceSpec,
    *,
    since: int | None,
    page: dict[str, Any],
    author_of: Callable[[dict[str, Any]], NormalizedAuthor | None],
) -> ParsedPage:
    """dm_events has no since_id: walk pages until one reaches the cursor."""
    params: dict[str, Any] = {
        "dm_event.fields": TWITTER_DM_FIELDS,
        "event_types": "MessageCreate",
        "expansions": "sender_id",
        "user.fields": "username,name,public_metrics,verified,verified_type",
        "max_results": TWITTER_DM_MAX_RESULTS,
    }
    if page.get("next_token"):
        params["pagination_token"] = as_str(page["next_token"])
    body = get(spec, "dm_events", params)
    parsed = twitter_parse(body, brand_id=as_id(spec.query), author_of=author_of)
    if since is not None:
        parsed.posts = [
            p for p in parsed.posts if (id_number(p.external_id) or 0) > since
        ]
    ids = _event_ids(body)
    meta = as_dict(body.get("meta"))
    token = as_str(meta.get("next_token"))
    reached = since is not None and any(i <= since for i in ids)
    parsed.next_page = {"next_token": token} if token and not reached else None
    return parsed


def twitter_send(*, target: ReplyTarget, text: str) -> str:
    base, token = platform_config("twitter")
    participant = as_id(target.author_external_id)
    if not participant.isdigit():
        raise PermanentError(
            "a private reply needs the customer's user id", code="no_participant"
        )
    response = http_request(
        "POST",
        f"{base}/dm_conversations/with/{participant}/messages",
        json={"text": text},
        headers={"Authorization": f"Bearer {token}"},
    )
    body = twitter_decode(response)
    data = body.get("data") if isinstance(body, dict) else None
    new_id = as_id(data.get("dm_event_id")) if isinstance(data, dict) else ""
    if not new_id:
        raise MalformedPayload("the DM was answered without a dm_event_id")
    return new_id


def twitter_find(
    get: Callable[[SourceSpec | None, str, dict[str, Any]], Any],
    *,
    target: ReplyTarget,
    text: str,
) -> str | None:
    """Our DM with this text in the conversation with the customer, if any."""
    participant = as_id(target.author_external_id)
    if not participant.isdigit():
        return None
    wanted = reply_text_key(text)
    params: dict[str, Any] = {
        "dm_event.fields": TWITTER_DM_FIELDS,
        "event_types": "MessageCreate",
        "max_results": TWITTER_DM_MAX_RESULTS,
    }
    path = f"dm_conversations/with/{participant}/dm_events"
    for _ in range(DM_FIND_MAX_PAGES):
        body = get(None, path, params)
        for event in (body.get("data") or []) if isinstance(body, dict) else []:
            if not isinstance(event, dict):
                continue
            if as_id(event.get("sender_id")) == participant:
                continue
            if reply_text_key(as_str(event.get("text"))) == wanted:
                return as_id(event.get("id")) or None
        meta = body.get("meta") if isinstance(body, dict) else None
        token = as_str(meta.get("next_token")) if isinstance(meta, dict) else ""
        if not token:
            return None
        params["pagination_token"] = token
    return None
