"""Benchmark of the listening room (issue 8) at a big brand's size.

    .venv/bin/python benchmarks/listening.py [--mentions 10000000] [--days 90]
        [--reuse] [--samples 30] [--live-seconds 30] [--live-rate 1000]

1. Data: a dedicated database (ds_bench_listening) filled straight in SQL
   (INSERT ... SELECT generate_series): 300k authors, 10,000,000 analysed mentions
   over 90 days (three platforms, seven brands, products, keywords), then the rollups
   computed from them with one INSERT ... SELECT ... GROUP BY per rollup table (the
   same definitions as listening.services.rollups). ``--reuse`` keeps a database
   filled by an earlier run.
2. Every panel endpoint of the API, and the whole room page (the page plus every
   panel fragment it loads), for 24 h, 7 d and 90 d: p50 and p95 of server time,
   in-process through the whole Django stack. Targets on 2 cores: p95 < 150 ms per
   panel, < 400 ms for the whole page.
3. Rollup lag under live ingest: 1,000 analysed mentions per second are inserted for
   ``--live-seconds`` and handed to a real Celery worker through the pipeline
   (listening.rollups_apply, batches of 200); the lag of a batch is the time from its
   commit to the moment the volume series counts it. Target: < 60 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import ROOT, fresh_database, migrate, setup_django

DB_NAME = os.environ.get("BENCH_DB", "ds_bench_listening")
DB_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
AUTHORS = 300_000
TARGET_PANEL_MS = 150
TARGET_PAGE_MS = 400
TARGET_LAG_S = 60
BRANDS = ["dell", "lenovo", "hp", "apple", "asus", "acer"]
LIVE_SUBJECT = "benchlive"
REDIS_DB = os.environ.get("BENCH_REDIS_DB", "2")

GENERATE_SQL = [
    "SET TIME ZONE 'UTC'",
    "SET synchronous_commit = off",
    # No per-row foreign-key triggers during the bulk load (the generator makes
    # every author the mentions name): the session acts as a replica.
    "SET session_replication_role = replica",
    """INSERT INTO listening_author (platform, external_id, screen_name, name,
        followers_count, friends_count, statuses_count, verified, verified_type,
        location, gender, description, profile_image_url, updated_at)
       SELECT (ARRAY['weibo','twitter','renren'])[1 + g % 3], g::text, 'u' || g, 'u' || g,
        floor(20 / power(random() + 1e-9, 1.2))::bigint, 0, 0, random() < 0.05, '',
        (ARRAY['北京','上海 浦东','广东 深圳','福建 厦门','四川 成都','Austin, Texas'])[1 + g % 6],
        (ARRAY['m','f','','m','f'])[1 + g % 5],
        CASE WHEN g % 3 = 0 THEN '大学 学生' ELSE '' END, '', now()
       FROM generate_series(1, %(authors)s) g""",
    """INSERT INTO listening_mention (platform, external_id, source_id, author_id, text,
        language, created_at, fetched_at, in_reply_to_external_id, thread_external_id,
        repost_of_external_id, metrics, raw, sentiment, sentiment_label, sarcasm,
        intent, brands, products, keywords, priority, analyzer_version, analyzed_at,
        is_private, needs_human)
       SELECT (ARRAY['weibo','twitter','renren'])[1 + a % 3], g::text, NULL, a,
        'bench ' || g, CASE WHEN a % 3 = 1 THEN 'en' ELSE 'zh' END, t, t, '', '', '',
        jsonb_build_object('reposts', g % 7, 'comments', g % 5), '{}'::json, 0.5,
        (ARRAY['positive','neutral','neutral','negative'])[1 + (g / 7) % 4],
        g % 17 = 0,
        (ARRAY['complaint','question','purchase','praise','other'])[1 + (g / 3) % 5],
        (ARRAY['["dell"]','["dell"]','["lenovo"]','["hp"]','["dell","hp"]','["apple"]',
               '["asus"]','["acer"]','[]','["dell"]'])[1 + g % 10]::jsonb,
        CASE WHEN g % 10 IN (0, 1) THEN '["xps"]'::jsonb ELSE '[]'::jsonb END,
        jsonb_build_array(
          (ARRAY['蓝屏','续航','屏幕','键盘','客服','价格','散热','电池','售后','快递'])[1 + g % 10],
          (ARRAY['游戏','学生','办公','轻薄','性能','外观','开机','驱动'])[1 + (g / 10) % 8]),
        0.1, 'bench', t, false, false
       FROM (SELECT g, 1 + (g::bigint * 7919) %% %(authors)s AS a,
               now() - (random() * interval '%(days)s days') AS t
             FROM generate_series(1, %(mentions)s) g) s""",
]
ROLLUP_SQL = [
    "SET session_replication_role = DEFAULT",
    "SET TIME ZONE 'UTC'",
    "SET work_mem = '256MB'",
    """CREATE TEMP TABLE bench_m AS
       SELECT m.id, m.platform, coalesce(m.source_id, 0) AS source_id, m.author_id,
         m.created_at, date_trunc('hour', m.created_at) AS hour,
         (m.created_at AT TIME ZONE 'Asia/Shanghai')::date AS day,
         m.sentiment_label, m.intent, m.language, m.sarcasm::int AS sarc, m.keywords,
         a.followers_count AS reach, a.gender,
         CASE WHEN a.location ~ '[一-龥]' THEN split_part(a.location, ' ', 1)
              ELSE trim(split_part(a.location, ',', 2)) END AS province,
         a.verified, a.description ~ '大学|学生' AS college,
         ((m.metrics->>'reposts')::int + (m.metrics->>'comments')::int) AS eng,
         s.subject
       FROM listening_mention m JOIN listening_author a ON a.id = m.author_id
       CROSS JOIN LATERAL (
         SELECT '' AS subject
         UNION ALL SELECT jsonb_array_elements_text(m.brands)
         UNION ALL SELECT 'p:' || jsonb_array_elements_text(m.products)) s
       WHERE m.analyzed_at IS NOT NULL""",
    """INSERT INTO listening_rolluphour (bucket, subject, platform, source_id,
         sentiment, intent, language, mentions, reach, sarcastic)
       SELECT hour, subject, platform, source_id, sentiment_label, intent, language,
         count(*), sum(reach), sum(sarc) FROM bench_m GROUP BY 1, 2, 3, 4, 5, 6, 7""",
    """INSERT INTO listening_rollupday (bucket, subject, platform, source_id,
         sentiment, intent, language, mentions, reach, sarcastic)
       SELECT day, subject, platform, source_id, sentiment_label, intent, language,
         count(*), sum(reach), sum(sarc) FROM bench_m GROUP BY 1, 2, 3, 4, 5, 6, 7""",
    """INSERT INTO listening_rollupauthorshour (bucket, subject, platform, authors)
       SELECT hour, subject, platform, count(DISTINCT author_id) FROM bench_m
       GROUP BY 1, 2, 3""",
    """INSERT INTO listening_rollupaudienceday (bucket, subject, platform, gender,
         province, verified, college, authors)
       SELECT day, subject, platform, gender, province, verified, college, count(*)
       FROM (SELECT DISTINCT day, subject, platform, author_id, gender, province,
               verified, college FROM bench_m) d
       GROUP BY 1, 2, 3, 4, 5, 6, 7""",
    """INSERT INTO listening_rollupkeywordday (bucket, subject, keyword, mentions)
       SELECT day, subject, k, count(*) FROM bench_m,
         jsonb_array_elements_text(keywords) k GROUP BY 1, 2, 3""",
    """INSERT INTO listening_rollupinfluencerday (bucket, subject, author_id, platform,
         mentions, reach, positive, negative, engagement, depth)
       SELECT day, subject, author_id, min(platform), count(*), sum(reach),
         count(*) FILTER (WHERE sentiment_label = 'positive'),
         count(*) FILTER (WHERE sentiment_label = 'negative'), sum(eng), 0
       FROM bench_m WHERE reach >= 5000 GROUP BY 1, 2, 3""",
    "DROP TABLE bench_m",
    *[
        f"""INSERT INTO listening_rollup{t}summary (bucket, subject, platform,
             sentiment, mentions, reach, sarcastic)
           SELECT bucket, subject, platform, sentiment, sum(mentions), sum(reach),
             sum(sarcastic) FROM listening_rollup{t} GROUP BY 1, 2, 3, 4"""
        for t in ("hour", "day")
    ],
]
SUMMARY_SQL = ROLLUP_SQL[-2:]


def generate(mentions: int, days: int) -> None:
    from django.db import connection

    from listening.nlp.services import brands_seed

    brands_seed()
    params = {"authors": AUTHORS, "mentions": mentions, "days": days}
    with connection.cursor() as cursor:
        # Bulk load: the mention table without its secondary indexes
        # (built once afterwards, far faster than 10M random B-tree inserts).
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename ="
            " 'listening_mention' AND indexname NOT LIKE '%%pkey'"
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            constraint = "uniq" in name
            cursor.execute(
                f'ALTER TABLE listening_mention DROP CONSTRAINT IF EXISTS "{name}"'
                if constraint
                else f'DROP INDEX IF EXISTS "{name}"'
            )
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
        for sql in GENERATE_SQL + [*(d for _n, d in indexes), "ANALYZE"] + ROLLUP_SQL:
            started = time.perf_counter()
            for key, value in params.items():
                sql = sql.replace(f"%({key})s", str(int(value)))
            cursor.execute(sql.replace("%%", "%"))
            print(
                f"  {time.perf_counter() - started:7.1f}s  {sql.split()[0]} "
                f"{sql.split()[2] if len(sql.split()) > 2 else ''}",
                flush=True,
            )
        cursor.execute("ANALYZE")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def timed(call, samples: int) -> tuple[float, float]:
    call()  # warm
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1), round(percentile(times, 0.95), 1)


def measure(samples: int) -> list[dict]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from ambassadors.services import user_create
    from listening.room.panels import PANELS

    user = get_user_model().objects.filter(username="bench-manager").first()
    if user is None:
        user = user_create(
            username="bench-manager", password="bench-pw-123456", role="manager"
        )
    from django.conf import settings

    settings.AXES_ENABLED = False  # force_login has no request for axes to log
    client = Client()
    client.force_login(user)
    rows = []

    def get(url):
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(
                f"{url}: {response.status_code} {response.content[:200]!r}"
            )
        return response

    for range_key in ("24h", "7d", "90d"):
        for name in PANELS:
            url = f"/api/v1/listening/{name}/?range={range_key}"
            p50, p95 = timed(lambda url=url: get(url), samples)
            rows.append(
                {
                    "what": f"api {name} {range_key}",
                    "p50": p50,
                    "p95": p95,
                    "target": TARGET_PANEL_MS,
                }
            )

        def page(range_key=range_key):
            get(f"/listening/?range={range_key}")
            for name in PANELS:
                get(f"/listening/panels/{name}/?range={range_key}")

        p50, p95 = timed(page, max(samples // 3, 5))
        rows.append(
            {
                "what": f"whole room page {range_key}",
                "p50": p50,
                "p95": p95,
                "target": TARGET_PAGE_MS,
            }
        )
    for row in rows:
        flag = "" if row["p95"] <= row["target"] else f"  (over {row['target']} ms)"
        print(
            f"  {row['what']:<36} p50 {row['p50']:>7.1f} ms  p95 {row['p95']:>7.1f} ms{flag}"
        )
    return rows


def measure_lag(seconds: int, rate: int) -> dict:
    """Live ingest at ``rate`` mentions/s for ``seconds``, rollups by a real worker."""
    from django.db import connection, transaction

    from dellsocial import pipeline
    from listening.models import RollupHour

    env = {
        **os.environ,
        "DATABASE_URL": DB_URL,
        "REDIS_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
        "DJANGO_SETTINGS_MODULE": "dellsocial.settings",
        "LOG_LEVEL": "WARNING",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "dellsocial",
            "worker",
            "-Q",
            "default",
            "-c",
            "2",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "WARNING",
            "-P",
            "prefork",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        time.sleep(6)
        with connection.cursor() as cursor:
            cursor.execute("SELECT max(id) FROM listening_mention")
            next_id = (cursor.fetchone()[0] or 0) + 1
        batch = 200
        sent: list[tuple[float, int]] = []  # (commit time, cumulative count)
        total = 0
        started = time.monotonic()
        seen: list[tuple[float, int]] = []

        def counted() -> int:
            return sum(
                RollupHour.objects.filter(subject=LIVE_SUBJECT).values_list(
                    "mentions", flat=True
                )
            )

        while time.monotonic() - started < seconds:
            tick = time.monotonic()
            for _ in range(rate // batch):
                ids = list(range(next_id, next_id + batch))
                next_id += batch
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(
                        """INSERT INTO listening_mention (id, platform, external_id, author_id,
                           text, language, created_at, fetched_at, in_reply_to_external_id,
                           thread_external_id, repost_of_external_id, metrics, raw,
                           sentiment, sentiment_label, sarcasm, intent, brands, products,
                           keywords, priority, analyzer_version, analyzed_at,
                           is_private, needs_human)
                           SELECT g, 'weibo', 'live' || g, 1 + g %% 1000, 'live', 'zh', now(),
                             now(), '', '', '', '{}'::jsonb, '{}'::json, 0.5, 'neutral', false,
                             'other', '["benchlive"]'::jsonb, '[]'::jsonb, '["直播"]'::jsonb,
                             0, 'bench', now(), false, false
                           FROM unnest(%s::bigint[]) g""",
                        [ids],
                    )
                    pipeline.mentions_changed(ids)
                total += batch
                sent.append((time.monotonic(), total))
            seen.append((time.monotonic(), counted()))
            time.sleep(max(0.0, 1.0 - (time.monotonic() - tick)))
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            seen.append((time.monotonic(), counted()))
            if seen[-1][1] >= total:
                break
            time.sleep(0.5)
        elapsed = sent[-1][0] - started
        lags = []
        for at, cumulative in sent:
            hit = next((t for t, n in seen if n >= cumulative and t >= at), None)
            lags.append((hit - at) if hit else float("inf"))
        result = {
            "ingest_per_s": round(total / elapsed, 0),
            "lag_p50_s": round(statistics.median(lags), 2),
            "lag_p95_s": round(percentile(lags, 0.95), 2),
            "lag_max_s": round(max(lags), 2),
            "counted": seen[-1][1],
            "inserted": total,
        }
        print(
            f"  live ingest {result['ingest_per_s']:.0f} mentions/s for {seconds}s: "
            f"rollup lag p50 {result['lag_p50_s']} s, p95 {result['lag_p95_s']} s, "
            f"max {result['lag_max_s']} s (target < {TARGET_LAG_S} s); "
            f"{result['counted']}/{result['inserted']} counted"
        )
        return result
    finally:
        os.killpg(worker.pid, 15)
        worker.wait(timeout=30)


def main() -> None:
    os.environ.setdefault("REDIS_URL", f"redis://127.0.0.1:6379/{REDIS_DB}")
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mentions", type=int, default=10_000_000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--samples", type=int, default=30)
    parser.add_argument("--live-seconds", type=int, default=30)
    parser.add_argument("--live-rate", type=int, default=1000)
    parser.add_argument(
        "--reuse", action="store_true", help="keep an earlier run's data"
    )
    parser.add_argument("--generate-only", action="store_true")
    args = parser.parse_args()
    if not args.reuse:
        print(
            f"Generating {args.mentions:,} mentions over {args.days} days ...",
            flush=True,
        )
        fresh_database(DB_NAME)
        migrate(DB_URL)
        setup_django(DB_URL)
        started = time.perf_counter()
        generate(args.mentions, args.days)
        print(f"  generated in {time.perf_counter() - started:.0f}s", flush=True)
    else:
        migrate(DB_URL)
        setup_django(DB_URL)
        from listening.models import RollupHourSummary

        if not RollupHourSummary.objects.exists():
            from django.db import connection

            with connection.cursor() as cursor:
                for sql in SUMMARY_SQL:
                    cursor.execute(sql)
    if args.generate_only:
        return
    from listening.models import Mention

    print(
        f"Mentions: {Mention.objects.count():,} (machine shared with other developers)"
    )
    print("Panels and the whole room page (server time, in-process):", flush=True)
    measure(args.samples)
    print("Rollup lag under live ingest:", flush=True)
    measure_lag(args.live_seconds, args.live_rate)


if __name__ == "__main__":
    main()
