"""Every field of a real-shaped item replaced by hostile values: the parsers must
answer with posts, refusals or a PlatformError, never crash, and never emit a post
without an id, a text and an aware time, or with a negative counter."""

import copy
import json

import pytest

from listening.adapters import ParsedPage, PlatformError, get_adapter

from .adapter_stub import payload

HOSTILE = [None, [], {}, "", -1, "x", 1e308, True, float("nan"), 2**70, "\x00", [None]]
CASES = [
    ("weibo", "weibo/mentions_timeline", "statuses"),
    ("weibo", "weibo/comments_show", "comments"),
    ("twitter", "twitter/search_recent", "data"),
    ("twitter", "twitter/v1_search_tweets", "statuses"),
    ("renren", "renren/feed_list", "response"),
    ("renren", "renren/comment_list", "response"),
    ("renren", "renren/rest_status_gets", None),
]


def mutations(item: dict):
    for key in item:
        for value in HOSTILE:
            yield key, {**item, key: value}
        yield key, {k: v for k, v in item.items() if k != key}


def assert_sane(platform: str, body) -> None:
    try:
        page = get_adapter(platform).parse(body)
    except PlatformError:
        return
    assert isinstance(page, ParsedPage)
    for post in page.posts:
        assert post.external_id
        assert isinstance(post.text, str)
        assert post.created_at.tzinfo is not None
        assert all(isinstance(v, int) and v >= 0 for v in post.metrics.values())
        if post.author is not None:
            assert post.author.external_id
            assert post.author.followers_count >= 0


@pytest.mark.parametrize(("platform", "name", "key"), CASES)
def test_hostile_values_in_any_field_never_crash_the_parser(platform, name, key):
    body = payload(name)
    items = body[key] if key else body
    for item in items[:2]:
        for _field, mutated in mutations(item):
            if key:
                envelope = copy.copy(body)
                envelope[key] = [mutated]
            else:
                envelope = [mutated]
            assert_sane(platform, envelope)


@pytest.mark.parametrize(("platform", "name", "key"), CASES)
def test_hostile_envelopes_never_crash_the_parser(platform, name, key):
    body = payload(name)
    if not isinstance(body, dict):
        body = {"statuses": body}
    for field in list(body):
        for value in [*HOSTILE, 5, "abc", [5]]:
            assert_sane(platform, {**body, field: value})
    json.dumps(body)  # the fixture itself stays JSON
