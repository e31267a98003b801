"""Twitter: a source's page of Tweets (search, mentions, comments), paged by ids."""

from __future__ import annotations

from typing import Any

from .._common import (
    as_id,
    as_str,
    http_request,
    id_number,
)
from ..base import (
    ParsedPage,
    PermanentError,
    SourceSpec,
    platform_config,
)
from ..decoders import twitter_decode
from .parse import PLATFORM, parse_body

# The most search/recent and the mentions timeline give per request.
MAX_RESULTS = 100
TWEET_FIELDS = (
    "created_at,author_id,conversation_id,in_reply_to_user_id,referenced_tweets,"
    "lang,public_metrics,entities"
)


USER_FIELDS = (
    "username,name,verified,verified_type,public_metrics,location,description,"
    "profile_image_url,created_at"
)


EXPANSIONS = "author_id"


def api_get(spec: SourceSpec | None, path: str, params: dict[str, Any]) -> Any:
    base, token = platform_config(PLATFORM, spec)
    response = http_request(
        "GET",
        f"{base}/{path}",
        params=params,
        headers={"Authorization": f"Bearer {token}"},
    )
    return twitter_decode(response)


def source_request(spec: SourceSpec) -> tuple[str, dict[str, Any]]:
    params: dict[str, Any] = {
        "max_results": MAX_RESULTS,
        "tweet.fields": TWEET_FIELDS,
        "user.fields": USER_FIELDS,
        "expansions": EXPANSIONS,
    }
    query = spec.query.strip()
    if spec.kind == "search":
        if not query:
            raise PermanentError("a search source needs a query")
        return "tweets/search/recent", {**params, "query": query}
    if spec.kind == "mentions":
        if not (query.isascii() and query.isdigit()):
            raise PermanentError(
                "a mentions source needs the account's numeric user id"
            )
        return f"users/{query}/mentions", params
    if spec.kind == "comments":
        tweet_id = as_id(query)
        if not (tweet_id.isascii() and tweet_id.isdigit()):
            raise PermanentError("a comments source needs the Tweet id")
        return "tweets/search/recent", {
            **params,
            "query": f"conversation_id:{tweet_id}",
        }
    raise PermanentError(f"unknown source kind {spec.kind!r}")


def fetch_page(
    spec: SourceSpec, *, since_id: str | None, page: dict[str, Any] | None
) -> ParsedPage:
    path, params = source_request(spec)
    since = id_number(as_str(since_id).strip()) if since_id else None
    page = dict(page or {})
    if since is not None:
        params["since_id"] = str(since)
    until = id_number(as_str(page.get("until_id")).strip())
    if until is not None:
        params["until_id"] = str(until)
    elif page.get("next_token"):
        token_param = "pagination_token" if "/mentions" in path else "next_token"
        params[token_param] = as_str(page["next_token"])
    body = api_get(spec, path, params)
    parsed = parse_body(body, kind=spec.kind)
    parsed.next_page = _next_page(parsed, body, since=since, until=until)
    return parsed


def _oldest_ids(page: ParsedPage) -> list[int]:
    ids = [id_number(p.external_id) for p in page.posts]
    ids += [id_number(r.external_id) for r in page.refused]
    return [i for i in ids if i is not None]


def _next_page(
    parsed: ParsedPage, body: Any, *, since: int | None, until: int | None
) -> dict[str, Any] | None:
    ids = _oldest_ids(parsed)
    if not ids:
        return None
    if since is not None and min(ids) <= since:
        return None
    meta = body.get("meta") if isinstance(body, dict) else None
    if isinstance(meta, dict):
        if not meta.get("next_token"):
            return None
    elif len(ids) < MAX_RESULTS:
        return None
    next_until = min(ids) - 1
    if next_until <= 0 or (since is not None and next_until <= since):
        return None
    if until is not None and next_until >= until:
        # The server ignored until_id: do not walk the same page for ever.
        return None
    return {"until_id": str(next_until)}
