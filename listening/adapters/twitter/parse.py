"""Twitter: bodies and HTTP answers into posts, refusals and errors (v2 and v1.1)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .._common import (
    as_bool,
    as_dict,
    as_id,
    as_list,
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
from ..decoders import twitter_error_for

PLATFORM = "twitter"
# Snowflake ids carry their creation time: (id >> 22) ms after this epoch. Ids below
# 2**40 predate snowflakes (Nov 2010) and carry nothing.
SNOWFLAKE_EPOCH_MS = 1288834974657
SNOWFLAKE_MIN = 2**40
# Language codes Twitter uses for "no language": undetermined, and its q-codes
# (qme media only, qht hashtags only, qam mentions only, qct cashtags, qst very short).
_NO_LANGUAGE = re.compile(r"^(und|zxx|q[a-z]{2})$", re.I)


def snowflake_time(external_id: str) -> dt.datetime | None:
    number = id_number(external_id)
    if number is None or number < SNOWFLAKE_MIN:
        return None
    millis = (number >> 22) + SNOWFLAKE_EPOCH_MS
    try:
        return dt.datetime.fromtimestamp(millis / 1000, tz=dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _language(value: Any) -> str:
    lang = as_str(value).strip()
    return "" if not lang or _NO_LANGUAGE.match(lang) else lang[:8]


def _v2_author(user: dict[str, Any]) -> NormalizedAuthor | None:
    external_id = as_id(user.get("id"))
    if not external_id:
        return None
    metrics = user.get("public_metrics")
    metrics = metrics if isinstance(metrics, dict) else {}
    return NormalizedAuthor(
        platform=PLATFORM,
        external_id=external_id,
        screen_name=as_str(user.get("username")),
        name=as_str(user.get("name")),
        followers_count=clamp_count(metrics.get("followers_count")),
        friends_count=clamp_count(metrics.get("following_count")),
        statuses_count=clamp_count(metrics.get("tweet_count")),
        verified=as_bool(user.get("verified")),
        verified_type=as_str(user.get("verified_type")),
        location=as_str(user.get("location")),
        description=as_str(user.get("description")),
        profile_image_url=as_str(user.get("profile_image_url")),
    )


def _v1_author(user: Any) -> NormalizedAuthor | None:
    if not isinstance(user, dict):
        return None
    external_id = first_id(user.get("id_str"), user.get("id"))
    if not external_id:
        return None
    return NormalizedAuthor(
        platform=PLATFORM,
        external_id=external_id,
        screen_name=as_str(user.get("screen_name")),
        name=as_str(user.get("name")),
        followers_count=clamp_count(user.get("followers_count")),
        friends_count=clamp_count(user.get("friends_count")),
        statuses_count=clamp_count(user.get("statuses_count")),
        verified=as_bool(user.get("verified")),
        location=as_str(user.get("location")),
        description=as_str(user.get("description")),
        profile_image_url=as_str(user.get("profile_image_url_https"))
        or as_str(user.get("profile_image_url")),
    )


def _created(item: dict[str, Any], external_id: str) -> dt.datetime | None:
    return parse_time(item.get("created_at"), local_tz=dt.UTC) or snowflake_time(
        external_id
    )


def _v2_tweet(
    tweet: dict[str, Any], users: dict[str, NormalizedAuthor]
) -> NormalizedPost | Refusal:
    external_id = as_id(tweet.get("id"))
    if not external_id:
        return Refusal("", "no id")
    text = text_or_none(tweet.get("text"))
    if text is None:
        return Refusal(external_id, "no text")
    created_at = _created(tweet, external_id)
    if created_at is None:
        return Refusal(external_id, "no valid created_at")
    references: dict[str, str] = {}
    for ref in tweet.get("referenced_tweets") or ():
        if isinstance(ref, dict):
            references.setdefault(as_str(ref.get("type")), as_id(ref.get("id")))
    in_reply_to = references.get("replied_to", "")
    author_id = as_id(tweet.get("author_id"))
    author = users.get(author_id)
    if author is None and author_id:
        # The expansion was not asked for, or the user is suspended: the id is
        # still worth keeping.
        author = NormalizedAuthor(platform=PLATFORM, external_id=author_id)
    metrics = tweet.get("public_metrics")
    metrics = metrics if isinstance(metrics, dict) else {}
    return NormalizedPost(
        platform=PLATFORM,
        external_id=external_id,
        text=text,
        created_at=created_at,
        author=author,
        in_reply_to_external_id=in_reply_to,
        thread_external_id=as_id(tweet.get("conversation_id"))
        or in_reply_to
        or external_id,
        repost_of_external_id=references.get("retweeted")
        or references.get("quoted", ""),
        metrics={
            "reposts": clamp_count(metrics.get("retweet_count")),
            "comments": clamp_count(metrics.get("reply_count")),
            "likes": clamp_count(metrics.get("like_count")),
            "quotes": clamp_count(metrics.get("quote_count")),
        },
        language_hint=_language(tweet.get("lang")),
        raw=tweet,
    )


def _v1_tweet(tweet: dict[str, Any]) -> NormalizedPost | Refusal:
    external_id = first_id(tweet.get("id_str"), tweet.get("id"))
    if not external_id:
        return Refusal("", "no id")
    # Extended mode sends full_text; compatibility mode (streams) truncates text
    # and carries the whole of it in extended_tweet.
    extended = tweet.get("extended_tweet")
    text = text_or_none(tweet.get("full_text"))
    if text is None and isinstance(extended, dict) and tweet.get("truncated"):
        text = text_or_none(extended.get("full_text"))
    if text is None:
        text = text_or_none(tweet.get("text"))
    if text is None:
        return Refusal(external_id, "no text")
    created_at = _created(tweet, external_id)
    if created_at is None:
        return Refusal(external_id, "no valid created_at")
    in_reply_to = first_id(
        tweet.get("in_reply_to_status_id_str"), tweet.get("in_reply_to_status_id")
    )
    original = tweet.get("retweeted_status")
    repost_of = (
        first_id(original.get("id_str"), original.get("id"))
        if isinstance(original, dict)
        else ""
    ) or first_id(tweet.get("quoted_status_id_str"), tweet.get("quoted_status_id"))
    return NormalizedPost(
        platform=PLATFORM,
        external_id=external_id,
        text=text,
        created_at=created_at,
        author=_v1_author(tweet.get("user")),
        in_reply_to_external_id=in_reply_to,
        thread_external_id=in_reply_to or external_id,
        repost_of_external_id=repost_of,
        metrics={
            "reposts": clamp_count(tweet.get("retweet_count")),
            "comments": clamp_count(tweet.get("reply_count")),
            "likes": clamp_count(tweet.get("favorite_count")),
            "quotes": clamp_count(tweet.get("quote_count")),
        },
        language_hint=_language(tweet.get("lang")),
        raw=tweet,
    )


def _is_v1_tweet(item: dict[str, Any]) -> bool:
    return "id_str" in item or isinstance(item.get("user"), dict)


def _looks_like_tweet(item: dict[str, Any]) -> bool:
    return bool(first_id(item.get("id_str"), item.get("id"))) and (
        "text" in item or "full_text" in item
    )


def _parse_items(
    items: list[Any], users: dict[str, NormalizedAuthor], page: ParsedPage
) -> None:
    for item in items:
        if not isinstance(item, dict):
            page.refused.append(Refusal(as_id(item), "not an object"))
            continue
        try:
            result = _v1_tweet(item) if _is_v1_tweet(item) else _v2_tweet(item, users)
        except Exception as error:  # one bad item never stops the page
            result = Refusal(
                first_id(item.get("id_str"), item.get("id")),
                f"unparseable: {type(error).__name__}",
            )
        if isinstance(result, Refusal):
            page.refused.append(result)
        else:
            page.posts.append(result)


def _is_partial_error(error: Any) -> bool:
    return isinstance(error, dict) and (
        "resource_id" in error or "resource_type" in error or "value" in error
    )


def _parse_v2(body: dict[str, Any], page: ParsedPage) -> None:
    data = body.get("data")
    errors = as_list(body.get("errors"))
    if data is None and errors and not all(_is_partial_error(e) for e in errors):
        raise twitter_error_for(body)
    includes = as_dict(body.get("includes"))
    users: dict[str, NormalizedAuthor] = {}
    included_users = includes.get("users")
    for user in included_users if isinstance(included_users, list) else ():
        author = _v2_author(user) if isinstance(user, dict) else None
        if author is not None:
            users.setdefault(author.external_id, author)
    if isinstance(data, dict):
        items = [data]
    elif isinstance(data, list):
        items = data
    elif data is None:
        items = []
    else:
        raise MalformedPayload("'data' is neither a Tweet nor a list of them")
    _parse_items(items, users, page)
    for error in errors:
        # About a requested Tweet (ids lookup: parameter "ids"/"id"); errors about
        # expansions (a deleted referenced Tweet, a suspended user) are not items.
        if not _is_partial_error(error):
            continue
        parameter = as_str(error.get("parameter"))
        if as_str(error.get("resource_type")) not in ("tweet", ""):
            continue
        if parameter and "." in parameter:
            continue
        reason = as_str(error.get("title")) or "error"
        page.refused.append(
            Refusal(first_id(error.get("resource_id"), error.get("value")), reason)
        )


def parse_body(body: Any, *, kind: str = "search") -> ParsedPage:
    page = ParsedPage()
    if isinstance(body, list):
        _parse_items(body, {}, page)
        return page
    if not isinstance(body, dict):
        raise MalformedPayload(f"expected a JSON object or array, got {type(body)}")
    if "data" in body or "includes" in body or "meta" in body:
        _parse_v2(body, page)
    elif "statuses" in body:
        statuses = body.get("statuses")
        if statuses is not None and not isinstance(statuses, list):
            raise MalformedPayload("'statuses' is not an array")
        _parse_items(statuses or [], {}, page)
    elif _looks_like_tweet(body):
        _parse_items([body], {}, page)
    elif "errors" in body or "title" in body or "detail" in body:
        if isinstance(body.get("errors"), list) and all(
            _is_partial_error(e) for e in body["errors"]
        ):
            _parse_v2(body, page)
        else:
            raise twitter_error_for(body)
    else:
        raise MalformedPayload("no data, statuses or Tweet in the body")
    return page
