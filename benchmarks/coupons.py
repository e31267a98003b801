"""Coupon redemption throughput through the HTTP API, and bulk code generation.

1. A fresh database of its own (``ds_bench_coupons``), migrated.
2. Bulk generation: 100,000 codes for one campaign, timed; then checked unique.
3. A pool of codes (default 500 codes of 10 uses each) for a second campaign, and a
   shop integration user with an API token.
4. gunicorn (production settings: DEBUG off) serves the app; 50 client threads, each
   with its own keep-alive connection, POST /api/v1/coupons/redeem/ with unique
   order ids. Requests go to the codes in runs of ``uses + 1``, so every code is
   asked for by several clients at the same moment and refused exactly once.
5. Afterwards the redemption rows are counted per code in PostgreSQL: over-redemption
   must be zero, and every 200 answer must have exactly one row.

    python benchmarks/coupons.py [--codes 500] [--uses 10] [--clients 50]
        [--workers 2] [--threads 4] [--bulk 100000] [--validations 5000] [--profile]

Targets (2 cores): at least 500 redemptions/s with 50 clients, p95 under 150 ms, no
over-redemption; at least 1,500 validations/s; 100,000 codes in under 10 s.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import ROOT, fresh_database, migrate, setup_django  # noqa: E402

DATABASE = "ds_bench_coupons"
GUNICORN = Path(sys.executable).parent / "gunicorn"
REDEEM_PATH = "/api/v1/coupons/redeem/"
VALIDATE_PATH = "/api/v1/coupons/validate/"
PROFILE_REQUESTS = 300


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(url: str, port: int, workers: int, threads: int, log: Path):
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "false",
        "DJANGO_SECRET_KEY": "benchmark-only-secret-key-0123456789abcdef",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        "DB_CONN_MAX_AGE": "600",
        "REDIS_URL": "",
        "CELERY_BROKER_URL": "memory://",
    }
    command = [
        str(GUNICORN),
        "dellsocial.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread",
        "--keep-alive",
        "30",
        "--log-level",
        "warning",
    ]
    handle = log.open("w")
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log.read_text()}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("POST", REDEEM_PATH, body="{}")
            if conn.getresponse().status in (401, 403):
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("gunicorn did not answer within 60 s")


def bench_generation(count: int) -> float:
    from datetime import timedelta

    from django.utils import timezone

    from coupons.models import CouponCode
    from coupons.services import campaign_create, codes_generate

    now = timezone.now()
    campaign = campaign_create(
        name="bulk",
        platforms=["weibo"],
        shops=["bench-shop"],
        discount_type="percent",
        discount_value=10,
        starts_at=now,
        ends_at=now + timedelta(days=1),
    )
    started = time.perf_counter()
    batch = codes_generate(campaign_id=campaign.id, count=count)
    elapsed = time.perf_counter() - started
    codes = CouponCode.objects.filter(campaign=campaign)
    distinct = codes.values("code").distinct().count()
    assert batch.generated == count == codes.count() == distinct, "codes lost"
    return elapsed


def prepare_pool(name: str, codes: int, uses: int) -> tuple[list[str], int]:
    from datetime import timedelta

    from django.utils import timezone

    from coupons.models import CouponCode
    from coupons.services import campaign_create, codes_generate

    now = timezone.now()
    campaign = campaign_create(
        name=name,
        platforms=[],
        shops=["bench-shop"],
        discount_type="percent",
        discount_value=15,
        starts_at=now - timedelta(minutes=1),
        ends_at=now + timedelta(days=1),
        min_order_amount=0,
    )
    batch = codes_generate(campaign_id=campaign.id, count=codes, max_redemptions=uses)
    pool = list(
        CouponCode.objects.filter(batch_id=batch.id)
        .order_by("id")
        .values_list("code", flat=True)
    )
    return pool, campaign.id


def run_load(
    *,
    port: int,
    token: str,
    pool: list[str],
    uses: int,
    clients: int,
    prefix: str,
    path: str = REDEEM_PATH,
) -> tuple[float, Counter, list[float]]:
    """Every request a unique order; requests i → code i // (uses + 1)."""
    per_code = uses + 1
    total = len(pool) * per_code
    lock = threading.Lock()
    next_index = iter(range(total))
    statuses: Counter = Counter()
    latencies: list[float] = []
    headers = {
        "Authorization": f"Token {token}",
        "Content-Type": "application/json",
        "Accept-Language": "en",
    }
    start_gate = threading.Barrier(clients + 1)

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: list[float] = []
        seen: Counter = Counter()
        start_gate.wait()
        while True:
            with lock:
                index = next(next_index, None)
            if index is None:
                break
            body = json.dumps(
                {
                    "code": pool[index // per_code],
                    "order_id": f"{prefix}-{index}",
                    "order_amount": "499.00",
                    "currency": "CNY",
                }
            )
            began = time.perf_counter()
            try:
                conn.request("POST", path, body=body, headers=headers)
                response = conn.getresponse()
                payload = response.read()
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                seen["connection_error"] += 1
                continue
            mine.append(time.perf_counter() - began)
            if response.status == 200:
                seen["200"] += 1
            else:
                code = json.loads(payload).get("code", "?") if payload else "?"
                seen[f"{response.status} {code}"] += 1
        conn.close()
        with lock:
            statuses.update(seen)
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    start_gate.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, statuses, latencies


def profile_redeem(token: str) -> None:
    """PROFILE_REQUESTS redemptions through the whole Django stack in this process
    (the test client: middleware, DRF, auth, throttling, the service), profiled."""
    from django.test import Client

    from benchmarks.common import print_profile

    codes, _campaign = prepare_pool("profile", PROFILE_REQUESTS, 1)
    client = Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_ACCEPT_LANGUAGE="en")

    def work() -> None:
        for index, code in enumerate(codes):
            client.post(
                REDEEM_PATH,
                data=json.dumps(
                    {
                        "code": code,
                        "order_id": f"PROFILE-{index}",
                        "order_amount": "499.00",
                        "currency": "CNY",
                    }
                ),
                content_type="application/json",
            )

    print(f"Profile of {PROFILE_REQUESTS} redemptions in this process:")
    print_profile(work)


def check_rows(campaign_id: int) -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT COALESCE(sum(n), 0),
                   COALESCE(sum(GREATEST(n - max_redemptions, 0)), 0),
                   COALESCE(max(n), 0),
                   COALESCE(sum(redeemed_count), 0)
            FROM (
                SELECT c.id, c.max_redemptions, c.redeemed_count,
                       count(r.id) AS n
                FROM coupons_couponcode c
                LEFT JOIN coupons_redemption r ON r.code_id = c.id
                WHERE c.campaign_id = %s
                GROUP BY c.id
            ) per
            """,
            [campaign_id],
        )
        rows, over, most, counters = cursor.fetchone()
    return {
        "rows": rows,
        "over_redeemed": over,
        "max_per_code": most,
        "counters": counters,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codes", type=int, default=500)
    parser.add_argument("--uses", type=int, default=10)
    parser.add_argument("--clients", type=int, default=50)
    # One worker process per core; threads overlap the database round trips.
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--bulk", type=int, default=100_000)
    parser.add_argument("--validations", type=int, default=5000)
    parser.add_argument("--profile", action="store_true", help="top 5 costs")
    parser.add_argument("--database", default=DATABASE)
    args = parser.parse_args()

    url = fresh_database(args.database)
    migrate(url)
    setup_django(url)

    print(f"Bulk generation: {args.bulk:,} codes ...", flush=True)
    generation = bench_generation(args.bulk)
    print(f"  {args.bulk:,} unique codes in {generation:.2f} s", flush=True)

    from integrations.tokens import shop_user_create

    pool, campaign_id = prepare_pool("pool", args.codes, args.uses)
    warm, _warm_campaign = prepare_pool("warm-up", 50, 1)
    # Validation changes nothing: codes with room for every request.
    checks, _checks_campaign = prepare_pool("validate", 100, args.validations)
    _user, token = shop_user_create(username="bench-shop")
    log = Path(tempfile.mkdtemp(prefix="bench-coupons-")) / "gunicorn.log"
    port = free_port()
    server = start_server(url, port, args.workers, args.threads, log)
    try:
        # Warm up every worker (imports, connections) on codes of another campaign.
        run_load(port=port, token=token, pool=warm, uses=1, clients=20, prefix="WARM")
        print(
            f"Redemption: {args.clients} clients, {len(pool):,} codes × {args.uses} "
            f"uses, {len(pool) * (args.uses + 1):,} requests (gunicorn "
            f"{args.workers} workers × {args.threads} threads) ...",
            flush=True,
        )
        elapsed, statuses, latencies = run_load(
            port=port,
            token=token,
            pool=pool,
            uses=args.uses,
            clients=args.clients,
            prefix="BENCH",
        )
        per_code = max(1, args.validations // len(checks))
        v_elapsed, v_statuses, v_latencies = run_load(
            port=port,
            token=token,
            pool=checks,
            uses=per_code - 1,
            clients=args.clients,
            prefix="CHECK",
            path=VALIDATE_PATH,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    if args.profile:
        profile_redeem(token)

    check = check_rows(campaign_id)
    ok = statuses["200"]
    requests_done = sum(statuses.values())
    latencies.sort()
    p50 = statistics.median(latencies) * 1000
    p95 = latencies[int(len(latencies) * 0.95) - 1] * 1000
    print(f"  answers: {dict(statuses)}")
    print(f"  requests/s:     {requests_done / elapsed:8.0f}")
    print(f"  redemptions/s:  {ok / elapsed:8.0f}   (target ≥ 500)")
    print(f"  latency p50 / p95: {p50:.1f} / {p95:.1f} ms   (target p95 < 150 ms)")
    v_latencies.sort()
    v_done = sum(v_statuses.values())
    print(
        f"Validation: {args.clients} clients, {v_done:,} requests: {dict(v_statuses)}"
    )
    print(f"  validations/s:  {v_statuses['200'] / v_elapsed:8.0f}   (target ≥ 1,500)")
    print(
        f"  latency p50 / p95: {statistics.median(v_latencies) * 1000:.1f} / "
        f"{v_latencies[int(len(v_latencies) * 0.95) - 1] * 1000:.1f} ms"
    )
    print(
        f"  rows after: {check['rows']} redemptions (200 answers: {ok}), "
        f"max per code {check['max_per_code']} of {args.uses}, "
        f"over-redeemed {check['over_redeemed']}"
    )
    print(f"Bulk generation: {args.bulk:,} codes in {generation:.2f} s (target < 10 s)")
    expected = len(pool) * args.uses
    sound = (
        check["over_redeemed"] == 0
        and check["rows"] == ok == check["counters"]
        and ok == expected
        and statuses.get("409 code_used_up", 0) == len(pool)
    )
    print("Over-redemption: none" if sound else "INCONSISTENT: see the figures above")
    return 0 if sound else 1


if __name__ == "__main__":
    sys.exit(main())
