import datetime as dt

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
from listening.adapters.twitter import MAX_RESULTS, TwitterAdapter, snowflake_time

from .adapter_stub import Reply, StubServer, configure, payload, payload_bytes

adapter = TwitterAdapter()


@pytest.fixture
def stub(settings):
    with StubServer() as server:
        configure(settings, "twitter", f"{server.url}/2", token="tw-bearer")
        yield server


def by_id(page):
    return {post.external_id: post for post in page.posts}


# -- parsing ----------------------------------------------------------------------


def test_tweets_are_joined_to_their_authors_in_includes():
    page = adapter.parse(payload("twitter/search_recent"))

    assert len(page.posts) == 4
    assert page.refused == []
    tweet = by_id(page)["1440742219543416836"]
    assert tweet.created_at == dt.datetime(2021, 9, 22, 16, 37, 54, tzinfo=dt.UTC)
    assert tweet.author.external_id == "1458972238736883713"
    assert tweet.author.screen_name == "amy_codes"
    assert tweet.author.name == "Amy 🦊"
    assert tweet.author.friends_count == 310
    assert tweet.metrics == {"reposts": 2, "comments": 1, "likes": 9, "quotes": 0}
    assert tweet.language_hint == "en"


def test_business_verification_is_kept():
    body = payload("twitter/search_recent")
    body["data"] = [
        {"id": "1440700000000000001", "text": "hello", "author_id": "14156294"}
    ]

    author = adapter.parse(body).posts[0].author

    assert author.verified is True
    assert author.verified_type == "business"
    assert author.followers_count == 181000


def test_reply_belongs_to_its_conversation_and_answers_the_replied_tweet():
    tweet = by_id(adapter.parse(payload("twitter/search_recent")))[
        "1440742219543416836"
    ]

    assert tweet.in_reply_to_external_id == "1440740000000000000"
    assert tweet.thread_external_id == "1440740000000000000"


def test_retweets_and_quotes_point_at_the_original():
    posts = by_id(adapter.parse(payload("twitter/search_recent")))

    assert posts["1440741111111111111"].repost_of_external_id == "1440700000000000001"
    assert posts["1440740500000000002"].repost_of_external_id == "1440700000000000001"
    assert posts["1440740500000000002"].language_hint == "zh"


def test_pseudo_language_codes_give_no_hint():
    posts = by_id(adapter.parse(payload("twitter/search_recent")))

    assert posts["1440740400000000003"].language_hint == ""


def test_default_field_tweets_take_their_time_from_the_snowflake_id():
    page = adapter.parse(payload("twitter/default_fields"))

    post = page.posts[0]
    assert post.author is None
    assert post.created_at == snowflake_time("1585800000000000000")
    assert post.created_at.year == 2022


def test_partial_errors_about_requested_tweets_are_refused_others_ignored():
    page = adapter.parse(payload("twitter/partial_errors"))

    assert [p.external_id for p in page.posts] == ["1440742219543416836"]
    assert [(r.external_id, r.reason) for r in page.refused] == [
        ("1440700000000000999", "Not Found Error")
    ]


def test_a_body_of_only_partial_errors_is_an_empty_page_with_refusals():
    page = adapter.parse(payload("twitter/only_partial_errors"))

    assert page.posts == []
    assert [r.external_id for r in page.refused] == ["20"]


def test_empty_result_is_an_empty_page():
    page = adapter.parse(payload("twitter/empty_result"))

    assert page.posts == []
    assert page.refused == []


def test_author_missing_from_includes_keeps_the_author_id():
    body = payload("twitter/search_recent")
    body["includes"]["users"] = []

    page = adapter.parse(body)

    assert page.posts[0].author.external_id == "1458972238736883713"
    assert page.posts[0].author.screen_name == ""


def test_v1_search_statuses_parse_with_id_str_and_embedded_users():
    page = adapter.parse(payload("twitter/v1_search_tweets"))
    posts = by_id(page)

    reply = posts["1149821235123456789"]
    assert reply.created_at == dt.datetime(2019, 7, 12, 23, 40, 37, tzinfo=dt.UTC)
    assert reply.in_reply_to_external_id == "1149800000000000000"
    assert reply.author.screen_name == "zhang_san"
    assert reply.author.name == "张三"
    retweet = posts["1149800000000000500"]
    assert retweet.repost_of_external_id == "1149700000000000001"
    assert retweet.author.followers_count == 0


def test_v1_truncated_stream_tweet_takes_the_extended_full_text():
    tweet = payload("twitter/v1_search_tweets")["statuses"][0]
    full = tweet["text"] + " It started right after the update to 1.9.2."
    tweet.update(
        truncated=True,
        text=tweet["text"][:60] + "… https://t.co/abc",
        extended_tweet={"full_text": full},
    )

    assert adapter.parse(tweet).posts[0].text == full


def test_v1_empty_mentions_array_is_an_empty_page():
    assert adapter.parse(payload("twitter/v1_mentions_empty")).posts == []


def test_v1_id_only_as_a_number_is_used():
    tweet = payload("twitter/v1_search_tweets")["statuses"][0]
    del tweet["id_str"]

    page = adapter.parse([tweet])

    assert page.posts[0].external_id == "1149821235123456789"


def test_tweets_without_id_or_text_are_refused():
    body = {
        "data": [
            {"text": "no id"},
            {"id": "1440742219543416836"},
            {"id": "77", "text": "old id, no time"},
            "junk",
        ]
    }

    page = adapter.parse(body)

    assert page.posts == []
    assert [r.reason for r in page.refused] == [
        "no id",
        "no text",
        "no valid created_at",
        "not an object",
    ]


@pytest.mark.parametrize(
    ("name", "error", "code"),
    [
        ("error_429", RateLimited, "429"),
        ("error_403_duplicate", DuplicateContent, "403"),
        ("error_400_invalid", PermanentError, "invalid-request"),
        ("error_usage_capped", RateLimited, "usage-capped"),
        ("error_401", PermanentError, "401"),
        ("error_v1_88", RateLimited, "88"),
        ("error_v1_186", PermanentError, "186"),
    ],
)
def test_error_bodies_raise_the_matching_error(name, error, code):
    with pytest.raises(error) as raised:
        adapter.parse(payload(f"twitter/{name}"))

    assert type(raised.value) is error
    assert raised.value.code == code


@pytest.mark.parametrize("body", ["x", None, {"something": "else"}])
def test_bodies_of_another_shape_are_malformed(body):
    with pytest.raises(MalformedPayload):
        adapter.parse(body)


# -- fetching ---------------------------------------------------------------------


def test_search_sends_bearer_fields_and_walks_down_with_until_id(stub):
    stub.on(
        "GET",
        "/2/tweets/search/recent",
        payload("twitter/search_recent"),
        payload("twitter/mentions_last_page"),
    )
    spec = SourceSpec(platform="twitter", kind="search", query="dell OR 戴尔")

    first = adapter.fetch_page(spec, since_id="1440600000000000000", page=None)
    second = adapter.fetch_page(
        spec, since_id="1440600000000000000", page=first.next_page
    )

    assert first.next_page == {"until_id": "1440740400000000002"}
    assert second.next_page is None  # no next_token in meta
    request = stub.requests[0]
    assert request.headers["authorization"] == "Bearer tw-bearer"
    assert request.query["query"] == "dell OR 戴尔"
    assert request.query["max_results"] == str(MAX_RESULTS)
    assert request.query["since_id"] == "1440600000000000000"
    assert "author_id" in request.query["expansions"]
    assert "conversation_id" in request.query["tweet.fields"]
    assert stub.requests[1].query["until_id"] == "1440740400000000002"


def test_walk_stops_at_a_page_reaching_since_id(stub):
    stub.on("GET", "/2/tweets/search/recent", payload("twitter/search_recent"))
    spec = SourceSpec(platform="twitter", kind="search", query="dell")

    page = adapter.fetch_page(spec, since_id="1440740500000000002", page=None)

    assert page.next_page is None


def test_mentions_use_the_account_timeline(stub):
    stub.on("GET", "/2/users/14156294/mentions", payload("twitter/mentions_last_page"))
    spec = SourceSpec(platform="twitter", kind="mentions", query="14156294")

    page = adapter.fetch_page(spec, since_id=None, page=None)

    assert len(page.posts) == 1
    assert page.next_page is None
    assert "since_id" not in stub.requests[0].query


def test_mentions_source_needs_a_numeric_account_id():
    spec = SourceSpec(platform="twitter", kind="mentions", query="@DellCares")

    with pytest.raises(PermanentError):
        adapter.fetch_page(spec, since_id=None, page=None)


def test_comments_search_the_conversation(stub):
    stub.on("GET", "/2/tweets/search/recent", payload("twitter/empty_result"))
    spec = SourceSpec(platform="twitter", kind="comments", query="1440740000000000000")

    page = adapter.fetch_page(spec, since_id=None, page=None)

    assert page.posts == []
    assert page.next_page is None
    assert stub.requests[0].query["query"] == "conversation_id:1440740000000000000"


def test_429_is_rate_limited_until_the_reset_header(stub):
    stub.on(
        "GET",
        "/2/tweets/search/recent",
        Reply(
            429,
            payload_bytes("twitter/error_429"),
            {"x-rate-limit-reset": "1700000000", "x-rate-limit-remaining": "3"},
        ),
    )
    spec = SourceSpec(platform="twitter", kind="search", query="dell")

    with pytest.raises(RateLimited) as raised:
        adapter.fetch_page(spec, since_id=None, page=None)

    assert raised.value.reset_at == dt.datetime.fromtimestamp(1700000000, tz=dt.UTC)
    assert raised.value.http_status == 429


def test_429_without_body_or_header_is_still_rate_limited(stub):
    stub.on("GET", "/2/tweets/search/recent", Reply(429, b""))
    spec = SourceSpec(platform="twitter", kind="search", query="dell")

    with pytest.raises(RateLimited) as raised:
        adapter.fetch_page(spec, since_id=None, page=None)

    assert raised.value.reset_at is None


def test_503_is_transient(stub):
    stub.on(
        "GET",
        "/2/tweets/search/recent",
        Reply(503, b'{"title":"Service Unavailable","status":503}'),
    )
    spec = SourceSpec(platform="twitter", kind="search", query="dell")

    with pytest.raises(TransientError):
        adapter.fetch_page(spec, since_id=None, page=None)


def test_401_is_permanent(stub):
    stub.on(
        "GET", "/2/tweets/search/recent", Reply(401, payload_bytes("twitter/error_401"))
    )
    spec = SourceSpec(platform="twitter", kind="search", query="dell")

    with pytest.raises(PermanentError) as raised:
        adapter.fetch_page(spec, since_id=None, page=None)

    assert type(raised.value) is PermanentError


def test_truncated_body_is_malformed(stub):
    stub.on("GET", "/2/tweets/search/recent", Reply(200, b'{"data": [{"id": "1'))
    spec = SourceSpec(platform="twitter", kind="search", query="dell")

    with pytest.raises(MalformedPayload):
        adapter.fetch_page(spec, since_id=None, page=None)


# -- replying ---------------------------------------------------------------------


def test_reply_posts_json_with_in_reply_to_and_returns_the_new_id(stub):
    stub.on("POST", "/2/tweets", Reply(201, payload_bytes("twitter/tweet_created")))
    target = ReplyTarget(
        platform="twitter",
        external_id="1440742219543416836",
        thread_external_id="1440740000000000000",
    )

    new_id = adapter.post_reply(target=target, text="Sorry about that! Please DM us.")

    assert new_id == "1445880548472328192"
    request = stub.requests[0]
    assert request.headers["authorization"] == "Bearer tw-bearer"
    assert request.json == {
        "text": "Sorry about that! Please DM us.",
        "reply": {"in_reply_to_tweet_id": "1440742219543416836"},
    }


def test_duplicate_reply_is_duplicate_content(stub):
    stub.on(
        "POST", "/2/tweets", Reply(403, payload_bytes("twitter/error_403_duplicate"))
    )
    target = ReplyTarget(platform="twitter", external_id="1")

    with pytest.raises(DuplicateContent):
        adapter.post_reply(target=target, text="same again")


def test_find_reply_matches_despite_prepended_handles_entities_and_tco_links(stub):
    body = {
        "data": [
            {
                "id": "1445880548472328192",
                "text": "@amy_codes Sorry &amp; thanks, see https://t.co/Xy12",
                "conversation_id": "1440740000000000000",
                "referenced_tweets": [
                    {"type": "replied_to", "id": "1440742219543416836"}
                ],
            }
        ],
        "meta": {"result_count": 1},
    }
    stub.on("GET", "/2/tweets/search/recent", body)
    target = ReplyTarget(
        platform="twitter",
        external_id="1440742219543416836",
        thread_external_id="1440740000000000000",
    )

    found = adapter.find_reply(
        target=target, text="Sorry & thanks, see https://dell.com/survey/abc"
    )

    assert found == "1445880548472328192"
    assert stub.requests[0].query["query"] == "conversation_id:1440740000000000000"


def test_find_reply_ignores_replies_to_other_tweets(stub):
    stub.on("GET", "/2/tweets/search/recent", payload("twitter/search_recent"))
    target = ReplyTarget(
        platform="twitter",
        external_id="1440742219543416836",
        thread_external_id="1440740000000000000",
    )

    assert adapter.find_reply(target=target, text="@DellCares 👍👍") is None
