"""The mock Twitter speaks API v2: string ids, includes, meta and next_token,
rate-limit headers, problem bodies, posting replies."""

import json
import re
import time

import pytest

from mockfeeds.models import MockPost
from tests.mockfeeds.helpers import TOKEN, body, control

BASE = "/mock/twitter/2"
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
BRAND_ID = "17025475"


@pytest.fixture
def twitter(platform_with):
    platform_with("twitter", count=400)


def _search(api, **params):
    response = api.get(f"{BASE}/tweets/search/recent", params, **TOKEN)
    assert response.status_code == 200, response.content
    return body(response)


def _matching(text: str) -> list[int]:
    return list(
        MockPost.objects.filter(
            platform="twitter", kind="status", is_deleted=False, text__icontains=text
        )
        .order_by("-ext_id")
        .values_list("ext_id", flat=True)
    )


def test_search_answers_tweets_with_users_and_meta(api, twitter):
    page = _search(api, query="dell", max_results=100)
    tweets = page["data"]
    assert [int(t["id"]) for t in tweets] == _matching("dell")[:100]
    for tweet in tweets:
        assert isinstance(tweet["id"], str)
        assert len(tweet["id"]) == 19
        assert ISO.match(tweet["created_at"])
        assert tweet["edit_history_tweet_ids"] == [tweet["id"]]
        assert set(tweet["public_metrics"]) >= {"retweet_count", "like_count"}
        assert "dell" in tweet["text"].lower()
    users = page["includes"]["users"]
    ids = [u["id"] for u in users]
    assert len(ids) == len(set(ids))
    missing = {e["value"] for e in page.get("errors", [])}
    assert {t["author_id"] for t in tweets} == set(ids) | missing
    for user in users:
        assert set(user["public_metrics"]) == {
            "followers_count",
            "following_count",
            "tweet_count",
            "listed_count",
        }
    assert page["meta"]["newest_id"] == tweets[0]["id"]
    assert page["meta"]["oldest_id"] == tweets[-1]["id"]
    assert page["meta"]["result_count"] == 100
    assert page["meta"]["next_token"]


def test_next_token_walks_every_match_once_and_is_omitted_on_the_last_page(
    api, twitter
):
    seen, params = [], {"query": "dell", "max_results": 40}
    while True:
        page = _search(api, **params)
        seen += [int(t["id"]) for t in page["data"]]
        if "next_token" not in page["meta"]:
            break
        params["next_token"] = page["meta"]["next_token"]
    assert seen == _matching("dell")


def test_since_id_and_until_id_are_exclusive(api, twitter):
    ids = _matching("dell")
    pivot = ids[5]
    newer = _search(api, query="dell", since_id=pivot, max_results=100)["data"]
    assert [int(t["id"]) for t in newer] == ids[:5]
    older = _search(api, query="dell", until_id=pivot, max_results=10)["data"]
    assert [int(t["id"]) for t in older] == ids[6:16]


def test_no_match_is_a_meta_with_zero_results(api, twitter):
    assert _search(api, query="zzzqqq-nothing") == {"meta": {"result_count": 0}}


def test_max_results_outside_10_to_100_is_an_invalid_request(api, twitter):
    response = api.get(
        f"{BASE}/tweets/search/recent", {"query": "dell", "max_results": 3}, **TOKEN
    )
    assert response.status_code == 400
    problem = body(response)
    assert problem["title"] == "Invalid Request"
    assert problem["errors"][0]["parameters"] == {"max_results": ["3"]}


def test_query_operators_narrow_the_search(api, twitter):
    retweets = _search(api, query="dell is:retweet", max_results=100)["data"]
    assert retweets
    assert all(t["text"].startswith("RT @") for t in retweets)
    assert all(
        r["type"] == "retweeted" for t in retweets for r in t["referenced_tweets"]
    )
    originals = _search(api, query="dell -is:retweet", max_results=100)["data"]
    assert originals
    assert not any(t["text"].startswith("RT @") for t in originals)
    either = _search(api, query="(xps OR alienware) -is:retweet", max_results=100)
    for tweet in either["data"]:
        text = tweet["text"].lower()
        assert "xps" in text or "alienware" in text


def test_mentions_of_the_brand_account_all_mention_it(api, twitter):
    response = api.get(
        f"{BASE}/users/{BRAND_ID}/mentions", {"max_results": 100}, **TOKEN
    )
    page = body(response)
    assert page["data"]
    assert all("@dellcares" in t["text"].lower() for t in page["data"])
    token = page["meta"]["next_token"]
    following = body(
        api.get(
            f"{BASE}/users/{BRAND_ID}/mentions",
            {"max_results": 100, "pagination_token": token},
            **TOKEN,
        )
    )
    assert int(following["data"][0]["id"]) < int(page["data"][-1]["id"])


def test_unknown_user_mentions_is_a_not_found_error(api, twitter):
    page = body(api.get(f"{BASE}/users/123/mentions", **TOKEN))
    assert page["errors"][0]["title"] == "Not Found Error"
    assert "data" not in page


def test_every_answer_carries_rate_limit_headers(api, twitter):
    control(api, {"limits": {"twitter": 450}})
    answers = [
        api.get(f"{BASE}/tweets/search/recent", {"query": "dell"}, **TOKEN),
        api.get(f"{BASE}/tweets/search/recent", {"query": "dell"}),
    ]
    for answer in answers:
        assert answer["x-rate-limit-limit"] == "450"
        assert int(answer["x-rate-limit-reset"]) > time.time()
    assert answers[0]["x-rate-limit-remaining"] == "449"
    assert answers[1].status_code == 401
    assert body(answers[1]) == {
        "title": "Unauthorized",
        "detail": "Unauthorized",
        "type": "about:blank",
        "status": 401,
    }


def test_quota_exhausted_is_429_with_a_reset_header(api, twitter):
    control(api, {"limits": {"twitter": 2}})
    answers = [
        api.get(f"{BASE}/tweets/search/recent", {"query": "dell"}, **TOKEN)
        for _ in range(3)
    ]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert body(answers[2]) == {
        "title": "Too Many Requests",
        "detail": "Too Many Requests",
        "type": "about:blank",
        "status": 429,
    }
    assert answers[2]["x-rate-limit-remaining"] == "0"
    assert 0 < int(answers[2]["x-rate-limit-reset"]) - time.time() <= 900


def test_emoji_are_escaped_as_surrogate_pairs(api, twitter):
    page = api.get(
        f"{BASE}/tweets/search/recent", {"query": "dell", "max_results": 100}, **TOKEN
    )
    texts = [t["text"] for t in body(page)["data"]]
    assert any(ord(ch) > 0xFFFF for text in texts for ch in text)
    assert re.search(rb"\\ud83[cdeCDE]", page.content)
    assert re.search(rb"\xf0", page.content) is None


# --- posting ------------------------------------------------------------------------


def _post(api, text, reply_to=None):
    payload = {"text": text}
    if reply_to is not None:
        payload["reply"] = {"in_reply_to_tweet_id": str(reply_to)}
    return api.post(
        f"{BASE}/tweets",
        data=json.dumps(payload),
        content_type="application/json",
        **TOKEN,
    )


def _a_tweet():
    return MockPost.objects.filter(
        platform="twitter", kind="status", repost_of__isnull=True, parent__isnull=True
    ).order_by("-ext_id")[0]


def test_reply_is_created_and_found_in_its_conversation_and_the_inbox(api, twitter):
    target = _a_tweet()
    response = _post(
        api, "Sorry to hear that! Please DM us your service tag.", target.ext_id
    )
    assert response.status_code == 201
    data = body(response)["data"]
    assert data["text"] == "Sorry to hear that! Please DM us your service tag."
    assert int(data["id"]) > target.ext_id
    assert data["edit_history_tweet_ids"] == [data["id"]]
    thread = _search(api, query=f"conversation_id:{target.ext_id}", max_results=100)
    ours = [t for t in thread["data"] if t["id"] == data["id"]]
    assert ours[0]["referenced_tweets"] == [
        {"type": "replied_to", "id": str(target.ext_id)}
    ]
    assert ours[0]["conversation_id"] == str(target.ext_id)
    assert ours[0]["in_reply_to_user_id"] == str(target.author.ext_id)
    assert ours[0]["author_id"] == BRAND_ID
    inbox = body(api.get("/mock/twitter/_inbox"))["replies"]
    assert inbox[0]["id"] == data["id"]
    assert inbox[0]["target_id"] == str(target.ext_id)


def test_conversation_search_finds_generated_replies_too(api, twitter):
    reply = MockPost.objects.filter(platform="twitter", parent__isnull=False)[0]
    thread = _search(api, query=f"conversation_id:{reply.root_id}", max_results=100)
    assert str(reply.ext_id) in {t["id"] for t in thread["data"]}
    assert all(t["conversation_id"] == str(reply.root_id) for t in thread["data"])


def test_duplicate_reply_is_forbidden(api, twitter):
    target = _a_tweet()
    assert _post(api, "We're on it.", target.ext_id).status_code == 201
    again = _post(api, "We're on it.", target.ext_id)
    assert again.status_code == 403
    assert body(again) == {
        "detail": "You are not allowed to create a Tweet with duplicate content.",
        "type": "about:blank",
        "title": "Forbidden",
        "status": 403,
    }


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        ("好" * 140, True),
        ("好" * 141, False),
        ("a" * 280, True),
        ("a" * 281, False),
        ("👍" * 140, True),
        ("👍" * 141, False),
        # Every URL weighs 23, however long: 256 + 1 + 23 = 280.
        ("x" * 256 + " https://www.dell.com/support/" + "y" * 200, True),
        ("x" * 256 + " https://www.dell.com/", True),
        ("x" * 257 + " https://www.dell.com/", False),
    ],
)
def test_weighted_length_limit(api, twitter, text, accepted):
    response = _post(api, text, _a_tweet().ext_id)
    assert response.status_code == (201 if accepted else 403)
    if not accepted:
        assert body(response)["title"] == "Forbidden"


def test_text_is_stored_nfc_normalised(api, twitter):
    decomposed = "Cafe\u0301 visit"
    data = body(_post(api, decomposed, _a_tweet().ext_id))["data"]
    assert data["text"] == "Café visit"


def test_reply_to_a_missing_tweet_is_forbidden(api, twitter):
    response = _post(api, "hello", 1_900_000_000_000_000_000)
    assert response.status_code == 403
    assert "deleted or not visible" in body(response)["detail"]
