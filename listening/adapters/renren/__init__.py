"""Renren API 2.0 (``<base>/<resource>/<action>``; base ends in ``/v2``), and REST 1.0
arrays for archives.

Source kinds → requests (token: ``Authorization: Bearer`` and the ``access_token``
parameter; both are accepted by API 2.0), all pages of ``pageSize=100``:

* ``search``   (query = keyword): Renren has no search API. GET ``feed/list`` with
  ``feedType=ALL`` (the brand account's news feed: what the people connected to it
  post) and keep the items whose text contains the keyword (case-insensitive).
* ``mentions`` (query = the brand account's user id; the token is that account's):
  GET ``feed/list?feedType=ALL`` — the same feed, every item (Renren has no mentions
  timeline either; the news feed is where people reach the brand).
* ``comments`` (query = ``"ownerId:entryId"`` of the brand status): GET
  ``comment/list?commentType=STATUS&entryOwnerId=&entryId=&desc=true``.

Paging: ``pageNumber`` 1, 2, ...; the answer is a bare array without cursor or total,
so the walk ends on an empty or short page, or on a page that reaches ``since_id``
(item ids compared numerically; for ``search`` the unfiltered items count).

Normalisation: ``{"response": [...]}`` of Status (``id``, ``ownerId``, ``content``,
``createTime``, ``shareCount``, ``commentCount``, ``sharedStatusId``), Feed (``id``,
``type``, ``time``, ``sourceUser``, ``message``, ``resource``, ...) or Comment (``id``,
``entryId``, ``entryOwnerId``, ``authorId``, ``content``, ``time``); REST 1.0 arrays
of ``status.gets`` (``status_id``, ``uid``, ``message``, ``time``, ``root_*``),
``feed.get`` (``post_id``, ``actor_id``, ``update_time``, ...) and comments
(``comment_id``, ``uid``, ``text``, ``time``). Ids (JSON integers) become strings;
times are zone-less, unpadded Beijing times ("2013-9-13 9:51:27", "2014-06-23 17:43")
and get +08:00. A REST forward keeps the forwarder's ``message`` as text (falling
back to ``root_message`` when it is empty) and points at ``root_status_id``.

Threads: a status's thread is ``"<ownerId>:<statusId>"`` and a comment's is
``"<entryOwnerId>:<entryId>"`` (a status feed item: ``"<sourceUser.id>:<resource.id>"``)
— the same form as a comments source's query, because replying on Renren
(``comment/put``) needs the owner of the status as well as its id.

Errors: ``{"error": {"code": "type.CODE", "message"}}`` (non-200):
``forbidden.APP_OVER_INVOCATION_LIMIT`` → RateLimited (no reset time is given);
``internal_error.*`` (SERVICE_BUSY, SERVICE_UNAVAILABLE, SERVICE-EXECUTION-TIMEOUT)
→ TransientError; everything else (invalid_authorization.*, forbidden.NO_RIGHT,
invalid_request.*) → PermanentError with the code. REST 1.0 ``{"error_code",
"error_msg"}`` → PermanentError with the code.

The package: ``parse`` (bodies and errors), ``fetch`` (a source's pages), ``reply``
(posting and finding replies).
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..base import ParsedPage, PermanentError, ReplyTarget, SourceSpec
from ..decoders import renren_error_for as error_for
from . import fetch, reply
from .fetch import PAGE_SIZE
from .parse import PLATFORM, parse_body, split_thread, thread_id

__all__ = [
    "PAGE_SIZE",
    "PLATFORM",
    "RenrenAdapter",
    "error_for",
    "parse_body",
    "split_thread",
    "thread_id",
]


class RenrenAdapter:
    platform: ClassVar[str] = PLATFORM

    def parse(self, body: Any, *, kind: str = "search") -> ParsedPage:
        return parse_body(body, kind=kind)

    def fetch_page(
        self, spec: SourceSpec, *, since_id: str | None, page: dict[str, Any] | None
    ) -> ParsedPage:
        return fetch.fetch_page(spec, since_id=since_id, page=page)

    def post_reply(self, *, target: ReplyTarget, text: str) -> str:
        if target.is_private:
            raise PermanentError(
                "Renren has no private messages for apps", code="no_private_messages"
            )
        return reply.post_reply(target=target, text=text)

    def find_reply(self, *, target: ReplyTarget, text: str) -> str | None:
        return reply.find_reply(target=target, text=text)
