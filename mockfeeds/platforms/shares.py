"""Sharing a post, in each platform's real wire shape (platform-apis.md §6):
Weibo ``statuses/repost`` (and ``statuses/repost_timeline`` to read a post's
reposts), Twitter ``POST /2/users/:id/retweets`` (plus ``retweeted_by`` and
``quote_tweets``; a quote is ``POST /2/tweets`` with ``quote_tweet_id``), Renren
``POST /v2/status/share``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from .. import selectors
from ..services import Admission, ReplyRefused, mock_share_create, mock_shares_of
from ..wire import dumps, weibo_length
from . import renren, twitter, weibo
from .common import endpoint, int_param, json_response
from .weibo_objects import statuses

WEIBO_MAX_UNITS = 140
RENREN_MAX_CHARS = 240
READ_MAX = 200


# --- Weibo ---------------------------------------------------------------------------


@endpoint(weibo.DIALECT, methods=("POST",), read=False)
def weibo_repost(request: HttpRequest, admission: Admission) -> HttpResponse:
    try:
        status_id = int_param(request, "id", source=request.POST)
    except ValueError:
        return weibo._bad_param(request, "id")
    if status_id is None:
        return weibo._missing(request, "id")
    text = request.POST.get("status", "")
    if weibo_length(text) > WEIBO_MAX_UNITS:
        return weibo.error(
            request, 20012, "Text too long, please input text less than 140 characters!"
        )
    original = selectors.post_get(platform="weibo", ext_id=status_id, kind="status")
    if original is None or original["is_deleted"]:
        return weibo.error(request, 20101, "target weibo does not exist!")
    try:
        row = mock_share_create(
            platform="weibo", original_id=status_id, text=text or "转发微博"
        )
    except ReplyRefused:
        return weibo.error(request, 20019, "repeat content!")
    return json_response(dumps(statuses([row])[0]), content_type=weibo.JSON)


@endpoint(weibo.DIALECT)
def weibo_repost_timeline(request: HttpRequest, admission: Admission) -> HttpResponse:
    try:
        status_id = int_param(request, "id")
    except ValueError:
        return weibo._bad_param(request, "id")
    if status_id is None:
        return weibo._missing(request, "id")
    rows = mock_shares_of(platform="weibo", original_id=status_id, limit=READ_MAX)
    body = {
        "reposts": statuses(rows),
        "hasvisible": False,
        "previous_cursor": 0,
        "next_cursor": 0,
        "total_number": len(rows),
    }
    return json_response(dumps(body), content_type=weibo.JSON)


# --- Twitter -------------------------------------------------------------------------


def _tweet_or_404(tweet_id: str):
    if not (str(tweet_id).isascii() and str(tweet_id).isdigit()):
        return None, twitter.invalid(
            "id", str(tweet_id), "The `id` must be a Tweet id."
        )
    row = selectors.post_get(platform="twitter", ext_id=int(tweet_id))
    if row is None or row["is_deleted"]:
        return None, twitter.problem(
            404,
            "Not Found Error",
            f"Could not find tweet with id: [{tweet_id}].",
            type=twitter.NOT_FOUND,
        )
    return row, None


@endpoint(twitter.DIALECT, methods=("POST",), read=False)
def twitter_retweet(request: HttpRequest, admission: Admission, user_id: str):
    body = twitter.json_body(request)
    if body is None:
        return twitter.invalid("body", "", "Request body must be a JSON object.")
    tweet_id = body.get("tweet_id")
    if not isinstance(tweet_id, str | int) or not (
        str(tweet_id).isascii() and str(tweet_id).isdigit()
    ):
        return twitter.invalid(
            "tweet_id", str(tweet_id), "The `tweet_id` field must be a Tweet id."
        )
    original, refusal = _tweet_or_404(str(tweet_id))
    if refusal is not None:
        return refusal
    authors = selectors.authors_by_ids([original["author_id"]])
    author = authors.get(original["author_id"])
    text = f"RT @{author['screen_name'] if author else ''}: {original['text']}"
    try:
        mock_share_create(
            platform="twitter",
            original_id=original["ext_id"],
            text=text,
            sharer_ext_id=int(user_id),
        )
    except ReplyRefused:
        pass  # already retweeted: Twitter answers the same, idempotently
    return json_response(
        dumps({"data": {"retweeted": True}}), content_type=twitter.JSON
    )


@endpoint(twitter.DIALECT)
def twitter_retweeted_by(request: HttpRequest, admission: Admission, tweet_id: str):
    original, refusal = _tweet_or_404(tweet_id)
    if refusal is not None:
        return refusal
    rows = [
        r
        for r in mock_shares_of(platform="twitter", original_id=original["ext_id"])
        if r["text"].startswith("RT @")
    ]
    authors = selectors.authors_by_ids(r["author_id"] for r in rows)
    users = [
        twitter.user_dict(authors[r["author_id"]])
        for r in rows
        if r["author_id"] in authors
    ]
    body = (
        {"data": users, "meta": {"result_count": len(users)}}
        if users
        else {"meta": {"result_count": 0}}
    )
    return json_response(dumps(body, escape_astral=True), content_type=twitter.JSON)


@endpoint(twitter.DIALECT)
def twitter_quote_tweets(request: HttpRequest, admission: Admission, tweet_id: str):
    original, refusal = _tweet_or_404(tweet_id)
    if refusal is not None:
        return refusal
    rows = [
        r
        for r in mock_shares_of(platform="twitter", original_id=original["ext_id"])
        if not r["text"].startswith("RT @")
    ]
    authors = selectors.authors_by_ids(r["author_id"] for r in rows)
    tweets = [twitter.tweet_dict(r, authors) for r in rows]
    body = (
        {"data": tweets, "meta": {"result_count": len(tweets)}}
        if tweets
        else {"meta": {"result_count": 0}}
    )
    return json_response(dumps(body, escape_astral=True), content_type=twitter.JSON)


# --- Renren --------------------------------------------------------------------------


@endpoint(renren.DIALECT, methods=("POST",), read=False)
def renren_share(request: HttpRequest, admission: Admission) -> HttpResponse:
    params = request.POST
    raw_status, raw_owner = params.get("statusId", ""), params.get("ownerId", "")
    if not raw_status or not raw_owner:
        return renren.error(
            "invalid_request.MISSING_PARAMETER", "缺少必需参数statusId或ownerId"
        )
    if not (raw_status.isascii() and raw_status.isdigit()) or not (
        raw_owner.isascii() and raw_owner.isdigit()
    ):
        return renren.error(
            "invalid_request.INVALID_PARAMETER", "参数statusId和ownerId必须是整数"
        )
    content = params.get("content", "")
    if len(content) > RENREN_MAX_CHARS:
        return renren.error(
            "invalid_request.CONTENT_TOO_LONG", f"内容不能超过{RENREN_MAX_CHARS}个字"
        )
    original = selectors.post_get(
        platform="renren", ext_id=int(raw_status), kind="status"
    )
    owner = (
        selectors.authors_by_ids([original["author_id"]]).get(original["author_id"])
        if original
        else None
    )
    if (
        original is None
        or original["is_deleted"]
        or owner is None
        or str(owner["ext_id"]) != raw_owner
    ):
        return renren.error("invalid_request.STATUS_NOT_EXIST", "状态不存在")
    try:
        row = mock_share_create(
            platform="renren", original_id=original["ext_id"], text=content
        )
    except ReplyRefused:
        return renren.error("forbidden.REPEAT_SHARE", "请不要重复分享相同的内容", 403)
    related = selectors.posts_by_ids([row["repost_of_id"]])
    authors = selectors.authors_by_ids(
        [row["author_id"]] + [r["author_id"] for r in related.values()]
    )
    return renren._ok(renren.status_dict(row, authors, related))
