"""Mock Sina Weibo Open API v2 under /mock/weibo/2/ (see platform-apis.md §1).

statuses/mentions (the brand account's mentions: statuses with "@戴尔中国"),
search/topics (statuses whose text contains q; page=; a bare [] past the last page,
non-ASCII escaped as Weibo's search servers do), comments/show, comments/create,
comments/reply, account/rate_limit_status. since_id exclusive, max_id inclusive,
newest first; errors {"error", "error_code", "request"}; no rate-limit headers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from .. import selectors
from ..models import MockPost
from ..services import Admission, ReplyRefused, mock_reply_create
from ..wire import BEIJING, dumps, weibo_length, weibo_time
from .common import Dialect, endpoint, int_param, json_response

PLATFORM = "weibo"
MAX_UNITS = 280  # 140 Chinese characters
TIMELINE_DEFAULT, TIMELINE_MAX = 20, 200
COMMENTS_DEFAULT, COMMENTS_MAX = 50, 200
# Weibo's own page is 50 at most; 200 lets benchmarks pull faster.
SEARCH_DEFAULT, SEARCH_MAX = 10, 200
JSON = "application/json;charset=UTF-8"
ERROR_TYPE = "text/plain;charset=UTF-8"
SOURCE_APPS = {
    "iPhone客户端": "5yiHuw",
    "Android客户端": "6vtZb0",
    "微博 weibo.com": "1tqBja",
    "新浪微博": "5Qt4ke",
    "皮皮时光机": "7gnk2f",
    "360安全浏览器": "2ZcCNk",
}
VERIFIED_REASONS = {
    0: "知名数码博主",
    1: "政府官方微博",
    2: "戴尔(中国)有限公司官方微博",
    3: "新闻媒体官方微博",
    5: "网站官方微博",
    7: "校园组织官方微博",
    220: "",
}
_user_cache: dict[int, dict[str, Any]] = {}


# --- errors ---------------------------------------------------------------------------


def _request_path(request: HttpRequest) -> str:
    path = request.path.split("/weibo", 1)[-1]
    return path if path.endswith(".json") else f"{path}.json"


def error(request: HttpRequest, code: int, message: str, status: int = 400):
    body = {"error": message, "error_code": code, "request": _request_path(request)}
    return json_response(dumps(body), status=status, content_type=ERROR_TYPE)


DIALECT = Dialect(
    platform=PLATFORM,
    unauthorized=lambda request: error(
        request, 10006, "source paramter(appkey) is missing"
    ),
    rate_limited=lambda request, admission: error(
        request, 10023, "User requests out of rate limit!", 403
    ),
    server_error=lambda request: error(request, 10001, "system error!", 500),
)


def _bad_param(request: HttpRequest, name: str) -> HttpResponse:
    value = request.GET.get(name) or request.POST.get(name, "")
    return error(
        request,
        10017,
        f"parameter ({name})'s value invalid,expect (long), but get ({value[:40]}),"
        " see doc for more info.",
    )


def _missing(request: HttpRequest, name: str) -> HttpResponse:
    return error(
        request, 10016, f"miss required parameter ({name}) , see doc for more info."
    )


# --- objects --------------------------------------------------------------------------


def user_dict(author: dict[str, Any]) -> dict[str, Any]:
    cached = _user_cache.get(author["id"])
    if cached is not None:
        return cached
    uid = author["ext_id"]
    avatar = f"http://tva{uid % 4 + 1}.sinaimg.cn/crop.0.0.180.180.50/{uid:x}jw8e.jpg"
    vtype = author["verified_type"]
    user = {
        "id": uid,
        "idstr": str(uid),
        "class": 1,
        "screen_name": author["screen_name"],
        "name": author["name"],
        "province": author["province"] or "100",
        "city": author["city"] or "1000",
        "location": author["location"],
        "description": author["description"],
        "url": "",
        "profile_image_url": avatar,
        "profile_url": f"u/{uid}",
        "domain": "",
        "weihao": "",
        "gender": author["gender"],
        "followers_count": author["followers_count"],
        "friends_count": author["friends_count"],
        "pagefriends_count": 0,
        "statuses_count": author["statuses_count"],
        "favourites_count": author["favourites_count"],
        "created_at": weibo_time(author["created_at"]),
        "following": False,
        "allow_all_act_msg": False,
        "geo_enabled": True,
        "verified": author["verified"],
        "verified_type": vtype,
        "remark": "",
        "ptype": 0,
        "allow_all_comment": True,
        "avatar_large": avatar.replace(".50/", ".180/"),
        "avatar_hd": avatar.replace(".50/", ".1024/"),
        "verified_reason": VERIFIED_REASONS.get(vtype, "")
        if author["verified"]
        else "",
        "verified_trade": "",
        "verified_reason_url": "",
        "verified_source": "",
        "verified_source_url": "",
        "follow_me": False,
        "online_status": 0,
        "bi_followers_count": max(author["friends_count"], 0) // 3,
        "lang": "zh-cn",
        "star": 0,
        "mbtype": 12 if vtype == 2 else 0,
        "mbrank": 5 if author["verified"] else 0,
        "block_word": 0,
        "block_app": 0,
        "credit_score": 80,
        "user_ability": 0,
        "urank": 4 + author["statuses_count"] % 30,
    }
    if len(_user_cache) > selectors.AUTHOR_CACHE_MAX:
        _user_cache.clear()
    _user_cache[author["id"]] = user
    return user


def _source(name: str) -> str:
    if not name:
        return ""
    code = SOURCE_APPS.get(name, "5yiHuw")
    return f'<a href="http://app.weibo.com/t/feed/{code}" rel="nofollow">{name}</a>'


def _deleted(row: dict[str, Any]) -> dict[str, Any]:
    ext_id = row["ext_id"]
    return {
        "created_at": weibo_time(row["created_at"]),
        "id": ext_id,
        "idstr": str(ext_id),
        "mid": str(ext_id),
        "text": row["text"],
        "deleted": "1",
        "state": 7,
        "visible": {"type": 0, "list_id": 0},
    }


def status_dict(
    row: dict[str, Any],
    authors: dict[int, dict],
    related: dict[int, dict],
    *,
    search: bool = False,
) -> dict[str, Any]:
    if row["is_deleted"]:
        return _deleted(row)
    ext_id = row["ext_id"]
    text = row["text"]
    status: dict[str, Any] = {
        "created_at": weibo_time(row["created_at"]),
        "id": ext_id,
        "idstr": str(ext_id),
        "mid": str(ext_id),
        "can_edit": False,
        "text": text,
        "textLength": weibo_length(text),
        "source_allowclick": 0,
        "source_type": 1,
        "source": _source(row["source"]),
        "favorited": False,
        "truncated": False,
        "in_reply_to_status_id": "",
        "in_reply_to_user_id": "",
        "in_reply_to_screen_name": "",
        "geo": None
        if row["lat"] is None
        else {"type": "Point", "coordinates": [row["lat"], row["lon"]]},
        "is_paid": False,
        "mblog_vip_type": 0,
    }
    if search:
        status["pic_ids"] = []
    else:
        status["pic_urls"] = []
    author = authors.get(row["author_id"])
    if author is not None and not author["is_deleted"]:
        status["user"] = user_dict(author)
    original = related.get(row["repost_of_id"]) if row["repost_of_id"] else None
    if original is not None:
        status["retweeted_status"] = status_dict(original, authors, {}, search=search)
    status.update(
        reposts_count=row["reposts_count"],
        comments_count=row["comments_count"],
        attitudes_count=row["likes_count"],
        isLongText=False,
        mlevel=0,
        visible={"type": 0, "list_id": 0},
        biz_feature=0,
        darwin_tags=[],
        hot_weibo_tags=[],
        text_tag_tips=[],
        userType=0,
        positive_recom_flag=0,
        gif_ids="",
        is_show_bulletin=2,
    )
    return status


def _statuses(rows: list[dict], *, search: bool = False) -> list[dict[str, Any]]:
    related = selectors.posts_by_ids(r["repost_of_id"] for r in rows)
    authors = selectors.authors_by_ids(
        [r["author_id"] for r in rows] + [r["author_id"] for r in related.values()]
    )
    return [status_dict(row, authors, related, search=search) for row in rows]


def comment_dict(
    row: dict[str, Any],
    authors: dict[int, dict],
    status: dict[str, Any] | None,
    parent: dict[str, Any] | None,
) -> dict[str, Any]:
    ext_id = row["ext_id"]
    # The first comment of the reply chain (a top-level comment is its own root).
    root = (parent["parent_id"] or parent["ext_id"]) if parent else ext_id
    comment: dict[str, Any] = {
        "created_at": weibo_time(row["created_at"]),
        "id": ext_id,
        "rootid": root,
        "rootidstr": str(root),
        "text": row["text"],
        "disable_reply": 0,
        "source_allowclick": 0,
        "source_type": 1,
        "source": _source(row["source"]),
        "mid": str(ext_id),
        "idstr": str(ext_id),
    }
    author = authors.get(row["author_id"])
    if author is not None and not author["is_deleted"]:
        comment["user"] = user_dict(author)
    if status is not None:
        comment["status"] = status
    if parent is not None:
        reply = {
            "created_at": weibo_time(parent["created_at"]),
            "id": parent["ext_id"],
            "idstr": str(parent["ext_id"]),
            "mid": str(parent["ext_id"]),
            "text": parent["text"],
            "source": _source(parent["source"]),
        }
        parent_author = authors.get(parent["author_id"])
        if parent_author is not None and not parent_author["is_deleted"]:
            reply["user"] = user_dict(parent_author)
        comment["reply_comment"] = reply
    return comment


def _comments(rows: list[dict], status_row: dict | None) -> list[dict[str, Any]]:
    parents = selectors.posts_by_ids(r["parent_id"] for r in rows)
    statuses = selectors.posts_by_ids(
        {r["root_id"] for r in rows} - ({status_row["ext_id"]} if status_row else set())
    )
    if status_row is not None:
        statuses[status_row["ext_id"]] = status_row
    ids = [r["author_id"] for r in rows]
    ids += [r["author_id"] for r in parents.values()]
    ids += [r["author_id"] for r in statuses.values()]
    authors = selectors.authors_by_ids(ids)
    embedded = {
        ext_id: status_dict(row, authors, {}) for ext_id, row in statuses.items()
    }
    return [
        comment_dict(
            row, authors, embedded.get(row["root_id"]), parents.get(row["parent_id"])
        )
        for row in rows
    ]


# --- reads ----------------------------------------------------------------------------


def _paging(request: HttpRequest, default: int, most: int):
    values = {}
    for name, fallback in (("since_id", 0), ("max_id", 0), ("count", default)):
        values[name] = int_param(request, name, fallback)
    values["page"] = int_param(request, "page", 1)
    values["count"] = min(max(values["count"], 1), most)
    values["page"] = max(values["page"], 1)
    return values


def _walk(queryset: QuerySet, paging: dict) -> tuple[list[dict], int]:
    count = paging["count"]
    rows = selectors.posts_page(
        queryset,
        since_id=paging["since_id"] or None,
        max_id=paging["max_id"] or None,
        limit=count + 1,
        offset=(paging["page"] - 1) * count,
    )
    next_cursor = rows[count]["ext_id"] if len(rows) > count else 0
    return rows[:count], next_cursor


@endpoint(DIALECT)
def mentions(request: HttpRequest, admission: Admission) -> HttpResponse:
    try:
        paging = _paging(request, TIMELINE_DEFAULT, TIMELINE_MAX)
    except ValueError:
        return _bad_param(request, "since_id")
    queryset = selectors.visible_statuses(platform=PLATFORM).filter(mentions_brand=True)
    if request.GET.get("filter_by_type") == "1":
        queryset = queryset.filter(repost_of__isnull=True)
    rows, next_cursor = _walk(queryset, paging)
    body = {
        "statuses": _statuses(rows),
        "advertises": [],
        "ad": [],
        "hasvisible": False,
        "previous_cursor": 0,
        "next_cursor": next_cursor,
        "total_number": admission.state.generated,
        "interval": 0,
        "uve_blank": -1,
        "since_id": rows[0]["ext_id"] if rows else 0,
        "max_id": next_cursor,
        "has_unread": 0,
    }
    return json_response(dumps(body), content_type=JSON)


@endpoint(DIALECT)
def search_topics(request: HttpRequest, admission: Admission) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    if not query:
        return _missing(request, "q")
    try:
        paging = _paging(request, SEARCH_DEFAULT, SEARCH_MAX)
    except ValueError:
        return _bad_param(request, "page")
    count = paging["count"]
    rows = selectors.posts_page(
        selectors.visible_statuses(platform=PLATFORM).filter(text__icontains=query),
        limit=count,
        offset=(paging["page"] - 1) * count,
    )
    if not rows and paging["page"] > 1:
        return json_response(b"[]", content_type=JSON)
    body = {
        "statuses": _statuses(rows, search=True),
        "total_number": admission.state.generated if rows else 0,
    }
    return json_response(dumps(body, ascii_only=True), content_type=JSON)


@endpoint(DIALECT)
def comments_show(request: HttpRequest, admission: Admission) -> HttpResponse:
    try:
        status_id = int_param(request, "id")
    except ValueError:
        return _bad_param(request, "id")
    if status_id is None:
        return _missing(request, "id")
    try:
        paging = _paging(request, COMMENTS_DEFAULT, COMMENTS_MAX)
    except ValueError:
        return _bad_param(request, "since_id")
    status = selectors.post_get(platform=PLATFORM, ext_id=status_id, kind="status")
    if status is None or status["is_deleted"]:
        return error(request, 20101, "target weibo does not exist!")
    queryset = MockPost.objects.filter(root_id=status_id, kind="comment")
    rows, next_cursor = _walk(queryset, paging)
    body = {
        "comments": _comments(rows, status),
        "marks": [],
        "hasvisible": False,
        "previous_cursor": 0,
        "next_cursor": next_cursor,
        "total_number": queryset.count(),
        "since_id": rows[0]["ext_id"] if rows else 0,
        "max_id": next_cursor,
    }
    return json_response(dumps(body), content_type=JSON)


@endpoint(DIALECT, counted=False, read=False)
def rate_limit_status(request: HttpRequest, admission: Admission) -> HttpResponse:
    state = admission.state
    now = dt.datetime.now(tz=BEIJING)
    reset = (admission.reset_at or now).astimezone(BEIJING)
    apis = ("statuses/mentions", "search/topics", "comments/show", "comments/create")
    body = {
        "api_rate_limits": [
            {
                "api": api,
                "limit": state.request_limit,
                "limit_time_unit": "HOURS",
                "remaining_hits": admission.remaining,
            }
            for api in apis
        ],
        "ip_limit": 10_000,
        "limit_time_unit": "HOURS",
        "remaining_ip_hits": 10_000,
        "remaining_user_hits": admission.remaining,
        "reset_time": reset.strftime("%Y-%m-%d %H:%M:%S"),
        "reset_time_in_seconds": max(int((reset - now).total_seconds()), 0),
        "user_limit": state.request_limit,
    }
    return json_response(dumps(body), content_type=JSON)


# --- writes ---------------------------------------------------------------------------


def _comment_text(request: HttpRequest) -> tuple[str | None, HttpResponse | None]:
    text = request.POST.get("comment", "")
    if not text.strip():
        return None, _missing(request, "comment")
    if weibo_length(text) > MAX_UNITS:
        return None, error(
            request,
            20012,
            "Text too long, please input text less than 140 characters!",
        )
    return text, None


def _created(request, *, text, status, parent) -> HttpResponse:
    try:
        row = mock_reply_create(
            platform=PLATFORM,
            text=text,
            root_id=status["ext_id"],
            parent_id=parent["ext_id"] if parent else None,
            target_user_id=(parent or status)["author_id"],
        )
    except ReplyRefused:
        return error(request, 20019, "repeat content!")
    authors = selectors.authors_by_ids(
        [row["author_id"], status["author_id"], parent["author_id"] if parent else None]
    )
    body = comment_dict(row, authors, status_dict(status, authors, {}), parent)
    return json_response(dumps(body), content_type=JSON)


@endpoint(DIALECT, methods=("POST",), read=False)
def comments_create(request: HttpRequest, admission: Admission) -> HttpResponse:
    try:
        status_id = int_param(request, "id", source=request.POST)
    except ValueError:
        return _bad_param(request, "id")
    if status_id is None:
        return _missing(request, "id")
    text, refusal = _comment_text(request)
    if refusal is not None:
        return refusal
    status = selectors.post_get(platform=PLATFORM, ext_id=status_id, kind="status")
    if status is None or status["is_deleted"]:
        return error(request, 20101, "target weibo does not exist!")
    return _created(request, text=text, status=status, parent=None)


@endpoint(DIALECT, methods=("POST",), read=False)
def comments_reply(request: HttpRequest, admission: Admission) -> HttpResponse:
    try:
        comment_id = int_param(request, "cid", source=request.POST)
        status_id = int_param(request, "id", source=request.POST)
    except ValueError:
        return _bad_param(request, "cid")
    if comment_id is None:
        return _missing(request, "cid")
    if status_id is None:
        return _missing(request, "id")
    text, refusal = _comment_text(request)
    if refusal is not None:
        return refusal
    status = selectors.post_get(platform=PLATFORM, ext_id=status_id, kind="status")
    if status is None or status["is_deleted"]:
        return error(request, 20101, "target weibo does not exist!")
    parent = selectors.post_get(platform=PLATFORM, ext_id=comment_id, kind="comment")
    if parent is None or parent["root_id"] != status_id:
        return error(request, 20201, "target weibo comment does not exist!")
    if request.POST.get("without_mention", "0") != "1":
        author = selectors.authors_by_ids([parent["author_id"]]).get(
            parent["author_id"]
        )
        if author is not None:
            text = f"回复@{author['screen_name']}:{text}"
    return _created(request, text=text, status=status, parent=parent)
