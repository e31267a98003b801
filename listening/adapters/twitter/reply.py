"""Twitter: posting a reply, and finding one already posted (so a retry never
posts twice).
"""

from __future__ import annotations

import re
from typing import Any

from .._common import (
    as_id,
    as_str,
    http_request,
    reply_text_key,
)
from ..base import (
    MalformedPayload,
    ReplyTarget,
    platform_config,
)
from ..decoders import twitter_decode, twitter_error_for
from .fetch import MAX_RESULTS, api_get
from .parse import PLATFORM, parse_body

FIND_REPLY_MAX_PAGES = 5
_LEADING_MENTIONS = re.compile(r"^(?:@\w+\s+)+")


def post_reply(*, target: ReplyTarget, text: str) -> str:
    base, token = platform_config(PLATFORM)
    response = http_request(
        "POST",
        f"{base}/tweets",
        json={"text": text, "reply": {"in_reply_to_tweet_id": target.external_id}},
        headers={"Authorization": f"Bearer {token}"},
    )
    body = twitter_decode(response)
    data = body.get("data") if isinstance(body, dict) else None
    if isinstance(body, dict) and data is None and "errors" in body:
        raise twitter_error_for(
            body, http_status=response.status_code, response=response
        )
    new_id = as_id(data.get("id")) if isinstance(data, dict) else ""
    if not new_id:
        raise MalformedPayload("POST /2/tweets answered without a Tweet id")
    return new_id


def find_reply(*, target: ReplyTarget, text: str) -> str | None:
    conversation = as_id(target.thread_external_id) or as_id(target.external_id)
    if not (conversation.isascii() and conversation.isdigit()):
        return None
    wanted = reply_text_key(text)
    params: dict[str, Any] = {
        "query": f"conversation_id:{conversation}",
        "max_results": MAX_RESULTS,
        "tweet.fields": "created_at,author_id,conversation_id,referenced_tweets",
    }
    for _ in range(FIND_REPLY_MAX_PAGES):
        body = api_get(None, "tweets/search/recent", params)
        parsed = parse_body(body)
        for post in parsed.posts:
            if post.in_reply_to_external_id != target.external_id:
                continue
            candidate = reply_text_key(post.text)
            # Replies come back with the @handles of the thread prepended.
            if wanted in (candidate, _LEADING_MENTIONS.sub("", candidate)):
                return post.external_id
        meta = body.get("meta") if isinstance(body, dict) else None
        token = as_str(meta.get("next_token")) if isinstance(meta, dict) else ""
        if not token:
            return None
        params["next_token"] = token
    return None
