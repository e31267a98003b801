"""Fixtures shared by every test folder."""

import os

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def require(condition: bool, reason: str) -> None:
    """Skip loudly outside CI when a real component is missing; fail in CI."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI must run this test, but: {reason}")
    pytest.skip(f"NOT RUN (would run in CI): {reason}")


@pytest.fixture
def require_postgres(settings):
    require(settings.IS_POSTGRES, "PostgreSQL is not reachable")
