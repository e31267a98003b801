"""A real local HTTP receiver for webhooks: it verifies signatures as a customer's
server would, answers from a script (500, a stall past the timeout, 200...), and
remembers event ids to show that duplicates are recognisable."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    headers: dict
    body: bytes
    signature_ok: bool
    duplicate: bool

    @property
    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    secret: str
    script: list = field(default_factory=list)  # answers to the next requests
    received: list[Received] = field(default_factory=list)
    seen: set = field(default_factory=set)
    stall_seconds: float = 3.0

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                timestamp = self.headers.get("X-Webhook-Timestamp", "")
                expected = (
                    "sha256="
                    + hmac.new(
                        receiver.secret.encode(),
                        f"{timestamp}.".encode() + body,
                        hashlib.sha256,
                    ).hexdigest()
                )
                signature_ok = hmac.compare_digest(
                    expected, self.headers.get("X-Webhook-Signature", "")
                )
                event_id = self.headers.get("X-Webhook-Id")
                action = receiver.script.pop(0) if receiver.script else 200
                if action == "timeout":
                    time.sleep(receiver.stall_seconds)
                    action = 200
                duplicate = event_id in receiver.seen
                if action == 200:
                    receiver.seen.add(event_id)
                receiver.received.append(
                    Received(dict(self.headers), body, signature_ok, duplicate)
                )
                if action == "redirect":
                    self.send_response(302)
                    self.send_header("Location", "http://169.254.169.254/")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                answer = b'{"ok": true}' if action == 200 else b"boom <b>"
                self.send_response(int(action))
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
