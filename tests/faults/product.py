"""The product under faults: its processes, live traffic from the mock platforms, the
faults themselves, and the checks that nothing was lost or done twice."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import psycopg2
import requests

from tests.integration.stack import ROOT, Stack, wait_for

from .servers import PostgresCluster, RedisServer

BRAND_UID = "1642909335"  # the mock Weibo's brand account (mockfeeds/README.md)
# One worker per queue kind, as deployed: (queues, concurrency).
WORKERS = {
    "ingest": ("ingest", 2),
    "nlp": ("nlp", 1),
    "route": ("route", 1),
    "deliver": ("deliver", 1),
    "default": ("default,webhooks", 1),
}
# How long the product may take to catch up once a fault is over (everything lost
# with a message is found by a sweep within seconds in this stack).
SETTLE_TIMEOUT = 150
# After recovery the web must answer within this (issue 11).
WEB_RECOVERY_SECONDS = 30
PASSWORD = "fault-suite-pass-123"  # noqa: S105 (a throwaway test user)
# The shop that redeems codes all along (redemption busy under every fault), and
# how many single-use codes it has: more than the whole suite spends.
SHOP = "fault-shop"
CODES = 3000
# A shop retries an order whose answer it did not get (a 5xx, a 429, no answer)
# with the same order id, as the API documents; this long at most.
REDEEM_RETRY_SECONDS = 120

SETUP = f"""
from django.contrib.auth import get_user_model
from ambassadors.demo import demo_seed
from ambassadors.services import profile_update
from integrations.tokens import role_token_create, shop_user_create
from engagement.services import demo_seed as engagement_seed
from listening.models import Source
demo_seed(password={PASSWORD!r})
engagement_seed()
manager = get_user_model().objects.get(username="manager")
profile_update(profile=manager.profile, disclosure_signature="—戴尔中国 社区经理")
Source.objects.create(
    name="weibo mentions", platform="weibo", kind="mentions",
    query={BRAND_UID!r}, poll_interval=1, enabled=False,
)
print("TOKEN=" + role_token_create(user=manager, name="faults")[1])
import datetime as dt, json
from decimal import Decimal
from django.utils import timezone
from coupons.models import CouponCode
from coupons.services import campaign_create, codes_generate
campaign = campaign_create(
    name="微博专享 9 折", platforms=["weibo"], shops=[{SHOP!r}],
    discount_type="percent", discount_value=Decimal("10"), currency="CNY",
    starts_at=timezone.now() - dt.timedelta(days=1),
    ends_at=timezone.now() + dt.timedelta(days=30),
    per_customer_limit=1, min_order_amount=Decimal("0"),
)
batch = codes_generate(campaign_id=campaign.id, count={CODES}, max_redemptions=1)
print("SHOP=" + shop_user_create(username={SHOP!r})[1])
print("CODES=" + json.dumps(list(
    CouponCode.objects.filter(batch_id=batch.id).values_list("code", flat=True)
)))
"""

UNROUTED_SQL = """
SELECT count(*) FROM listening_mention m
LEFT JOIN engagement_casemention cm ON cm.mention_id = m.id
LEFT JOIN listening_author a ON a.id = m.author_id
WHERE m.analyzed_at IS NOT NULL AND cm.id IS NULL
  AND coalesce(a.external_id, '') <> %s
"""


@dataclass
class Row:
    fault: str
    expected: str
    test: str
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


class Product:
    def __init__(
        self, *, stack: Stack, redis: RedisServer, postgres: PostgresCluster
    ) -> None:
        self.stack = stack
        self.redis = redis
        self.postgres = postgres
        self.workers: dict[str, object] = {}
        self.token = ""
        self.rows: list[Row] = []
        self.replies_posted = 0
        self.shop_token = ""
        self.codes: list[str] = []
        # Orders the shop sent, and the redemption id each one was answered with
        # (None: no definitive answer yet).
        self.orders: dict[str, int | None] = {}
        self._redeeming = threading.Event()
        self._redeemer: threading.Thread | None = None
        # Workers restarted because they exited, per kind (since the last row).
        self.restarts: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._supervising = threading.Event()
        self._supervisor: threading.Thread | None = None

    # -- start ------------------------------------------------------------------

    def start(self) -> None:
        # Everything boots at once (two cores: the workers take the longest); the
        # source listens only once the mock is set up.
        setup = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "shell", "-c", SETUP],
            cwd=ROOT,
            env=self.stack.env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for kind in WORKERS:
            self.start_worker(kind)
        self.stack.start_beat()
        self.stack.start_web(workers=2)
        out, _ = setup.communicate(timeout=300)
        assert setup.returncode == 0, out
        self.token = out.split("TOKEN=", 1)[1].split()[0]
        self.shop_token = out.split("SHOP=", 1)[1].split()[0]
        self.codes = json.loads(out.split("CODES=", 1)[1].splitlines()[0])
        self.control({"reset": ["weibo"], "seed": 11, "rate": 0, "limits": 1_000_000})
        self.control({"backlog": {"weibo": 200}, "all_mentions": True, "seed": 11})
        self.sql("UPDATE listening_source SET enabled = true RETURNING id")
        self._supervising.set()
        self._supervisor = threading.Thread(target=self._supervise, daemon=True)
        self._supervisor.start()
        self.wait_settled("the first backlog")
        self.restarts.clear()

    def stop(self) -> None:
        self._supervising.clear()
        if self._supervisor is not None:
            self._supervisor.join(timeout=10)

    def start_worker(self, kind: str) -> None:
        queues, concurrency = WORKERS[kind]
        self.workers[kind] = self.stack.start_worker(
            f"worker-{kind}", concurrency=concurrency, queues=queues
        )

    def _supervise(self) -> None:
        """Restart a worker that exited, as production's compose file does
        (``restart: unless-stopped``) and ``make run`` does for its children."""
        while self._supervising.is_set():
            with self._lock:
                for kind, process in list(self.workers.items()):
                    if process.poll() is not None:  # type: ignore[attr-defined]
                        self.restarts[kind] += 1
                        self.start_worker(kind)
            time.sleep(0.5)

    def kill_worker(self, kind: str) -> None:
        """kill -9 the worker (all its processes); the supervisor starts a new one."""
        with self._lock:
            Stack.kill(self.workers[kind])  # type: ignore[arg-type]

    # -- the mock platforms -------------------------------------------------------

    def control(self, payload: dict) -> dict:
        response = requests.post(
            f"{self.stack.base_url}/mock/_control", json=payload, timeout=60
        )
        assert response.ok, response.text
        return response.json()

    def traffic(self, *, backlog: int, rate: int = 600) -> None:
        """New posts now (``backlog``, every one mentioning the brand) and more
        arriving (``rate`` a minute) until ``quiet``."""
        self.control({"backlog": {"weibo": backlog}, "all_mentions": True})
        self.control({"rate": {"weibo": rate}})

        self._redeeming.set()
        if self._redeemer is None or not self._redeemer.is_alive():
            self._redeemer = threading.Thread(target=self._redeem, daemon=True)
            self._redeemer.start()

    def quiet(self) -> None:
        self.control({"rate": {"weibo": 0}})
        self._redeeming.clear()
        if self._redeemer is not None:
            self._redeemer.join(timeout=REDEEM_RETRY_SECONDS + 30)
            assert not self._redeemer.is_alive(), "the shop's last order never settled"

    # -- a shop redeeming codes -------------------------------------------------------

    def _redeem(self) -> None:
        """A shop's checkout: one order after another, each with a fresh code; an
        order without a definitive answer is sent again with the same order id."""
        while self._redeeming.is_set() and len(self.orders) < len(self.codes):
            number = len(self.orders)
            order_id = f"F-{number}"
            self.orders[order_id] = None
            self.orders[order_id] = self._send_order(order_id, self.codes[number])
            time.sleep(0.05)

    def _send_order(self, order_id: str, code: str) -> int:
        body = {
            "code": code,
            "order_id": order_id,
            "order_amount": "500.00",
            "platform": "weibo",
        }
        deadline = time.monotonic() + REDEEM_RETRY_SECONDS
        while True:
            try:
                response = requests.post(
                    f"{self.stack.base_url}/api/v1/coupons/redeem/",
                    json=body,
                    headers={"Authorization": f"Token {self.shop_token}"},
                    timeout=10,
                )
            except requests.RequestException:
                response = None
            if response is not None and response.status_code == 200:
                return int(response.json()["redemption_id"])
            if response is not None and response.status_code < 500:
                if response.status_code != 429:
                    raise AssertionError(
                        (order_id, response.status_code, response.text)
                    )
            assert time.monotonic() < deadline, f"order {order_id} never answered"
            time.sleep(0.5)

    def inbox_texts(self) -> list[str]:
        response = requests.get(
            f"{self.stack.base_url}/mock/weibo/_inbox?limit=1000", timeout=30
        )
        response.raise_for_status()
        return [item.get("text", "") for item in response.json()["replies"]]

    # -- the database ---------------------------------------------------------------

    def sql(self, query: str, params: tuple = ()) -> list[tuple]:
        conn = psycopg2.connect(self.postgres.url("faults"), connect_timeout=5)
        conn.autocommit = True
        try:
            with conn.cursor() as cursor:
                cursor.execute(query, params)
                return cursor.fetchall()
        finally:
            conn.close()

    def scalar(self, query: str, params: tuple = ()) -> int:
        return int(self.sql(query, params)[0][0])

    def unanalysed(self) -> int:
        return self.scalar(
            "SELECT count(*) FROM listening_mention WHERE analyzed_at IS NULL"
        )

    def unrouted(self) -> int:
        return self.scalar(UNROUTED_SQL, (BRAND_UID,))

    def replies_in_flight(self) -> int:
        return self.scalar(
            "SELECT count(*) FROM engagement_reply "
            "WHERE status IN ('queued', 'sending')"
        )

    def counts(self) -> dict[str, int]:
        """What the checks compare: zero everywhere but the totals means nothing
        was lost or doubled."""
        expected = {
            str(row[0])
            for row in self.sql(
                "SELECT ext_id FROM mockfeeds_mockpost WHERE platform = 'weibo' "
                "AND kind = 'status' AND NOT is_deleted AND mentions_brand"
            )
        }
        stored = [
            row[0]
            for row in self.sql(
                "SELECT external_id FROM listening_mention WHERE platform = 'weibo'"
            )
        ]
        replies = self.sql(
            "SELECT text, status FROM engagement_reply WHERE text LIKE %s",
            ("%[F%",),
        )
        inbox = Counter()
        for text in self.inbox_texts():
            for reply_text, _status in replies:
                if reply_text in text:
                    inbox[reply_text] += 1
        sent = [t for t, s in replies if s == "sent"]
        redeemed = Counter(
            order_id
            for (order_id,) in self.sql(
                "SELECT order_id FROM coupons_redemption WHERE merchant = %s", (SHOP,)
            )
        )
        answered = {o: rid for o, rid in list(self.orders.items()) if rid is not None}
        stored_ids = {row[0] for row in self.sql("SELECT id FROM coupons_redemption")}
        over_used = self.scalar(
            "SELECT count(*) FROM (SELECT code_id FROM coupons_redemption "
            "GROUP BY code_id HAVING count(*) > 1) AS over"
        )
        return {
            "mock posts": len(expected),
            "stored": len(stored),
            "missing": len(expected - set(stored)),
            "duplicate": len(stored) - len(set(stored)),
            "unanalysed": self.unanalysed(),
            "unrouted": self.unrouted(),
            "replies": len(replies),
            "replies sent": len(sent),
            "replies unsettled": sum(
                1 for _t, s in replies if s in ("queued", "sending")
            ),
            "replies failed": sum(1 for _t, s in replies if s == "failed"),
            "replies undelivered": sum(1 for t in sent if inbox[t] == 0),
            "replies delivered twice": sum(1 for t in sent if inbox[t] > 1),
            "orders": len(answered),
            # Answered 200 by the API, but the redemption is not in the database.
            "redemptions lost": sum(
                1 for rid in answered.values() if rid not in stored_ids
            ),
            "redemptions doubled": sum(1 for n in redeemed.values() if n > 1)
            + over_used,
            # Stored for an order the shop never had answered (an order is sent
            # again until it is, so none may be left).
            "redemptions unanswered": sum(1 for o in redeemed if o not in answered),
        }

    # -- replies --------------------------------------------------------------------

    def _cases_to_answer(self, count: int) -> list[int]:
        rows = self.sql(
            "SELECT c.id FROM engagement_case c "
            "JOIN listening_author a ON a.id = c.author_id "
            "WHERE c.platform = 'weibo' AND c.status IN ('new', 'open') "
            "AND a.followers_count < 5000 AND a.external_id <> %s "
            "AND NOT EXISTS (SELECT 1 FROM engagement_reply r WHERE r.case_id = c.id) "
            "ORDER BY c.id LIMIT %s",
            (BRAND_UID, count),
        )
        return [row[0] for row in rows]

    def post_replies(self, count: int) -> list[int]:
        """Approved replies (a manager's) to ``count`` open cases; their ids."""
        ids = []
        for case_id in self._cases_to_answer(count):
            self.replies_posted += 1
            text = f"[F{self.replies_posted}] 您好，感谢反馈！工程师会尽快联系您。"
            response = requests.post(
                f"{self.stack.base_url}/api/v1/cases/{case_id}/replies/",
                json={"text": text},
                headers={"Authorization": f"Token {self.token}"},
                timeout=30,
            )
            assert response.status_code in (200, 201), response.text
            ids.append(response.json()["id"])
        return ids

    # -- recovery -------------------------------------------------------------------

    def web_answers(self) -> bool:
        try:
            response = requests.get(
                f"{self.stack.base_url}/api/v1/cases/?page_size=5",
                headers={"Authorization": f"Token {self.token}"},
                timeout=5,
            )
        except requests.RequestException:
            return False
        return response.status_code == 200

    def check_web(self) -> None:
        """Within 30 s the web answers, then no 5xx on the pages people use."""
        wait_for(
            self.web_answers,
            timeout=WEB_RECOVERY_SECONDS,
            interval=0.5,
            what="the web to answer again",
        )
        headers = {"Authorization": f"Token {self.token}"}
        for path in (
            "/accounts/login/",
            "/api/v1/cases/",
            "/api/v1/mentions/",
            "/api/v1/replies/",
            # Not a platform API: those answer the faults the tests arm.
            "/mock/_control",
        ):
            response = requests.get(
                f"{self.stack.base_url}{path}", headers=headers, timeout=10
            )
            assert response.status_code < 500, (path, response.status_code)

    def settled(self) -> dict[str, int] | None:
        try:
            counts = self.counts()
        except (psycopg2.Error, requests.RequestException):
            return None
        if (
            counts["missing"]
            or counts["unanalysed"]
            or counts["unrouted"]
            or counts["replies unsettled"]
        ):
            return None
        return counts

    def wait_settled(self, what: str) -> dict[str, int]:
        return wait_for(self.settled, timeout=SETTLE_TIMEOUT, interval=1.0, what=what)

    def settle(
        self, *, fault: str, expected: str, test: str, began: float
    ) -> dict[str, int]:
        """The fault is over: stop new traffic, then prove nothing was lost or
        doubled, the web answers and every worker is still (or again) running."""
        self.check_web()
        self.quiet()
        counts = self.wait_settled(f"the product to catch up after: {fault}")
        assert counts["duplicate"] == 0, counts
        assert counts["stored"] == counts["mock posts"], counts
        assert counts["replies failed"] == 0, counts
        assert counts["replies undelivered"] == 0, counts
        assert counts["replies delivered twice"] == 0, counts
        assert counts["replies sent"] == counts["replies"], counts
        assert counts["orders"] > 0, counts  # redemption was busy too
        assert counts["redemptions lost"] == 0, counts
        assert counts["redemptions doubled"] == 0, counts
        assert counts["redemptions unanswered"] == 0, counts
        restarts = sum(self.restarts.values())
        self.restarts.clear()
        counts["worker restarts"] = restarts
        self.rows.append(
            Row(fault, expected, test, counts, round(time.monotonic() - began, 1))
        )
        return counts

    def table(self) -> str:
        lines = [
            "| fault | expected | test | mock posts | stored | missing | duplicate | "
            "unanalysed | unrouted | replies sent | delivered twice | "
            "orders redeemed | redemptions lost | redemptions doubled | "
            "worker restarts | seconds |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for row in self.rows:
            c = row.counts
            lines.append(
                f"| {row.fault} | {row.expected} | {row.test} | {c['mock posts']} | "
                f"{c['stored']} | {c['missing']} | {c['duplicate']} | "
                f"{c['unanalysed']} | {c['unrouted']} | {c['replies sent']} | "
                f"{c['replies delivered twice']} | {c['orders']} | "
                f"{c['redemptions lost']} | {c['redemptions doubled']} | "
                f"{c['worker restarts']} | "
                f"{row.seconds} |"
            )
        return "\n".join(lines)
