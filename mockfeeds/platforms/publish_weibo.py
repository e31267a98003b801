"""Weibo publishing (platform-apis.md §6.1): statuses/update, statuses/upload,
the brand's user_timeline, statuses/count, users/show."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse

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
from ..services import Admission
from ..wire import dumps, weibo_length
from . import weibo
from .common import endpoint, int_param, json_response
from .publishing import (
    MAX_IDS,
    TIMELINE_DEFAULT,
    TIMELINE_MAX,
    ids_param,
    media_url,
    upload_of,
)
from .weibo_objects import status_dict, user_dict


def _weibo_status(
    row: dict[str, Any], *, picture: int | None | Literal[False] = False
) -> dict[str, Any]:
    """``picture``: the media id if the caller knows it (None: none), else looked up."""
    brand = brand_followers(platform="weibo")
    authors = selectors.authors_by_ids([row["author_id"]])
    status = status_dict(row, authors, {})
    if brand is not None:
        status["user"] = {
            **user_dict(brand),
            "followers_count": brand["followers_count"],
        }
    if picture is False:
        picture = published_media([row["ext_id"]]).get(row["ext_id"])
    if picture is not None:
        url = media_url("weibo", picture)
        status.update(
            thumbnail_pic=url,
            bmiddle_pic=url,
            original_pic=url,
            pic_urls=[{"thumbnail_pic": url}],
        )
    return status


def _weibo_publish(request: HttpRequest, *, picture: bytes | None) -> HttpResponse:
    text = request.POST.get("status", "")
    if not text.strip():
        return weibo.error(
            request, 10016, "miss required parameter (status) , see doc for more info."
        )
    if weibo_length(text) > weibo.MAX_UNITS:
        return weibo.error(
            request, 20012, "Text too long, please input text less than 140 characters!"
        )
    media_id = None
    try:
        if picture is not None:
            media_id = mock_media_store(platform="weibo", data=picture).media_id
        row = mock_status_publish(platform="weibo", text=text, media_id=media_id)
    except PublishRefused as refused:
        if refused.reason == "too_big":
            return weibo.error(request, 20006, "image size too large.")
        if refused.reason == "bad_type":
            return weibo.error(
                request, 20005, "unsupport image type, only suport JPG, GIF, PNG!"
            )
        return weibo.error(request, 20019, "repeat content!")
    return json_response(
        dumps(_weibo_status(row, picture=media_id)), content_type=weibo.JSON
    )


@endpoint(weibo.DIALECT, methods=("POST",), read=False)
def weibo_update(request: HttpRequest, admission: Admission) -> HttpResponse:
    return _weibo_publish(request, picture=None)


@endpoint(weibo.DIALECT, methods=("POST",), read=False)
def weibo_upload(request: HttpRequest, admission: Admission) -> HttpResponse:
    picture = upload_of(request, "pic")
    if picture is None:
        return weibo.error(
            request, 10016, "miss required parameter (pic) , see doc for more info."
        )
    return _weibo_publish(request, picture=picture)


@endpoint(weibo.DIALECT)
def weibo_user_timeline(request: HttpRequest, admission: Admission) -> HttpResponse:
    brand = brand_followers(platform="weibo")
    try:
        uid = int_param(request, "uid")
        paging = weibo._paging(request, TIMELINE_DEFAULT, TIMELINE_MAX)
    except ValueError:
        return weibo._bad_param(request, "uid")
    if brand is None or (uid is not None and uid != brand["ext_id"]):
        return weibo.error(
            request, 21335, "request uid's value must be the current user"
        )
    queryset = selectors.visible_statuses(platform="weibo").filter(
        author_id=brand["id"]
    )
    rows, next_cursor = weibo._walk(queryset, paging)
    mock_published_catch_up(platform="weibo", ext_ids=[r["ext_id"] for r in rows])
    fresh = selectors.posts_by_ids([r["ext_id"] for r in rows])
    rows = [fresh[r["ext_id"]] for r in rows]
    body = {
        "statuses": [_weibo_status(r) for r in rows],
        "previous_cursor": 0,
        "next_cursor": next_cursor,
        "total_number": queryset.count(),
        "hasvisible": False,
        "interval": 0,
    }
    return json_response(dumps(body), content_type=weibo.JSON)


@endpoint(weibo.DIALECT)
def weibo_count(request: HttpRequest, admission: Admission) -> HttpResponse:
    ids = ids_param(request.GET.get("ids", ""))
    if ids is None:
        return weibo._bad_param(request, "ids")
    if len(ids) > MAX_IDS:
        return weibo.error(
            request, 10017, "parameter (ids)'s value invalid, at most 100 ids"
        )
    mock_published_catch_up(platform="weibo", ext_ids=ids)
    rows = selectors.posts_by_ids(ids)
    reach = published_reach(ids)
    body = [
        {
            "id": ext_id,
            "idstr": str(ext_id),
            "comments": rows[ext_id]["comments_count"],
            "reposts": rows[ext_id]["reposts_count"],
            "attitudes": rows[ext_id]["likes_count"],
            "reads": reach.get(ext_id, 0),
        }
        for ext_id in ids
        if ext_id in rows and rows[ext_id]["platform"] == "weibo"
    ]
    return json_response(dumps(body), content_type=weibo.JSON)


@endpoint(weibo.DIALECT)
def weibo_users_show(request: HttpRequest, admission: Admission) -> HttpResponse:
    try:
        uid = int_param(request, "uid")
    except ValueError:
        return weibo._bad_param(request, "uid")
    if uid is None:
        return weibo._missing(request, "uid")
    author = selectors.author_by_ext_id(platform="weibo", ext_id=uid)
    if author is None or author["is_deleted"]:
        return weibo.error(request, 20003, "User does not exists!")
    mock_published_catch_up(platform="weibo")
    fresh = brand_followers(platform="weibo") if author["pool_index"] == 0 else author
    return json_response(
        dumps({**user_dict(author), "followers_count": fresh["followers_count"]}),
        content_type=weibo.JSON,
    )
