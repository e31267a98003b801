"""Generated traffic: deterministic for a seed, arriving as time passes, safe under
concurrent requests, realistic enough to exercise the product."""

import datetime as dt
import re
import statistics
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from mockfeeds.generator import Generator
from mockfeeds.models import MockAuthor, MockPlatform, MockPost
from mockfeeds.services import mock_scenario_update
from mockfeeds.traffic import CATCH_UP_CAP, mock_backlog_seed, mock_traffic_catch_up
from tests.mockfeeds.helpers import TOKEN, body, control


def _sequence(platform):
    return list(
        MockPost.objects.filter(platform=platform, seq__isnull=False)
        .order_by("seq")
        .values_list("seq", "kind", "text", "author__pool_index")
    )


@pytest.mark.parametrize("platform", ["weibo", "twitter", "renren"])
def test_same_seed_makes_the_same_traffic_whatever_the_batches(platform_with, platform):
    platform_with(platform, seed=11, count=300)
    at_once = _sequence(platform)
    platform_with(platform, seed=11)
    for size in (1, 99, 200):
        mock_backlog_seed(platform=platform, count=size)
    in_batches = _sequence(platform)
    platform_with(platform, seed=12, count=300)
    other_seed = _sequence(platform)
    assert len(at_once) == 300
    assert in_batches == at_once
    assert [row[2] for row in other_seed] != [row[2] for row in at_once]


def test_ids_grow_with_time(platform_with):
    platform_with("weibo", count=500)
    rows = list(
        MockPost.objects.filter(platform="weibo", seq__isnull=False)
        .order_by("seq")
        .values_list("ext_id", "created_at")
    )
    ids = [ext_id for ext_id, _ in rows]
    times = [created for _, created in rows]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    assert times == sorted(times)


def _state(platform):
    return MockPlatform.objects.get(pk=platform)


def test_posts_due_since_the_last_generation_arrive_capped_per_request(platform_with):
    platform_with("weibo")
    now = timezone.now()
    mock_scenario_update(payload={"rate": {"weibo": 60}})
    MockPlatform.objects.filter(pk="weibo").update(
        clock_at=now - dt.timedelta(seconds=450)
    )
    made = [mock_traffic_catch_up(state=_state("weibo"), now=now) for _ in range(4)]
    assert made == [CATCH_UP_CAP, CATCH_UP_CAP, 450 - 2 * CATCH_UP_CAP, 0]
    later = now + dt.timedelta(seconds=5)
    assert mock_traffic_catch_up(state=_state("weibo"), now=later) == 5
    newest = MockPost.objects.filter(platform="weibo").order_by("-ext_id")[0]
    assert newest.created_at == later


def test_a_long_idle_server_owes_only_the_last_hour(platform_with):
    platform_with("twitter")
    now = timezone.now()
    mock_scenario_update(payload={"rate": {"twitter": 1}})
    MockPlatform.objects.filter(pk="twitter").update(
        clock_at=now - dt.timedelta(days=3)
    )
    while mock_traffic_catch_up(state=_state("twitter"), now=now):
        pass
    assert _state("twitter").generated == 60


def test_new_posts_show_up_on_the_next_read(api, platform_with):
    platform_with("twitter", count=20)
    before = body(api.get("/mock/twitter/2/users/17025475/mentions", **TOKEN))
    control(api, {"rate": {"twitter": 600}})
    MockPlatform.objects.filter(pk="twitter").update(
        clock_at=timezone.now() - dt.timedelta(seconds=30)
    )
    after = body(
        api.get(
            "/mock/twitter/2/tweets/search/recent",
            {"query": "dell", "since_id": before["meta"]["newest_id"]},
            **TOKEN,
        )
    )
    assert after["meta"]["result_count"] > 0
    # 300 were due; one request makes at most CATCH_UP_CAP of them.
    assert _state("twitter").generated == 20 + CATCH_UP_CAP


@pytest.mark.django_db(transaction=True)
def test_concurrent_reads_make_each_due_post_once(require_postgres):
    mock_scenario_update(payload={"reset": ["weibo"], "seed": 5, "rate": {"weibo": 60}})
    MockPlatform.objects.filter(pk="weibo").update(
        clock_at=timezone.now() - dt.timedelta(seconds=150)
    )
    start = threading.Barrier(8)
    failures = []

    def reader():
        try:
            client = Client()
            start.wait()
            for _ in range(3):
                response = client.get("/mock/weibo/2/statuses/mentions.json", **TOKEN)
                assert response.status_code == 200
        except Exception as error:  # reported below, in the main thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=reader) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    rows = list(
        MockPost.objects.filter(platform="weibo", seq__isnull=False)
        .order_by("seq")
        .values_list("seq", "ext_id", "text", "kind")
    )
    generated = _state("weibo").generated
    assert 150 <= generated < 160
    assert [row[0] for row in rows] == list(range(generated))
    ids = [row[1] for row in rows]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    reference = Generator("weibo", 5)
    for seq, _ext_id, text, kind in rows:
        item = reference.item(seq)
        if item.role == "status":
            assert text == item.text
        assert kind == item.kind


def test_crisis_floods_the_stream_with_its_topic(api, platform_with):
    platform_with("weibo", count=300)
    calm = MockPost.objects.filter(platform="weibo", text__contains="蓝屏门").count()
    control(api, {"crisis": {"on": True, "topic": "XPS 蓝屏"}})
    mock_backlog_seed(platform="weibo", count=300)
    new = MockPost.objects.filter(platform="weibo", seq__gte=300, kind="status")
    angry = new.filter(text__contains="XPS", text__icontains="蓝屏")
    assert calm == 0
    assert angry.count() > new.count() * 0.35
    snapshot = body(api.get("/mock/_control"))["platforms"]["weibo"]
    assert snapshot["crisis"] == {"on": True, "topic": "XPS 蓝屏"}


def test_weibo_traffic_looks_like_chinese_microblogging(platform_with):
    platform_with("weibo", count=2000)
    texts = list(
        MockPost.objects.filter(platform="weibo").values_list("text", flat=True)
    )
    joined = "\n".join(texts)
    for marker in ("//@", "http://t.cn/", "[怒]", "[微笑]", "回复@", "@戴尔中国"):
        assert marker in joined, marker
    assert re.search(r"#[^#\s]+#", joined)
    for words in (
        ("坑爹", "给力", "醉了", "呵呵", "无语", "吐槽", "点赞"),
        ("蓝屏", "死机", "售后", "客服"),
        ("想买", "求推荐", "多少钱"),
        ("联想", "惠普", "苹果", "华硕", "宏碁"),
        ("XPS", "灵越", "外星人", "Alienware", "Latitude"),
    ):
        assert sum(word in joined for word in words) >= len(words) - 1, words
    assert "<script>" in joined or "onerror=" in joined
    authors = MockAuthor.objects.filter(platform="weibo")
    followers = list(authors.values_list("followers_count", flat=True))
    assert max(followers) > 100 * statistics.median(followers)
    assert set(authors.values_list("verified_type", flat=True)) >= {-1, 0, 220, 3}
    assert authors.filter(friends_count__lt=0).exists()
    assert authors.filter(is_deleted=True).exists()
    assert authors.filter(location__startswith="北京").exists()
    assert 0.2 < authors.filter(is_college=True).count() / authors.count() < 0.4


def test_twitter_traffic_is_english_about_the_brands(platform_with):
    platform_with("twitter", count=1000)
    joined = "\n".join(
        MockPost.objects.filter(platform="twitter").values_list("text", flat=True)
    )
    for word in ("Dell", "XPS", "Alienware", "Lenovo", "support", "@DellCares", "RT @"):
        assert word in joined, word
    assert "https://t.co/" in joined


def test_backlog_command_makes_exactly_n_items(platform_with):
    platform_with("renren")
    call_command("mock_seed", "--platform", "renren", "--count", "250", "--seed", "3")
    assert MockPost.objects.filter(platform="renren", seq__isnull=False).count() == 250
    assert _state("renren").generated == 250
    assert _state("renren").seed == 3


def test_backlog_of_all_mentions_is_all_in_the_mentions_timeline(platform_with):
    platform_with("weibo")
    call_command("mock_seed", "--platform", "weibo", "--count", "300", "--all-mentions")
    mentions = MockPost.objects.filter(
        platform="weibo", kind="status", is_deleted=False, mentions_brand=True
    )
    assert mentions.count() == 300


def test_backlog_and_reset_work_over_http(api, platform_with):
    platform_with("twitter")
    done = control(api, {"backlog": {"twitter": 120}, "seed": 4})
    assert done["done"]["backlog"] == {"twitter": 120}
    assert done["platforms"]["twitter"]["generated"] == 120
    assert done["platforms"]["twitter"]["counts"]["statuses"] == 120
    done = control(api, {"reset": ["twitter"]})
    assert done["platforms"]["twitter"]["generated"] == 0
    assert not MockPost.objects.filter(platform="twitter").exists()


def test_control_refuses_what_it_cannot_apply(api, db):
    for payload in (
        {"rate": {"myspace": 3}},
        {"faults": {"weibo": {"meltdown": 1}}},
        {"rate": -1},
        {"unknown": 1},
        [],
    ):
        response = api.post(
            "/mock/_control", data=payload, content_type="application/json"
        )
        assert response.status_code == 400, payload
        assert "error" in body(response)


def test_control_reports_every_platform(api, db):
    snapshot = body(api.get("/mock/_control"))["platforms"]
    assert set(snapshot) == {"weibo", "twitter", "renren"}
    assert snapshot["weibo"]["brand"] == {"id": "1642909335", "screen_name": "戴尔中国"}
    assert snapshot["twitter"]["brand"]["id"] == "17025475"
    for state in snapshot.values():
        assert {"seed", "rate_per_minute", "crisis", "faults", "limit"} <= set(state)
