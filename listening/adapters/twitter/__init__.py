"""Twitter / X API v2 (``<base>/...``; base ends in ``/2``), and v1.1 for archives.

Source kinds → requests (token: ``Authorization: Bearer``), all with
``max_results=100``, ``tweet.fields``/``user.fields`` and ``expansions=author_id``:

* ``search``   (query = the search query): GET ``tweets/search/recent?query=``.
* ``mentions`` (query = the brand account's numeric user id):
  GET ``users/<id>/mentions``.
* ``comments`` (query = the brand tweet id): GET ``tweets/search/recent`` with
  ``query=conversation_id:<id>`` (replies share the root's conversation id).

Paging: ``since_id`` (exclusive) on every page; the next older page asks
``until_id = oldest id − 1``, which, unlike an opaque ``next_token``, still works when a
walk is resumed from the stored cursor much later. The walk ends when ``meta`` has no
``next_token`` (or, without ``meta``, on a short page), on an empty page, or on a page
that reaches ``since_id``.

Normalisation: v2 ``{"data", "includes", "meta", "errors"}`` with ``author_id`` joined
to ``includes.users``; ISO ``Z`` times (a Tweet fetched without ``created_at`` gets the
time encoded in its snowflake id); ``conversation_id`` → thread;
``referenced_tweets`` ``replied_to`` → in reply to, ``retweeted``/``quoted`` → repost
of; ``lang`` as the language hint (``und`` and Twitter's ``q..``/``zxx`` pseudo-codes
dropped). Partial errors on a 200 about requested Tweets become refusals; those about
expansions are ignored. v1.1 shapes (``statuses`` + ``search_metadata``, bare arrays,
single Tweets; ``id_str``, ``Fri Jul 12 23:40:37 +0000 2019``) parse too.

Errors: HTTP 429 / "Too Many Requests" / usage cap / v1.1 code 88 → RateLimited, reset
at ``x-rate-limit-reset``; 403 "duplicate content" / v1.1 187 → DuplicateContent;
5xx / v1.1 130, 131 → TransientError; others (401, 403, 400, v1.1 186 too long, ...)
→ PermanentError with the HTTP status (or v1.1 code) as code.

The package: ``parse`` (bodies and errors), ``fetch`` (a source's pages), ``reply``
(posting and finding replies).
"""

from __future__ import annotations

from typing import Any, ClassVar

from .. import direct_messages as dms
from .._common import as_str, id_number
from ..base import ParsedPage, ReplyTarget, SourceSpec
from ..decoders import twitter_error_for as error_for
from . import fetch, reply
from .fetch import MAX_RESULTS
from .parse import PLATFORM, _v2_author, parse_body, snowflake_time

__all__ = [
    "MAX_RESULTS",
    "PLATFORM",
    "TwitterAdapter",
    "error_for",
    "parse_body",
    "snowflake_time",
]


class TwitterAdapter:
    platform: ClassVar[str] = PLATFORM

    def parse(self, body: Any, *, kind: str = "search") -> ParsedPage:
        return parse_body(body, kind=kind)

    def fetch_page(
        self, spec: SourceSpec, *, since_id: str | None, page: dict[str, Any] | None
    ) -> ParsedPage:
        if spec.kind == "direct_messages":
            return dms.twitter_fetch(
                fetch.api_get,
                spec,
                since=id_number(as_str(since_id).strip()) if since_id else None,
                page=dict(page or {}),
                author_of=_v2_author,
            )
        return fetch.fetch_page(spec, since_id=since_id, page=page)

    def post_reply(self, *, target: ReplyTarget, text: str) -> str:
        if target.is_private:
            return dms.twitter_send(target=target, text=text)
        return reply.post_reply(target=target, text=text)

    def find_reply(self, *, target: ReplyTarget, text: str) -> str | None:
        if target.is_private:
            return dms.twitter_find(fetch.api_get, target=target, text=text)
        return reply.find_reply(target=target, text=text)
