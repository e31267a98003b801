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


@pytest.fixture
def sent_tasks(monkeypatch) -> list[tuple[str, list]]:
    """Tasks handed to the broker, as (task name, args), instead of sent: every
    hand-off (dellsocial.pipeline, services that enqueue by name) goes through the
    one Celery app's ``send_task``. Tasks sent after commit appear only once the
    transaction commits (``django_capture_on_commit_callbacks(execute=True)``)."""
    from dellsocial.celery import app

    sent: list[tuple[str, list]] = []
    monkeypatch.setattr(
        app,
        "send_task",
        lambda name, args=None, **kwargs: sent.append((name, list(args or []))),
    )
    return sent
