"""Production settings are safe by default (issue 11, items 2, 3 and 7)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from tests.integration.stack import ROOT

SECRET = secrets.token_urlsafe(50)


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    """Run ``code`` with the real settings and a production-like environment: no
    ``.env``, none of the test process's development switches."""
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "MOCK_PLATFORMS", "DATABASE_URL", "REDIS_URL"}
        and not k.endswith("_API_BASE")
    }
    base.update(
        DJANGO_SETTINGS_MODULE="dellsocial.settings",
        DELLSOCIAL_ENV_FILE="",
        DJANGO_SECRET_KEY=SECRET,
        ALLOWED_HOSTS="social.example.com",
    )
    base.update(env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )


SETUP = "import django; django.setup(); from django.conf import settings; "


def test_debug_is_off_unless_asked_for():
    result = run_python(SETUP + "print(settings.DEBUG, settings.ALLOWED_HOSTS)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False ['social.example.com']"


def test_without_a_secret_key_production_refuses_to_start():
    result = run_python(SETUP + "print(settings.DEBUG)", DJANGO_SECRET_KEY="")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_settings_pass_the_deployment_checklist():
    result = run_python(
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', "
        "'--fail-level', 'WARNING'])"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_serves_https_only_with_secure_cookies():
    result = run_python(
        SETUP + "print(settings.SECURE_SSL_REDIRECT, settings.SESSION_COOKIE_SECURE,"
        " settings.CSRF_COOKIE_SECURE, settings.SECURE_HSTS_SECONDS > 0,"
        " settings.SECURE_PROXY_SSL_HEADER)"
    )
    assert result.stdout.split() == [
        "True",
        "True",
        "True",
        "True",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
    ], result.stderr


MOCK_ROUTED = (
    SETUP + "from django.urls import resolve, Resolver404\n"
    "try:\n    resolve('/mock/_control'); print('routed')\n"
    "except Resolver404:\n    print('not routed')\n"
    "print(settings.PLATFORM_API['weibo']['base'])"
)


def test_the_mock_platforms_are_not_mounted_in_production():
    result = run_python(MOCK_ROUTED)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["not", "routed", "https://api.weibo.com/2"]


def test_the_mock_platforms_are_mounted_when_asked_for():
    result = run_python(MOCK_ROUTED, MOCK_PLATFORMS="true", SITE_URL="http://h:1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["routed", "http://h:1/mock/weibo/2"]


@pytest.mark.parametrize("variable", ["WEIBO_API_BASE", "RENREN_API_BASE"])
def test_production_refuses_a_platform_pointing_at_the_mock(variable):
    result = run_python(SETUP, **{variable: "http://127.0.0.1:8000/mock/weibo/2"})
    assert result.returncode != 0
    assert f"{variable} points at the mock platforms" in result.stderr
    # ...unless the mock is on on purpose.
    assert (
        run_python(
            SETUP, MOCK_PLATFORMS="true", **{variable: "http://h/mock/weibo/2"}
        ).returncode
        == 0
    )


@pytest.mark.django_db
def test_seed_demo_refuses_production_without_a_password(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refuses to run with DEBUG off"):
        call_command("seed_demo")
    with pytest.raises(CommandError, match="documented demo password is public"):
        call_command("seed_demo", password="dell-social-2010")
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="admin").exists()


@pytest.mark.django_db
def test_seed_demo_in_production_with_a_password_of_ones_own(settings):
    settings.DEBUG = False
    call_command("seed_demo", password="a-long-password-of-my-own-42")
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.get(username="admin")
    assert admin.check_password("a-long-password-of-my-own-42")
    assert not admin.check_password("dell-social-2010")
