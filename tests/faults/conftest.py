"""The fault suite's product: its own Redis (append-only file on) and PostgreSQL
cluster, the web server with the mock platforms, one Celery worker per queue kind
and beat, all started once for the module and shared by its tests in order."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from conftest import require
from tests.integration.stack import Stack

from .product import Product
from .servers import PostgresCluster, RedisServer, postgres_binaries

# Sweeps and leases of seconds, not minutes: a lost hand-off is found within the
# test's patience, as it would be within a minute or two in production.
FAST_RECOVERY = {
    "HANDOFF_SWEEP_INTERVAL_SECONDS": "3",
    "HANDOFF_SWEEP_AFTER_SECONDS": "4",
    "ENGAGEMENT_DELIVERY_STALL_SECONDS": "8",
    "NOTIFICATIONS_EMAIL_GROUP_SECONDS": "1",
    "MOCK_PLATFORMS": "true",
    "DEBUG": "true",
    "DELLSOCIAL_ENV_FILE": "",
    "WEB_CONCURRENCY": "2",
}


def _tools_missing() -> str:
    if shutil.which("redis-server") is None:
        return "redis-server is not installed"
    try:
        postgres_binaries()
    except RuntimeError as error:
        return str(error)
    return ""


@pytest.fixture(scope="module")
def product(django_db_setup, django_db_blocker, request):
    """Everything really started; yields a ``Product`` that injects faults and
    checks that nothing was lost."""
    require(settings.IS_POSTGRES, "PostgreSQL is not reachable")
    missing = _tools_missing()
    require(not missing, missing)
    log_dir = Path(tempfile.mkdtemp(prefix="dellsocial-faults-"))
    redis_server = RedisServer(log_dir / "redis")
    cluster = PostgresCluster()
    stack = None
    product = None
    try:
        redis_server.start()
        cluster.init()
        cluster.start()
        source = connection.settings_dict
        cluster.copy_database(
            source_url=(
                f"postgres://{source['USER'] or 'postgres'}@{source['HOST']}:"
                f"{source['PORT'] or 5432}/{source['NAME']}"
            ),
            name="faults",
        )
        stack = Stack(
            log_dir=log_dir,
            database_url=cluster.url("faults"),
            redis_url=redis_server.url,
            env={**FAST_RECOVERY, "CELERY_BROKER_URL": redis_server.url},
        )
        product = Product(stack=stack, redis=redis_server, postgres=cluster)
        product.start()
        yield product
        REPORT.append(product.table())
    except BaseException:
        if stack is not None:
            print(stack.logs())
        raise
    finally:
        if product is not None:
            product.stop()
        if stack is not None:
            # Nothing left to keep: kill -9, no graceful shutdown to wait for.
            for process in stack.processes:
                Stack.kill(process)
                process.log.close()
        redis_server.kill()
        cluster.remove()
        failed = getattr(request.session, "testsfailed", 0)
        if not failed:
            shutil.rmtree(log_dir, ignore_errors=True)
        else:
            print(f"fault suite logs kept in {log_dir}")


@pytest.fixture
def fault(product, request):
    """One fault test: live traffic on, and on failure the product's logs."""
    yield product
    if getattr(request.node, "rep_call", None) and request.node.rep_call.failed:
        print(product.stack.logs())
        try:
            print(product.counts())
        except Exception as error:  # the report must not hide the failure
            print(f"(counts unavailable: {error})")


# The table of faults and the counts checked, printed at the end of the run.
REPORT: list[str] = []


def pytest_terminal_summary(terminalreporter):
    for table in REPORT:
        terminalreporter.section("faults survived (tests/faults)")
        terminalreporter.write_line(table)


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
