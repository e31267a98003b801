"""Renren: a source's page of statuses or comments, paged by page number."""

from __future__ import annotations

from typing import Any

from .._common import (
    as_str,
    clamp_count,
    http_request,
    id_number,
)
from ..base import (
    ParsedPage,
    PermanentError,
    SourceSpec,
    platform_config,
)
from ..decoders import renren_decode
from .parse import PLATFORM, page_ids, parse_body, split_thread

# The most feed/list and comment/list give per page.
PAGE_SIZE = 100


def api_call(
    method: str, spec: SourceSpec | None, path: str, params: dict[str, Any]
) -> Any:
    base, token = platform_config(PLATFORM, spec)
    params = {**params, "access_token": token}
    response = http_request(
        method,
        f"{base}/{path}",
        **({"params": params} if method == "GET" else {"data": params}),
        headers={"Authorization": f"Bearer {token}"},
    )
    return renren_decode(response)


def fetch_page(
    spec: SourceSpec, *, since_id: str | None, page: dict[str, Any] | None
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
    body = api_call("GET", spec, path, params)
    parsed = parse_body(body, kind=spec.kind, entry_hint=entry_hint)
    items = len(parsed.posts) + len(parsed.refused)
    reached = since is not None and any(i <= since for i in page_ids(parsed))
    if spec.kind == "search":
        keyword = spec.query.strip().casefold()
        parsed.posts = [p for p in parsed.posts if keyword in p.text.casefold()]
    if items < PAGE_SIZE or reached:
        parsed.next_page = None
    else:
        parsed.next_page = {"pageNumber": number + 1}
    return parsed
