"""Real processes for the integration suite: gunicorn (app + mock platforms), Celery
workers and beat, all against the test database and a Redis database of their own."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
QUEUES = "ingest,nlp,route,deliver,default"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(
    predicate: Callable[[], object], *, timeout: float, interval: float = 0.25, what=""
):
    """Poll ``predicate`` until it returns something truthy; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(
        f"timed out after {timeout}s waiting for {what} (last: {last!r})"
    )


class Stack:
    """The product's processes. By default against the shared PostgreSQL and Redis of
    the machine (``database_name``, ``redis_db``); the fault suite passes the URLs of
    servers of its own (``database_url``, ``redis_url``) and extra ``env``."""

    def __init__(
        self,
        *,
        log_dir: Path,
        database_name: str = "",
        redis_db: int = 0,
        database_url: str = "",
        redis_url: str = "",
        env: dict[str, str] | None = None,
    ) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_dir = log_dir
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "dellsocial.settings",
            "DATABASE_URL": database_url
            or f"postgres://postgres@127.0.0.1:5432/{database_name}",
            "REDIS_URL": redis_url or f"redis://127.0.0.1:6379/{redis_db}",
            "SITE_URL": self.base_url,
            "PORT": str(self.port),
            "DB_CONN_MAX_AGE": "0",
            # Fast recovery in tests: a dead worker's task comes back within seconds.
            "CELERY_VISIBILITY_TIMEOUT": "6",
            "SOURCE_POLL_LEASE_SECONDS": "6",
            "ENGAGEMENT_DELIVERY_LEASE_SECONDS": "6",
            "AMBASSADORS_SHARE_LEASE_SECONDS": "6",
            "DISPATCH_INTERVAL_SECONDS": "1",
            "LOG_LEVEL": "INFO",
            **(env or {}),
        }
        self.processes: list[subprocess.Popen] = []

    def _spawn(self, name: str, command: list[str]) -> subprocess.Popen:
        log = open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115 (closed with the process)
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: kill -9 takes all of it
        )
        process.log = log  # type: ignore[attr-defined]
        self.processes.append(process)
        return process

    def start_web(self, workers: int = 2) -> subprocess.Popen:
        process = self._spawn(
            "web",
            [
                str(BIN / "gunicorn"),
                "dellsocial.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--threads",
                "4",
            ],
        )
        wait_for(self._web_answers, timeout=60, what="the web server")
        return process

    def _web_answers(self) -> bool:
        try:
            return requests.get(f"{self.base_url}/accounts/login/", timeout=2).ok
        except requests.RequestException:
            return False

    def start_worker(
        self, name: str = "worker", concurrency: int = 2, queues: str = QUEUES
    ) -> subprocess.Popen:
        return self._spawn(
            name,
            [
                str(BIN / "celery"),
                "-A",
                "dellsocial",
                "worker",
                "-Q",
                queues,
                "--concurrency",
                str(concurrency),
                "--loglevel",
                "INFO",
                "--hostname",
                f"{name}-{self.port}@%h",
                "--without-gossip",
                "--without-mingle",
            ],
        )

    def start_beat(self) -> subprocess.Popen:
        return self._spawn(
            "beat",
            [
                str(BIN / "celery"),
                "-A",
                "dellsocial",
                "beat",
                "--loglevel",
                "INFO",
                "--schedule",
                str(self.log_dir / "celerybeat-schedule"),
            ],
        )

    def run_manage(
        self, *args: str, timeout: float = 300
    ) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )

    @staticmethod
    def kill(process: subprocess.Popen) -> None:
        """kill -9 the process and all its children (a machine lost, not a shutdown)."""
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=30)

    @staticmethod
    def stop(process: subprocess.Popen) -> None:
        if process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                return
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                Stack.kill(process)

    def stop_all(self) -> None:
        for process in reversed(self.processes):
            self.stop(process)
            process.log.close()  # type: ignore[attr-defined]

    def logs(self) -> str:
        out = []
        for path in sorted(self.log_dir.glob("*.log")):
            out.append(f"===== {path.name}\n{path.read_text(errors='replace')[-6000:]}")
        return "\n".join(out)
