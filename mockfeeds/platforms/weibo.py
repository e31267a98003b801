"""Mock Sina Weibo Open API v2 under /mock/weibo/2/ (see platform-apis.md §1).

statuses/mentions (the brand account's mentions: statuses with "@戴尔中国"),
search/topics (statuses whose text contains q; since_id, max_id and page=; a bare []
past the last page, non-ASCII escaped as Weibo's search servers do), comments/show,
comments/create, comments/reply, account/rate_limit_status. since_id exclusive,
max_id inclusive, newest first; errors {"error", "error_code", "request"}; no
rate-limit headers.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from .. import selectors
from ..models import MockPost
from ..services import Admission, ReplyRefused, mock_reply_create
from ..wire import BEIJING, dumps, weibo_length
from .common import Dialect, endpoint, int_param, json_response
from .weibo_objects import comment_dict, comments, status_dict, statuses

PLATFORM = "weibo"
MAX_UNITS = 280  # 140 Chinese characters
TIMELINE_DEFAULT, TIMELINE_MAX = 20, 200
COMMENTS_DEFAULT, COMMENTS_MAX = 50, 200
# Weibo's own page is 50 at most; 200 lets benchmarks pull faster.
SEARCH_DEFAULT, SEARCH_MAX = 10, 200
JSON = "application/json;charset=UTF-8"
ERROR_TYPE = "text/plain;charset=UTF-8"


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
        "statuses": statuses(rows),
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
        since_id=paging["since_id"] or None,
        max_id=paging["max_id"] or None,
        limit=count,
        offset=(paging["page"] - 1) * count,
    )
    if not rows and paging["page"] > 1:
        return json_response(b"[]", content_type=JSON)
    body = {
        "statuses": statuses(rows, search=True),
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
        "comments": comments(rows, status),
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
