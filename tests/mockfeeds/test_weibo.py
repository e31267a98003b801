"""The mock Weibo speaks API v2: envelopes, paging, objects, errors and replies."""

import re

import pytest

from mockfeeds.models import MockPost
from mockfeeds.platforms import weibo_objects
from mockfeeds.selectors import POST_COLUMNS
from tests.mockfeeds.helpers import TOKEN, body, control

BASE = "/mock/weibo/2"
CTIME = re.compile(
    r"^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} \+0800 \d{4}$"
)
BRAND_UID = 1642909335


def _mentions(api, **params):
    response = api.get(f"{BASE}/statuses/mentions.json", params, **TOKEN)
    assert response.status_code == 200, response.content
    return body(response)


def _all_mention_ids():
    return list(
        MockPost.objects.filter(
            platform="weibo", kind="status", is_deleted=False, mentions_brand=True
        )
        .order_by("-ext_id")
        .values_list("ext_id", flat=True)
    )


@pytest.fixture
def weibo(platform_with):
    platform_with("weibo", count=400)


def test_mentions_come_newest_first_in_the_timeline_envelope(api, weibo):
    page = _mentions(api, count=50)
    for key in ("statuses", "previous_cursor", "next_cursor", "total_number"):
        assert key in page
    assert page["since_id"] == page["statuses"][0]["id"]
    ids = [s["id"] for s in page["statuses"]]
    assert ids == sorted(ids, reverse=True)
    assert ids == _all_mention_ids()[:50]
    for status in page["statuses"]:
        assert isinstance(status["id"], int)
        assert len(str(status["id"])) == 16
        assert status["idstr"] == str(status["id"]) == status["mid"]
        assert CTIME.match(status["created_at"])
        assert "@戴尔中国" in status["text"]
        assert status["in_reply_to_status_id"] == ""
        assert status["in_reply_to_user_id"] == ""
        assert status["in_reply_to_screen_name"] == ""
        assert status["textLength"] == sum(
            1 if ord(ch) < 128 else 2 for ch in status["text"]
        )
    users = [s["user"] for s in page["statuses"] if "user" in s]
    assert users
    for user in users:
        for key in ("verified_type", "followers_count", "screen_name", "location"):
            assert key in user
        assert user["idstr"] == str(user["id"])


def test_since_id_is_exclusive_and_max_id_inclusive(api, weibo):
    ids = _all_mention_ids()
    pivot = ids[10]
    newer = [s["id"] for s in _mentions(api, since_id=pivot, count=200)["statuses"]]
    assert newer == ids[:10]
    older = [s["id"] for s in _mentions(api, max_id=pivot, count=5)["statuses"]]
    assert older == ids[10:15]


def test_walking_max_id_down_visits_every_mention_once(api, weibo):
    seen, max_id = [], None
    while True:
        params = {"count": 30} | ({"max_id": max_id} if max_id else {})
        page = _mentions(api, **params)
        if not page["statuses"]:
            break
        seen += [s["id"] for s in page["statuses"]]
        if page["next_cursor"] == 0:
            break
        # The cursor points at the next older status (max_id is inclusive).
        assert page["next_cursor"] == page["max_id"] < seen[-1]
        max_id = seen[-1] - 1
    assert seen == _all_mention_ids()
    assert _mentions(api, max_id=min(seen) - 1)["statuses"] == []


def test_search_matches_the_keyword_and_ends_with_a_bare_array(api, weibo):
    seen, page_number = [], 1
    while True:
        response = api.get(
            f"{BASE}/search/topics.json",
            {"q": "戴尔", "count": 50, "page": page_number, "access_token": "t"},
        )
        assert response.status_code == 200
        page = body(response)
        if page == []:
            break
        assert set(page) == {"statuses", "total_number"}
        # Search servers escape every non-ASCII character.
        assert re.search(rb"[\x80-\xff]", response.content) is None
        seen += page["statuses"]
        page_number += 1
    assert page_number > 2
    assert all("戴尔" in s["text"].upper() for s in seen)
    expected = MockPost.objects.filter(
        platform="weibo", kind="status", is_deleted=False, text__contains="戴尔"
    ).count()
    assert len({s["id"] for s in seen}) == len(seen) == expected
    assert all("pic_ids" in s for s in seen)


def test_paths_answer_with_and_without_json_suffix(api, weibo):
    with_suffix = api.get(f"{BASE}/statuses/mentions.json", **TOKEN)
    without = api.get(f"{BASE}/statuses/mentions", **TOKEN)
    assert with_suffix.status_code == without.status_code == 200
    assert with_suffix.content == without.content


def test_reposts_embed_the_original_and_deleted_originals_have_no_user(weibo):
    def rendered(**filters):
        rows = list(
            MockPost.objects.filter(platform="weibo", **filters).values(*POST_COLUMNS)
        )
        return weibo_objects.statuses(rows)

    reposts = rendered(
        repost_of__is_deleted=False,
        repost_of__isnull=False,
        repost_of__author__is_deleted=False,
    )
    assert reposts
    for status in reposts:
        original = status["retweeted_status"]
        assert original["user"]["id"]
        assert "retweeted_status" not in original
    chains = [s for s in reposts if "//@" in s["text"]]
    assert chains
    of_deleted = rendered(repost_of__is_deleted=True)
    assert of_deleted
    for status in of_deleted:
        original = status["retweeted_status"]
        assert original["deleted"] == "1"
        assert "user" not in original
        assert original["idstr"] == str(original["id"])


def test_geo_is_latitude_first(weibo):
    rows = list(
        MockPost.objects.filter(platform="weibo", lat__isnull=False).values(
            *POST_COLUMNS
        )[:5]
    )
    assert rows
    for row, status in zip(rows, weibo_objects.statuses(rows), strict=True):
        assert status["geo"] == {
            "type": "Point",
            "coordinates": [row["lat"], row["lon"]],
        }
        assert -90 <= status["geo"]["coordinates"][0] <= 90


def test_missing_token_is_error_10006_without_rate_limit_headers(api, weibo):
    response = api.get(f"{BASE}/statuses/mentions.json")
    assert response.status_code == 400
    assert body(response) == {
        "error": "source paramter(appkey) is missing",
        "error_code": 10006,
        "request": "/2/statuses/mentions.json",
    }
    assert not [h for h in response.headers if h.lower().startswith("x-rate-limit")]


def test_token_is_accepted_as_parameter_or_oauth2_header(api, weibo):
    as_param = api.get(f"{BASE}/statuses/mentions.json", {"access_token": "abc"})
    as_header = api.get(
        f"{BASE}/statuses/mentions.json", HTTP_AUTHORIZATION="OAuth2 abc"
    )
    assert as_param.status_code == as_header.status_code == 200


def test_quota_exhausted_is_error_10023(api, weibo):
    control(api, {"limits": {"weibo": 2}})
    answers = [api.get(f"{BASE}/statuses/mentions.json", **TOKEN) for _ in range(3)]
    assert [a.status_code for a in answers[:2]] == [200, 200]
    assert answers[2].status_code == 403
    assert body(answers[2])["error_code"] == 10023
    assert body(answers[2])["error"] == "User requests out of rate limit!"


def test_rate_limit_status_reports_the_quota(api, weibo):
    control(api, {"limits": {"weibo": 150}})
    api.get(f"{BASE}/statuses/mentions.json", **TOKEN)
    status = body(api.get(f"{BASE}/account/rate_limit_status.json", **TOKEN))
    assert status["user_limit"] == 150
    assert status["remaining_user_hits"] == 149
    assert status["limit_time_unit"] == "HOURS"
    assert re.match(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", status["reset_time"])
    assert 0 < status["reset_time_in_seconds"] <= 3600
    assert {a["api"] for a in status["api_rate_limits"]} >= {"statuses/mentions"}


# --- comments ---------------------------------------------------------------------


def _brand_status():
    return (
        MockPost.objects.filter(
            platform="weibo", kind="status", author__pool_index=0, is_deleted=False
        )
        .order_by("-ext_id")
        .first()
    )


def test_comments_show_lists_a_status_comments_newest_first(api, weibo):
    status = _brand_status()
    expected = list(
        MockPost.objects.filter(root_id=status.ext_id, kind="comment")
        .order_by("-ext_id")
        .values_list("ext_id", flat=True)
    )
    assert expected
    response = api.get(f"{BASE}/comments/show.json", {"id": status.ext_id}, **TOKEN)
    page = body(response)
    assert [c["id"] for c in page["comments"]] == expected[:50]
    assert page["total_number"] == len(expected)
    for comment in page["comments"]:
        assert comment["status"]["id"] == status.ext_id
        assert comment["idstr"] == str(comment["id"])
        assert CTIME.match(comment["created_at"])
    since = body(
        api.get(
            f"{BASE}/comments/show.json",
            {"id": status.ext_id, "since_id": expected[-1]},
            **TOKEN,
        )
    )
    assert [c["id"] for c in since["comments"]] == expected[:-1][:50]


def test_comments_show_of_unknown_status_is_error_20101(api, weibo):
    response = api.get(f"{BASE}/comments/show.json", {"id": 1}, **TOKEN)
    assert response.status_code == 400
    assert body(response)["error_code"] == 20101


def test_comment_created_appears_in_the_thread_and_the_inbox(api, weibo):
    status = _brand_status()
    response = api.post(
        f"{BASE}/comments/create.json",
        {
            "id": status.ext_id,
            "comment": "您好，请私信您的服务编号，我们马上处理",
            **{},
        },
        **TOKEN,
    )
    assert response.status_code == 200, response.content
    created = body(response)
    assert created["text"] == "您好，请私信您的服务编号，我们马上处理"
    assert created["user"]["id"] == BRAND_UID
    assert created["status"]["id"] == status.ext_id
    assert created["id"] > status.ext_id
    thread = body(api.get(f"{BASE}/comments/show.json", {"id": status.ext_id}, **TOKEN))
    assert thread["comments"][0]["id"] == created["id"]
    inbox = body(api.get("/mock/weibo/_inbox"))
    assert inbox["replies"][0] == {
        "id": created["idstr"],
        "target_id": str(status.ext_id),
        "thread_id": str(status.ext_id),
        "in_reply_to_user_id": inbox["replies"][0]["in_reply_to_user_id"],
        "text": created["text"],
        "created_at": inbox["replies"][0]["created_at"],
    }


def test_same_comment_to_the_same_status_is_refused_as_repeated(api, weibo):
    status = _brand_status()
    form = {"id": status.ext_id, "comment": "感谢反馈[微笑]", "access_token": "t"}
    assert api.post(f"{BASE}/comments/create.json", form).status_code == 200
    again = api.post(f"{BASE}/comments/create.json", form)
    assert again.status_code == 400
    assert body(again)["error_code"] == 20019
    other = MockPost.objects.filter(platform="weibo", kind="status").exclude(
        ext_id=status.ext_id
    )[0]
    elsewhere = api.post(f"{BASE}/comments/create.json", {**form, "id": other.ext_id})
    assert elsewhere.status_code == 200


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        ("好" * 140, True),
        ("好" * 141, False),
        ("a" * 280, True),
        ("a" * 279 + "好", False),
    ],
)
def test_comment_length_counts_chinese_as_two_units(api, weibo, text, accepted):
    status = _brand_status()
    response = api.post(
        f"{BASE}/comments/create.json", {"id": status.ext_id, "comment": text}, **TOKEN
    )
    if accepted:
        assert response.status_code == 200
    else:
        assert response.status_code == 400
        assert body(response)["error_code"] == 20012


def test_comment_on_missing_status_is_error_20101(api, weibo):
    response = api.post(
        f"{BASE}/comments/create.json", {"id": 42, "comment": "hi"}, **TOKEN
    )
    assert body(response)["error_code"] == 20101


def test_reply_to_a_comment_prefixes_the_name_and_carries_reply_comment(api, weibo):
    comment = MockPost.objects.filter(
        platform="weibo", kind="comment", author__is_deleted=False
    ).select_related("author")[0]
    response = api.post(
        f"{BASE}/comments/reply.json",
        {"cid": comment.ext_id, "id": comment.root_id, "comment": "已私信您"},
        **TOKEN,
    )
    assert response.status_code == 200, response.content
    reply = body(response)
    assert reply["text"] == f"回复@{comment.author.screen_name}:已私信您"
    assert reply["reply_comment"]["id"] == comment.ext_id
    assert reply["status"]["id"] == comment.root_id
    thread = body(
        api.get(f"{BASE}/comments/show.json", {"id": comment.root_id}, **TOKEN)
    )
    assert thread["comments"][0]["reply_comment"]["id"] == comment.ext_id


def test_reply_without_mention_keeps_the_text_as_sent(api, weibo):
    comment = MockPost.objects.filter(platform="weibo", kind="comment")[0]
    reply = body(
        api.post(
            f"{BASE}/comments/reply.json",
            {
                "cid": comment.ext_id,
                "id": comment.root_id,
                "comment": "已私信您",
                "without_mention": "1",
            },
            **TOKEN,
        )
    )
    assert reply["text"] == "已私信您"


def test_reply_to_an_unknown_comment_is_error_20201(api, weibo):
    status = _brand_status()
    response = api.post(
        f"{BASE}/comments/reply.json",
        {"cid": 7, "id": status.ext_id, "comment": "x"},
        **TOKEN,
    )
    assert body(response)["error_code"] == 20201
