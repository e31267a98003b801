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
    "SET maintenance_work_mem = '1GB'",
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
        ((g::bigint * 37) %% 1000) / 1000.0, 'bench', t, false, false
       FROM (SELECT g, 1 + (g::bigint * 7919) %% %(authors)s AS a,
               now() - (random() * interval '%(days)s days') AS t
             FROM generate_series(%(lo)s, %(hi)s) g) s""",
]
# The mention rows are inserted by this many connections at once, each its own range.
LOADERS = 2
# The rollups, computed as listening.services.rollups defines them, in few passes
# over the mention table: mentions are first grouped by everything a rollup key
# depends on except the subject (brands and products are a few combinations), the
# subjects are expanded on those groups, then summed per rollup key. Author
# attributes (province, college) are computed once per author, not per mention.
SUBJECTS = """CROSS JOIN LATERAL (
         SELECT '' AS subject
         UNION ALL SELECT jsonb_array_elements_text(%s.brands)
         UNION ALL SELECT 'p:' || jsonb_array_elements_text(%s.products)) s"""
ROLLUP_SQL = [
    "SET session_replication_role = DEFAULT",
    "SET TIME ZONE 'UTC'",
    "SET work_mem = '1GB'",
    """CREATE TEMP TABLE bench_a AS
       SELECT id, platform, followers_count AS reach, gender, verified,
         CASE WHEN location ~ '[一-龥]' THEN split_part(location, ' ', 1)
              ELSE trim(split_part(location, ',', 2)) END AS province,
         description ~ '大学|学生' AS college
       FROM listening_author""",
    "ALTER TABLE bench_a ADD PRIMARY KEY (id)",
    # Volume: per hour × platform × source × sentiment × intent × language × brands ×
    # products (a day is 24 whole hours of Asia/Shanghai: UTC+8, no DST).
    """CREATE TEMP TABLE bench_v AS
       SELECT date_trunc('hour', m.created_at) AS hour, m.platform,
         coalesce(m.source_id, 0) AS source_id, m.sentiment_label, m.intent,
         m.language, m.brands, m.products, count(*) AS n, sum(a.reach) AS reach,
         sum(m.sarcasm::int) AS sarc
       FROM listening_mention m JOIN bench_a a ON a.id = m.author_id
       WHERE m.analyzed_at IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6, 7, 8""",
    """INSERT INTO listening_rolluphour (bucket, subject, platform, source_id,
         sentiment, intent, language, mentions, reach, sarcastic)
       SELECT hour, subject, platform, source_id, sentiment_label, intent, language,
         sum(n), sum(reach), sum(sarc) FROM bench_v """
    + SUBJECTS % ("bench_v", "bench_v")
    + " GROUP BY 1, 2, 3, 4, 5, 6, 7",
    """INSERT INTO listening_rollupday (bucket, subject, platform, source_id,
         sentiment, intent, language, mentions, reach, sarcastic)
       SELECT (bucket AT TIME ZONE 'Asia/Shanghai')::date, subject, platform,
         source_id, sentiment, intent, language, sum(mentions), sum(reach),
         sum(sarcastic) FROM listening_rolluphour GROUP BY 1, 2, 3, 4, 5, 6, 7""",
    "DROP TABLE bench_v",
    # Per mention and subject (distinct authors, audience, top posts): narrow rows.
    """CREATE TEMP TABLE bench_m AS
       SELECT m.id, m.platform, m.author_id, date_trunc('hour', m.created_at) AS hour,
         (m.created_at AT TIME ZONE 'Asia/Shanghai')::date AS day,
         m.sentiment_label, m.intent, m.priority, s.subject
       FROM listening_mention m """
    + SUBJECTS % ("m", "m")
    + " WHERE m.analyzed_at IS NOT NULL",
    """INSERT INTO listening_rollupauthorshour (bucket, subject, platform, authors)
       SELECT hour, subject, platform, count(*) FROM (
         SELECT DISTINCT hour, subject, platform, author_id FROM bench_m) d
       GROUP BY 1, 2, 3""",
    """INSERT INTO listening_rollupaudienceday (bucket, subject, platform, gender,
         province, verified, college, authors)
       SELECT day, subject, d.platform, a.gender, a.province, a.verified, a.college,
         count(*)
       FROM (SELECT DISTINCT day, subject, platform, author_id FROM bench_m) d
       JOIN bench_a a ON a.id = d.author_id
       GROUP BY 1, 2, 3, 4, 5, 6, 7""",
    # The intent panel's top posts: the best TOP_POST_KEEP of every group.
    """INSERT INTO listening_rolluptoppost (bucket, subject, platform, sentiment,
         intent, mention_id, priority)
       SELECT hour, subject, platform, sentiment_label, intent, id, priority
       FROM (SELECT hour, subject, platform, sentiment_label, intent, id, priority,
               row_number() OVER (PARTITION BY hour, subject, platform,
                 sentiment_label, intent ORDER BY priority DESC, id DESC) AS rank
             FROM bench_m) r
       WHERE rank <= 5""",
    "DROP TABLE bench_m",
    """CREATE TEMP TABLE bench_k AS
       SELECT (created_at AT TIME ZONE 'Asia/Shanghai')::date AS day, brands,
         products, keywords, count(*) AS n
       FROM listening_mention WHERE analyzed_at IS NOT NULL GROUP BY 1, 2, 3, 4""",
    """INSERT INTO listening_rollupkeywordday (bucket, subject, keyword, mentions)
       SELECT day, subject, k, sum(n) FROM bench_k """
    + SUBJECTS % ("bench_k", "bench_k")
    + """, jsonb_array_elements_text(bench_k.keywords) k GROUP BY 1, 2, 3""",
    "DROP TABLE bench_k",
    """INSERT INTO listening_rollupinfluencerday (bucket, subject, author_id, platform,
         mentions, reach, positive, negative, engagement, depth)
       SELECT (m.created_at AT TIME ZONE 'Asia/Shanghai')::date, subject, m.author_id,
         min(m.platform), count(*), sum(a.reach),
         count(*) FILTER (WHERE m.sentiment_label = 'positive'),
         count(*) FILTER (WHERE m.sentiment_label = 'negative'),
         sum((m.metrics->>'reposts')::int + (m.metrics->>'comments')::int), 0
       FROM listening_mention m JOIN bench_a a ON a.id = m.author_id """
    + SUBJECTS % ("m", "m")
    + """ WHERE m.analyzed_at IS NOT NULL AND a.reach >= 5000 GROUP BY 1, 2, 3""",
    "DROP TABLE bench_a",
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
        settings_sql, author_sql, mention_sql = (
            GENERATE_SQL[:-2],
            GENERATE_SQL[-2],
            GENERATE_SQL[-1],
        )
        for sql in settings_sql:
            cursor.execute(sql)
        _step(cursor, author_sql, params)
        started = time.perf_counter()
        _load_mentions(mention_sql, settings_sql, params)
        print(
            f"  {time.perf_counter() - started:7.1f}s  INSERT listening_mention "
            f"({LOADERS} connections)",
            flush=True,
        )
        for sql in [*(d for _n, d in indexes), "ANALYZE"] + ROLLUP_SQL:
            _step(cursor, sql, params)
        cursor.execute("ANALYZE")


def _step(cursor, sql: str, params: dict) -> None:
    started = time.perf_counter()
    for key, value in params.items():
        sql = sql.replace(f"%({key})s", str(int(value)))
    cursor.execute(sql.replace("%%", "%"))
    words = sql.split()
    print(
        f"  {time.perf_counter() - started:7.1f}s  {' '.join(words[:3])[:60]}",
        flush=True,
    )


def _load_mentions(sql: str, settings_sql: list[str], params: dict) -> None:
    """The mention rows, LOADERS ranges of ids inserted at once (one connection
    each: the server builds the rows, nothing crosses the wire)."""
    import threading

    import psycopg2

    total = params["mentions"]
    share = -(-total // LOADERS)
    errors: list[BaseException] = []

    def load(lo: int, hi: int) -> None:
        try:
            conn = psycopg2.connect(DB_URL)
            conn.autocommit = True
            with conn.cursor() as cursor:
                for setting in settings_sql:
                    cursor.execute(setting)
                text = sql
                for key, value in {**params, "lo": lo, "hi": hi}.items():
                    text = text.replace(f"%({key})s", str(int(value)))
                cursor.execute(text.replace("%%", "%"))
            conn.close()
        except BaseException as error:  # reported by the main thread
            errors.append(error)

    threads = [
        threading.Thread(target=load, args=(1 + i * share, min(total, (i + 1) * share)))
        for i in range(LOADERS)
        if i * share < total
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


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
