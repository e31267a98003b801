"""Renren: posting a comment as a reply, and finding one already posted (so a retry
never posts twice).
"""

from __future__ import annotations

from typing import Any

from .._common import (
    as_id,
    reply_text_key,
)
from ..base import (
    MalformedPayload,
    PermanentError,
    ReplyTarget,
)
from .fetch import PAGE_SIZE, api_call
from .parse import parse_body, split_thread

FIND_REPLY_MAX_PAGES = 5


def reply_entry(target: ReplyTarget) -> tuple[str, str]:
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


def post_reply(*, target: ReplyTarget, text: str) -> str:
    owner, entry = reply_entry(target)
    params: dict[str, Any] = {
        "content": text,
        "commentType": "STATUS",
        "entryOwnerId": owner,
        "entryId": entry,
    }
    replied_user = as_id(target.author_external_id)
    if target.is_comment and replied_user:
        params["targetUserId"] = replied_user
    body = api_call("POST", None, "comment/put", params)
    response = body.get("response") if isinstance(body, dict) else None
    new_id = as_id(response.get("id")) if isinstance(response, dict) else ""
    if not new_id:
        raise MalformedPayload("comment/put answered without a comment id")
    return new_id


def find_reply(*, target: ReplyTarget, text: str) -> str | None:
    try:
        owner, entry = reply_entry(target)
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
        body = api_call("GET", None, "comment/list", params)
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
