"""schemathesis against /api/schema/ on the real web server (issue 11, items 8 and 11):
every endpoint, as each role (admin, manager, ambassador, shop), zero server errors
and zero responses that violate the schema. The examples per operation are set
explicitly (SCHEMATHESIS_EXAMPLES, default 5) so CI's time stays bounded."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from engagement.services.routing import mentions_route
from integrations.tokens import shop_user_create
from tests.engagement.conftest import MONDAY_10AM, make_mention
from tests.tokens import api_token_create

pytestmark = [pytest.mark.integration, pytest.mark.slow]

EXAMPLES = os.environ.get("SCHEMATHESIS_EXAMPLES", "5")
SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"


def test_the_api_under_schemathesis_has_no_server_error_nor_schema_violation(
    stack, tmp_path
):
    call_command("seed_demo", password="schemathesis-demo-pass-42")
    mention = make_mention(author="fan1", text="戴尔 屏幕 坏了 <b>&amp;</b>")
    mentions_route(mention_ids=[mention.id], now=MONDAY_10AM)
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    tokens = {
        role: api_token_create(user=users.get(username=username))
        for role, username in (
            ("admin", "admin"),
            ("manager", "manager"),
            ("ambassador", "ambassador1"),
        )
    }
    tokens["shop"] = shop_user_create(username="demo-shop")[1]
    failures = {}
    for role, token in tokens.items():
        result = subprocess.run(
            [
                str(SCHEMATHESIS),
                "run",
                f"{stack.base_url}/api/schema/",
                "--header",
                f"Authorization: Token {token}",
                "--max-examples",
                EXAMPLES,
                "--checks",
                "not_a_server_error,response_schema_conformance",
                "--phases",
                "examples,fuzzing",
                "--no-shrink",
                "--workers",
                "1",
                "--seed",
                "2010",
                "--generation-database",
                "none",
                "--request-timeout",
                "30",
                "--no-color",
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=600,
        )
        summary = result.stdout[-3000:]
        print(f"--- schemathesis as {role}\n{summary}")
        if result.returncode != 0 or " passed" not in result.stdout:
            failures[role] = result.stdout[-12000:] + result.stderr[-2000:]
    assert not failures, "\n\n".join(f"== {r}\n{out}" for r, out in failures.items())
