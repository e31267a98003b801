import datetime as dt
import json
import socket

import pytest

from listening.adapters import (
    DuplicateContent,
    MalformedPayload,
    PermanentError,
    RateLimited,
    ReplyTarget,
    SourceSpec,
    TransientError,
)
from listening.adapters.weibo import TIMELINE_COUNT, WeiboAdapter

from .adapter_stub import Reply, StubServer, configure, payload, payload_bytes

BEIJING = dt.timezone(dt.timedelta(hours=8))
adapter = WeiboAdapter()


@pytest.fixture
def stub(settings):
    with StubServer() as server:
        configure(settings, "weibo", f"{server.url}/2", token="wb-token")
        yield server


def by_id(page):
    return {post.external_id: post for post in page.posts}


# -- parsing ----------------------------------------------------------------------


def test_timeline_statuses_become_posts_with_author_time_and_counters():
    page = adapter.parse(payload("weibo/mentions_timeline"), kind="mentions")

    assert [p.external_id for p in page.posts] == [
        "3935747314735304",
        "3935741021290713",
        "3935740000000001",
    ]
    first = page.posts[0]
    assert first.platform == "weibo"
    assert first.text.startswith("@戴尔中国 新买的XPS 13屏幕一直闪烁")
    assert first.created_at == dt.datetime(2016, 1, 27, 4, 5, 45, tzinfo=BEIJING)
    assert first.metrics == {"reposts": 3, "comments": 5, "likes": 12}
    assert first.in_reply_to_external_id == ""
    assert first.thread_external_id == "3935747314735304"
    assert first.author.external_id == "1904178193"
    assert first.author.screen_name == "小米粒儿_Lily"
    assert first.author.followers_count == 2311
    assert first.author.gender == "f"
    assert first.author.verified is False
    assert first.author.verified_type == "-1"
    assert first.raw["geo"]["coordinates"] == [45.77919, 126.56521]


def test_organisation_verification_is_kept_with_its_type():
    page = adapter.parse(payload("weibo/mentions_timeline"), kind="mentions")
    media = by_id(page)["3935741021290713"].author

    assert media.verified is True
    assert media.verified_type == "3"


def test_repost_of_deleted_original_without_user_points_at_the_original():
    page = adapter.parse(payload("weibo/mentions_timeline"), kind="mentions")

    repost = by_id(page)["3935741021290713"]
    assert repost.repost_of_external_id == "3935640947463227"
    assert repost.text == "转发微博 //@戴尔中国: 已私信您，请查收"
    assert page.refused == []


def test_negative_counters_are_clamped_to_zero():
    page = adapter.parse(payload("weibo/mentions_timeline"), kind="mentions")
    odd = by_id(page)["3935740000000001"]

    assert odd.metrics == {"reposts": 0, "comments": 0, "likes": 0}
    assert odd.author.followers_count == 0
    assert odd.author.friends_count == 0
    assert odd.author.statuses_count == 0
    assert odd.author.verified_type == "220"
    assert odd.author.verified is False


def test_int_id_is_used_when_idstr_is_missing_and_reply_ids_are_kept():
    page = adapter.parse(payload("weibo/mentions_2011_odd_items"), kind="mentions")
    post = by_id(page)["3366012345678902"]

    assert post.in_reply_to_external_id == "3366012345678800"
    assert post.created_at.utcoffset() == dt.timedelta(hours=8)


def test_idstr_is_preferred_over_a_lossy_numeric_id():
    body = payload("weibo/mentions_timeline")
    body["statuses"][0]["id"] = 3.935747314735305e15

    page = adapter.parse(body, kind="mentions")

    assert page.posts[0].external_id == "3935747314735304"


def test_broken_items_are_refused_with_reasons_and_the_rest_is_kept():
    page = adapter.parse(payload("weibo/mentions_2011_odd_items"), kind="mentions")

    assert sorted(by_id(page)) == ["3366012345678600", "3366012345678902"]
    assert {(r.external_id, r.reason) for r in page.refused} == {
        ("3366012345678800", "deleted"),
        ("", "no id"),
        ("3366012345678700", "no valid created_at"),
        ("3366012345678500", "id only (no content)"),
    }


def test_status_without_user_has_no_author():
    page = adapter.parse(payload("weibo/mentions_2011_odd_items"), kind="mentions")

    assert by_id(page)["3366012345678600"].author is None


def test_items_of_the_wrong_type_are_refused_not_fatal():
    body = {
        "statuses": [
            None,
            {"idstr": "12", "text": ["not", "text"], "created_at": "x"},
            {
                "idstr": "13",
                "text": "ok",
                "created_at": "Wed Jan 27 04:05:45 +0800 2016",
                "user": ["not", "a", "user"],
                "reposts_count": "7",
                "comments_count": None,
                "attitudes_count": "many",
            },
        ]
    }

    page = adapter.parse(body, kind="mentions")

    assert [p.external_id for p in page.posts] == ["13"]
    assert page.posts[0].author is None
    assert page.posts[0].metrics == {"reposts": 7, "comments": 0, "likes": 0}
    assert [r.reason for r in page.refused] == ["not an object", "no text"]


def test_search_results_with_escaped_unicode_are_decoded():
    page = adapter.parse(
        json.loads(payload_bytes("weibo/search_topics")), kind="search"
    )

    assert page.posts[0].text.startswith("#戴尔灵越# 灵越7000开箱")
    assert page.posts[0].metrics["likes"] == 40


def test_search_past_the_last_page_is_a_bare_empty_array():
    page = adapter.parse(payload("weibo/search_past_end"), kind="search")

    assert page.posts == []
    assert page.refused == []


def test_comment_answering_a_comment_is_in_the_status_thread():
    page = adapter.parse(payload("weibo/comments_show"), kind="comments")
    posts = by_id(page)

    reply = posts["3935763000000003"]
    assert reply.thread_external_id == "3935747314735304"
    assert reply.in_reply_to_external_id == "3935763000000001"
    assert reply.author.screen_name == "戴尔中国"
    top = posts["3935763000000002"]
    assert top.in_reply_to_external_id == "3935747314735304"
    assert top.thread_external_id == "3935747314735304"


def test_comment_without_embedded_status_takes_the_sources_status(stub):
    body = payload("weibo/comments_show")
    for comment in body["comments"]:
        comment.pop("status")
    stub.on("GET", "/2/comments/show.json", body)
    spec = SourceSpec(platform="weibo", kind="comments", query="3935747314735304")

    page = adapter.fetch_page(spec, since_id=None, page=None)

    assert {p.thread_external_id for p in page.posts} == {"3935747314735304"}
    assert by_id(page)["3935763000000002"].in_reply_to_external_id == (
        "3935747314735304"
    )


@pytest.mark.parametrize(
    ("name", "error", "code"),
    [
        ("error_10006", PermanentError, "10006"),
        ("error_10023", RateLimited, "10023"),
        ("error_20019_doc", DuplicateContent, "20019"),
        ("error_21327", PermanentError, "21327"),
        ("error_20012", PermanentError, "20012"),
    ],
)
def test_error_bodies_raise_the_matching_error(name, error, code):
    with pytest.raises(error) as raised:
        adapter.parse(payload(f"weibo/{name}"))

    assert raised.value.code == code
    assert raised.value.message


def test_rate_limit_resets_at_the_top_of_the_next_hour():
    with pytest.raises(RateLimited) as raised:
        adapter.parse(payload("weibo/error_10023"))

    reset = raised.value.reset_at
    now = dt.datetime.now(dt.UTC)
    assert reset.minute == 0
    assert reset.second == 0
    assert now < reset <= now + dt.timedelta(hours=1)


@pytest.mark.parametrize("body", ["statuses", 42, {"total_number": 3}])
def test_bodies_of_another_shape_are_malformed(body):
    with pytest.raises(MalformedPayload):
        adapter.parse(body)


# -- fetching ---------------------------------------------------------------------


def test_mentions_walk_asks_for_older_pages_below_the_smallest_id(stub):
    stub.on(
        "GET",
        "/2/statuses/mentions.json",
        payload("weibo/mentions_timeline"),
        payload("weibo/timeline_end"),
    )
    spec = SourceSpec(platform="weibo", kind="mentions", query="1642909335")

    first = adapter.fetch_page(spec, since_id=None, page=None)
    second = adapter.fetch_page(spec, since_id=None, page=first.next_page)

    assert first.next_page == {"max_id": "3935740000000000"}
    assert second.posts == []
    assert second.next_page is None
    calls = stub.calls("/2/statuses/mentions.json")
    assert calls[0].query == {"count": str(TIMELINE_COUNT), "access_token": "wb-token"}
    assert calls[1].query["max_id"] == "3935740000000000"


def test_incremental_poll_sends_since_id_and_stops_at_it(stub):
    stub.on("GET", "/2/statuses/mentions.json", payload("weibo/mentions_timeline"))
    spec = SourceSpec(platform="weibo", kind="mentions", query="1642909335")

    page = adapter.fetch_page(spec, since_id="3935740000000001", page=None)

    assert stub.requests[0].query["since_id"] == "3935740000000001"
    assert page.next_page is None


def test_cursor_at_since_id_ends_the_walk(stub):
    body = payload("weibo/mentions_timeline")
    body["next_cursor"] = 3935700000000000
    stub.on("GET", "/2/statuses/mentions.json", body)
    spec = SourceSpec(platform="weibo", kind="mentions", query="1642909335")

    page = adapter.fetch_page(spec, since_id="3935700000000000", page=None)

    assert page.next_page is None


def test_short_page_without_cursor_ends_the_walk(stub):
    body = payload("weibo/mentions_timeline")
    del body["next_cursor"]
    stub.on("GET", "/2/statuses/mentions.json", body)
    spec = SourceSpec(platform="weibo", kind="mentions", query="1642909335")

    assert adapter.fetch_page(spec, since_id=None, page=None).next_page is None


def test_a_server_that_ignores_max_id_does_not_loop(stub):
    stub.on("GET", "/2/statuses/mentions.json", payload("weibo/mentions_timeline"))
    spec = SourceSpec(platform="weibo", kind="mentions", query="1642909335")

    page = adapter.fetch_page(spec, since_id=None, page={"max_id": "3935740000000000"})

    assert page.next_page is None


def test_search_walks_down_by_max_id_until_the_bare_array(stub):
    stub.on(
        "GET",
        "/2/search/topics.json",
        Reply(body=payload_bytes("weibo/search_topics")),
        Reply(body=b"[]"),
    )
    spec = SourceSpec(platform="weibo", kind="search", query="戴尔")

    first = adapter.fetch_page(spec, since_id=None, page=None)
    second = adapter.fetch_page(spec, since_id=None, page=first.next_page)

    assert len(first.posts) == 2
    smallest = min(int(p.external_id) for p in first.posts)
    assert first.next_page == {"max_id": str(smallest - 1), "depth": 1}
    assert second.next_page is None
    queries = [r.query for r in stub.calls("/2/search/topics.json")]
    assert [(q["q"], q["page"], q.get("max_id")) for q in queries] == [
        ("戴尔", "1", None),
        ("戴尔", "1", str(smallest - 1)),
    ]


def test_search_stops_at_a_page_reaching_since_id(stub):
    stub.on("GET", "/2/search/topics.json", payload("weibo/search_topics"))
    spec = SourceSpec(platform="weibo", kind="search", query="戴尔")

    page = adapter.fetch_page(spec, since_id="4012345678900001", page=None)

    assert page.next_page is None
    assert len(page.posts) == 2


def test_comments_source_asks_for_the_status_comments(stub):
    stub.on("GET", "/2/comments/show.json", payload("weibo/comments_show"))
    spec = SourceSpec(platform="weibo", kind="comments", query="3935747314735304")

    page = adapter.fetch_page(spec, since_id="3935762999999999", page=None)

    request = stub.requests[0]
    assert request.query["id"] == "3935747314735304"
    assert request.query["since_id"] == "3935762999999999"
    assert request.query["count"] == str(TIMELINE_COUNT)
    assert len(page.posts) == 3
    assert page.next_page is None  # next_cursor 0


def test_rate_limit_body_is_rate_limited_whatever_the_http_status(stub):
    stub.on(
        "GET",
        "/2/statuses/mentions.json",
        Reply(
            403,
            payload_bytes("weibo/error_10023"),
            {"Content-Type": "text/plain"},
        ),
    )
    spec = SourceSpec(platform="weibo", kind="mentions", query="1")

    with pytest.raises(RateLimited) as raised:
        adapter.fetch_page(spec, since_id=None, page=None)

    assert raised.value.code == "10023"
    assert raised.value.http_status == 403
    # The stub has no quota endpoint: nothing says when the limit resets.
    assert raised.value.reset_at is None


def test_error_body_in_plain_text_with_400_is_permanent(stub):
    stub.on(
        "GET",
        "/2/statuses/mentions.json",
        Reply(400, payload_bytes("weibo/error_10006"), {"Content-Type": "text/plain"}),
    )
    spec = SourceSpec(platform="weibo", kind="mentions", query="1")

    with pytest.raises(PermanentError) as raised:
        adapter.fetch_page(spec, since_id=None, page=None)

    assert raised.value.code == "10006"


def test_server_error_page_is_transient(stub):
    stub.on(
        "GET",
        "/2/statuses/mentions.json",
        Reply(502, b"<html>Bad Gateway</html>", {"Content-Type": "text/html"}),
    )
    spec = SourceSpec(platform="weibo", kind="mentions", query="1")

    with pytest.raises(TransientError):
        adapter.fetch_page(spec, since_id=None, page=None)


def test_truncated_json_is_malformed(stub):
    body = payload_bytes("weibo/mentions_timeline")
    stub.on("GET", "/2/statuses/mentions.json", Reply(200, body[: len(body) // 2]))
    spec = SourceSpec(platform="weibo", kind="mentions", query="1")

    with pytest.raises(MalformedPayload):
        adapter.fetch_page(spec, since_id=None, page=None)


def test_dropped_connection_is_transient(stub):
    stub.on("GET", "/2/statuses/mentions.json", Reply(drop=True))
    spec = SourceSpec(platform="weibo", kind="mentions", query="1")

    with pytest.raises(TransientError):
        adapter.fetch_page(spec, since_id=None, page=None)


def test_timeout_is_transient(stub, settings):
    settings.PLATFORM_HTTP_TIMEOUT = 0.2
    stub.on("GET", "/2/statuses/mentions.json", Reply(body=b"{}", delay=1.0))
    spec = SourceSpec(platform="weibo", kind="mentions", query="1")

    with pytest.raises(TransientError):
        adapter.fetch_page(spec, since_id=None, page=None)


def test_refused_connection_is_transient(settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    configure(settings, "weibo", f"http://127.0.0.1:{port}/2")
    spec = SourceSpec(platform="weibo", kind="mentions", query="1")

    with pytest.raises(TransientError):
        adapter.fetch_page(spec, since_id=None, page=None)


def test_source_api_base_overrides_the_settings(stub, settings):
    configure(settings, "weibo", "http://127.0.0.1:9/nowhere")
    settings.PLATFORM_API_ALLOWED_HOSTS = [stub.url.split("//", 1)[1]]
    stub.on("GET", "/custom/2/statuses/mentions.json", payload("weibo/timeline_end"))
    spec = SourceSpec(
        platform="weibo", kind="mentions", query="1", api_base=f"{stub.url}/custom/2/"
    )

    page = adapter.fetch_page(spec, since_id=None, page=None)

    assert page.posts == []
    assert page.next_page is None


# -- replying ---------------------------------------------------------------------


def test_reply_to_a_status_creates_a_comment(stub):
    stub.on("POST", "/2/comments/create.json", payload("weibo/comment_created"))
    target = ReplyTarget(platform="weibo", external_id="3935747314735304")

    new_id = adapter.post_reply(target=target, text="您好，已私信，请查收。")

    assert new_id == "3935770000000009"
    form = stub.requests[0].form
    assert form["id"] == "3935747314735304"
    assert form["comment"] == "您好，已私信，请查收。"
    assert form["access_token"] == "wb-token"


def test_reply_to_a_comment_uses_comments_reply_without_mention(stub):
    stub.on("POST", "/2/comments/reply.json", payload("weibo/comment_created"))
    target = ReplyTarget(
        platform="weibo",
        external_id="3935763000000001",
        thread_external_id="3935747314735304",
        is_comment=True,
    )

    adapter.post_reply(target=target, text="您好")

    form = stub.requests[0].form
    assert form["cid"] == "3935763000000001"
    assert form["id"] == "3935747314735304"
    assert form["without_mention"] == "1"


def test_reply_to_a_comment_without_its_status_is_refused():
    target = ReplyTarget(platform="weibo", external_id="1", is_comment=True)

    with pytest.raises(PermanentError):
        adapter.post_reply(target=target, text="hi")


@pytest.mark.parametrize(
    ("name", "error", "code"),
    [
        ("error_20019_doc", DuplicateContent, "20019"),
        ("error_20012", PermanentError, "20012"),
        ("error_10023", RateLimited, "10023"),
    ],
)
def test_reply_errors_are_mapped(stub, name, error, code):
    stub.on(
        "POST", "/2/comments/create.json", Reply(400, payload_bytes(f"weibo/{name}"))
    )
    target = ReplyTarget(platform="weibo", external_id="3935747314735304")

    with pytest.raises(error) as raised:
        adapter.post_reply(target=target, text="x" * 10)

    assert raised.value.code == code


def test_find_reply_finds_our_comment_under_the_replied_comment(stub):
    body = payload("weibo/comments_show")
    # The platform shortened our link and prefixed the mention.
    body["comments"][0]["text"] = "回复@小米粒儿_Lily:您好，请看 http://t.cn/RabCdE1"
    stub.on("GET", "/2/comments/show.json", body)
    target = ReplyTarget(
        platform="weibo",
        external_id="3935763000000001",
        thread_external_id="3935747314735304",
        is_comment=True,
    )

    found = adapter.find_reply(target=target, text="您好，请看 https://dell.cn/s/abc")

    assert found == "3935763000000003"
    assert stub.requests[0].query["id"] == "3935747314735304"


def test_find_reply_ignores_same_text_under_another_comment(stub):
    stub.on("GET", "/2/comments/show.json", payload("weibo/comments_show"))
    target = ReplyTarget(
        platform="weibo",
        external_id="3935763000000002",
        thread_external_id="3935747314735304",
        is_comment=True,
    )

    text = "您好，请私信您的服务编号，我们马上安排工程师。"
    assert adapter.find_reply(target=target, text=text) is None


def test_find_reply_returns_none_when_nothing_matches(stub):
    stub.on("GET", "/2/comments/show.json", payload("weibo/comments_show"))
    target = ReplyTarget(platform="weibo", external_id="3935747314735304")

    assert adapter.find_reply(target=target, text="没有这条回复") is None


# -- through the poller -------------------------------------------------------------


@pytest.mark.django_db
def test_a_poll_walks_every_page_and_next_poll_starts_after_the_newest(
    stub, require_postgres
):
    from listening.models import Mention, Source
    from listening.services import source_lease_acquire, source_poll

    stub.on(
        "GET",
        "/2/statuses/mentions.json",
        payload("weibo/mentions_timeline"),
        payload("weibo/mentions_2011_odd_items"),
        payload("weibo/timeline_end"),
    )
    source = Source.objects.create(
        name="mentions", platform="weibo", kind="mentions", query="1642909335"
    )
    assert source_lease_acquire(source_id=source.id, owner="t")

    outcome = source_poll(source_id=source.id, owner="t")
    source.refresh_from_db()
    source_poll(source_id=source.id, owner="t")

    assert outcome.created == 5
    assert outcome.refused == 4
    assert outcome.done
    assert Mention.objects.filter(source=source).count() == 5
    assert source.cursor == {"since_id": "3935747314735304"}
    calls = stub.calls("/2/statuses/mentions.json")
    assert [c.query.get("max_id") for c in calls[:2]] == [None, "3935740000000000"]
    assert calls[-1].query["since_id"] == "3935747314735304"
