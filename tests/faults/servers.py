"""Servers of the fault suite's own, so it may stop, kill and restart them without
touching the machine's: a Redis with its append-only file (as in production) and a
PostgreSQL cluster, each on a free port in a directory of its own."""

from __future__ import annotations

import glob
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg2
import redis

from tests.integration.stack import free_port, wait_for


class RedisServer:
    """``redis-server`` with ``appendonly yes`` (fsync every second, production's
    setting) in ``directory``; stop/start keep its data, ``kill`` is a crash."""

    def __init__(self, directory: Path) -> None:
        self.dir = directory
        self.dir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed")
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.dir),
                "--appendonly",
                "yes",
                "--appendfsync",
                "everysec",
                "--save",
                "",
                "--logfile",
                str(self.dir / "redis.log"),
            ],
            start_new_session=True,
        )
        wait_for(self.answers, timeout=30, what="the fault suite's Redis")

    def answers(self) -> bool:
        try:
            return bool(redis.Redis(port=self.port, socket_timeout=1).ping())
        except redis.RedisError:
            return False

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_timeout=5)

    def stop(self) -> None:
        """A graceful shutdown: Redis writes its append-only file and exits."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)


def postgres_binaries() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb is None:
        raise RuntimeError("PostgreSQL's initdb is not installed")
    return Path(initdb).parent


class PostgresCluster:
    """A cluster made with ``initdb`` in a fresh directory, served on a free port.

    PostgreSQL refuses to run as root: then the directory belongs to the
    ``postgres`` user and every server command runs as that user.
    """

    def __init__(self) -> None:
        self.bin = postgres_binaries()
        self.root = Path(tempfile.mkdtemp(prefix="dellsocial-faults-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.root, user="postgres", group="postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def _run(self, *command: str, timeout: float = 120) -> None:
        subprocess.run(
            [*self.as_user, *command],
            check=True,
            capture_output=True,
            timeout=timeout,
            cwd=self.root,
        )

    def init(self) -> None:
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} "
            # Test data: no disk flushes (a clean stop still writes everything).
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200"
        )
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.root / "postgres.log"),
            "-o",
            options,
            "-w",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        """``fast`` ends every session and shuts down cleanly; ``immediate`` is a
        crash (recovery from the WAL on the next start)."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "stop")

    def restart(self, mode: str = "fast") -> None:
        self.stop(mode)
        self.start()

    def connect(self, name: str):
        conn = psycopg2.connect(self.url(name), connect_timeout=5)
        conn.autocommit = True
        return conn

    def copy_database(self, *, source_url: str, name: str) -> None:
        """Make ``name`` here a copy of the (migrated) database at ``source_url``:
        faster than running every migration again."""
        conn = self.connect("postgres")
        try:
            with conn.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{name}"')
        finally:
            conn.close()
        dump = subprocess.Popen(
            [str(self.bin / "pg_dump"), "--no-owner", "--no-privileges", source_url],
            stdout=subprocess.PIPE,
        )
        subprocess.run(
            [
                str(self.bin / "psql"),
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-o",
                "/dev/null",
                self.url(name),
            ],
            stdin=dump.stdout,
            check=True,
            timeout=300,
        )
        assert dump.stdout is not None
        dump.stdout.close()
        if dump.wait(timeout=60) != 0:
            raise RuntimeError("pg_dump of the test database failed")

    def remove(self) -> None:
        try:
            self.stop("immediate")
        except subprocess.CalledProcessError:
            pass
        # The server may still be writing its last files for a moment.
        time.sleep(0.2)
        shutil.rmtree(self.root, ignore_errors=True)
