"""Outbound webhook requests: signed, refusing private addresses, never following
redirects, bounded in time."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from django.conf import settings

# What a receiver's answer keeps in the log.
EXCERPT_CHARS = 500
USER_AGENT = "dellsocial-webhooks/1"


class AddressRefused(Exception):
    """The URL points at an address webhooks may not reach."""


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def body_of(*, event_id: str, event: str, created_at: str, data: dict) -> bytes:
    return json.dumps(
        {"id": event_id, "event": event, "created_at": created_at, "data": data},
        ensure_ascii=False,
        separators=(",", ":"),
        sort_keys=True,
    ).encode()


def _allowed_hosts() -> set[str]:
    return {h.strip().lower() for h in settings.WEBHOOK_ALLOWED_HOSTS if h.strip()}


def session_create() -> requests.Session:
    """A pooled HTTP session for deliveries: keep-alive connections, as many per
    host as deliveries in flight (WEBHOOK_CONCURRENCY), no retries of its own (a
    failed attempt is retried by the delivery's backoff), no proxies from the
    environment."""
    session = requests.Session()
    session.trust_env = False
    size = max(1, settings.WEBHOOK_CONCURRENCY)
    adapter = requests.adapters.HTTPAdapter(
        pool_connections=size, pool_maxsize=size, max_retries=0, pool_block=True
    )
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def check_url(url: str) -> None:
    """AddressRefused unless the URL is http(s) to public addresses only, or its
    ``host:port`` is on WEBHOOK_ALLOWED_HOSTS."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AddressRefused("only http and https URLs")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    if f"{parts.hostname.lower()}:{port}" in _allowed_hosts():
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except socket.gaierror:
        raise AddressRefused("the host name does not resolve") from None
    for info in infos:
        if not _public(info[4][0]):
            raise AddressRefused(f"{info[4][0]} is a private or reserved address")


@dataclass
class Outcome:
    ok: bool
    status: int | None
    latency_ms: int
    excerpt: str
    error: str


def post(
    session: requests.Session,
    *,
    url: str,
    secret: str,
    event_id: str,
    event: str,
    body: bytes,
    checked: bool = False,
) -> Outcome:
    """One signed POST; any answer but 2xx, a timeout or a refusal is a failure.
    ``checked``: the caller has just passed the URL through ``check_url``."""
    started = time.monotonic()
    if not checked:
        try:
            check_url(url)
        except AddressRefused as exc:
            return Outcome(False, None, 0, "", f"refused: {exc}"[:300])
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Webhook-Id": event_id,
        "X-Webhook-Event": event,
        "X-Webhook-Timestamp": timestamp,
        "X-Webhook-Signature": signature(secret, timestamp, body),
    }
    try:
        response = session.post(
            url,
            data=body,
            headers=headers,
            timeout=(settings.WEBHOOK_CONNECT_TIMEOUT, settings.WEBHOOK_READ_TIMEOUT),
            allow_redirects=False,
            stream=True,
        )
        try:
            chunk = next(response.iter_content(EXCERPT_CHARS * 4), b"")
            # A short answer, read to its end, leaves the connection reusable;
            # a long one is cut off here (close drops that connection).
            rest = response.raw.read(1, decode_content=False) if chunk else b""
        except requests.RequestException:
            chunk = rest = b"x"
        if rest:
            response.close()
        else:
            response.raw.release_conn()
    except requests.Timeout:
        return Outcome(False, None, _ms(started), "", "timeout")
    except requests.RequestException as exc:
        return Outcome(False, None, _ms(started), "", type(exc).__name__)
    excerpt = chunk.decode("utf-8", "replace")[:EXCERPT_CHARS]
    ok = 200 <= response.status_code < 300
    return Outcome(
        ok,
        response.status_code,
        _ms(started),
        excerpt,
        "" if ok else f"HTTP {response.status_code}",
    )


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
