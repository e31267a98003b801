"""`make run`: the whole product on one machine, with whatever services it finds.

1. PostgreSQL when DATABASE_URL is set or one answers on localhost (the database
   ``dellsocial`` is created if missing); otherwise SQLite in the project folder.
2. Redis when REDIS_URL is set or one answers on localhost; otherwise Celery's
   filesystem broker, which needs no server.
3. Migrate, load the demo data (printing the logins), then start the web server, a
   Celery worker and Celery beat together. Ctrl-C stops all three; if one of them dies,
   the others are stopped too and the exit code says so.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def choose_database(env: dict[str, str]) -> str:
    if env.get("DATABASE_URL"):
        return env["DATABASE_URL"]
    if answers("127.0.0.1", 5432):
        import psycopg2

        try:
            conn = psycopg2.connect(
                host="127.0.0.1", user="postgres", dbname="postgres", connect_timeout=3
            )
        except psycopg2.Error as error:
            print(f"PostgreSQL answers but refuses us ({error}); using SQLite.")
        else:
            conn.autocommit = True
            with conn.cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_database WHERE datname = 'dellsocial'")
                if cursor.fetchone() is None:
                    cursor.execute("CREATE DATABASE dellsocial")
            conn.close()
            return "postgres://postgres@127.0.0.1:5432/dellsocial"
    return ""


def choose_redis(env: dict[str, str]) -> str:
    if env.get("REDIS_URL"):
        return env["REDIS_URL"]
    if env.get("CELERY_BROKER_URL"):
        return ""  # a broker was named explicitly (filesystem:// for no server)
    return "redis://127.0.0.1:6379/0" if answers("127.0.0.1", 6379) else ""


def main() -> int:
    env = dict(os.environ)
    port = env.setdefault("PORT", "8000")
    env.setdefault("SITE_URL", f"http://127.0.0.1:{port}")
    database = choose_database(env)
    redis = choose_redis(env)
    if database:
        env["DATABASE_URL"] = database
    if redis:
        env["REDIS_URL"] = redis
    (ROOT / "var").mkdir(exist_ok=True)
    print(f"Database: {database or 'SQLite (db.sqlite3, no PostgreSQL found)'}")
    broker = redis or env.get("CELERY_BROKER_URL") or "embedded filesystem broker"
    print(f"Broker:   {broker}{'' if redis else ' (no Redis)'}")

    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input"], env=env, cwd=ROOT, check=True)
    subprocess.run([*manage, "seed_demo"], env=env, cwd=ROOT, check=True)

    concurrency = "2" if database else "1"  # SQLite takes one writer at a time
    commands = {
        "web": [
            str(VENV_BIN / "gunicorn"),
            "dellsocial.wsgi",
            "--bind",
            f"0.0.0.0:{port}",
            "--workers",
            "2",
            "--threads",
            "8",
            "--access-logfile",
            "-",
            "--log-level",
            "warning",
        ],
        "worker": [
            str(VENV_BIN / "celery"),
            "-A",
            "dellsocial",
            "worker",
            "-Q",
            "ingest,nlp,route,deliver,webhooks,default",
            "--concurrency",
            concurrency,
            "--loglevel",
            "INFO",
            "--hostname",
            f"worker-{port}@%h",
        ],
        "beat": [
            str(VENV_BIN / "celery"),
            "-A",
            "dellsocial",
            "beat",
            "--loglevel",
            "INFO",
            "--schedule",
            str(ROOT / "var" / f"celerybeat-schedule-{port}"),
        ],
    }
    if not shutil.which(commands["web"][0]):
        print("gunicorn is missing: run `make install`.", file=sys.stderr)
        return 1
    processes: dict[str, subprocess.Popen] = {}
    for name, command in commands.items():
        processes[name] = subprocess.Popen(command, env=env, cwd=ROOT)

    stopping = False

    def stop(*_args) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    print(f"\n  dellsocial is running: http://127.0.0.1:{port}/  (Ctrl-C stops it)\n")
    status = 0
    while not stopping:
        for name, process in processes.items():
            if process.poll() is not None:
                print(f"{name} exited with {process.returncode}; stopping.")
                status = process.returncode or 1
                stopping = True
                break
        time.sleep(0.5)
    for process in processes.values():
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + 15
    for process in processes.values():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
    return status


if __name__ == "__main__":
    sys.exit(main())
