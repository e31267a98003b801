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

    python benchmarks/ingest.py [--per-platform 20000] [--workers 1 2 4] [--profile]
"""

from __future__ import annotations

import argparse
import os
import subprocess
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


def _reset_listening(platforms=PLATFORMS) -> None:
    """No mentions, authors or sources: the next run walks the whole backlog again."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE listening_mention, listening_author, listening_source "
            "RESTART IDENTITY CASCADE"
        )


def _sources(platforms=PLATFORMS) -> None:
    from listening.models import Source

    for platform in platforms:
        Source.objects.create(
            name=f"{platform} mentions",
            platform=platform,
            kind="mentions",
            query=BRAND_IDS[platform],
            poll_interval=3600,
            enabled=False,
        )


def run_workers(stack, workers: int, expected: int, timeout: float) -> dict:
    """One end-to-end walk of every source with ``workers`` ingest processes."""
    from django.db.models import Max, Min
    from django.utils import timezone

    from dellsocial.celery import app as celery_app
    from listening.models import Mention, Source
    from tests.integration.stack import wait_for

    _reset_listening()
    _sources()
    worker = stack.start_worker(
        f"bench-ingest-{workers}", concurrency=workers, queues="ingest"
    )
    try:
        time.sleep(8)  # worker up (the ingest queue only: no models to load)
        started = time.perf_counter()
        Source.objects.update(enabled=True, next_poll_at=timezone.now())
        # Start at once rather than at beat's next tick (beat would start them within
        # a second; its tick is not what is measured).
        for source_id in Source.objects.values_list("id", flat=True):
            celery_app.send_task("listening.poll_source", args=[source_id])
        wait_for(
            lambda: Mention.objects.count() >= expected,
            timeout=timeout,
            interval=0.05,
            what=f"{expected} mentions",
        )
        elapsed = time.perf_counter() - started
    finally:
        _stop(worker)
        stack.processes.remove(worker)
    stored = Mention.objects.count()
    spans = {
        row["platform"]: (row["last"] - row["first"]).total_seconds()
        for row in Mention.objects.values("platform").annotate(
            first=Min("fetched_at"), last=Max("fetched_at")
        )
    }
    failures = list(
        Source.objects.filter(consecutive_failures__gt=0).values_list(
            "name", "last_error"
        )
    )
    return {
        "workers": workers,
        "stored": stored,
        "elapsed": elapsed,
        "rate": stored / elapsed,
        "spans": spans,
        "failures": failures,
    }


def _stop(process) -> None:
    import signal

    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def raw_insert_rate() -> float:
    """The ceiling: the stored rows again, batched INSERT ... ON CONFLICT into a copy
    of the table (same indexes and unique key); the fastest of one statement and
    batches of 1,000."""
    from django.db import connection
    from psycopg2.extras import execute_values

    from listening.services.store import MENTION_COLUMNS

    columns = ", ".join(MENTION_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM listening_mention")
        rows = cursor.fetchall()
        cursor.execute("DROP TABLE IF EXISTS bench_raw_mention")
        cursor.execute(
            "CREATE TABLE bench_raw_mention (LIKE listening_mention INCLUDING ALL)"
        )
    raw_conn = connection.connection
    adapted = [tuple(_as_json(value) for value in row) for row in rows]
    raw_seconds = float("inf")
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
    return len(rows) / raw_seconds


def profile_poll(stack, top: int = 5) -> None:
    """The worker's side of a walk, in this process: one source's poll under cProfile
    against the running mock (its HTTP waits show as socket reads)."""
    from django.utils import timezone

    from benchmarks.common import print_profile
    from listening.models import Source
    from listening.services.polling import source_lease_acquire, source_poll

    _reset_listening()
    _sources(("weibo",))
    source = Source.objects.get()
    Source.objects.update(
        enabled=True,
        next_poll_at=timezone.now(),
        api_base=f"{stack.base_url}/mock/weibo/2",
    )
    source_lease_acquire(source_id=source.id, owner="bench-profile")
    print("Profile of one Weibo poll in this process (25 pages at most):")
    print_profile(
        lambda: source_poll(source_id=source.id, owner="bench-profile"), top=top
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-platform", type=int, default=20_000)
    parser.add_argument("--timeout", type=float, default=900)
    # One process per source: polls wait on HTTP and the database as much as they
    # compute, so a third process keeps both cores busy.
    parser.add_argument(
        "--workers",
        type=int,
        nargs="+",
        default=[3],
        help="ingest worker processes; several values: one run each (scale-out)",
    )
    parser.add_argument("--profile", action="store_true", help="top 5 costs")
    parser.add_argument("--database", default=DATABASE)
    parser.add_argument("--redis-db", type=int, default=REDIS_DB)
    args = parser.parse_args()

    url = fresh_database(args.database)
    migrate(url)
    os.environ["REDIS_URL"] = f"redis://127.0.0.1:6379/{args.redis_db}"
    setup_django(url)

    import redis
    import requests

    from tests.integration.stack import Stack

    redis.Redis(host="127.0.0.1", port=6379, db=args.redis_db).flushdb()
    log_dir = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    stack = Stack(database_name=args.database, redis_db=args.redis_db, log_dir=log_dir)
    stack.env["LOG_LEVEL"] = "WARNING"
    stack.env["MOCK_PLATFORMS"] = "true"
    stack.env["DEBUG"] = "true"
    runs = []
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
        expected = _expected_total()
        for workers in args.workers:
            runs.append(run_workers(stack, workers, expected, args.timeout))
            raw_rate = raw_insert_rate()
            runs[-1]["raw"] = raw_rate
            _report(runs[-1])
        if args.profile:
            profile_poll(stack)
    finally:
        stack.stop_all()
    if len(runs) > 1:
        base = runs[0]["rate"]
        print("Scale-out (same backlog, one run per worker count, this machine):")
        for run in runs:
            print(
                f"  {run['workers']} workers: {run['rate']:8,.0f} mentions/s  "
                f"{run['rate'] / base:4.2f}x of {runs[0]['workers']}  "
                f"({run['rate'] / run['raw']:.1%} of raw {run['raw']:,.0f} rows/s)"
            )
    print(
        "targets: >= 8,000 mentions/s end to end (aim 10,000), >= 60% of the raw rate"
    )


def _report(run: dict) -> None:
    print(
        f"[{run['workers']} workers] mentions stored end to end: {run['stored']:,} in "
        f"{run['elapsed']:.2f}s (worker: ingest queue, {run['workers']} processes; "
        "gunicorn: 2 workers)"
    )
    print(
        f"  end-to-end rate:   {run['rate']:,.0f} mentions/s "
        "(HTTP fetch, parse, upsert, cursor; real worker, PostgreSQL, Redis)"
    )
    print(
        f"  raw insert rate:   {run['raw']:,.0f} rows/s "
        "(batched INSERT ... ON CONFLICT of the same rows; best of 1 and 1,000-row "
        "batches)"
    )
    print(f"  ratio end-to-end / raw: {run['rate'] / run['raw']:.1%}")
    print(f"  source failures: {run['failures'] or 'none'}")
    print(
        "  walk per platform (first to last row stored): "
        + ", ".join(
            f"{p} {seconds:.1f}s" for p, seconds in sorted(run["spans"].items())
        )
    )


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
