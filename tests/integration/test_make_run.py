"""`make run` itself: the command a newcomer types starts a working product."""

import os
import signal
import subprocess
import time

import psycopg2
import pytest
import requests
from django.conf import settings

from conftest import require
from tests.integration.conftest import redis_answers
from tests.integration.stack import ROOT, free_port, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.slow]

DATABASE = "dellsocial_make_run_test"


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


def _poll(read, *, until, timeout: float = 30, interval: float = 1):
    """Read until ``until(value)`` or the timeout; the last value either way (the
    caller asserts on it, so a failure says what was seen)."""
    deadline = time.monotonic() + timeout
    value = read()
    while not until(value) and time.monotonic() < deadline:
        time.sleep(interval)
        value = read()
    return value


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


def test_make_run_serves_the_dashboard_and_pulls_all_three_platforms(tmp_path):
    require(settings.IS_POSTGRES, "PostgreSQL is not reachable")
    require(redis_answers(), "Redis is not reachable on 127.0.0.1:6379")
    _recreate_database(create=True)
    port = free_port()
    env = {
        **os.environ,
        # pytest-django exported the test settings; make run must use the real ones.
        "DJANGO_SETTINGS_MODULE": "dellsocial.settings",
        "PORT": str(port),
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        "REDIS_URL": "redis://127.0.0.1:6379/12",
        "DISPATCH_INTERVAL_SECONDS": "1",
    }
    log = open(tmp_path / "make-run.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(
        ["make", "run"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"

        def dashboard_answers() -> bool:
            try:
                response = requests.get(f"{base}/", timeout=2, allow_redirects=True)
            except requests.RequestException:
                return False
            return response.ok and "/accounts/login/" in response.url

        wait_for(dashboard_answers, timeout=240, interval=1, what="the dashboard")
        platforms = _poll(
            _platforms_seen,
            until=lambda seen: seen >= {"weibo", "twitter", "renren"},
            timeout=180,
        )
        assert platforms >= {"weibo", "twitter", "renren"}, sorted(platforms)
        printed = (tmp_path / "make-run.log").read_text(errors="replace")
        assert "ambassador1" in printed
        assert settings.DEMO_PASSWORD in printed
        # Ctrl-C stops everything.
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=60)
        # Every process of the group (web server, workers, beat) is gone, not only
        # make: signalling the group finds nobody.
        alive = _poll(lambda: _group_alive(process.pid), until=lambda a: not a)
        assert not alive, "processes of make run survived Ctrl-C"
        time.sleep(1)
        with pytest.raises(requests.ConnectionError):
            requests.get(f"{base}/accounts/login/", timeout=2)
    except BaseException:
        print((tmp_path / "make-run.log").read_text(errors="replace")[-8000:])
        raise
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()
        _recreate_database(create=False)
