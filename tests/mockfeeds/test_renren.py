"""The mock Renren speaks API 2.0: camelCase, {"response": [...]}, page numbers,
zone-less unpadded Beijing times, {"error": {"code", "message"}} errors."""

import re
from zoneinfo import ZoneInfo

import pytest

from mockfeeds.models import MockAuthor, MockPost
from mockfeeds.wire import RENREN_FEED_OFFSET
from tests.mockfeeds.helpers import TOKEN, body, control

BASE = "/mock/renren/v2"
STATUS_TIME = re.compile(r"^\d{4}-\d{1,2}-\d{1,2} \d{1,2}:\d{1,2}:\d{1,2}$")
FEED_TIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")
BRAND_PAGE = 600002246


@pytest.fixture
def renren(platform_with):
    platform_with("renren", count=400)


def _get(api, path, **params):
    response = api.get(f"{BASE}/{path}", params, **TOKEN)
    assert response.status_code == 200, response.content
    answer = body(response)
    assert set(answer) == {"response"}
    return answer["response"]


def _busiest_author():
    counts = {}
    for author_id in MockPost.objects.filter(
        platform="renren", kind="status", is_deleted=False, author__pool_index__gt=0
    ).values_list("author__ext_id", flat=True):
        counts[author_id] = counts.get(author_id, 0) + 1
    return max(counts, key=counts.get), max(counts.values())


def test_status_list_pages_one_owners_statuses_newest_first(api, renren):
    owner, total = _busiest_author()
    assert total >= 3
    first = _get(api, "status/list", ownerId=owner, pageSize=2, pageNumber=1)
    second = _get(api, "status/list", ownerId=owner, pageSize=2, pageNumber=2)
    everything = _get(api, "status/list", ownerId=owner, pageSize=100)
    assert len(everything) == total
    assert [s["id"] for s in first + second] == [s["id"] for s in everything[:4]]
    ids = [s["id"] for s in everything]
    assert ids == sorted(ids, reverse=True)
    for status in everything:
        assert set(status) == {
            "id",
            "ownerId",
            "content",
            "createTime",
            "shareCount",
            "commentCount",
            "sharedStatusId",
            "sharedUserId",
        }
        assert status["ownerId"] == owner
        assert STATUS_TIME.match(status["createTime"])
    past = _get(api, "status/list", ownerId=owner, pageSize=100, pageNumber=2)
    assert past == []


def test_times_are_unpadded_beijing_times(api, renren):
    statuses = _get(api, "status/list", ownerId=BRAND_PAGE, pageSize=100)
    row = MockPost.objects.get(ext_id=statuses[0]["id"])
    beijing = row.created_at.astimezone(ZoneInfo("Asia/Shanghai"))
    assert statuses[0]["createTime"] == (
        f"{beijing.year}-{beijing.month}-{beijing.day} "
        f"{beijing.hour}:{beijing.minute}:{beijing.second}"
    )


def test_feed_list_is_the_whole_feed_newest_first(api, renren):
    feed = _get(api, "feed/list", feedType="ALL", pageSize=100, pageNumber=1)
    statuses = list(
        MockPost.objects.filter(platform="renren", kind="status", is_deleted=False)
        .order_by("-ext_id")
        .values_list("ext_id", flat=True)
    )
    assert [item["resource"]["id"] for item in feed] == statuses[:100]
    for item in feed:
        assert item["id"] == item["resource"]["id"] + RENREN_FEED_OFFSET
        assert item["type"] == "UPDATE_STATUS"
        assert FEED_TIME.match(item["time"])
        assert item["message"] == item["resource"]["content"]
    users = [item["sourceUser"] for item in feed if item["sourceUser"]]
    assert all({"id", "name", "avatar"} <= set(u) for u in users)
    shares = [item for item in feed if item["attachment"]]
    assert shares
    assert shares[0]["attachment"][0]["type"] == "STATUS"
    second = _get(api, "feed/list", pageSize=100, pageNumber=2)
    assert [item["resource"]["id"] for item in second] == statuses[100:200]
    assert _get(api, "feed/list", feedType="SHARE_PHOTO") == []


def _brand_status():
    return (
        MockPost.objects.filter(platform="renren", kind="status", author__pool_index=0)
        .order_by("-ext_id")
        .first()
    )


def test_comment_list_gives_a_status_comments_in_either_order(api, renren):
    status = _brand_status()
    expected = list(
        MockPost.objects.filter(root_id=status.ext_id, kind="comment")
        .order_by("-ext_id")
        .values_list("ext_id", flat=True)
    )
    assert expected
    params = {
        "commentType": "STATUS",
        "entryOwnerId": BRAND_PAGE,
        "entryId": status.ext_id,
        "pageSize": 100,
    }
    newest = _get(api, "comment/list", **params)
    assert [c["id"] for c in newest] == expected
    oldest = _get(api, "comment/list", **params, desc="false")
    assert [c["id"] for c in oldest] == expected[::-1]
    for comment in newest:
        assert comment["entryId"] == status.ext_id
        assert comment["entryOwnerId"] == BRAND_PAGE
        assert comment["commentType"] == "STATUS"
        assert STATUS_TIME.match(comment["time"])


def test_comment_put_is_stored_listed_and_in_the_inbox(api, renren):
    status = _brand_status()
    form = {
        "content": "同学你好，学生优惠请私信我们(可爱)",
        "commentType": "STATUS",
        "entryOwnerId": BRAND_PAGE,
        "entryId": status.ext_id,
    }
    response = api.post(f"{BASE}/comment/put", form, **TOKEN)
    assert response.status_code == 200, response.content
    created = body(response)["response"]
    assert created["content"] == form["content"]
    assert created["authorId"] == BRAND_PAGE
    listed = _get(
        api,
        "comment/list",
        commentType="STATUS",
        entryOwnerId=BRAND_PAGE,
        entryId=status.ext_id,
    )
    assert listed[0]["id"] == created["id"]
    inbox = body(api.get("/mock/renren/_inbox"))["replies"]
    assert inbox[0]["id"] == str(created["id"])
    assert inbox[0]["target_id"] == str(status.ext_id)


def test_comment_put_to_a_person_is_prefixed_with_their_name(api, renren):
    comment = MockPost.objects.filter(
        platform="renren", kind="comment", author__is_deleted=False
    ).select_related("author", "root__author")[0]
    response = api.post(
        f"{BASE}/comment/put",
        {
            "content": "已经帮你查询",
            "commentType": "STATUS",
            "entryOwnerId": comment.root.author.ext_id,
            "entryId": comment.root_id,
            "targetUserId": comment.author.ext_id,
        },
        **TOKEN,
    )
    created = body(response)["response"]
    assert created["content"] == f"回复{comment.author.name}：已经帮你查询"
    assert created["targetUserId"] == comment.author.ext_id


def test_repeated_comment_is_forbidden_and_long_one_refused(api, renren):
    status = _brand_status()
    form = {
        "commentType": "STATUS",
        "entryOwnerId": BRAND_PAGE,
        "entryId": status.ext_id,
        "access_token": "t",
    }
    assert api.post(f"{BASE}/comment/put", {**form, "content": "好"}).status_code == 200
    again = api.post(f"{BASE}/comment/put", {**form, "content": "好"})
    assert again.status_code == 403
    assert body(again)["error"]["code"] == "forbidden.REPEAT_COMMENT"
    longest = api.post(f"{BASE}/comment/put", {**form, "content": "长" * 240})
    assert longest.status_code == 200
    too_long = api.post(f"{BASE}/comment/put", {**form, "content": "长" * 241})
    assert too_long.status_code == 400
    assert body(too_long)["error"]["code"] == "invalid_request.CONTENT_TOO_LONG"


def test_comment_on_a_missing_entry_is_refused(api, renren):
    response = api.post(
        f"{BASE}/comment/put",
        {
            "content": "hi",
            "commentType": "STATUS",
            "entryOwnerId": BRAND_PAGE,
            "entryId": 12,
        },
        **TOKEN,
    )
    assert response.status_code == 400
    assert body(response)["error"]["code"] == "invalid_request.ENTRY_NOT_EXIST"


def test_missing_owner_and_unknown_user_are_invalid_requests(api, renren):
    missing = api.get(f"{BASE}/status/list", **TOKEN)
    assert missing.status_code == 400
    assert body(missing)["error"]["code"].startswith("invalid_request.")
    assert set(body(missing)["error"]) == {"code", "message"}
    unknown = api.get(f"{BASE}/status/list", {"ownerId": 5}, **TOKEN)
    assert body(unknown)["error"]["code"] == "invalid_request.USER_NOT_EXIST"


def test_no_token_is_invalid_token(api, renren):
    response = api.get(f"{BASE}/feed/list")
    assert response.status_code == 401
    assert body(response)["error"]["code"] == "invalid_authorization.INVALID-TOKEN"


def test_quota_exhausted_is_app_over_invocation_limit(api, renren):
    control(api, {"limits": {"renren": 1}})
    assert api.get(f"{BASE}/feed/list", **TOKEN).status_code == 200
    over = api.get(f"{BASE}/feed/list", **TOKEN)
    assert over.status_code == 403
    assert body(over)["error"]["code"] == "forbidden.APP_OVER_INVOCATION_LIMIT"


def test_college_students_write_most_of_renren(renren):
    authors = MockAuthor.objects.filter(platform="renren", pool_index__gt=0)
    assert authors.filter(is_college=True).count() > authors.count() * 0.6
    texts = " ".join(
        MockPost.objects.filter(platform="renren").values_list("text", flat=True)
    )
    for word in ("宿舍", "考研", "毕业"):
        assert word in texts
