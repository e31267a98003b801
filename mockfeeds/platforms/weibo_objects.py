"""Weibo's objects as its API v2 sends them: user, status (with retweeted_status or
the stub of a deleted original), comment (with its status and reply_comment)."""

from __future__ import annotations

from typing import Any

from .. import selectors
from ..wire import weibo_length, weibo_time

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


def source_html(name: str) -> str:
    if not name:
        return ""
    code = SOURCE_APPS.get(name, "5yiHuw")
    return f'<a href="http://app.weibo.com/t/feed/{code}" rel="nofollow">{name}</a>'


def deleted_stub(row: dict[str, Any]) -> dict[str, Any]:
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
        return deleted_stub(row)
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
        "source": source_html(row["source"]),
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


def statuses(rows: list[dict], *, search: bool = False) -> list[dict[str, Any]]:
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
        "source": source_html(row["source"]),
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
            "source": source_html(parent["source"]),
        }
        parent_author = authors.get(parent["author_id"])
        if parent_author is not None and not parent_author["is_deleted"]:
            reply["user"] = user_dict(parent_author)
        comment["reply_comment"] = reply
    return comment


def comments(rows: list[dict], status_row: dict | None) -> list[dict[str, Any]]:
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
