"""Benchmark of the reports and of webhook delivery (issue 10).

    .venv/bin/python benchmarks/reports.py [--cases 200000] [--redemptions 50000]
        [--samples 20] [--deliveries 10000] [--reuse] [--skip-webhooks]

1. Data: the database ds_reports_run, filled in SQL: 200,000 cases over the last 90
   days (three platforms, four teams of ten ambassadors, four priorities, first
   responses and resolutions spread over hours, SLA breaches), a mention and a sent
   reply for most cases (some through approval), reopen events, 20,000 survey
   answers, 5 campaigns with 70,000 issued codes and 50,000 redemptions.
   ``--reuse`` keeps the data of an earlier run.
2. The team report (each grouping, and the whole page's selectors: rows, backlog,
   heat map, breaches) and the revenue report (each grouping, with the top cases and
   mentions), over the 90 days: server time p50 and p95 over ``--samples`` runs, and
   the two API endpoints through the whole Django stack with a token.
   Target: p95 < 300 ms.
3. Webhook delivery: ``--deliveries`` signed deliveries to a local receiver
   process (which checks every signature) by one Celery worker on the ``webhooks``
   queue with 2 processes. Target: >= 500 deliveries/s.
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

DB_NAME = "ds_reports_run"
DB_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
REDIS_URL = "redis://127.0.0.1:6379/" + os.environ.get("INTEGRATION_REDIS_DB", "6")
DAYS = 90
TARGET_P95_MS = 300
TARGET_DELIVERIES_PER_S = 500
os.environ.update(
    DEBUG="false",
    HTTPS="false",
    DJANGO_SECRET_KEY="benchmark-only-secret-key-not-for-production-use-1234567890",
    ALLOWED_HOSTS="*",
    MOCK_PLATFORMS="true",
    REDIS_URL=REDIS_URL,
    LOG_LEVEL="WARNING",
)


# --- Data ----------------------------------------------------------------------------


def _insert_select(model, exprs: dict[str, str], source: str, params=None) -> int:
    """INSERT INTO model (every concrete column) SELECT exprs FROM source; columns
    without an expression get their field's default (or NULL)."""
    import json

    from django.db import connection

    columns, values = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(connection.ops.quote_name(field.column))
        if field.column in exprs:
            values.append(exprs[field.column])
        elif field.has_default() and not callable(field.default):
            default = field.default
            if isinstance(default, bool):
                values.append("true" if default else "false")
            elif isinstance(default, (int, float)):
                values.append(str(default))
            elif isinstance(default, (list, dict)):
                values.append(f"'{json.dumps(default)}'")
            else:
                values.append("'" + str(default).replace("'", "''") + "'")
        elif field.has_default() and field.default in (list, dict):
            values.append("'[]'" if field.default is list else "'{}'")
        elif field.null:
            values.append("NULL")
        elif field.get_internal_type() == "DateTimeField":
            values.append("now()")
        else:
            values.append("''")
    sql = (
        f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "
        f"SELECT {', '.join(values)} FROM {source}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def generate(cases: int, redemptions: int) -> None:
    from django.db import connection

    from ambassadors.models import Team
    from ambassadors.services import profile_update, user_create
    from coupons.models import Campaign, CouponCode, Redemption
    from engagement.models import Case, CaseEvent, Reply
    from listening.models import Mention
    from surveys.models import Response, Survey

    t0 = time.perf_counter()
    teams = [
        Team.objects.create(slug=s, name=s.title(), is_default=i == 0)
        for i, s in enumerate(["support", "sales", "marketing", "gaming"])
    ]
    ambassadors = []
    for t, team in enumerate(teams):
        for k in range(10):
            user = user_create(username=f"amb{t}_{k}", password="x" * 12)
            profile_update(profile=user.profile, team=team)
            ambassadors.append(user.pk)
    user_create(username="manager", password="bench-password-1", role="manager")
    team_ids = "ARRAY[" + ",".join(str(t.pk) for t in teams) + "]"
    amb_ids = "ARRAY[" + ",".join(map(str, ambassadors)) + "]"
    source = (
        f"(SELECT n, now() - random() * interval '{DAYS} days' AS c,"
        " random() * interval '5 hours' AS fr, random() * interval '60 hours' AS res"
        f" FROM generate_series(1, {cases}) n) s"
    )
    _insert_select(
        Mention,
        {
            "platform": "(ARRAY['weibo','twitter','renren'])[1 + n % 3]",
            "external_id": "'bm' || n",
            "text": "'戴尔 XPS 售后 ' || n",
            "language": "'zh'",
            "created_at": "c",
            "fetched_at": "c",
            "thread_external_id": "'bm' || n",
            "raw": "'{}'",
        },
        source,
    )
    # A mention's id is its n (a fresh database): the case, reply and code use it.
    first_mention = Mention.objects.order_by("id").values_list("id", flat=True)[0]
    case_source = (
        f"(SELECT n, now() - random() * interval '{DAYS} days' AS c,"
        " random() * interval '5 hours' AS fr, random() * interval '60 hours' AS res,"
        f" n % 10 < 8 AS done FROM generate_series(1, {cases}) n) s"
    )
    _insert_select(
        Case,
        {
            "platform": "(ARRAY['weibo','twitter','renren'])[1 + n % 3]",
            "thread_key": "'bm' || n",
            "status": "CASE WHEN done THEN 'resolved' ELSE 'open' END",
            "priority": "1 + n % 4",
            "team_id": f"({team_ids})[1 + n % 4]",
            "assignee_id": (
                f"CASE WHEN n % 7 = 0 THEN NULL ELSE ({amb_ids})[1 + n % 40] END"
            ),
            "summary": "'戴尔 XPS 售后 ' || n",
            "mention_count": "1",
            "created_at": "c",
            "updated_at": "c",
            "waiting_since": "c",
            "first_responded_at": "CASE WHEN n % 13 = 0 THEN NULL ELSE c + fr END",
            "resolved_at": "CASE WHEN done THEN c + fr + res END",
            "first_response_due_at": "c + interval '1 hour'",
            "resolution_due_at": "c + interval '24 hours'",
            "first_response_breached": "n % 13 <> 0 AND fr > interval '1 hour'",
            "resolution_breached": "done AND fr + res > interval '24 hours'",
        },
        case_source,
    )
    first_case = Case.objects.order_by("id").values_list("id", flat=True)[0]
    print(f"  {cases:,} mentions and cases in {time.perf_counter() - t0:.1f}s")
    t0 = time.perf_counter()
    _insert_select(
        Reply,
        {
            "case_id": f"{first_case - 1} + n",
            "mention_id": f"{first_mention - 1} + n",
            "author_id": "c.assignee_id",
            "platform": "c.platform",
            "text": "'您好 —戴尔员工'",
            "status": "'sent'",
            "approval_reason": "CASE WHEN n % 5 = 0 THEN 'certification' ELSE '' END",
            "reviewed_at": "CASE WHEN n % 5 = 0 THEN c.first_responded_at END",
            "created_at": "c.first_responded_at - interval '10 minutes'",
            "updated_at": "c.first_responded_at",
            "sent_at": "c.first_responded_at",
            "external_id": "'r' || n",
        },
        f"(SELECT c.id - {first_case - 1} AS n, c.* FROM engagement_case c"
        " WHERE c.first_responded_at IS NOT NULL AND c.assignee_id IS NOT NULL) c",
    )
    _insert_select(
        CaseEvent,
        {
            "case_id": "id",
            "kind": "'status_changed'",
            "data": '\'{"previous": "resolved", "status": "open"}\'',
            "created_at": "resolved_at + interval '1 hour'",
        },
        "(SELECT id, resolved_at FROM engagement_case WHERE id % 50 = 0"
        " AND resolved_at IS NOT NULL) e",
    )
    survey = Survey.objects.create(title_zh="满意度", status="open")
    _insert_select(
        Response,
        {
            "survey_id": str(survey.pk),
            "platform": "c.platform",
            "case_id": "c.id",
            "ambassador_id": "c.assignee_id",
            "language": "'zh-hans'",
            "submitted_at": "c.resolved_at + interval '2 hours'",
            "csat_score": "1 + c.id % 5",
            "nps_score": "c.id % 11",
        },
        "(SELECT * FROM engagement_case WHERE id % 10 = 0 AND resolved_at IS NOT NULL"
        " LIMIT 20000) c",
    )
    print(f"  replies, events, survey answers in {time.perf_counter() - t0:.1f}s")
    t0 = time.perf_counter()
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    now = timezone.now()
    campaigns = [
        Campaign.objects.create(
            name=f"活动 {k}",
            discount_type="percent",
            discount_value=Decimal("10"),
            starts_at=now - dt.timedelta(days=DAYS + 1),
            ends_at=now + dt.timedelta(days=30),
        )
        for k in range(5)
    ]
    campaign_ids = "ARRAY[" + ",".join(str(c.pk) for c in campaigns) + "]"
    issued = int(redemptions * 1.4)
    _insert_select(
        CouponCode,
        {
            "campaign_id": f"({campaign_ids})[1 + n % 5]",
            "code": "'BM' || lpad(n::text, 10, '0')",
            "max_redemptions": "1",
            "redeemed_count": f"CASE WHEN n <= {redemptions} THEN 1 ELSE 0 END",
            "issued_at": "c.created_at + interval '30 minutes'",
            "issued_platform": "c.platform",
            "issued_platform_user_id": "'u' || n",
            "issued_by_id": "c.assignee_id",
            "case_id": "c.id",
            "mention_id": f"{first_mention - 1} + n",
            "created_at": "c.created_at",
        },
        f"(SELECT c.id - {first_case - 1} AS n, c.* FROM engagement_case c"
        f" WHERE c.id < {first_case + issued}) c",
    )
    _insert_select(
        Redemption,
        {
            "code_id": "k.id",
            "campaign_id": "k.campaign_id",
            "merchant": "'bench-shop'",
            "order_id": "'o' || k.id",
            "order_amount": "round((200 + random() * 8000)::numeric, 2)",
            "currency": "'CNY'",
            "discount_amount": "round((20 + random() * 200)::numeric, 2)",
            "platform": "k.issued_platform",
            "platform_user_id": "k.issued_platform_user_id",
            "case_id": "k.case_id",
            "mention_id": "k.mention_id",
            "ambassador_id": "k.issued_by_id",
            "created_at": "LEAST(k.issued_at + interval '2 days', now())",
        },
        "(SELECT * FROM coupons_couponcode WHERE redeemed_count = 1) k",
    )
    print(
        f"  {issued:,} codes, {redemptions:,} redemptions in "
        f"{time.perf_counter() - t0:.1f}s"
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


# --- Reports -------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(label: str, call, samples: int) -> dict:
    call()  # warm: the first run pays for plans and caches
    times = []
    for _ in range(samples):
        t0 = time.perf_counter()
        call()
        times.append((time.perf_counter() - t0) * 1000)
    row = {
        "label": label,
        "p50": statistics.median(times),
        "p95": percentile(times, 0.95),
    }
    verdict = "ok" if row["p95"] < TARGET_P95_MS else "SLOW"
    print(
        f"  {label:<44} p50 {row['p50']:7.1f} ms   p95 {row['p95']:7.1f} ms  {verdict}",
        flush=True,
    )
    return row


def measure_reports(samples: int) -> list[dict]:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    from ambassadors.models import Role
    from ambassadors.selectors import user_role  # noqa: F401 (loaded before timing)
    from integrations import tokens
    from reports.selectors import period_parse, revenue_report, team_report, team_rows
    from reports.selectors.revenue import revenue_rows

    today = timezone.localdate()
    start = (today - __import__("datetime").timedelta(days=DAYS - 1)).isoformat()
    period = period_parse(start, today.isoformat())
    rows = []
    for group_by in ("ambassador", "team", "platform", "priority"):
        rows.append(
            measure(
                f"team rows by {group_by}",
                lambda g=group_by: team_rows(period=period, group_by=g),
                samples,
            )
        )
    rows.append(
        measure(
            "team report page selectors (ambassador)",
            lambda: team_report(period=period, group_by="ambassador"),
            samples,
        )
    )
    for group_by in ("platform", "campaign", "team", "ambassador", "day"):
        rows.append(
            measure(
                f"revenue rows by {group_by}",
                lambda g=group_by: revenue_rows(period=period, group_by=g),
                samples,
            )
        )
    rows.append(
        measure(
            "revenue report page selectors (campaign)",
            lambda: revenue_report(period=period, group_by="campaign"),
            samples,
        )
    )
    manager = get_user_model().objects.get(username="manager")
    assert manager.profile.role == Role.MANAGER
    _t, key = tokens.token_create(user=manager, name="bench", scopes=["reports:read"])
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")

    def api(path):
        response = client.get(path)
        assert response.status_code == 200, response.content[:300]

    query = f"start={start}&end={today.isoformat()}"
    rows.append(
        measure(
            "GET /api/v1/reports/team/ (ambassador)",
            lambda: api(f"/api/v1/reports/team/?{query}&group_by=ambassador"),
            samples,
        )
    )
    rows.append(
        measure(
            "GET /api/v1/reports/revenue/ (campaign)",
            lambda: api(f"/api/v1/reports/revenue/?{query}&group_by=campaign"),
            samples,
        )
    )
    return rows


# --- Webhooks ------------------------------------------------------------------------

RECEIVER = r"""
import hashlib, hmac, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
SECRET = sys.argv[1].encode()
bad = 0
class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body leave in separate writes: without this, Nagle's algorithm
    # and the client's delayed ACK add 40 ms to every answer.
    disable_nagle_algorithm = True
    def log_message(self, *a): pass
    def do_POST(self):
        global bad
        body = self.rfile.read(int(self.headers["Content-Length"]))
        ts = self.headers["X-Webhook-Timestamp"]
        mac = hmac.new(SECRET, ts.encode() + b"." + body, hashlib.sha256)
        want = "sha256=" + mac.hexdigest()
        ok = hmac.compare_digest(want, self.headers["X-Webhook-Signature"])
        if not ok:
            bad += 1
        self.send_response(200 if ok else 400)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")
server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[2])), H)
server.daemon_threads = True
server.serve_forever()
"""


def measure_webhooks(count: int) -> dict:
    import socket

    import redis
    from django.contrib.auth import get_user_model
    from django.db.models import Max, Min

    from integrations import services
    from integrations.models import DeliveryStatus, WebhookDelivery, WebhookEvent
    from integrations.tasks import deliver

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    secret = "bench-webhook-secret"
    os.environ["WEBHOOK_ALLOWED_HOSTS"] = f"127.0.0.1:{port}"
    from django.conf import settings

    settings.WEBHOOK_ALLOWED_HOSTS = [f"127.0.0.1:{port}"]
    redis.Redis.from_url(REDIS_URL).flushdb()
    receiver = subprocess.Popen([sys.executable, "-c", RECEIVER, secret, str(port)])
    worker = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "dellsocial",
            "worker",
            "-Q",
            "webhooks",
            "--concurrency",
            "2",
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
            "--hostname",
            f"bench-{port}@%h",
        ],
        cwd=ROOT,
        env={**os.environ},
    )
    try:
        WebhookDelivery.objects.all().delete()
        WebhookEvent.objects.filter(event="case.created").delete()
        owner = get_user_model().objects.get(username="manager")
        endpoint = services.endpoint_create(
            owner=owner,
            url=f"http://127.0.0.1:{port}/hook",
            events=["case.created"],
            secret=secret,
        )
        events = [
            WebhookEvent(
                event="case.created",
                key=f"case.created:bench{k}",
                data={
                    "case_id": k,
                    "platform": "weibo",
                    "status": "new",
                    "summary": "戴尔 XPS 售后 " * 4,
                },
            )
            for k in range(count)
        ]
        WebhookEvent.objects.bulk_create(events)
        deliveries = WebhookDelivery.objects.bulk_create(
            WebhookDelivery(endpoint=endpoint, event=e) for e in events
        )
        ids = [d.pk for d in deliveries]
        time.sleep(6)  # the worker is up and has its connections
        t0 = time.time()
        for start in range(0, len(ids), services.DELIVERY_BATCH):
            deliver.delay(ids[start : start + services.DELIVERY_BATCH])
        deadline = time.time() + 600
        done = 0
        while time.time() < deadline:
            done = WebhookDelivery.objects.filter(
                endpoint=endpoint, status=DeliveryStatus.SUCCEEDED
            ).count()
            if done >= count:
                break
            time.sleep(0.5)
        span = WebhookDelivery.objects.filter(endpoint=endpoint).aggregate(
            first=Min("delivered_at"), last=Max("delivered_at")
        )
        elapsed = span["last"].timestamp() - t0
        rate = done / elapsed
        verdict = "ok" if rate >= TARGET_DELIVERIES_PER_S and done == count else "SLOW"
        print(
            f"  {done:,}/{count:,} deliveries signed, sent, verified, logged in "
            f"{elapsed:.1f}s: {rate:,.0f}/s  {verdict}",
            flush=True,
        )
        return {"delivered": done, "seconds": elapsed, "per_second": rate}
    finally:
        worker.terminate()
        receiver.terminate()
        worker.wait(30)
        receiver.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--redemptions", type=int, default=50_000)
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--deliveries", type=int, default=10_000)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--skip-webhooks", action="store_true")
    args = parser.parse_args()
    if not args.reuse:
        print(f"Fresh database {DB_NAME}")
        fresh_database(DB_NAME)
        migrate(DB_URL)
    setup_django(DB_URL)
    if not args.reuse:
        generate(args.cases, args.redemptions)
    from coupons.models import Redemption
    from engagement.models import Case

    print(
        f"Reports over {DAYS} days: {Case.objects.count():,} cases, "
        f"{Redemption.objects.count():,} redemptions ({os.cpu_count()} cores, "
        "shared machine)"
    )
    measure_reports(args.samples)
    if not args.skip_webhooks:
        print("Webhook delivery (1 worker, 2 processes, local receiver):")
        measure_webhooks(args.deliveries)


if __name__ == "__main__":
    main()
