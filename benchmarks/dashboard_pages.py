"""Server time of the triage dashboard's pages at production size (issue 4).

    .venv/bin/python benchmarks/dashboard_pages.py [--mentions 1000000]
        [--cases 200000] [--samples 60] [--reuse]

The data comes from ``benchmarks.dashboard.generate`` (COPY: 1,000,000 mentions,
200,000 cases, their links, labels, history and replies) plus the tracked brands,
in a database of this benchmark's own (ds_bench_dashboard_pages); ``--reuse`` keeps
an earlier run's.

``measure_pages(samples)`` is the page part of ``benchmarks/dashboard.py`` too:
every request goes through the whole Django stack in-process (session, middleware,
view, selectors, template), timed from the client call to the rendered response;
each line gives p50 and p95 in milliseconds and the most queries one request ran.
Target: p95 under 100 ms, and a number of queries that does not depend on the
number of rows.
"""

from __future__ import annotations

import argparse
import html
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import unquote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import fresh_database, migrate, setup_django

DB_NAME = "ds_bench_dashboard_pages"
DB_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
TARGET_P95_MS = 100.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _measure(label: str, call, samples: int, *, before=None) -> dict:
    """Time ``call`` ``samples`` times after one warm-up; ``before`` runs untimed
    before each call (to empty a cache, say)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()
    times, queries = [], []
    for _ in range(samples):
        if before is not None:
            before()
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            call()
            times.append((time.perf_counter() - t0) * 1000)
        queries.append(len(ctx.captured_queries))
    row = {
        "what": label,
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "max_ms": round(max(times), 1),
        "queries": max(queries),
        "ok": percentile(times, 0.95) <= TARGET_P95_MS,
    }
    flag = "" if row["ok"] else f"  OVER {TARGET_P95_MS:.0f} ms"
    print(
        f"  {label:<62} p50 {row['p50_ms']:>6.1f}  p95 {row['p95_ms']:>6.1f} ms  "
        f"{row['queries']:>2} queries{flag}",
        flush=True,
    )
    return row


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def _ok(response):
    if response.status_code != 200:
        raise RuntimeError(f"{response.status_code}: {response.content[:300]!r}")
    return response


def _people():
    """A community manager, and the ambassador with the most active cases."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from ambassadors.models import Role
    from engagement.models import ACTIVE_Q, Case

    users = get_user_model().objects
    manager = users.filter(profile__role=Role.MANAGER).order_by("id").first()
    busiest = (
        Case.objects.filter(ACTIVE_Q, assignee__profile__role=Role.AMBASSADOR)
        .values("assignee_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    if busiest is not None:
        return manager, users.get(pk=busiest["assignee_id"])
    ambassador = (
        users.filter(profile__role=Role.AMBASSADOR, profile__team__isnull=False)
        .order_by("id")
        .first()
    )
    return manager, ambassador


def _next_cursor(response) -> str:
    """The cursor of the "load more" link of a queue page or fragment."""
    found = re.search(r'hx-get="[^"]*[?&;]cursor=([^"&]+)"', response.content.decode())
    return unquote(html.unescape(found.group(1))) if found else ""


def measure_pages(samples: int = 60) -> list[dict]:
    """Every dashboard page a person waits for, for a manager and an ambassador."""
    from django.core.cache import cache
    from django.urls import reverse

    from engagement.models import ACTIVE_Q, Case
    from engagement.selectors import queue_counts_forget

    print("\nDashboard pages (session login, whole Django stack, in-process):")
    manager_user, amb_user = _people()
    if manager_user is None or amb_user is None:
        print("  skipped: no manager or ambassador in the database")
        return []
    manager, amb = _client(manager_user), _client(amb_user)
    rng = random.Random(4)
    active = list(
        Case.objects.filter(ACTIVE_Q).order_by("?").values_list("id", flat=True)[:500]
    )
    mine = (
        list(
            Case.objects.filter(ACTIVE_Q, assignee=amb_user).values_list(
                "id", flat=True
            )[:500]
        )
        or active
    )
    queue = reverse("engagement:queue")
    rows_url = reverse("engagement:queue_rows")
    poll = reverse("engagement:queue_poll")
    newest = Case.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def case_url(case_id: int) -> str:
        return reverse("engagement:case_detail", args=[case_id])

    # The second page's cursor, as the "load more" link carries it.
    cursor = _next_cursor(_ok(manager.get(queue, {"view": "all"})))
    deep_cursor = cursor
    for _ in range(20):  # 20 pages in: a keyset page costs the same anywhere
        more = _ok(manager.get(rows_url, {"view": "all", "cursor": deep_cursor}))
        deep_cursor = _next_cursor(more) or deep_cursor

    def cold(user):
        return lambda: (cache.clear(), queue_counts_forget(user=user))

    checks = [
        ("queue: manager, all (counts cached)", lambda: manager.get(queue), None),
        (
            "queue: manager, all (counts computed: cold cache)",
            lambda: manager.get(queue),
            cold(manager_user),
        ),
        (
            "queue: manager, unassigned",
            lambda: manager.get(queue, {"view": "unassigned"}),
            None,
        ),
        (
            "queue: manager, breaching SLA",
            lambda: manager.get(queue, {"view": "breaching"}),
            None,
        ),
        (
            "queue: manager, negative Weibo complaints",
            lambda: manager.get(
                queue,
                {"platform": "weibo", "sentiment": "negative", "intent": "complaint"},
            ),
            None,
        ),
        (
            "queue: manager, Chinese text search 屏幕",
            lambda: manager.get(queue, {"q": "屏幕"}),
            None,
        ),
        (
            "queue: manager, competitor brands",
            lambda: manager.get(queue, {"brand": "competitor"}),
            None,
        ),
        (
            "queue: manager, resolved",
            lambda: manager.get(queue, {"status": "resolved"}),
            None,
        ),
        (
            "queue: manager, longest waiting first",
            lambda: manager.get(queue, {"sort": "waiting"}),
            None,
        ),
        (
            "queue rows: manager, page 2 (keyset)",
            lambda: manager.get(rows_url, {"cursor": cursor}),
            None,
        ),
        (
            "queue rows: manager, page 22 (keyset)",
            lambda: manager.get(rows_url, {"cursor": deep_cursor}),
            None,
        ),
        (
            "queue poll: manager, new cases",
            lambda: manager.get(poll, {"after": newest - 20}),
            None,
        ),
        ("queue: ambassador, my cases", lambda: amb.get(queue, {"view": "mine"}), None),
        (
            "queue: ambassador, team queue",
            lambda: amb.get(queue, {"view": "team"}),
            None,
        ),
        (
            "queue: ambassador, my cases (counts computed: cold cache)",
            lambda: amb.get(queue, {"view": "mine"}),
            cold(amb_user),
        ),
        (
            "case page: manager, random active case",
            lambda: manager.get(case_url(rng.choice(active))),
            None,
        ),
        (
            "case page: ambassador, own case",
            lambda: amb.get(case_url(rng.choice(mine))),
            None,
        ),
        (
            "approvals: manager",
            lambda: manager.get(reverse("engagement:approvals")),
            None,
        ),
    ]
    results = []
    for label, call, before in checks:
        try:
            results.append(
                _measure(label, lambda c=call: _ok(c()), samples, before=before)
            )
        except Exception as exc:  # noqa: BLE001 - report and go on with the rest
            print(f"  {label}: FAILED ({type(exc).__name__}: {str(exc)[:200]})")
            results.append({"what": label, "error": str(exc)[:200], "ok": False})
    over = [r["what"] for r in results if not r.get("ok")]
    print(
        "  all under the target" if not over else f"  over the target: {len(over)}",
        flush=True,
    )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mentions", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--samples", type=int, default=60)
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    # Production-like request handling: no DEBUG query log, real host checks.
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-secret")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["CELERY_BROKER_URL"] = "memory://"
    if not args.reuse:
        print(f"Database {DB_NAME}: fresh, migrating, generating...", flush=True)
        fresh_database(DB_NAME)
        migrate(DB_URL)
        setup_django(DB_URL)
        from benchmarks.dashboard import generate

        t0 = time.perf_counter()
        generate(args.mentions, args.cases)
        print(f"  generated in {time.perf_counter() - t0:.0f}s", flush=True)
    else:
        setup_django(DB_URL)
    from listening.nlp.services import brands_seed

    # The tracked brands: the generated mentions name only the own brand, so the
    # competitor filter is the worst case (no case matches; every window is read).
    brands_seed()
    from engagement.models import ACTIVE_Q, Case
    from listening.models import Mention

    print(
        f"Data: {Mention.objects.count():,} mentions, {Case.objects.count():,} "
        f"cases, {Case.objects.filter(ACTIVE_Q).count():,} active"
    )
    measure_pages(args.samples)


if __name__ == "__main__":
    main()
