import os

import pytest
import redis
from django.conf import settings
from django.db import connection

from conftest import require
from tests.integration.stack import Stack

# Redis database of the integration suite (the dev server uses 0).
INTEGRATION_REDIS_DB = int(os.environ.get("INTEGRATION_REDIS_DB", "11"))


def redis_answers() -> bool:
    try:
        return bool(redis.Redis(host="127.0.0.1", port=6379, socket_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def stack(transactional_db, tmp_path, request):
    """Web server, mock platforms and the test database, really started."""
    require(settings.IS_POSTGRES, "PostgreSQL is not reachable")
    require(redis_answers(), "Redis is not reachable on 127.0.0.1:6379")
    redis.Redis(host="127.0.0.1", port=6379, db=INTEGRATION_REDIS_DB).flushdb()
    stack = Stack(
        database_name=connection.settings_dict["NAME"],
        redis_db=INTEGRATION_REDIS_DB,
        log_dir=tmp_path,
    )
    try:
        stack.start_web()
        yield stack
    finally:
        stack.stop_all()
        if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
            print(stack.logs())


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
