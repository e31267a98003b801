"""Mock Renren API 2.0 under /mock/renren/v2/ (see platform-apis.md §3.2).

Renren has neither a search nor a mentions timeline. The brand listens through:

* ``GET feed/list`` — the brand page's news feed: every status of the people
  connected to it, newest first (``userId`` narrows it to one person). This is the
  "mentions" stream, and the "search" stream once the client keeps the items whose
  text holds its keyword.
* ``GET status/list?ownerId=`` — one person's (or the brand page's own) statuses.
* ``GET comment/list`` — comments on a status (e.g. on the brand page's posts: the
  "comments" stream); ``POST comment/put`` answers a status or, with
  ``targetUserId``, a person in its comments (stored as "回复<name>：<text>").

camelCase keys, ``{"response": ...}`` around bare arrays, page-number paging with no
cursor or total, zone-less Beijing times ("2013-9-13 9:51:27"; feeds
"2014-06-23 17:43"), errors ``{"error": {"code": "type.CODE", "message"}}`` with
non-200 statuses. Error codes the mock chose where no source names one:
``invalid_request.MISSING_PARAMETER``, ``invalid_request.INVALID_PARAMETER``,
``invalid_request.ENTRY_NOT_EXIST``, ``invalid_request.CONTENT_TOO_LONG``,
``forbidden.REPEAT_COMMENT``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from .. import selectors
from ..models import MockPost
from ..services import Admission, ReplyRefused, mock_reply_create
from ..wire import RENREN_FEED_OFFSET, dumps, renren_feed_time, renren_time
from .common import Dialect, endpoint, int_param, json_response

PLATFORM = "renren"
MAX_CHARS = 240
JSON = "application/json;charset=UTF-8"
FEED_TYPES = frozenset(
    {
        "ALL",
        "UPDATE_STATUS",
        "PUBLISH_BLOG",
        "PUBLISH_ONE_PHOTO",
        "PUBLISH_MORE_PHOTO",
        "SHARE_PHOTO",
        "SHARE_ALBUM",
        "SHARE_LINK",
        "SHARE_BLOG",
        "SHARE_VIDEO",
    }
)
COMMENT_TYPES = frozenset({"STATUS", "SHARE", "BLOG", "PHOTO", "ALBUM"})


def error(code: str, message: str, status: int = 400) -> HttpResponse:
    body = {"error": {"code": code, "message": message}}
    return json_response(dumps(body), status=status, content_type=JSON)


DIALECT = Dialect(
    platform=PLATFORM,
    unauthorized=lambda request: error(
        "invalid_authorization.INVALID-TOKEN", "无效的令牌", 401
    ),
    rate_limited=lambda request, admission: error(
        "forbidden.APP_OVER_INVOCATION_LIMIT", "应用调用次数超过限制", 403
    ),
    server_error=lambda request: error(
        "internal_error.SERVICE_BUSY", "服务器繁忙，请稍后再试", 500
    ),
)


def _ok(response: Any) -> HttpResponse:
    return json_response(dumps({"response": response}), content_type=JSON)


def _paging(
    request: HttpRequest, default: int, params=None
) -> tuple[int, int] | HttpResponse:
    params = params if params is not None else request.GET
    try:
        size = int_param(request, "pageSize", default, source=params)
        number = int_param(request, "pageNumber", 1, source=params)
    except ValueError:
        return error(
            "invalid_request.INVALID_PARAMETER", "pageSize/pageNumber 必须是整数"
        )
    if not 1 <= size <= 100 or number < 1:
        return error(
            "invalid_request.INVALID_PARAMETER", "pageSize 取值 1-100，pageNumber ≥ 1"
        )
    return size, number


def _avatar(author: dict[str, Any]) -> list[dict[str, str]]:
    base = f"http://hdn.xnimg.cn/photos/hdn{author['ext_id'] % 1000}/{author['ext_id']}"
    return [
        {"size": size, "url": f"{base}/{size.lower()}.jpg"}
        for size in ("TINY", "HEAD", "MAIN", "LARGE")
    ]


def status_dict(row: dict[str, Any], authors, related) -> dict[str, Any]:
    owner = authors.get(row["author_id"])
    shared = related.get(row["repost_of_id"]) if row["repost_of_id"] else None
    shared_owner = authors.get(shared["author_id"]) if shared else None
    return {
        "id": row["ext_id"],
        "ownerId": owner["ext_id"] if owner else 0,
        "content": row["text"],
        "createTime": renren_time(row["created_at"]),
        "shareCount": row["reposts_count"],
        "commentCount": row["comments_count"],
        "sharedStatusId": shared["ext_id"] if shared else 0,
        "sharedUserId": shared_owner["ext_id"] if shared_owner else 0,
    }


def feed_dict(row: dict[str, Any], authors, related) -> dict[str, Any]:
    owner = authors.get(row["author_id"])
    owner_id = owner["ext_id"] if owner else 0
    shared = related.get(row["repost_of_id"]) if row["repost_of_id"] else None
    attachment = []
    if shared is not None:
        shared_owner = authors.get(shared["author_id"])
        shared_owner_id = shared_owner["ext_id"] if shared_owner else 0
        attachment.append(
            {
                "id": shared["ext_id"],
                "type": "STATUS",
                "ownerId": shared_owner_id,
                "url": "http://status.renren.com/getdoing.do"
                f"?id={shared_owner_id}&doingId={shared['ext_id']}",
                "orginalUrl": None,
                "rawImageUrl": None,
            }
        )
    source_user = None
    if owner is not None and not owner["is_deleted"]:
        source_user = {"id": owner_id, "name": owner["name"], "avatar": _avatar(owner)}
    return {
        "id": row["ext_id"] + RENREN_FEED_OFFSET,
        "type": "UPDATE_STATUS",
        "time": renren_feed_time(row["created_at"]),
        "sourceUser": source_user,
        "message": row["text"],
        "thumbnailUrl": None,
        "resource": {
            "id": row["ext_id"],
            "title": None,
            "content": row["text"],
            "url": "http://status.renren.com/getdoing.do"
            f"?id={owner_id}&doingId={row['ext_id']}",
        },
        "attachment": attachment,
        "source": {"text": row["source"], "url": "http://mobile.renren.com"}
        if row["source"]
        else None,
        "lbs": None,
        "comments": None,
    }


def comment_dict(row: dict[str, Any], authors, entry: dict[str, Any]) -> dict[str, Any]:
    author = authors.get(row["author_id"])
    entry_owner = authors.get(entry["author_id"])
    target = authors.get(row["target_user_id"]) if row["target_user_id"] else None
    return {
        "id": row["ext_id"],
        "commentType": "STATUS",
        "entryId": entry["ext_id"],
        "entryOwnerId": entry_owner["ext_id"] if entry_owner else 0,
        "authorId": author["ext_id"] if author else 0,
        "content": row["text"],
        "time": renren_time(row["created_at"]),
        "targetUserId": target["ext_id"] if target else 0,
    }


def _rendered(rows: list[dict], build) -> list[dict[str, Any]]:
    related = selectors.posts_by_ids(r["repost_of_id"] for r in rows)
    authors = selectors.authors_by_ids(
        [r["author_id"] for r in rows] + [r["author_id"] for r in related.values()]
    )
    return [build(row, authors, related) for row in rows]


def _owner(request: HttpRequest, name: str, params=None):
    """The author whose ext id is parameter ``name`` (None, or an error answer)."""
    params = params if params is not None else request.GET
    raw = params.get(name, "").strip()
    if not raw:
        return None, error("invalid_request.MISSING_PARAMETER", f"缺少必需参数{name}")
    if not (raw.isascii() and raw.isdigit()):
        return None, error("invalid_request.INVALID_PARAMETER", f"参数{name}必须是整数")
    author = selectors.author_by_ext_id(platform=PLATFORM, ext_id=int(raw))
    if author is None or author["is_deleted"]:
        return None, error("invalid_request.USER_NOT_EXIST", "用户不存在")
    return author, None


@endpoint(DIALECT)
def status_list(request: HttpRequest, admission: Admission) -> HttpResponse:
    owner, refusal = _owner(request, "ownerId")
    if refusal is not None:
        return refusal
    paging = _paging(request, 20)
    if isinstance(paging, HttpResponse):
        return paging
    size, number = paging
    rows = selectors.posts_page(
        selectors.visible_statuses(platform=PLATFORM).filter(author_id=owner["id"]),
        limit=size,
        offset=(number - 1) * size,
    )
    return _ok(_rendered(rows, status_dict))


@endpoint(DIALECT)
def feed_list(request: HttpRequest, admission: Admission) -> HttpResponse:
    types = {t.strip().upper() for t in request.GET.get("feedType", "ALL").split(",")}
    if not types <= FEED_TYPES:
        return error("invalid_request.INVALID_PARAMETER", "feedType 取值无效")
    paging = _paging(request, 30)
    if isinstance(paging, HttpResponse):
        return paging
    size, number = paging
    if not types & {"ALL", "UPDATE_STATUS"}:
        return _ok([])  # the mock's feed holds status updates only
    queryset = selectors.visible_statuses(platform=PLATFORM)
    if request.GET.get("userId", "").strip():
        owner, refusal = _owner(request, "userId")
        if refusal is not None:
            return refusal
        queryset = queryset.filter(author_id=owner["id"])
    rows = selectors.posts_page(queryset, limit=size, offset=(number - 1) * size)
    return _ok(_rendered(rows, feed_dict))


def _entry(params) -> tuple[dict | None, HttpResponse | None]:
    """The status a comment list or comment answers (commentType STATUS only)."""
    comment_type = params.get("commentType", "").strip().upper()
    if not comment_type:
        return None, error(
            "invalid_request.MISSING_PARAMETER", "缺少必需参数commentType"
        )
    if comment_type not in COMMENT_TYPES:
        return None, error("invalid_request.INVALID_PARAMETER", "commentType 取值无效")
    for name in ("entryOwnerId", "entryId"):
        raw = params.get(name, "").strip()
        if not raw:
            return None, error(
                "invalid_request.MISSING_PARAMETER", f"缺少必需参数{name}"
            )
        if not (raw.isascii() and raw.isdigit()):
            return None, error(
                "invalid_request.INVALID_PARAMETER", f"参数{name}必须是整数"
            )
    entry = None
    if comment_type == "STATUS":
        entry = selectors.post_get(
            platform=PLATFORM, ext_id=int(params["entryId"]), kind="status"
        )
    owner = (
        selectors.authors_by_ids([entry["author_id"]]).get(entry["author_id"])
        if entry
        else None
    )
    if entry is None or owner is None or owner["ext_id"] != int(params["entryOwnerId"]):
        return None, error("invalid_request.ENTRY_NOT_EXIST", "评论的对象不存在")
    return entry, None


@endpoint(DIALECT)
def comment_list(request: HttpRequest, admission: Admission) -> HttpResponse:
    entry, refusal = _entry(request.GET)
    if refusal is not None:
        return refusal
    paging = _paging(request, 20)
    if isinstance(paging, HttpResponse):
        return paging
    size, number = paging
    newest_first = request.GET.get("desc", "true").strip().lower() != "false"
    rows = selectors.posts_page(
        MockPost.objects.filter(root_id=entry["ext_id"], kind="comment"),
        limit=size,
        offset=(number - 1) * size,
        newest_first=newest_first,
    )
    authors = selectors.authors_by_ids(
        [r["author_id"] for r in rows]
        + [r["target_user_id"] for r in rows]
        + [entry["author_id"]]
    )
    return _ok([comment_dict(row, authors, entry) for row in rows])


@endpoint(DIALECT, methods=("POST",), read=False)
def comment_put(request: HttpRequest, admission: Admission) -> HttpResponse:
    params = request.POST
    content = params.get("content", "")
    if not content.strip():
        return error("invalid_request.MISSING_PARAMETER", "缺少必需参数content")
    if len(content) > MAX_CHARS:
        return error(
            "invalid_request.CONTENT_TOO_LONG", f"评论内容不能超过{MAX_CHARS}个字"
        )
    entry, refusal = _entry(params)
    if refusal is not None:
        return refusal
    target = None
    raw_target = params.get("targetUserId", "").strip()
    if raw_target and raw_target != "0":
        if not (raw_target.isascii() and raw_target.isdigit()):
            return error(
                "invalid_request.INVALID_PARAMETER", "参数targetUserId必须是整数"
            )
        target = selectors.author_by_ext_id(platform=PLATFORM, ext_id=int(raw_target))
        if target is None:
            return error("invalid_request.USER_NOT_EXIST", "用户不存在")
        if not content.startswith("回复"):
            content = f"回复{target['name']}：{content}"
    try:
        row = mock_reply_create(
            platform=PLATFORM,
            text=content,
            root_id=entry["ext_id"],
            parent_id=None,
            target_user_id=target["id"] if target else None,
        )
    except ReplyRefused:
        return error("forbidden.REPEAT_COMMENT", "请不要重复发表相同的内容", 403)
    authors = selectors.authors_by_ids(
        [row["author_id"], row["target_user_id"], entry["author_id"]]
    )
    return _ok(comment_dict(row, authors, entry))
