"""`make run` itself: the command a newcomer types starts a working product, every
later `manage.py` command uses the same database and broker (issue 11, item 1), a
dead child is started again (item 14), and stopping it leaves nothing behind, ten
times in a row (item 10)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg2
import pytest
import requests
from django.conf import settings

from conftest import require
from tests.integration.conftest import redis_answers
from tests.integration.stack import ROOT, free_port, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.slow]

DATABASE = "dellsocial_make_run_test"
ENV_FILE = ROOT / ".env"
PAYLOAD = ROOT / "tests" / "listening" / "payloads" / "weibo" / "mentions_timeline.json"


def _recreate_database(*, create: bool) -> None:
    conn = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
    conn.autocommit = True  # CREATE/DROP DATABASE cannot run in a transaction
    try:
        with conn.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
            if create:
                cursor.execute(f"CREATE DATABASE {DATABASE}")
    finally:
        conn.close()


def _platforms_seen() -> set[str]:
    try:
        conn = psycopg2.connect(
            host="127.0.0.1", user="postgres", dbname=DATABASE, connect_timeout=2
        )
    except psycopg2.Error:
        return set()
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT DISTINCT platform FROM listening_mention")
            return {row[0] for row in cursor.fetchall()}
    except psycopg2.Error:
        return set()
    finally:
        conn.close()


def processes_marked(mark: str) -> dict[int, str]:
    """{pid: command line} of every live process whose environment holds ``mark``
    (every descendant of that make run, whatever its process group)."""
    found = {}
    needle = f"DELLSOCIAL_TEST_MARK={mark}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            status = (entry / "status").read_text()
            if re.search(r"^State:\s+Z", status, re.M):
                continue  # a zombie holds nothing
            found[int(entry.name)] = (
                (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            )
        except OSError:
            continue
    return found


def port_free(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("0.0.0.0", port))  # noqa: S104 (what gunicorn binds)
        except OSError:
            return False
    return True


def plain_shell(*args: str) -> subprocess.CompletedProcess:
    """A command typed in a new terminal: no DATABASE_URL, no test settings."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/root"),
        "LANG": "C.UTF-8",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


class MakeRun:
    def __init__(self, tmp_path: Path, **extra: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.mark = uuid.uuid4().hex
        env = {
            k: v for k, v in os.environ.items() if k not in {"DEBUG", "MOCK_PLATFORMS"}
        }
        self.env = {
            **env,
            # pytest-django exported the test settings; make run must use the real.
            "DJANGO_SETTINGS_MODULE": "dellsocial.settings",
            "PORT": str(self.port),
            "SITE_URL": self.base,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
            "REDIS_URL": "redis://127.0.0.1:6379/12",
            "DISPATCH_INTERVAL_SECONDS": "1",
            "DELLSOCIAL_TEST_MARK": self.mark,
            **extra,
        }
        self.log_path = tmp_path / f"make-run-{self.port}.log"
        self.log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            ["make", "run"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def answers(self) -> bool:
        try:
            response = requests.get(f"{self.base}/", timeout=2, allow_redirects=True)
        except requests.RequestException:
            return False
        return response.ok and "/accounts/login/" in response.url

    def wait_ready(self, timeout: float = 240) -> None:
        wait_for(self.answers, timeout=timeout, interval=0.5, what="the dashboard")

    def interrupt(self) -> int:
        """Ctrl-C, as in the terminal: SIGINT to make's foreground group."""
        os.killpg(self.process.pid, signal.SIGINT)
        return self.process.wait(timeout=60)

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def cleanup(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        for pid in processes_marked(self.mark):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.log.close()


@pytest.fixture
def database():
    require(settings.IS_POSTGRES, "PostgreSQL is not reachable")
    require(redis_answers(), "Redis is not reachable on 127.0.0.1:6379")
    saved = ENV_FILE.read_bytes() if ENV_FILE.exists() else None
    ENV_FILE.unlink(missing_ok=True)
    _recreate_database(create=True)
    try:
        yield DATABASE
    finally:
        _recreate_database(create=False)
        if saved is None:
            ENV_FILE.unlink(missing_ok=True)
        else:
            ENV_FILE.write_bytes(saved)


def test_make_run_serves_pulls_and_shares_its_database_with_later_commands(
    database, tmp_path
):
    run = MakeRun(tmp_path)
    try:
        run.wait_ready()
        wait_for(
            lambda: _platforms_seen() >= {"weibo", "twitter", "renren"},
            timeout=180,
            interval=1,
            what="mentions from weibo, twitter and renren",
        )
        printed = run.output()
        assert "ambassador1" in printed and settings.DEMO_PASSWORD in printed
        written = ENV_FILE.read_text()
        assert f"DATABASE_URL=postgres://postgres@127.0.0.1:5432/{DATABASE}" in written
        assert "REDIS_URL=redis://127.0.0.1:6379/12" in written

        # A new terminal: the README's commands reach the running product's data.
        made = plain_shell("create_api_token", "manager")
        assert made.returncode == 0, made.stderr
        token = made.stdout.strip().splitlines()[-1]
        api = requests.Session()
        api.headers["Authorization"] = f"Token {token}"
        assert api.get(f"{run.base}/api/v1/mentions/", timeout=10).status_code == 200

        imported = plain_shell(
            "import_mentions", "--platform", "weibo", "--kind", "mentions", str(PAYLOAD)
        )
        assert imported.returncode == 0, imported.stdout + imported.stderr
        import json

        body = json.loads(PAYLOAD.read_text())
        wanted = {str(status["id"]) for status in body["statuses"]}
        listed = api.get(
            f"{run.base}/api/v1/mentions/",
            params={"platform": "weibo", "page_size": 500},
            timeout=10,
        ).json()["results"]
        assert wanted <= {m["external_id"] for m in listed}

        # A child that dies is started again; the product goes on.
        workers = {
            pid: cmd
            for pid, cmd in processes_marked(run.mark).items()
            if " worker " in cmd and "celery" in cmd
        }
        assert workers
        first = min(workers)
        os.killpg(os.getpgid(first), signal.SIGKILL)
        wait_for(
            lambda: any(
                " worker " in cmd and "celery" in cmd and pid not in workers
                for pid, cmd in processes_marked(run.mark).items()
            ),
            timeout=60,
            what="a new worker",
        )
        assert run.process.poll() is None
        assert "worker exited with" in run.output()
        assert run.answers()

        # Ctrl-C stops everything.
        run.interrupt()
        wait_for(lambda: port_free(run.port), timeout=10, what="the port to be free")
        wait_for(
            lambda: not processes_marked(run.mark), timeout=10, what="no process left"
        )
    except BaseException:
        print(run.output()[-8000:])
        raise
    finally:
        run.cleanup()


def test_stopping_make_run_ten_times_leaves_no_process_and_frees_the_port(
    database, tmp_path
):
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input"],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "dellsocial.settings",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        },
        check=True,
        capture_output=True,
    )
    for attempt in range(10):
        run = MakeRun(tmp_path, RUN_SETUP="false", RUN_STOP_GRACE_SECONDS="5")
        try:
            run.wait_ready(timeout=120)
            assert processes_marked(run.mark)
            started = time.monotonic()
            run.interrupt()
            assert time.monotonic() - started < 20
            left = processes_marked(run.mark)
            assert not left, f"run {attempt}: left behind {left}"
            assert port_free(run.port), f"run {attempt}: port {run.port} still taken"
        except BaseException:
            print(run.output()[-6000:])
            raise
        finally:
            run.cleanup()
