"""Texts that quote an earlier item, written once that item's author and text are
known: Weibo //@ repost chains and "回复@name:" replies, Twitter "RT @name:" and
"@name" replies, Renren shares and "回复name：" replies."""

from __future__ import annotations

from ..wire import weibo_length

WEIBO_MAX_UNITS = 280
TWITTER_RT_CHARS = 140
RENREN_MAX_CHARS = 240
DELETED_TEXT = "抱歉，此微博已被作者删除。查看帮助：http://t.cn/zWSudZc"


def _fit_weibo(text: str) -> str:
    if weibo_length(text) <= WEIBO_MAX_UNITS:
        return text
    kept, units = [], 0
    for char in text:
        units += 1 if ord(char) < 128 else 2
        if units > WEIBO_MAX_UNITS:
            break
        kept.append(char)
    return "".join(kept)


def weibo_repost(own: str, *, name: str | None, text: str, is_repost: bool) -> str:
    """A repost's text: the reposter's words, then the chain of the repost it
    passes on ("//@name:their words//@..."); the original itself is not quoted."""
    own = own or ("转发微博" if not is_repost else "")
    if is_repost and name:
        return _fit_weibo(f"{own}//@{name}:{text}")
    return _fit_weibo(own or "转发微博")


def weibo_reply(name: str, text: str) -> str:
    return _fit_weibo(f"回复@{name}:{text}")


def twitter_reply(name: str, text: str) -> str:
    return f"@{name} {text}"


def twitter_retweet(name: str, text: str) -> str:
    full = f"RT @{name}: {text}"
    if len(full) <= TWITTER_RT_CHARS:
        return full
    return full[: TWITTER_RT_CHARS - 1] + "…"


def renren_reply(name: str, text: str) -> str:
    return f"回复{name}：{text}"[:RENREN_MAX_CHARS]


def renren_share(own: str, *, name: str, text: str) -> str:
    return f"{own} 转自{name}：{text}"[:RENREN_MAX_CHARS]
