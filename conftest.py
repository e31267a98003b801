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
def smtp_server():
    """A real SMTP server on a free local port (aiosmtpd), and what it received.

    Yields an object with ``host``, ``port`` and ``messages`` (``email.message``
    objects, in arrival order). Point Django at it with ``smtp_settings``.
    """
    import email
    import email.policy
    import socket
    import time
    from types import SimpleNamespace

    from aiosmtpd.controller import Controller

    received: list = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd)
            received.append(
                email.message_from_bytes(envelope.content, policy=email.policy.default)
            )
            return "250 OK"

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    server = SimpleNamespace(host="127.0.0.1", port=port, messages=received)

    def wait(count: int, timeout: float = 10.0) -> list:
        deadline = time.monotonic() + timeout
        while len(received) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return received

    server.wait = wait
    try:
        yield server
    finally:
        controller.stop()


@pytest.fixture
def smtp_settings(settings, smtp_server):
    """Django's SMTP backend pointed at the local ``smtp_server``."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = smtp_server.host
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    return smtp_server
