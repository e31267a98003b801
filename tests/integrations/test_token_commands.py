"""The token commands go through the hashed token service: the key is printed
once, only its hash is stored, and it opens the API with the scopes asked for."""

from __future__ import annotations

import hashlib

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from ambassadors.models import Role
from ambassadors.services import user_create
from integrations.models import ApiToken

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def api(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def stored_text() -> str:
    return " ".join(
        str(v) for row in ApiToken.objects.values() for v in row.values()
    ) + " ".join(Token.objects.values_list("key", flat=True))


def test_create_api_token_prints_a_key_stored_only_hashed():
    user = user_create(username="mgr", password="pw-123456789", role=Role.MANAGER)
    key, note = run("create_api_token", "mgr")
    assert "not shown again" in note
    assert key not in stored_text()
    token = ApiToken.objects.get(user=user)
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert "reports:read" in token.scopes and "webhooks:manage" not in token.scopes
    assert not Token.objects.exists()
    assert api(key).get("/api/v1/cases/").status_code == 200


def test_create_api_token_with_scopes_and_expiry_and_rotation():
    user_create(username="mgr", password="pw-123456789", role=Role.MANAGER)
    first, _ = run("create_api_token", "mgr", "--scope", "cases:read", "--name", "crm")
    assert ApiToken.objects.get().scopes == ["cases:read"]
    assert api(first).get("/api/v1/cases/").status_code == 200
    assert api(first).get("/api/v1/mentions/").status_code == 403
    second, _ = run(
        "create_api_token",
        "mgr",
        "--scope",
        "cases:read",
        "--name",
        "crm",
        "--expires-days",
        "7",
        "--rotate",
    )
    assert api(first).get("/api/v1/cases/").status_code == 401  # revoked
    assert api(second).get("/api/v1/cases/").status_code == 200
    assert ApiToken.objects.filter(revoked_at__isnull=True).get().expires_at


def test_create_api_token_refuses_what_the_role_does_not_allow():
    user_create(username="amb", password="pw-123456789", role=Role.AMBASSADOR)
    with pytest.raises(CommandError):
        run("create_api_token", "amb", "--scope", "webhooks:manage")
    with pytest.raises(CommandError):
        run("create_api_token", "ghost")
    with pytest.raises(CommandError):
        run("create_api_token", "amb", "--expires-days", "0")
    get_user_model().objects.create_user(username="norole")  # no profile, no role
    with pytest.raises(CommandError):
        run("create_api_token", "norole")
    assert not ApiToken.objects.exists()


def test_create_shop_user_makes_a_redeem_only_token():
    line, note = run("create_shop_user", "jd")
    assert "not shown again" in note
    username, key = line.split(": Authorization: Token ")
    assert username == "jd"
    token = ApiToken.objects.get(user__username="jd")
    assert token.scopes == ["coupons:redeem"]
    assert key not in stored_text()
    assert api(key).get("/api/v1/cases/").status_code == 403
    # A second run finds the account and makes a second token.
    _line, _ = run("create_shop_user", "jd")
    assert ApiToken.objects.filter(user__username="jd").count() == 2


def test_revoke_api_tokens_by_prefix_or_all():
    user_create(username="mgr", password="pw-123456789", role=Role.MANAGER)
    a, _ = run("create_api_token", "mgr", "--name", "a")
    b, _ = run("create_api_token", "mgr", "--name", "b")
    out, _ = run("revoke_api_tokens", "mgr", "--prefix", a[:10])
    assert out.startswith("1 ")
    assert api(a).get("/api/v1/cases/").status_code == 401
    assert api(b).get("/api/v1/cases/").status_code == 200
    out, _ = run("revoke_api_tokens", "mgr")
    assert out.startswith("1 ")
    assert api(b).get("/api/v1/cases/").status_code == 401


def test_a_clear_legacy_token_is_hashed_on_first_use_and_its_row_removed():
    user = user_create(username="mgr", password="pw-123456789", role=Role.MANAGER)
    legacy = Token.objects.create(user=user).key
    assert api(legacy).get("/api/v1/cases/").status_code == 200
    assert not Token.objects.exists()
    assert legacy not in stored_text()
    assert api(legacy).get("/api/v1/cases/").status_code == 200
