"""Renren publishing (platform-apis.md §6.3): status/put, photo/upload,
status/get, page/get."""

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
)
from ..services import Admission
from ..wire import renren_time
from . import renren
from .common import endpoint, int_param
from .publishing import (
    media_url,
    upload_of,
)


def _renren_status(
    row: dict[str, Any], *, picture: int | None | Literal[False] = False
) -> dict[str, Any]:
    """``picture``: the photo id if the caller knows it (None: none), else looked up."""
    authors = selectors.authors_by_ids([row["author_id"]])
    status = renren.status_dict(row, authors, {})
    if picture is False:
        picture = published_media([row["ext_id"]]).get(row["ext_id"])
    if picture is not None:
        status["photoUrl"] = media_url("renren", picture)
    return status


@endpoint(renren.DIALECT, methods=("POST",), read=False)
def renren_status_put(request: HttpRequest, admission: Admission) -> HttpResponse:
    text = request.POST.get("content", "")
    if not text.strip():
        return renren.error("invalid_request.MISSING_PARAMETER", "缺少必需参数content")
    if len(text) > renren.MAX_CHARS:
        return renren.error(
            "invalid_request.CONTENT_TOO_LONG", "状态内容不能超过240个字"
        )
    photo = request.POST.get("photoId", "").strip()
    if photo and not photo.isdigit():
        return renren.error(
            "invalid_request.INVALID_PARAMETER", "参数photoId必须是整数"
        )
    try:
        row = mock_status_publish(
            platform="renren", text=text, media_id=int(photo) if photo else None
        )
    except PublishRefused as refused:
        if refused.reason == "no_media":
            return renren.error("invalid_request.ENTRY_NOT_EXIST", "照片不存在")
        return renren.error("forbidden.REPEAT_STATUS", "请不要重复发布相同的内容", 403)
    return renren._ok(_renren_status(row, picture=int(photo) if photo else None))


@endpoint(renren.DIALECT, methods=("POST",), read=False)
def renren_photo_upload(request: HttpRequest, admission: Admission) -> HttpResponse:
    picture = upload_of(request, "file")
    if picture is None:
        return renren.error("invalid_request.MISSING_PARAMETER", "缺少必需参数file")
    try:
        row = mock_media_store(platform="renren", data=picture)
    except PublishRefused:
        return renren.error("invalid_request.INVALID_PARAMETER", "照片格式或大小不支持")
    brand = selectors.brand_author(platform="renren")
    url = media_url("renren", row.media_id)
    photo = {
        "id": row.media_id,
        "albumId": 0,
        "ownerId": brand["ext_id"] if brand else 0,
        "description": request.POST.get("description", "")[:200],
        "images": [
            {"size": size, "url": url} for size in ("TINY", "HEAD", "MAIN", "LARGE")
        ],
        "createTime": renren_time(row.created_at),
        "viewCount": 0,
        "commentCount": 0,
    }
    return renren._ok(photo)


@endpoint(renren.DIALECT)
def renren_status_get(request: HttpRequest, admission: Admission) -> HttpResponse:
    try:
        status_id = int_param(request, "statusId")
    except ValueError:
        return renren.error(
            "invalid_request.INVALID_PARAMETER", "参数statusId必须是整数"
        )
    if status_id is None:
        return renren.error("invalid_request.MISSING_PARAMETER", "缺少必需参数statusId")
    mock_published_catch_up(platform="renren", ext_ids=[status_id])
    row = selectors.post_get(platform="renren", ext_id=status_id, kind="status")
    if row is None or row["is_deleted"]:
        return renren.error("invalid_request.ENTRY_NOT_EXIST", "状态不存在")
    return renren._ok(_renren_status(row))


@endpoint(renren.DIALECT)
def renren_page_get(request: HttpRequest, admission: Admission) -> HttpResponse:
    brand = brand_followers(platform="renren")
    page_id = request.GET.get("pageId", "").strip()
    if not page_id.isdigit():
        return renren.error("invalid_request.MISSING_PARAMETER", "缺少必需参数pageId")
    if brand is None or int(page_id) != brand["ext_id"]:
        return renren.error("invalid_request.USER_NOT_EXIST", "公共主页不存在")
    mock_published_catch_up(platform="renren")
    brand = brand_followers(platform="renren")
    body = {
        "id": brand["ext_id"],
        "name": brand["name"],
        "fansCount": brand["followers_count"],
        "statusCount": brand["statuses_count"],
    }
    return renren._ok(body)
