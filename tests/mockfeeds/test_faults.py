"""Faults armed through /mock/_control spoil exactly the next N requests of their
platform, each the way that platform would fail."""

import json
import time

import pytest

from mockfeeds.models import MockPlatform
from tests.mockfeeds.helpers import TOKEN, body, control

READS = {
    "weibo": "/mock/weibo/2/statuses/mentions.json",
    "twitter": "/mock/twitter/2/tweets/search/recent?query=dell",
    "renren": "/mock/renren/v2/feed/list",
}
RATE_LIMITED = {
    "weibo": lambda r: body(r)["error_code"] == 10023,
    "twitter": lambda r: (
        r.status_code == 429
        and body(r)["title"] == "Too Many Requests"
        and "x-rate-limit-reset" in r.headers
    ),
    "renren": lambda r: (
        r.status_code != 200
        and body(r)["error"]["code"] == "forbidden.APP_OVER_INVOCATION_LIMIT"
    ),
}
PLATFORMS = list(READS)


@pytest.fixture(params=PLATFORMS)
def platform(request, platform_with):
    platform_with(request.param, count=60)
    return request.param


def _get(api, platform):
    return api.get(READS[platform], **TOKEN)


def _is_json(response) -> bool:
    try:
        json.loads(response.content)
    except ValueError:
        return False
    return True


def test_rate_limit_fault_hits_the_next_n_requests_only(api, platform):
    control(api, {"faults": {platform: {"rate_limit": 2}}})
    answers = [_get(api, platform) for _ in range(3)]
    assert all(RATE_LIMITED[platform](a) for a in answers[:2])
    assert answers[2].status_code == 200


def test_error_500_fault_answers_a_server_error(api, platform):
    control(api, {"faults": {platform: {"error_500": 1}}})
    broken = _get(api, platform)
    assert 500 <= broken.status_code < 600
    assert _get(api, platform).status_code == 200


def test_malformed_fault_answers_garbage(api, platform):
    control(api, {"faults": {platform: {"malformed": 1}}})
    broken = _get(api, platform)
    assert broken.status_code == 200
    assert not _is_json(broken)
    assert _is_json(_get(api, platform))


def test_truncated_fault_cuts_a_real_answer(api, platform):
    control(api, {"faults": {platform: {"truncated": 1}}})
    broken = _get(api, platform)
    whole = _get(api, platform)
    assert not _is_json(broken)
    assert _is_json(whole)
    assert 0 < len(broken.content) < len(whole.content)
    assert whole.content.startswith(broken.content)


def test_slow_fault_delays_then_answers(api, platform):
    control(api, {"faults": {platform: {"slow": {"count": 1, "seconds": 0.4}}}})
    started = time.perf_counter()
    slow = _get(api, platform)
    slow_seconds = time.perf_counter() - started
    started = time.perf_counter()
    _get(api, platform)
    assert slow.status_code == 200
    assert slow_seconds >= 0.4
    assert time.perf_counter() - started < 0.4


def test_faults_live_in_the_database_and_spare_other_platforms(api, platform):
    control(api, {"faults": {platform: {"error_500": 3}}})
    assert MockPlatform.objects.get(pk=platform).fault_error_500 == 3
    other = next(p for p in PLATFORMS if p != platform)
    _get(api, platform)
    assert MockPlatform.objects.get(pk=platform).fault_error_500 == 2
    snapshot = body(api.get("/mock/_control"))["platforms"]
    assert snapshot[platform]["faults"]["error_500"] == 2
    assert snapshot[other]["faults"]["error_500"] == 0


def test_faults_also_hit_writes(api, platform_with):
    platform_with("twitter", count=60)
    control(api, {"faults": {"twitter": {"error_500": 1}}})
    response = api.post(
        "/mock/twitter/2/tweets",
        data=json.dumps({"text": "hello"}),
        content_type="application/json",
        **TOKEN,
    )
    assert response.status_code == 503
    assert body(api.get("/mock/twitter/_inbox"))["replies"] == []
