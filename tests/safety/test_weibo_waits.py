"""Weibo's rate-limit waits follow what the platform says (issue 11, item 13): a
10023 while the quota still has hits left waits seconds, not until the top of the
hour; an exhausted quota waits until its reported reset."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from listening.adapters import get_adapter
from listening.adapters.base import RateLimited, SourceSpec
from tests.listening.adapter_stub import Reply, StubServer, configure, payload_bytes

adapter = get_adapter("weibo")
SPEC = SourceSpec(platform="weibo", kind="mentions", query="1")


@pytest.fixture
def stub(settings):
    with StubServer() as server:
        configure(settings, "weibo", f"{server.url}/2")
        yield server


def refuse(stub, *, remaining: int, reset_seconds: int) -> None:
    body = payload_bytes("weibo/error_10023")
    stub.on("GET", "/2/statuses/mentions.json", Reply(403, body, {}))
    status = {
        "remaining_user_hits": remaining,
        "reset_time_in_seconds": reset_seconds,
        "user_limit": 150,
    }
    stub.on(
        "GET",
        "/2/account/rate_limit_status.json",
        Reply(200, json.dumps(status).encode(), {}),
    )


def test_a_passing_10023_with_hits_left_waits_seconds(stub):
    refuse(stub, remaining=120, reset_seconds=3000)
    with pytest.raises(RateLimited) as error:
        adapter.fetch_page(SPEC, since_id=None, page=None)
    assert error.value.reset_at - timezone.now() < dt.timedelta(seconds=60)


def test_an_exhausted_quota_waits_until_its_reported_reset(stub):
    refuse(stub, remaining=0, reset_seconds=600)
    with pytest.raises(RateLimited) as error:
        adapter.fetch_page(SPEC, since_id=None, page=None)
    wait = error.value.reset_at - timezone.now()
    assert dt.timedelta(seconds=590) < wait <= dt.timedelta(seconds=601)


def test_a_10023_whose_quota_cannot_be_read_backs_off_not_until_the_hour(stub):
    # The quota endpoint fails as well (a platform in trouble): the poll waits its
    # own doubling backoff from a minute, not until the top of the hour.
    stub.on(
        "GET",
        "/2/statuses/mentions.json",
        Reply(403, payload_bytes("weibo/error_10023"), {}),
    )
    stub.on("GET", "/2/account/rate_limit_status.json", Reply(502, b"<html>", {}))
    with pytest.raises(RateLimited) as error:
        adapter.fetch_page(SPEC, since_id=None, page=None)
    assert error.value.reset_at is None
