"""Twitter publishing (platform-apis.md §6.2): POST /2/tweets with media ids,
media upload, tweet lookup with public_metrics, the brand's tweets and user."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from .. import selectors
from ..published import (
    PublishRefused,
    brand_followers,
    mock_media_store,
    mock_published_catch_up,
    mock_status_publish,
    published_media,
    published_reach,
)
from ..services import Admission, twitter_text
from ..wire import dumps, twitter_length
from . import twitter
from .common import endpoint, json_response
from .publishing import (
    MAX_IDS,
    ids_param,
    upload_of,
)


def _tweet(row: dict[str, Any], reach: dict[int, int]) -> dict[str, Any]:
    authors = selectors.authors_by_ids([row["author_id"], row["target_user_id"]])
    tweet = twitter.tweet_dict(row, authors)
    if row["ext_id"] in reach:
        tweet["public_metrics"]["impression_count"] = reach[row["ext_id"]]
    picture = published_media([row["ext_id"]]).get(row["ext_id"])
    if picture is not None:
        tweet["attachments"] = {"media_keys": [f"3_{picture}"]}
    return tweet


@csrf_exempt
def tweets(request: HttpRequest) -> HttpResponse:
    """``/2/tweets``: GET looks Tweets up by id, POST creates one."""
    if request.method == "GET":
        return twitter_lookup(request)
    return create_tweet(request)


@endpoint(twitter.DIALECT, methods=("POST",), read=False)
def create_tweet(request: HttpRequest, admission: Admission) -> HttpResponse:
    """A Tweet of the brand's own (publishing, with media ids) here; a reply or a
    quote Tweet (an employee sharing the brand's news) in the mock's twitter.py."""
    body = twitter.json_body(request)
    if (
        body is not None
        and body.get("reply") is None
        and body.get("quote_tweet_id") is None
    ):
        return twitter_publish(request, body)
    return twitter.reply_or_quote_create(request, admission)


def twitter_publish(request: HttpRequest, body: dict[str, Any]) -> HttpResponse:
    """``POST /2/tweets`` without ``reply``: a Tweet of the brand account."""
    text = body.get("text")
    if not isinstance(text, str) or not text.strip():
        return twitter.invalid(
            "text", str(text), "The `text` field must be a non-empty string."
        )
    media_ids = (
        (body.get("media") or {}).get("media_ids")
        if isinstance(body.get("media"), dict)
        else None
    )
    media_id = None
    if media_ids is not None:
        if (
            not isinstance(media_ids, list)
            or len(media_ids) != 1
            or not str(media_ids[0]).isdigit()
        ):
            return twitter.invalid(
                "media.media_ids",
                str(media_ids),
                "The `media.media_ids` field must hold one media id.",
            )
        media_id = int(media_ids[0])
    text = twitter_text(text)
    if twitter_length(text) > twitter.MAX_WEIGHTED:
        return twitter.problem(
            403,
            "Forbidden",
            "Your Tweet text is too long. For more information on how Twitter "
            "determines text length see https://github.com/twitter/twitter-text.",
        )
    try:
        row = mock_status_publish(platform="twitter", text=text, media_id=media_id)
    except PublishRefused as refused:
        if refused.reason == "no_media":
            return twitter.invalid(
                "media.media_ids", str(media_id), "Your media IDs are invalid."
            )
        return twitter.problem(
            403,
            "Forbidden",
            "You are not allowed to create a Tweet with duplicate content.",
        )
    tweet_id = str(row["ext_id"])
    data = {"id": tweet_id, "text": row["text"], "edit_history_tweet_ids": [tweet_id]}
    return json_response(
        dumps({"data": data}, escape_astral=True), status=201, content_type=twitter.JSON
    )


@endpoint(twitter.DIALECT, methods=("POST",), read=False)
def twitter_media_upload(request: HttpRequest, admission: Admission) -> HttpResponse:
    picture = upload_of(request, "media")
    if picture is None:
        return twitter.invalid("media", "", "The `media` field is required.")
    try:
        row = mock_media_store(platform="twitter", data=picture)
    except PublishRefused as refused:
        return twitter.invalid(
            "media", refused.reason, "The media type or size is not supported."
        )
    data = {
        "id": str(row.media_id),
        "media_key": f"3_{row.media_id}",
        "size": row.size,
        "expires_after_secs": 86400,
        "image": {"image_type": row.content_type},
    }
    return json_response(dumps({"data": data}), content_type=twitter.JSON)


@endpoint(twitter.DIALECT)
def twitter_lookup(request: HttpRequest, admission: Admission) -> HttpResponse:
    ids = ids_param(request.GET.get("ids", ""))
    if ids is None or len(ids) > MAX_IDS:
        return twitter.invalid(
            "ids",
            request.GET.get("ids", "")[:40],
            "The `ids` query parameter value must be 1 to 100 Tweet ids.",
        )
    mock_published_catch_up(platform="twitter", ext_ids=ids)
    rows = selectors.posts_by_ids(ids)
    reach = published_reach(ids)
    found = [
        rows[i]
        for i in ids
        if i in rows and rows[i]["platform"] == "twitter" and not rows[i]["is_deleted"]
    ]
    body: dict[str, Any] = {"data": [_tweet(r, reach) for r in found]}
    missing = [i for i in ids if i not in {r["ext_id"] for r in found}]
    if missing:
        body["errors"] = [
            {
                "value": str(i),
                "detail": f"Could not find tweet with ids: [{i}].",
                "title": "Not Found Error",
                "resource_type": "tweet",
                "parameter": "ids",
                "resource_id": str(i),
                "type": twitter.NOT_FOUND,
            }
            for i in missing
        ]
    if not found:
        body.pop("data")
    return json_response(dumps(body, escape_astral=True), content_type=twitter.JSON)


def _twitter_brand(user_id: str) -> dict[str, Any] | None:
    brand = brand_followers(platform="twitter")
    return brand if brand is not None and str(brand["ext_id"]) == user_id else None


@endpoint(twitter.DIALECT)
def twitter_user_tweets(
    request: HttpRequest, admission: Admission, user_id: str
) -> HttpResponse:
    brand = _twitter_brand(user_id)
    if brand is None:
        return twitter.problem(
            404,
            "Not Found Error",
            f"Could not find user with id: [{user_id}].",
            type=twitter.NOT_FOUND,
        )
    try:
        size = min(max(int(request.GET.get("max_results", "10")), 5), 100)
    except ValueError:
        return twitter.invalid(
            "max_results",
            request.GET.get("max_results", "")[:20],
            "The `max_results` query parameter value must be a number.",
        )
    queryset = selectors.visible_statuses(platform="twitter").filter(
        author_id=brand["id"]
    )
    below = None
    token = request.GET.get("pagination_token", "")
    if token:
        try:
            below = twitter.decode_token(token)
        except ValueError:
            return twitter.invalid(
                "pagination_token",
                token[:40],
                "The `pagination_token` query parameter value is invalid.",
            )
    rows = selectors.posts_page(queryset, below_id=below, limit=size + 1)
    more = len(rows) > size
    rows = rows[:size]
    mock_published_catch_up(platform="twitter", ext_ids=[r["ext_id"] for r in rows])
    fresh = selectors.posts_by_ids([r["ext_id"] for r in rows])
    reach = published_reach(list(fresh))
    data = [_tweet(fresh[r["ext_id"]], reach) for r in rows]
    meta: dict[str, Any] = {"result_count": len(data)}
    if data:
        meta.update(newest_id=data[0]["id"], oldest_id=data[-1]["id"])
    if more:
        meta["next_token"] = twitter.encode_token(rows[-1]["ext_id"])
    body = {"data": data, "meta": meta} if data else {"meta": meta}
    return json_response(dumps(body, escape_astral=True), content_type=twitter.JSON)


@endpoint(twitter.DIALECT)
def twitter_user(
    request: HttpRequest, admission: Admission, user_id: str
) -> HttpResponse:
    author = selectors.author_by_ext_id(platform="twitter", ext_id=int(user_id))
    if author is None or author["is_deleted"]:
        return twitter.problem(
            404,
            "Not Found Error",
            f"Could not find user with id: [{user_id}].",
            type=twitter.NOT_FOUND,
        )
    mock_published_catch_up(platform="twitter")
    if author["pool_index"] == 0:
        author = brand_followers(platform="twitter")
    return json_response(
        dumps({"data": twitter.user_dict(author)}, escape_astral=True),
        content_type=twitter.JSON,
    )
