"""`make run`: the whole product on one machine, with whatever services it finds.

1. PostgreSQL when DATABASE_URL is set or one answers on localhost (the database
   ``dellsocial`` is created if missing); otherwise SQLite in the project folder.
2. Redis when REDIS_URL is set or one answers on localhost; otherwise Celery's
   filesystem broker, which needs no server.
3. Its choices (database, broker, port, DEBUG and the mock platforms on) are written to
   ``.env``, which the settings read: every later ``python manage.py ...`` typed in a
   plain shell uses the same database and broker as the running product.
4. Migrate, load the demo data (printing the logins), then start the web server, a
   Celery worker and Celery beat together, each in a process group of its own. Ctrl-C
   stops all three, each whole group (gunicorn's workers too); a child that dies is
   started again (up to MAX_RESTARTS times in RESTART_WINDOW seconds).
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
ENV_FILE = ROOT / ".env"
# The keys make run decides; written to .env for every later command.
CHOSEN_KEYS = (
    "DEBUG",
    "MOCK_PLATFORMS",
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
)
STOP_GRACE_SECONDS = float(os.environ.get("RUN_STOP_GRACE_SECONDS", "10"))
MAX_RESTARTS, RESTART_WINDOW = 5, 60.0


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


def read_env_file(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    if not path.exists():
        return values
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        key = key.strip().removeprefix("export ").strip()
        values[key] = value.strip().strip("'\"")
    return values


def write_env_file(path: Path, chosen: dict[str, str]) -> None:
    """Set ``chosen`` in ``path``, keeping every other line as it was."""
    lines = path.read_text().splitlines() if path.exists() else []
    done: set[str] = set()
    out = []
    for line in lines:
        key = line.partition("=")[0].strip().removeprefix("export ").strip()
        if "=" in line and not line.lstrip().startswith("#") and key in chosen:
            if key not in done:
                out.append(f"{key}={chosen[key]}")
                done.add(key)
            continue
        out.append(line)
    missing = [key for key in chosen if key not in done]
    if missing:
        if not lines:
            out.append(
                "# Written by `make run`: every manage.py command uses these too."
            )
        out.extend(f"{key}={chosen[key]}" for key in missing)
    path.write_text("\n".join(out) + "\n")


def commands_for(port: str, concurrency: str) -> dict[str, list[str]]:
    return {
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


def signal_group(process: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(process.pid, signum)
    except (ProcessLookupError, PermissionError):
        pass


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stop_groups(processes: list[subprocess.Popen], grace: float) -> None:
    """SIGTERM each child's whole process group; SIGKILL what is left after
    ``grace`` seconds; wait until every group is gone."""
    for process in processes:
        signal_group(process, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        for process in processes:
            process.poll()
        if not any(group_alive(p.pid) for p in processes):
            return
        time.sleep(0.1)
    for process in processes:
        signal_group(process, signal.SIGKILL)
    for process in processes:
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
    deadline = time.monotonic() + 5
    while any(group_alive(p.pid) for p in processes) and time.monotonic() < deadline:
        time.sleep(0.05)


def main() -> int:
    env = {**read_env_file(ENV_FILE), **os.environ}
    # make run is the development set-up: DEBUG and the mock platforms on unless the
    # environment (or .env) says otherwise.
    env.setdefault("DEBUG", "true")
    env.setdefault("MOCK_PLATFORMS", "true")
    port = env.setdefault("PORT", "8000")
    env.setdefault("SITE_URL", f"http://127.0.0.1:{port}")
    database = choose_database(env)
    redis = choose_redis(env)
    if database:
        env["DATABASE_URL"] = database
    if redis:
        env["REDIS_URL"] = redis
    elif not env.get("CELERY_BROKER_URL"):
        env["CELERY_BROKER_URL"] = "filesystem://"
    (ROOT / "var").mkdir(exist_ok=True)
    print(f"Database: {database or 'SQLite (db.sqlite3, no PostgreSQL found)'}")
    broker = redis or env.get("CELERY_BROKER_URL") or "embedded filesystem broker"
    print(f"Broker:   {broker}{'' if redis else ' (no Redis)'}")
    chosen = {key: env[key] for key in CHOSEN_KEYS if env.get(key)}
    if not database:
        chosen["DATABASE_URL"] = f"sqlite:///{ROOT / 'db.sqlite3'}"
    write_env_file(ENV_FILE, chosen)
    print(f"Written to {ENV_FILE.name}: {', '.join(chosen)} (manage.py reads them)")

    manage = [sys.executable, str(ROOT / "manage.py")]
    # RUN_SETUP=false: start again on a database already migrated and seeded.
    if env.get("RUN_SETUP", "true").lower() not in ("0", "false", "no"):
        subprocess.run(
            [*manage, "migrate", "--no-input"], env=env, cwd=ROOT, check=True
        )
        subprocess.run([*manage, "seed_demo"], env=env, cwd=ROOT, check=True)

    commands = commands_for(port, "2" if database else "1")  # SQLite: one writer
    if not shutil.which(commands["web"][0]):
        print("gunicorn is missing: run `make install`.", file=sys.stderr)
        return 1

    def start(name: str) -> subprocess.Popen:
        # A session (and so a process group) of its own: stopping signals the group,
        # so gunicorn's and Celery's own children go with their parent.
        return subprocess.Popen(
            commands[name], env=env, cwd=ROOT, start_new_session=True
        )

    processes = {name: start(name) for name in commands}
    restarts: dict[str, list[float]] = {name: [] for name in commands}
    stopping = False

    def stop(*_args) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)
    print(f"\n  dellsocial is running: http://127.0.0.1:{port}/  (Ctrl-C stops it)\n")
    status = 0
    try:
        while not stopping:
            for name, process in list(processes.items()):
                if process.poll() is None or stopping:
                    continue
                now = time.monotonic()
                recent = [t for t in restarts[name] if now - t < RESTART_WINDOW]
                if len(recent) >= MAX_RESTARTS:
                    print(f"{name} keeps dying ({process.returncode}); stopping.")
                    status = process.returncode or 1
                    stopping = True
                    break
                print(f"{name} exited with {process.returncode}; starting it again.")
                signal_group(process, signal.SIGKILL)  # what it left behind
                restarts[name] = [*recent, now]
                processes[name] = start(name)
            time.sleep(0.2)
    finally:
        stop_groups(list(processes.values()), STOP_GRACE_SECONDS)
    return status


if __name__ == "__main__":
    sys.exit(main())
