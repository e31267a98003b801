"""The brand's own posts on the wire (platform-apis.md §6): publish (with a picture
through the upload call), look for a post already published, read post counters
in batches, read the account's follower count.

Errors are the listening adapters' (RateLimited, TransientError, PermanentError,
DuplicateContent), decoded by their own per-platform decoders, so a publish fails
or retries exactly as a reply does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from listening.adapters import MalformedPayload, PermanentError
from listening.adapters._common import (
    as_id,
    clamp_count,
    http_request,
    reply_text_key,
)
from listening.adapters.base import platform_config
from listening.adapters.decoders import renren_decode, twitter_decode, weibo_decode

# Ids per counters call: Weibo statuses/count and Twitter tweet lookup take 100.
METRICS_BATCH = 100
# How far back in the brand's timeline a post is looked for before posting again.
FIND_PAGES = 3
TIMELINE_PAGE = 100


@dataclass(frozen=True, slots=True)
class Picture:
    name: str
    content_type: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Counters:
    comments: int
    reposts: int
    likes: int | None  # None: the platform does not say
    reach: int | None


def _same(candidate: str, wanted: str) -> bool:
    return reply_text_key(candidate) == reply_text_key(wanted)


# --- Weibo --------------------------------------------------------------------------


class WeiboPublisher:
    platform = "weibo"

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        base, token = platform_config(self.platform)
        headers = {"Authorization": f"OAuth2 {token}"}
        if method == "GET":
            kwargs["params"] = {**kwargs.get("params", {}), "access_token": token}
        else:
            kwargs["data"] = {**kwargs.get("data", {}), "access_token": token}
        response = http_request(method, f"{base}/{path}", headers=headers, **kwargs)
        return weibo_decode(response)

    def publish(self, *, account_id: str, text: str, picture: Picture | None) -> str:
        if picture is None:
            body = self._call("POST", "statuses/update.json", data={"status": text})
        else:
            body = self._call(
                "POST",
                "statuses/upload.json",
                data={"status": text},
                files={"pic": (picture.name, picture.data, picture.content_type)},
            )
        new_id = (
            as_id(body.get("idstr") or body.get("id")) if isinstance(body, dict) else ""
        )
        if not new_id:
            raise MalformedPayload("statuses/update answered without a status id")
        return new_id

    def find(self, *, account_id: str, text: str) -> str | None:
        max_id = None
        for _ in range(FIND_PAGES):
            params = {"uid": account_id, "count": TIMELINE_PAGE}
            if max_id:
                params["max_id"] = max_id
            body = self._call("GET", "statuses/user_timeline.json", params=params)
            items = body.get("statuses") if isinstance(body, dict) else None
            if not isinstance(items, list) or not items:
                return None
            for item in items:
                if isinstance(item, dict) and _same(str(item.get("text", "")), text):
                    return as_id(item.get("idstr") or item.get("id")) or None
            cursor = as_id(body.get("next_cursor"))
            if not cursor:
                return None
            max_id = cursor
        return None

    def counters(
        self, *, account_id: str, ids: list[str], max_calls: int = 1000
    ) -> tuple[dict[str, Counters], int]:
        """Counters of up to METRICS_BATCH posts, and the calls it took."""
        body = self._call("GET", "statuses/count.json", params={"ids": ",".join(ids)})
        found = {}
        for item in body if isinstance(body, list) else []:
            if not isinstance(item, dict):
                continue
            found[as_id(item.get("idstr") or item.get("id"))] = Counters(
                comments=clamp_count(item.get("comments")),
                reposts=clamp_count(item.get("reposts")),
                likes=clamp_count(item.get("attitudes")),
                reach=clamp_count(item["reads"]) if "reads" in item else None,
            )
        return found, 1

    def followers(self, *, account_id: str) -> int:
        body = self._call("GET", "users/show.json", params={"uid": account_id})
        if not isinstance(body, dict) or "followers_count" not in body:
            raise MalformedPayload("users/show answered without followers_count")
        return clamp_count(body["followers_count"])


# --- Twitter ------------------------------------------------------------------------


class TwitterPublisher:
    platform = "twitter"

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        base, token = platform_config(self.platform)
        response = http_request(
            method,
            f"{base}/{path}",
            headers={"Authorization": f"Bearer {token}"},
            **kwargs,
        )
        return twitter_decode(response)

    def publish(self, *, account_id: str, text: str, picture: Picture | None) -> str:
        payload: dict[str, Any] = {"text": text}
        if picture is not None:
            uploaded = self._call(
                "POST",
                "media/upload",
                data={"media_category": "tweet_image"},
                files={"media": (picture.name, picture.data, picture.content_type)},
            )
            data = uploaded.get("data") if isinstance(uploaded, dict) else None
            media_id = as_id(data.get("id")) if isinstance(data, dict) else ""
            if not media_id:
                raise MalformedPayload("media/upload answered without a media id")
            payload["media"] = {"media_ids": [media_id]}
        body = self._call("POST", "tweets", json=payload)
        data = body.get("data") if isinstance(body, dict) else None
        new_id = as_id(data.get("id")) if isinstance(data, dict) else ""
        if not new_id:
            raise MalformedPayload("POST /2/tweets answered without a Tweet id")
        return new_id

    def find(self, *, account_id: str, text: str) -> str | None:
        params: dict[str, Any] = {"max_results": TIMELINE_PAGE}
        for _ in range(FIND_PAGES):
            body = self._call("GET", f"users/{account_id}/tweets", params=params)
            for item in body.get("data") or [] if isinstance(body, dict) else []:
                if isinstance(item, dict) and _same(str(item.get("text", "")), text):
                    return as_id(item.get("id")) or None
            meta = body.get("meta") if isinstance(body, dict) else None
            token = meta.get("next_token") if isinstance(meta, dict) else None
            if not token:
                return None
            params["pagination_token"] = token
        return None

    def counters(
        self, *, account_id: str, ids: list[str], max_calls: int = 1000
    ) -> tuple[dict[str, Counters], int]:
        body = self._call(
            "GET",
            "tweets",
            params={"ids": ",".join(ids), "tweet.fields": "public_metrics"},
        )
        found = {}
        for item in body.get("data") or [] if isinstance(body, dict) else []:
            metrics = item.get("public_metrics") if isinstance(item, dict) else None
            if not isinstance(metrics, dict):
                continue
            found[as_id(item.get("id"))] = Counters(
                comments=clamp_count(metrics.get("reply_count")),
                reposts=clamp_count(metrics.get("retweet_count"))
                + clamp_count(metrics.get("quote_count")),
                likes=clamp_count(metrics.get("like_count")),
                reach=clamp_count(metrics["impression_count"])
                if "impression_count" in metrics
                else None,
            )
        return found, 1

    def followers(self, *, account_id: str) -> int:
        body = self._call(
            "GET", f"users/{account_id}", params={"user.fields": "public_metrics"}
        )
        data = body.get("data") if isinstance(body, dict) else None
        metrics = data.get("public_metrics") if isinstance(data, dict) else None
        if not isinstance(metrics, dict):
            raise MalformedPayload("users/:id answered without public_metrics")
        return clamp_count(metrics.get("followers_count"))


# --- Renren -------------------------------------------------------------------------


class RenrenPublisher:
    platform = "renren"

    def _call(self, method: str, path: str, params: dict, **kwargs: Any) -> Any:
        base, token = platform_config(self.platform)
        params = {**params, "access_token": token}
        response = http_request(
            method,
            f"{base}/{path}",
            headers={"Authorization": f"Bearer {token}"},
            **({"params": params} if method == "GET" else {"data": params}),
            **kwargs,
        )
        body = renren_decode(response)
        if not isinstance(body, dict) or "response" not in body:
            raise MalformedPayload(f"{path} answered without a response")
        return body["response"]

    def publish(self, *, account_id: str, text: str, picture: Picture | None) -> str:
        params = {"content": text}
        if picture is not None:
            photo = self._call(
                "POST",
                "photo/upload",
                {"description": text[:200]},
                files={"file": (picture.name, picture.data, picture.content_type)},
            )
            photo_id = as_id(photo.get("id")) if isinstance(photo, dict) else ""
            if not photo_id:
                raise MalformedPayload("photo/upload answered without a photo id")
            params["photoId"] = photo_id
        status = self._call("POST", "status/put", params)
        new_id = as_id(status.get("id")) if isinstance(status, dict) else ""
        if not new_id:
            raise MalformedPayload("status/put answered without a status id")
        return new_id

    def _statuses(self, account_id: str, number: int) -> list[dict]:
        items = self._call(
            "GET",
            "status/list",
            {"ownerId": account_id, "pageSize": TIMELINE_PAGE, "pageNumber": number},
        )
        return (
            [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []
        )

    def find(self, *, account_id: str, text: str) -> str | None:
        for number in range(1, FIND_PAGES + 1):
            items = self._statuses(account_id, number)
            for item in items:
                if _same(str(item.get("content", "")), text):
                    return as_id(item.get("id")) or None
            if len(items) < TIMELINE_PAGE:
                return None
        return None

    def counters(
        self, *, account_id: str, ids: list[str], max_calls: int = 1000
    ) -> tuple[dict[str, Counters], int]:
        """Renren has no batch lookup: the brand page's status/list, 100 a page,
        newest first, walked until every asked id is seen (or the oldest is passed).
        Renren tells shares and comments only."""
        wanted = set(ids)
        oldest = min(int(i) for i in ids)
        found: dict[str, Counters] = {}
        number = 1
        while wanted - set(found) and number <= max_calls:
            items = self._statuses(account_id, number)
            for item in items:
                status_id = as_id(item.get("id"))
                if status_id in wanted:
                    found[status_id] = Counters(
                        comments=clamp_count(item.get("commentCount")),
                        reposts=clamp_count(item.get("shareCount")),
                        likes=None,
                        reach=None,
                    )
            ids_seen = [int(as_id(i.get("id")) or 0) for i in items]
            if len(items) < TIMELINE_PAGE or min(ids_seen, default=0) < oldest:
                return found, number
            number += 1
        return found, number - 1

    def followers(self, *, account_id: str) -> int:
        page = self._call("GET", "page/get", {"pageId": account_id})
        if not isinstance(page, dict) or "fansCount" not in page:
            raise MalformedPayload("page/get answered without fansCount")
        return clamp_count(page["fansCount"])


PUBLISHERS = {
    "weibo": WeiboPublisher(),
    "twitter": TwitterPublisher(),
    "renren": RenrenPublisher(),
}


def publisher_for(platform: str):
    try:
        return PUBLISHERS[platform]
    except KeyError:
        raise PermanentError(f"unknown platform {platform!r}") from None
