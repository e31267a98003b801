"""Sharing a post on each platform (platform-apis.md §6): Weibo repost, Twitter
retweet or quote, Renren share; and looking a share up, so a delivery that was
interrupted after the platform took it is never posted twice."""

from __future__ import annotations

from dataclasses import dataclass

from ._common import as_dict, as_id, http_request, reply_text_key
from .base import DuplicateContent, MalformedPayload, PermanentError, platform_config
from .decoders import renren_decode, twitter_decode, weibo_decode

# Reposts read when looking for our own (the newest first).
FIND_SHARE_COUNT = 200


@dataclass(frozen=True, slots=True)
class ShareTarget:
    platform: str
    external_id: str  # the post shared
    author_external_id: str = ""  # its author (Renren's ownerId)


def _duplicate(exc: PermanentError) -> bool:
    code = (exc.code or "").upper()
    return isinstance(exc, DuplicateContent) or "REPEAT" in code or code == "20019"


def share_post(
    *, target: ShareTarget, text: str, kind: str, sharer_user_id: str = ""
) -> str:
    """Share ``target``; the platform's id of the share (a retweet has none of its
    own: ``retweet:<user>:<tweet>``). Raises DuplicateContent when the platform
    says this account already shared it with this text."""
    try:
        return _post(target=target, text=text, kind=kind, sharer=sharer_user_id)
    except PermanentError as exc:
        if _duplicate(exc) and not isinstance(exc, DuplicateContent):
            raise DuplicateContent(exc.message, code=exc.code) from None
        raise


def _post(*, target: ShareTarget, text: str, kind: str, sharer: str) -> str:
    platform = target.platform
    base, token = platform_config(platform)
    if platform == "weibo":
        data = {"access_token": token, "id": target.external_id, "is_comment": 0}
        if text:
            data["status"] = text
        response = http_request(
            "POST",
            f"{base}/statuses/repost.json",
            data=data,
            headers={"Authorization": f"OAuth2 {token}"},
        )
        body = weibo_decode(response)
        new_id = (
            as_id(body.get("idstr") or body.get("id")) if isinstance(body, dict) else ""
        )
        if not new_id:
            raise MalformedPayload("statuses/repost answered without a status id")
        return new_id
    if platform == "twitter":
        headers = {"Authorization": f"Bearer {token}"}
        if kind == "retweet":
            if not sharer:
                raise PermanentError(
                    "a retweet needs the account's user id", code="no_user"
                )
            response = http_request(
                "POST",
                f"{base}/users/{sharer}/retweets",
                json={"tweet_id": target.external_id},
                headers=headers,
            )
            body = twitter_decode(response)
            answer = as_dict(body).get("data")
            if not isinstance(answer, dict) or answer.get("retweeted") is not True:
                raise MalformedPayload("retweets answered without retweeted: true")
            return f"retweet:{sharer}:{target.external_id}"
        response = http_request(
            "POST",
            f"{base}/tweets",
            json={"text": text, "quote_tweet_id": target.external_id},
            headers=headers,
        )
        body = twitter_decode(response)
        new_id = as_id(as_dict(as_dict(body).get("data")).get("id"))
        if not new_id:
            raise MalformedPayload("tweets answered without an id")
        return new_id
    if platform == "renren":
        params = {
            "access_token": token,
            "statusId": target.external_id,
            "ownerId": target.author_external_id,
            "content": text,
        }
        response = http_request(
            "POST",
            f"{base}/status/share",
            data=params,
            headers={"Authorization": f"Bearer {token}"},
        )
        body = renren_decode(response)
        status = body.get("response") if isinstance(body, dict) else None
        new_id = as_id(status.get("id")) if isinstance(status, dict) else ""
        if not new_id:
            raise MalformedPayload("status/share answered without a status id")
        return new_id
    raise PermanentError(f"cannot share on {platform}", code="unknown_platform")


def share_find(
    *, target: ShareTarget, text: str, kind: str, sharer_user_id: str = ""
) -> str | None:
    """The id of our share of ``target`` with this text, if the platform has it.
    Renren offers no read of a status's shares: None (its refusal of a repeated
    share is the confirmation there)."""
    platform = target.platform
    base, token = platform_config(platform)
    wanted = reply_text_key(text)
    if platform == "weibo":
        response = http_request(
            "GET",
            f"{base}/statuses/repost_timeline.json",
            params={
                "access_token": token,
                "id": target.external_id,
                "count": FIND_SHARE_COUNT,
            },
            headers={"Authorization": f"OAuth2 {token}"},
        )
        body = weibo_decode(response)
        for status in body.get("reposts", []) if isinstance(body, dict) else []:
            if (
                isinstance(status, dict)
                and reply_text_key(str(status.get("text", ""))) == wanted
            ):
                return as_id(status.get("idstr") or status.get("id"))
        return None
    if platform == "twitter":
        headers = {"Authorization": f"Bearer {token}"}
        if kind == "retweet":
            response = http_request(
                "GET",
                f"{base}/tweets/{target.external_id}/retweeted_by",
                headers=headers,
            )
            body = twitter_decode(response)
            for user in body.get("data", []) if isinstance(body, dict) else []:
                if isinstance(user, dict) and as_id(user.get("id")) == as_id(
                    sharer_user_id
                ):
                    return f"retweet:{sharer_user_id}:{target.external_id}"
            return None
        response = http_request(
            "GET", f"{base}/tweets/{target.external_id}/quote_tweets", headers=headers
        )
        body = twitter_decode(response)
        for tweet in body.get("data", []) if isinstance(body, dict) else []:
            if (
                isinstance(tweet, dict)
                and reply_text_key(str(tweet.get("text", ""))) == wanted
            ):
                return as_id(tweet.get("id"))
        return None
    return None
