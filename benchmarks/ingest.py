"""Ingest throughput, end to end, against the ceiling of a raw batched INSERT.

1. A fresh database; the mock platforms get a backlog of N posts each (Weibo, Twitter,
   Renren), every one on the brand's mentions stream, and stop generating new ones.
2. gunicorn serves the mock; a real Celery worker (ingest queue, 2 processes) with beat
   on Redis polls the three sources over HTTP: fetch, parse, upsert, cursor.
3. Measured: mentions stored per second from the moment the sources are switched on
   until every post is in PostgreSQL.
4. In the same run, the same rows are inserted again into a copy of the table (same
   indexes and unique key) with one batched ``INSERT ... ON CONFLICT DO NOTHING``:
   the ceiling. Printed: both rates and their ratio.

    python benchmarks/ingest.py [--per-platform 20000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import fresh_database, migrate, setup_django  # noqa: E402

DATABASE = "ds_bench_ingest"
REDIS_DB = 13
PLATFORMS = ("weibo", "twitter", "renren")
BRAND_IDS = {"weibo": "1642909335", "twitter": "17025475", "renren": "600002246"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-platform", type=int, default=20_000)
    parser.add_argument("--timeout", type=float, default=900)
    # One process per source: polls wait on HTTP and the database as much as they
    # compute, so a third process keeps both cores busy.
    parser.add_argument("--concurrency", type=int, default=3)
    args = parser.parse_args()

    url = fresh_database(DATABASE)
    migrate(url)
    os.environ["REDIS_URL"] = f"redis://127.0.0.1:6379/{REDIS_DB}"
    setup_django(url)

    import redis
    import requests
    from django.db import connection
    from django.utils import timezone
    from psycopg2.extras import execute_values

    from dellsocial.celery import app as celery_app
    from listening.models import Mention, Source
    from listening.services.store import MENTION_COLUMNS

    columns = ", ".join(MENTION_COLUMNS)
    from tests.integration.stack import Stack, wait_for

    redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB).flushdb()
    log_dir = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    stack = Stack(database_name=DATABASE, redis_db=REDIS_DB, log_dir=log_dir)
    stack.env["LOG_LEVEL"] = "WARNING"
    try:
        stack.start_web(workers=2)
        control = f"{stack.base_url}/mock/_control"
        requests.post(
            control,
            json={"rate": 0, "limits": 10**9},
            timeout=30,
        ).raise_for_status()
        seeded = time.perf_counter()
        for platform in PLATFORMS:
            stack.run_manage(
                "mock_seed",
                "--platform",
                platform,
                "--count",
                str(args.per_platform),
                "--seed",
                "11",
                "--all-mentions",
                "--reset",
            )
        print(
            f"seeded {args.per_platform:,} posts per platform in "
            f"{time.perf_counter() - seeded:.1f}s"
        )
        for platform in PLATFORMS:
            Source.objects.create(
                name=f"{platform} mentions",
                platform=platform,
                kind="mentions",
                query=BRAND_IDS[platform],
                poll_interval=3600,
                enabled=False,
            )
        stack.start_worker(
            "bench-worker", concurrency=args.concurrency, queues="ingest"
        )
        stack.start_beat()
        time.sleep(8)  # worker and beat up, models not involved (ingest queue only)
        expected = _expected_total()
        started = time.perf_counter()
        Source.objects.update(enabled=True, next_poll_at=timezone.now())
        # Start at once rather than at beat's next tick (beat would start them within
        # a second; its tick is not what is measured).
        for source_id in Source.objects.values_list("id", flat=True):
            celery_app.send_task("listening.poll_source", args=[source_id])
        wait_for(
            lambda: Mention.objects.count() >= expected,
            timeout=args.timeout,
            interval=0.05,
            what=f"{expected} mentions",
        )
        elapsed = time.perf_counter() - started
        stored = Mention.objects.count()
        # When each platform's walk ended, from the newest fetch time of its rows.
        from django.db.models import Max, Min

        spans = {
            row["platform"]: (row["last"] - row["first"]).total_seconds()
            for row in Mention.objects.values("platform").annotate(
                first=Min("fetched_at"), last=Max("fetched_at")
            )
        }
        end_to_end = stored / elapsed
        failures = list(
            Source.objects.filter(consecutive_failures__gt=0).values_list(
                "name", "last_error"
            )
        )
    finally:
        stack.stop_all()

    # The ceiling: the same rows, batched INSERT ... ON CONFLICT into a copy.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM listening_mention")
        rows = cursor.fetchall()
        cursor.execute(
            "CREATE TABLE bench_raw_mention (LIKE listening_mention INCLUDING ALL)"
        )
    raw_conn = connection.connection
    adapted = [tuple(_as_json(value) for value in row) for row in rows]
    raw_seconds = float("inf")
    # The ceiling is the fastest of: all rows in one statement, or batches of 1,000
    # (a very long single statement is slower to build and plan than a few batches).
    for page_size in (len(adapted), 1_000):
        with raw_conn.cursor() as cursor:
            cursor.execute("TRUNCATE bench_raw_mention")
            raw_conn.commit()
            began = time.perf_counter()
            execute_values(
                cursor,
                f"INSERT INTO bench_raw_mention ({columns}) VALUES %s "
                "ON CONFLICT (platform, external_id) DO NOTHING",
                adapted,
                page_size=page_size,
            )
            raw_conn.commit()
            raw_seconds = min(raw_seconds, time.perf_counter() - began)
    raw_rate = len(rows) / raw_seconds

    print(
        f"mentions stored end to end: {stored:,} in {elapsed:.2f}s "
        f"(worker: ingest queue, {args.concurrency} processes; gunicorn: 2 workers)"
    )
    print(
        f"end-to-end rate:   {end_to_end:,.0f} mentions/s "
        "(HTTP fetch, parse, upsert, cursor; real worker, PostgreSQL, Redis)"
    )
    print(
        f"raw insert rate:   {raw_rate:,.0f} rows/s "
        "(batched INSERT ... ON CONFLICT of the same rows; "
        "best of 1 and 1,000-row batches)"
    )
    print(f"ratio end-to-end / raw: {end_to_end / raw_rate:.1%}")
    print(f"source failures: {failures or 'none'}")
    print(
        "walk per platform (first to last row stored): "
        + ", ".join(f"{p} {seconds:.1f}s" for p, seconds in sorted(spans.items()))
    )
    print("targets: >= 5,000 mentions/s end to end, >= 15% of the raw rate")


def _expected_total() -> int:
    from mockfeeds.models import MockPost

    statuses = MockPost.objects.filter(kind="status", is_deleted=False)
    return (
        statuses.filter(platform__in=["weibo", "twitter"], mentions_brand=True).count()
        + statuses.filter(platform="renren").count()
    )


def _as_json(value):
    import json

    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value


if __name__ == "__main__":
    main()
