"""Faults survived with nothing lost (issue 11): under live traffic from the mock
(ingest, analysis, routing, delivery and a shop's redemptions all busy), each fault
of the table in docs/faults.md is injected, then every mock post is stored once and
analysed, every mention is routed into a case, every approved reply reaches the
platform exactly once, every redemption a shop was answered is stored once, the web
answers within 30 s with no 5xx, and the workers carry on by themselves (no
restart, except of a worker that was killed).

The tests share one product (conftest.product) and run in file order; each leaves it
settled for the next.
"""

from __future__ import annotations

import time

import pytest

from tests.integration.stack import wait_for

# django_db: the test database is made (migrated) for this session, and conftest
# copies it into the suite's own cluster; the tests never write to it.
pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.django_db]

# New posts per fault test: enough that every stage has work in hand when the fault
# strikes, small enough for the suite to stay within minutes on two cores.
BACKLOG = 300
REPLIES = 3


def busy(product, kind: str):
    """Work in hand for a worker of this kind right now."""
    return {
        "ingest": lambda: product.counts()["missing"],
        "nlp": product.unanalysed,
        "route": product.unrouted,
        "deliver": product.replies_in_flight,
    }[kind]


def under_load(product, *, backlog: int = BACKLOG) -> float:
    began = time.monotonic()
    product.post_replies(REPLIES)
    product.traffic(backlog=backlog)
    return began


@pytest.mark.parametrize("kind", ["ingest", "nlp", "route", "deliver"])
def test_a_worker_killed_mid_batch_loses_and_doubles_nothing(fault, kind):
    if kind == "deliver":
        # The platform holds the next posts for seconds: the worker dies while it
        # waits, after the platform has accepted a reply.
        fault.control({"faults": {"weibo": {"slow": {"count": 2, "seconds": 4}}}})
    began = under_load(fault)
    if kind == "deliver":
        fault.post_replies(REPLIES)
    wait_for(busy(fault, kind), timeout=60, interval=0.1, what=f"{kind} work")
    fault.kill_worker(kind)
    counts = fault.settle(
        fault=f"kill -9 the {kind} worker mid-batch",
        expected="its messages are redelivered (acks late); nothing lost or doubled",
        test=f"test_a_worker_killed_mid_batch_loses_and_doubles_nothing[{kind}]",
        began=began,
    )
    assert counts["worker restarts"] >= 1  # the killed one, by the supervisor


def test_redis_stopped_and_started_again_loses_nothing(fault):
    began = under_load(fault)
    wait_for(fault.unanalysed, timeout=60, interval=0.1, what="analysis work")
    fault.redis.stop()
    time.sleep(5)
    fault.redis.start()
    fault.settle(
        fault="stop Redis (append-only file) for 5 s, start it again",
        expected="queued messages come back from the file; workers reconnect",
        test="test_redis_stopped_and_started_again_loses_nothing",
        began=began,
    )


def test_redis_killed_loses_nothing(fault):
    began = under_load(fault)
    wait_for(fault.unanalysed, timeout=60, interval=0.1, what="analysis work")
    fault.redis.kill()
    time.sleep(3)
    fault.redis.start()
    fault.settle(
        fault="kill -9 Redis, start it again",
        expected="the last second of messages may be lost: the sweeps re-send them",
        test="test_redis_killed_loses_nothing",
        began=began,
    )


def test_redis_restarted_without_its_data_loses_nothing(fault):
    began = under_load(fault)
    wait_for(fault.unanalysed, timeout=60, interval=0.1, what="analysis work")
    # Every queued and unacknowledged message is gone, as after a restart without
    # persistence: only the sweeps can find the work again.
    fault.redis.client().flushall()
    fault.settle(
        fault="Redis loses every message (restart without persistence)",
        expected="analysis, routing and delivery sweeps re-send the lost hand-offs",
        test="test_redis_restarted_without_its_data_loses_nothing",
        began=began,
    )


def test_postgresql_restarted_loses_nothing(fault):
    began = under_load(fault)
    wait_for(fault.unanalysed, timeout=60, interval=0.1, what="analysis work")
    fault.postgres.stop("fast")
    time.sleep(3)
    fault.postgres.start()
    fault.settle(
        fault="restart PostgreSQL (3 s down)",
        expected="tasks retry on a new connection; leases and cursors stay right",
        test="test_postgresql_restarted_loses_nothing",
        began=began,
    )


def test_a_platform_full_of_faults_loses_nothing(fault):
    began = under_load(fault)
    # A 10023 first: its quota endpoint says hits remain, so the source waits
    # seconds, not until the top of the hour; then outages and bad bodies.
    armed_at = fault.sql("SELECT now()")[0][0]
    fault.control({"faults": {"weibo": {"rate_limit": 1}}})
    # The source records the refusal (its wait is seconds long, so a check of
    # ``rate_limited_until`` alone can miss it on a slow machine).
    wait_for(
        lambda: fault.scalar(
            "SELECT count(*) FROM listening_source "
            "WHERE last_error LIKE %s AND last_error_at >= %s",
            ("RateLimited%", armed_at),
        ),
        timeout=90,
        interval=0.2,
        what="the rate limit to be recorded",
    )
    fault.control(
        {
            "faults": {
                "weibo": {
                    "error_500": 2,
                    "malformed": 1,
                    "truncated": 1,
                    "slow": {"count": 2, "seconds": 3},
                }
            }
        }
    )
    fault.post_replies(REPLIES)
    fault.settle(
        fault="mock Weibo: 10023, 5xx, malformed, truncated and slow answers",
        expected="polls back off and resume from the cursor; replies retried once",
        test="test_a_platform_full_of_faults_loses_nothing",
        began=began,
    )
