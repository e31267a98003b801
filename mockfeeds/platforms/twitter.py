"""Mock Twitter API v2 under /mock/twitter/2/ (see platform-apis.md §2).

GET tweets/search/recent (query language in twitter_query, including
``conversation_id:<id>``), GET users/<id>/mentions, POST tweets. String ids, ISO
times with milliseconds, ``includes.users`` de-duplicated, ``meta.next_token``
omitted on the last page, ``x-rate-limit-*`` headers on every answer, RFC 7807
problem bodies. Every Tweet comes with all its fields and ``includes.users``
whatever ``tweet.fields``/``expansions`` ask (a superset of what they would give);
``includes.tweets`` comes when ``expansions`` names ``referenced_tweets.id``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.http import HttpRequest, HttpResponse

from .. import selectors
from ..services import (
    Admission,
    ReplyRefused,
    mock_reply_create,
    mock_share_create,
    twitter_text,
)
from ..wire import dumps, parse_iso, twitter_length, twitter_time
from . import twitter_query
from .common import Dialect, endpoint, json_response

PLATFORM = "twitter"
MAX_WEIGHTED = 280
JSON = "application/json; charset=utf-8"
PROBLEM = "application/problem+json"
INVALID = "https://api.twitter.com/2/problems/invalid-request"
NOT_FOUND = "https://api.twitter.com/2/problems/resource-not-found"
# next_token is opaque to clients: a fixed prefix and the page boundary in base 36.
TOKEN_PREFIX = "b26v89c19zqg8o3f"  # noqa: S105 - not a secret
_MENTION_RE = re.compile(r"(?<![\w@])@(\w{1,15})")
_HASHTAG_RE = re.compile(r"(?<![\w#])#(\w+)")
_URL_RE = re.compile(r"https?://[^\s<>\"']+")


def problem(status: int, title: str, detail: str, **extra) -> HttpResponse:
    body = {"title": title, "detail": detail, "type": "about:blank", "status": status}
    body.update(extra)
    return json_response(dumps(body), status=status, content_type=PROBLEM)


def invalid(parameter: str, value: str, message: str) -> HttpResponse:
    body = {
        "errors": [{"parameters": {parameter: [value]}, "message": message}],
        "title": "Invalid Request",
        "detail": "One or more parameters to your request was invalid.",
        "type": INVALID,
    }
    return json_response(dumps(body), status=400, content_type=PROBLEM)


def _headers(admission: Admission) -> dict[str, str]:
    reset = int(admission.reset_at.timestamp()) if admission.reset_at else 0
    return {
        "x-rate-limit-limit": str(admission.limit),
        "x-rate-limit-remaining": str(admission.remaining),
        "x-rate-limit-reset": str(reset),
        "api-version": "2.103",
    }


DIALECT = Dialect(
    platform=PLATFORM,
    unauthorized=lambda request: problem(401, "Unauthorized", "Unauthorized"),
    rate_limited=lambda request, admission: problem(
        429, "Too Many Requests", "Too Many Requests"
    ),
    server_error=lambda request: problem(
        503, "Service Unavailable", "Service Unavailable"
    ),
    headers=_headers,
)


def encode_token(ext_id: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while ext_id:
        ext_id, digit = divmod(ext_id, 36)
        text = digits[digit] + text
    return TOKEN_PREFIX + (text or "0")


def decode_token(token: str) -> int:
    if not token.startswith(TOKEN_PREFIX):
        raise ValueError(token)
    return int(token[len(TOKEN_PREFIX) :], 36)


# --- objects --------------------------------------------------------------------------


def user_dict(author: dict[str, Any]) -> dict[str, Any]:
    user_id = str(author["ext_id"])
    user = {
        "id": user_id,
        "username": author["screen_name"],
        "name": author["name"],
        "created_at": twitter_time(author["created_at"]),
        "description": author["description"],
        "location": author["location"],
        "url": "",
        "profile_image_url": "https://pbs.twimg.com/profile_images/"
        f"{author['ext_id'] % 10**12}/avatar_normal.jpg",
        "protected": False,
        "verified": author["verified"],
        "verified_type": author["badge"] or "none",
        "public_metrics": {
            "followers_count": author["followers_count"],
            "following_count": author["friends_count"],
            "tweet_count": author["statuses_count"],
            "listed_count": max(author["followers_count"], 0) // 200,
        },
    }
    return user


def _entities(text: str) -> dict[str, list]:
    entities: dict[str, list] = {}
    urls = [
        {
            "start": m.start(),
            "end": m.end(),
            "url": m.group(0),
            "expanded_url": "https://www.dell.com/support/" + m.group(0)[-10:],
            "display_url": "dell.com/support/" + m.group(0)[-10:],
        }
        for m in _URL_RE.finditer(text)
    ]
    mentions = [
        {"start": m.start(), "end": m.end(), "username": m.group(1)}
        for m in _MENTION_RE.finditer(text)
    ]
    hashtags = [
        {"start": m.start(), "end": m.end(), "tag": m.group(1)}
        for m in _HASHTAG_RE.finditer(text)
    ]
    for key, values in (("urls", urls), ("mentions", mentions), ("hashtags", hashtags)):
        if values:
            entities[key] = values
    return entities


def tweet_dict(row: dict[str, Any], authors: dict[int, dict]) -> dict[str, Any]:
    ext_id = str(row["ext_id"])
    author = authors.get(row["author_id"])
    tweet: dict[str, Any] = {
        "id": ext_id,
        "text": row["text"],
        "edit_history_tweet_ids": [ext_id],
        "author_id": str(author["ext_id"]) if author else "",
        "created_at": twitter_time(row["created_at"]),
        "conversation_id": str(row["root_id"] or row["ext_id"]),
        "lang": row["lang"] or "und",
        "possibly_sensitive": False,
        "reply_settings": "everyone",
        "public_metrics": {
            "retweet_count": row["reposts_count"],
            "reply_count": row["comments_count"],
            "like_count": row["likes_count"],
            "quote_count": row["quotes_count"],
            "bookmark_count": 0,
            "impression_count": max(row["likes_count"], 0) * 37 + 12,
        },
    }
    references = []
    if row["parent_id"]:
        references.append({"type": "replied_to", "id": str(row["parent_id"])})
    if row["repost_of_id"]:
        references.append({"type": "retweeted", "id": str(row["repost_of_id"])})
    if references:
        tweet["referenced_tweets"] = references
    if row["target_user_id"]:
        target = authors.get(row["target_user_id"])
        if target is not None:
            tweet["in_reply_to_user_id"] = str(target["ext_id"])
    entities = _entities(row["text"])
    if entities:
        tweet["entities"] = entities
    return tweet


def page_body(rows: list[dict], *, more: bool, expansions: str) -> dict[str, Any]:
    if not rows:
        return {"meta": {"result_count": 0}}
    related = {}
    if "referenced_tweets.id" in expansions:
        related = selectors.posts_by_ids(r["repost_of_id"] for r in rows)
    ids = [r["author_id"] for r in rows] + [r["target_user_id"] for r in rows]
    ids += [r["author_id"] for r in related.values()]
    authors = selectors.authors_by_ids(ids)
    body: dict[str, Any] = {"data": [tweet_dict(row, authors) for row in rows]}
    users, errors, seen = [], [], set()
    for row in rows + list(related.values()):
        author = authors.get(row["author_id"])
        if author is None or author["id"] in seen:
            continue
        seen.add(author["id"])
        if author["is_deleted"]:
            user_id = str(author["ext_id"])
            errors.append(
                {
                    "value": user_id,
                    "detail": f"Could not find user with id: [{user_id}].",
                    "title": "Not Found Error",
                    "resource_type": "user",
                    "parameter": "author_id",
                    "resource_id": user_id,
                    "type": NOT_FOUND,
                }
            )
        else:
            users.append(user_dict(author))
    body["includes"] = {"users": users}
    if related:
        body["includes"]["tweets"] = [tweet_dict(r, authors) for r in related.values()]
    if errors:
        body["errors"] = errors
    meta = {
        "newest_id": str(rows[0]["ext_id"]),
        "oldest_id": str(rows[-1]["ext_id"]),
        "result_count": len(rows),
    }
    if more:
        meta["next_token"] = encode_token(rows[-1]["ext_id"])
    body["meta"] = meta
    return body


# --- reads ----------------------------------------------------------------------------


def _page(
    request: HttpRequest, queryset, *, low: int, token_names: tuple[str, ...]
) -> HttpResponse:
    params = request.GET
    values: dict[str, int | None] = {}
    for name in ("since_id", "until_id", "max_results"):
        raw = params.get(name, "").strip()
        if raw and not (raw.isascii() and raw.isdigit()):
            return invalid(
                name, raw, f"The `{name}` query parameter value [{raw}] is not valid"
            )
        values[name] = int(raw) if raw else None
    size = values["max_results"] or 10
    if not low <= size <= 100:
        return invalid(
            "max_results",
            str(size),
            f"The `max_results` query parameter value [{size}] is not between "
            f"{low} and 100",
        )
    below = values["until_id"]
    for name in token_names:
        token = params.get(name, "").strip()
        if token:
            try:
                boundary = decode_token(token)
            except ValueError:
                return invalid(
                    name,
                    token,
                    f"The `{name}` query parameter value [{token}] is not valid",
                )
            below = boundary if below is None else min(below, boundary)
    for name, lookup in (
        ("start_time", "created_at__gte"),
        ("end_time", "created_at__lt"),
    ):
        raw = params.get(name, "").strip()
        if raw:
            when = parse_iso(raw)
            if when is None:
                return invalid(name, raw, f"Invalid '{name}':'{raw}'.")
            queryset = queryset.filter(**{lookup: when})
    rows = selectors.posts_page(
        queryset, since_id=values["since_id"], below_id=below, limit=size + 1
    )
    body = page_body(
        rows[:size], more=len(rows) > size, expansions=params.get("expansions", "")
    )
    return json_response(dumps(body, escape_astral=True), content_type=JSON)


@endpoint(DIALECT)
def search_recent(request: HttpRequest, admission: Admission) -> HttpResponse:
    query = request.GET.get("query", "")
    try:
        condition = twitter_query.parse(query)
    except twitter_query.QueryError as error:
        return invalid("query", query, f"Invalid 'query':'{query}'. {error}")
    queryset = selectors.visible_statuses(platform=PLATFORM).filter(condition)
    return _page(
        request, queryset, low=10, token_names=("next_token", "pagination_token")
    )


@endpoint(DIALECT)
def user_mentions(
    request: HttpRequest, admission: Admission, user_id: str
) -> HttpResponse:
    author = selectors.author_by_ext_id(platform=PLATFORM, ext_id=int(user_id))
    if author is None or author["is_deleted"]:
        body = {
            "errors": [
                {
                    "value": user_id,
                    "detail": f"Could not find user with id: [{user_id}].",
                    "title": "Not Found Error",
                    "resource_type": "user",
                    "parameter": "id",
                    "resource_id": user_id,
                    "type": NOT_FOUND,
                }
            ]
        }
        return json_response(dumps(body), content_type=JSON)
    queryset = selectors.visible_statuses(platform=PLATFORM)
    if author["is_brand"]:
        queryset = queryset.filter(mentions_brand=True)
    else:
        queryset = queryset.filter(text__icontains=f"@{author['screen_name']}")
    return _page(request, queryset, low=5, token_names=("pagination_token",))


# --- writes ---------------------------------------------------------------------------


def json_body(request: HttpRequest) -> dict | None:
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


def reply_or_quote_create(request: HttpRequest, admission: Admission) -> HttpResponse:
    """``POST /2/tweets`` with ``reply`` (an answer in a conversation) or
    ``quote_tweet_id`` (an employee sharing the brand's news); the endpoint and the
    brand's own Tweets are publish_twitter's."""
    body = json_body(request)
    if body is None:
        return invalid("body", "", "Request body must be a JSON object.")
    text = body.get("text")
    if not isinstance(text, str) or not text.strip():
        return invalid(
            "text", str(text), "The `text` field must be a non-empty string."
        )
    reply = body.get("reply")
    target = None
    if reply is not None:
        reply_to = (
            reply.get("in_reply_to_tweet_id") if isinstance(reply, dict) else None
        )
        if not isinstance(reply_to, str | int) or not (
            str(reply_to).isascii() and str(reply_to).isdigit()
        ):
            return invalid(
                "reply.in_reply_to_tweet_id",
                str(reply_to),
                "The `reply.in_reply_to_tweet_id` field must be a Tweet id.",
            )
        target = selectors.post_get(platform=PLATFORM, ext_id=int(reply_to))
        if target is None or target["is_deleted"]:
            return problem(
                403,
                "Forbidden",
                "You attempted to reply to a Tweet that is deleted or not visible "
                "to you.",
            )
    quoted = body.get("quote_tweet_id")
    if quoted is not None:
        if not isinstance(quoted, str | int) or not str(quoted).isdigit():
            return invalid(
                "quote_tweet_id",
                str(quoted),
                "The `quote_tweet_id` field must be a Tweet id.",
            )
        quoted_row = selectors.post_get(platform=PLATFORM, ext_id=int(quoted))
        if quoted_row is None or quoted_row["is_deleted"]:
            return problem(
                403,
                "Forbidden",
                "You cannot quote a Tweet that is deleted or not visible.",
            )
    text = twitter_text(text)
    if twitter_length(text) > MAX_WEIGHTED:
        return problem(
            403,
            "Forbidden",
            "Your Tweet text is too long. For more information on how Twitter "
            "determines text length see https://github.com/twitter/twitter-text.",
        )
    try:
        if quoted is not None:
            row = mock_share_create(
                platform=PLATFORM, original_id=int(quoted), text=text
            )
        else:
            row = mock_reply_create(
                platform=PLATFORM,
                text=text,
                kind="status",
                root_id=(target["root_id"] or target["ext_id"]) if target else None,
                parent_id=target["ext_id"] if target else None,
                target_user_id=target["author_id"] if target else None,
            )
    except ReplyRefused:
        return problem(
            403,
            "Forbidden",
            "You are not allowed to create a Tweet with duplicate content.",
        )
    tweet_id = str(row["ext_id"])
    data = {"id": tweet_id, "text": row["text"], "edit_history_tweet_ids": [tweet_id]}
    return json_response(
        dumps({"data": data}, escape_astral=True), status=201, content_type=JSON
    )
