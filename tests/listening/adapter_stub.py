"""A real local HTTP server that plays a platform API for adapter tests.

Routes answer with queued responses (the last one repeats), or with a function of
the request; every request is recorded, so tests can assert what the adapter sent
(paging parameters, tokens, form fields) as well as what it made of the answer.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

PAYLOADS = Path(__file__).parent / "payloads"


def payload(name: str) -> Any:
    """A fixture payload, decoded: payload("weibo/mentions_timeline")."""
    return json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))


def payload_bytes(name: str) -> bytes:
    return (PAYLOADS / f"{name}.json").read_bytes()


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    @property
    def form(self) -> dict[str, str]:
        return {k: v[-1] for k, v in parse_qs(self.body.decode()).items()}

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop: bool = False  # close the connection without answering


Responder = Callable[[Recorded], Reply]


class StubServer:
    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], list[Reply] | Responder] = {}
        self.requests: list[Recorded] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                recorded = Recorded(
                    method=self.command,
                    path=parts.path,
                    query={k: v[-1] for k, v in parse_qs(parts.query).items()},
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=self.rfile.read(length) if length else b"",
                )
                stub.requests.append(recorded)
                reply = stub._reply(recorded)
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.drop:
                    self.close_connection = True
                    self.connection.close()
                    return
                self.send_response(reply.status)
                headers = {"Content-Type": "application/json;charset=UTF-8"}
                headers.update(reply.headers)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

            do_GET = _handle
            do_POST = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(
            target=self.server.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
        )

    def __enter__(self) -> StubServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _reply(self, request: Recorded) -> Reply:
        route = self.routes.get((request.method, request.path))
        if route is None:
            return Reply(404, b'{"error": "no such route in the stub"}')
        if callable(route):
            return route(request)
        return route.pop(0) if len(route) > 1 else route[0]

    def on(
        self,
        method: str,
        path: str,
        *replies: Reply | Any,
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Queue answers for ``method path``: Reply objects, or JSON values."""
        queue = [
            r
            if isinstance(r, Reply)
            else Reply(
                status, json.dumps(r, ensure_ascii=False).encode(), headers or {}
            )
            for r in replies
        ]
        self.routes[(method, path)] = queue

    def respond(self, method: str, path: str, responder: Responder) -> None:
        self.routes[(method, path)] = responder

    def calls(self, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.path == path]


def configure(settings, platform: str, base: str, token: str = "test-token") -> None:  # noqa: S107
    """Point ``platform``'s adapter at ``base`` (through the settings fixture)."""
    api = {k: dict(v) for k, v in settings.PLATFORM_API.items()}
    api[platform] = {"base": base, "token": token}
    settings.PLATFORM_API = api
