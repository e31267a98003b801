import datetime as dt

import pytest

from listening.adapters import (
    MalformedPayload,
    PermanentError,
    RateLimited,
    ReplyTarget,
    SourceSpec,
    TransientError,
)
from listening.adapters.renren import PAGE_SIZE, RenrenAdapter

from .adapter_stub import Reply, StubServer, configure, payload, payload_bytes

BEIJING = dt.timezone(dt.timedelta(hours=8))
adapter = RenrenAdapter()


@pytest.fixture
def stub(settings):
    with StubServer() as server:
        configure(settings, "renren", f"{server.url}/v2", token="rr-token")
        yield server


def by_id(page):
    return {post.external_id: post for post in page.posts}


def feed_page(count: int, *, first_id: int = 23004200000) -> dict:
    return {
        "response": [
            {
                "id": first_id - n,
                "type": "UPDATE_STATUS",
                "time": "2014-06-23 17:43",
                "sourceUser": {"id": 223546789, "name": "张小华"},
                "message": f"戴尔 第{n}条" if n % 2 else f"other post {n}",
                "resource": {"id": 4512340000 - n},
            }
            for n in range(count)
        ]
    }


# -- parsing ----------------------------------------------------------------------


def test_v2_statuses_get_string_ids_and_beijing_times_from_unpadded_strings():
    page = adapter.parse(payload("renren/status_list"))
    post = by_id(page)["4483472211"]

    assert post.created_at == dt.datetime(2013, 9, 13, 9, 51, 27, tzinfo=BEIJING)
    assert post.text == "戴尔的笔记本用了三年还很流畅(赞)"
    assert post.author.external_id == "223546789"
    assert post.metrics == {"reposts": 2, "comments": 5}
    assert post.thread_external_id == "223546789:4483472211"
    assert post.repost_of_external_id == ""


def test_reshared_status_points_at_the_shared_status_and_clamps_counters():
    post = by_id(adapter.parse(payload("renren/status_list")))["4483470001"]

    assert post.repost_of_external_id == "4483460000"
    assert post.metrics["reposts"] == 0


def test_status_without_time_is_refused():
    page = adapter.parse(payload("renren/status_list"))

    assert [(r.external_id, r.reason) for r in page.refused] == [
        ("4483460500", "no valid created_at")
    ]


def test_feed_items_carry_the_source_user_and_minute_times():
    page = adapter.parse(payload("renren/feed_list"))
    posts = by_id(page)

    status = posts["23004111223"]
    assert status.created_at == dt.datetime(2014, 6, 23, 17, 43, tzinfo=BEIJING)
    assert status.author.name == "张小华"
    assert status.author.profile_image_url.endswith("head_a.jpg")
    assert status.thread_external_id == "223546789:4512340001"
    link = posts["23004111100"]
    assert link.text == "戴尔发布新款外星人笔记本"  # empty message: the resource title
    assert link.thread_external_id == ""
    assert [r.external_id for r in page.refused] == ["23004111000"]


def test_comments_are_in_the_thread_of_their_status():
    page = adapter.parse(payload("renren/comment_list"), kind="comments")
    comment = by_id(page)["15623002"]

    assert comment.in_reply_to_external_id == "4483472211"
    assert comment.thread_external_id == "223546789:4483472211"
    assert comment.author.external_id == "301122334"
    assert comment.created_at == dt.datetime(2013, 9, 13, 10, 2, 11, tzinfo=BEIJING)
    assert by_id(page)["15623001"].text == "(酷)"


def test_rest_status_gets_array_parses_and_forwards_point_at_the_root():
    page = adapter.parse(payload("renren/rest_status_gets"))
    posts = by_id(page)

    first = posts["2367114011"]
    assert first.text == "Dell的客服电话一直占线，郁闷"
    assert first.created_at == dt.datetime(2011, 3, 2, 19, 13, 44, tzinfo=BEIJING)
    assert first.metrics == {"reposts": 0, "comments": 3}
    forward = posts["2367110000"]
    assert forward.text == "戴尔新品发布会直播中"  # empty message: root_message
    assert forward.repost_of_external_id == "2367000001"
    assert [(r.external_id, r.reason) for r in page.refused] == [
        ("2367100000", "no text")
    ]


def test_rest_feed_items_parse_with_actor_and_counts():
    posts = by_id(adapter.parse(payload("renren/rest_feed_get")))

    status = posts["9876543210"]
    assert status.author.name == "张小华"
    assert status.metrics == {"comments": 3, "likes": 4}
    assert status.thread_external_id == "223546789:2367114011"
    assert posts["9876543100"].text == "分享照片：戴尔新品"


def test_rest_comments_parse():
    post = adapter.parse(payload("renren/rest_status_get_comment")).posts[0]

    assert post.external_id == "7788001"
    assert post.author.name == "王小明"
    assert post.created_at == dt.datetime(2011, 3, 2, 19, 20, tzinfo=BEIJING)


def test_unknown_items_are_refused():
    page = adapter.parse({"response": [{"foo": 1}, 7, None]})

    assert page.posts == []
    assert [r.reason for r in page.refused] == [
        "unknown item shape",
        "not an object",
        "not an object",
    ]


@pytest.mark.parametrize(
    ("name", "error", "code"),
    [
        ("error_over_limit", RateLimited, "forbidden.APP_OVER_INVOCATION_LIMIT"),
        ("error_service_busy", TransientError, "internal_error.SERVICE_BUSY"),
        (
            "error_invalid_token",
            PermanentError,
            "invalid_authorization.INVALID-TOKEN",
        ),
        ("error_rest", PermanentError, "10702"),
    ],
)
def test_error_bodies_raise_the_matching_error(name, error, code):
    with pytest.raises(error) as raised:
        adapter.parse(payload(f"renren/{name}"))

    assert type(raised.value) is error
    assert raised.value.code == code


def test_bodies_of_another_shape_are_malformed():
    with pytest.raises(MalformedPayload):
        adapter.parse({"data": []})


# -- fetching ---------------------------------------------------------------------


def test_comments_walk_page_numbers_and_stop_on_a_short_page(stub):
    full = {
        "response": [
            {
                "id": 15700000 - n,
                "entryId": 4483472211,
                "entryOwnerId": 223546789,
                "authorId": 301122334,
                "content": f"评论{n}",
                "time": "2013-9-13 10:02:11",
            }
            for n in range(PAGE_SIZE)
        ]
    }
    stub.on("GET", "/v2/comment/list", full, payload("renren/comment_list"))
    spec = SourceSpec(platform="renren", kind="comments", query="223546789:4483472211")

    first = adapter.fetch_page(spec, since_id=None, page=None)
    second = adapter.fetch_page(spec, since_id=None, page=first.next_page)

    assert first.next_page == {"pageNumber": 2}
    assert second.next_page is None
    query = stub.requests[0].query
    assert query["commentType"] == "STATUS"
    assert query["entryOwnerId"] == "223546789"
    assert query["entryId"] == "4483472211"
    assert query["pageSize"] == str(PAGE_SIZE)
    assert query["pageNumber"] == "1"
    assert query["access_token"] == "rr-token"
    assert stub.requests[0].headers["authorization"] == "Bearer rr-token"
    assert stub.requests[1].query["pageNumber"] == "2"


def test_walk_stops_at_a_page_reaching_since_id(stub):
    stub.on("GET", "/v2/feed/list", feed_page(PAGE_SIZE))
    spec = SourceSpec(platform="renren", kind="mentions", query="600000001")

    page = adapter.fetch_page(spec, since_id="23004199950", page=None)

    assert page.next_page is None
    assert len(page.posts) == PAGE_SIZE


def test_search_keeps_only_feed_items_with_the_keyword_but_pages_on_all(stub):
    stub.on("GET", "/v2/feed/list", feed_page(PAGE_SIZE))
    spec = SourceSpec(platform="renren", kind="search", query="戴尔")

    page = adapter.fetch_page(spec, since_id=None, page=None)

    assert len(page.posts) == PAGE_SIZE // 2
    assert all("戴尔" in p.text for p in page.posts)
    assert page.next_page == {"pageNumber": 2}
    assert stub.requests[0].query["feedType"] == "ALL"


def test_comments_source_needs_owner_and_entry():
    spec = SourceSpec(platform="renren", kind="comments", query="4483472211")

    with pytest.raises(PermanentError):
        adapter.fetch_page(spec, since_id=None, page=None)


def test_quota_error_with_403_is_rate_limited(stub):
    stub.on(
        "GET",
        "/v2/feed/list",
        Reply(403, payload_bytes("renren/error_over_limit")),
    )
    spec = SourceSpec(platform="renren", kind="mentions", query="1")

    with pytest.raises(RateLimited) as raised:
        adapter.fetch_page(spec, since_id=None, page=None)

    assert raised.value.reset_at is None


def test_service_busy_with_500_is_transient(stub):
    stub.on(
        "GET",
        "/v2/feed/list",
        Reply(500, payload_bytes("renren/error_service_busy")),
    )
    spec = SourceSpec(platform="renren", kind="mentions", query="1")

    with pytest.raises(TransientError):
        adapter.fetch_page(spec, since_id=None, page=None)


def test_garbage_body_is_malformed(stub):
    stub.on("GET", "/v2/feed/list", Reply(200, b"\x00\xff<html>"))
    spec = SourceSpec(platform="renren", kind="mentions", query="1")

    with pytest.raises(MalformedPayload):
        adapter.fetch_page(spec, since_id=None, page=None)


# -- replying ---------------------------------------------------------------------


def test_reply_to_a_comment_puts_a_comment_for_the_user_on_the_status(stub):
    stub.on("POST", "/v2/comment/put", payload("renren/comment_put"))
    target = ReplyTarget(
        platform="renren",
        external_id="15623002",
        thread_external_id="223546789:4483472211",
        author_external_id="301122334",
        is_comment=True,
    )

    new_id = adapter.post_reply(target=target, text="感谢支持戴尔！")

    assert new_id == "15623099"
    form = stub.requests[0].form
    assert form == {
        "content": "感谢支持戴尔！",
        "commentType": "STATUS",
        "entryOwnerId": "223546789",
        "entryId": "4483472211",
        "targetUserId": "301122334",
        "access_token": "rr-token",
    }


def test_reply_to_a_status_is_a_top_level_comment(stub):
    stub.on("POST", "/v2/comment/put", payload("renren/comment_put"))
    target = ReplyTarget(
        platform="renren", external_id="4483472211", author_external_id="223546789"
    )

    adapter.post_reply(target=target, text="谢谢")

    form = stub.requests[0].form
    assert (form["entryOwnerId"], form["entryId"]) == ("223546789", "4483472211")
    assert "targetUserId" not in form


def test_reply_to_a_comment_without_its_status_owner_is_refused():
    target = ReplyTarget(
        platform="renren",
        external_id="15623002",
        thread_external_id="4483472211",
        is_comment=True,
    )

    with pytest.raises(PermanentError):
        adapter.post_reply(target=target, text="x")


def test_reply_over_quota_is_rate_limited(stub):
    stub.on(
        "POST", "/v2/comment/put", Reply(403, payload_bytes("renren/error_over_limit"))
    )
    target = ReplyTarget(
        platform="renren", external_id="4483472211", author_external_id="223546789"
    )

    with pytest.raises(RateLimited):
        adapter.post_reply(target=target, text="x")


def test_find_reply_tolerates_the_reply_prefix(stub):
    stub.on("GET", "/v2/comment/list", payload("renren/comment_list"))
    target = ReplyTarget(
        platform="renren",
        external_id="15623001",
        thread_external_id="223546789:4483472211",
        author_external_id="223546789",
        is_comment=True,
    )

    assert adapter.find_reply(target=target, text="我也是戴尔的老用户了") == "15623002"
    assert adapter.find_reply(target=target, text="别的话") is None
