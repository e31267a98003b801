"""Scoped, hashed, expiring API tokens: a matrix over every API endpoint."""

from __future__ import annotations

import datetime as dt
import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from ambassadors.services import user_create
from common.scopes import SCOPES, required_scope
from dellsocial import api_urls
from integrations import tokens
from integrations.models import ApiToken

pytestmark = pytest.mark.django_db
PASSWORD = "pw-123456789"


def endpoints():
    """(path, method, scope) for every endpoint under /api/v1/."""
    found = []
    for pattern in api_urls.urlpatterns:
        cls = pattern.callback.cls
        route = str(pattern.pattern).lstrip("^").rstrip("$").replace("/?", "/")
        route = re.sub(r"<int:\w+>", "999999", route)
        route = re.sub(r"<str:\w+>", "ZZZZZZZZZZZZ", route)
        for method in ("get", "post", "put", "patch", "delete"):
            if hasattr(cls, method):
                found.append((f"/api/v1/{route}", method.upper(), cls))
    return found


ENDPOINTS = endpoints()


def client_for(key: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


@pytest.fixture
def admin(db):
    return user_create(username="boss", password=PASSWORD, role="admin")


def test_every_api_endpoint_declares_a_scope():
    assert len(ENDPOINTS) > 30
    missing = [(p, m) for p, m, cls in ENDPOINTS if required_scope(cls, m) is None]
    assert missing == []


@pytest.mark.parametrize(
    ("path", "method", "cls"), ENDPOINTS, ids=[f"{m} {p}" for p, m, _ in ENDPOINTS]
)
def test_a_token_without_the_scope_gets_403_and_with_it_passes(
    admin, path, method, cls
):
    scope = required_scope(cls, method)
    call = getattr(APIClient, method.lower())
    if scope:
        others = sorted(set(SCOPES) - {scope})
        _t, key = tokens.token_create(user=admin, name="others", scopes=others)
        denied = call(client_for(key), path, {}, format="json")
        assert denied.status_code == 403, denied.content
        assert scope in denied.json()["message"]
    _t, key = tokens.token_create(
        user=admin, name="just", scopes=[scope or "cases:read"]
    )
    allowed = call(client_for(key), path, {}, format="json")
    assert allowed.status_code not in (401, 403), (allowed.status_code, allowed.content)


@pytest.mark.parametrize("state", ["expired", "revoked", "unknown"])
def test_expired_revoked_and_unknown_tokens_get_401(admin, state):
    token, key = tokens.token_create(user=admin, name="t", scopes=["cases:read"])
    if state == "expired":
        ApiToken.objects.filter(pk=token.pk).update(
            expires_at=timezone.now() - dt.timedelta(seconds=1)
        )
    elif state == "revoked":
        assert tokens.token_revoke(user=admin, token_id=token.pk)
    else:
        key += "x"
    answer = client_for(key).get("/api/v1/cases/")
    assert answer.status_code == 401
    assert answer["WWW-Authenticate"] == "Token"


def test_tokens_are_stored_hashed_shown_once_and_record_last_use(admin):
    api = APIClient()
    api.force_authenticate(admin)
    made = api.post(
        "/api/v1/tokens/", {"name": "crm", "scopes": ["cases:read"]}, format="json"
    )
    assert made.status_code == 201
    key = made.json()["token"]
    row = ApiToken.objects.get()
    stored = " ".join(str(v) for v in ApiToken.objects.values().get().values())
    assert key not in stored and row.key_hash == tokens.key_hash(key)
    assert "token" not in api.get("/api/v1/tokens/").json()[0]
    assert client_for(key).get("/api/v1/cases/").status_code == 200
    row.refresh_from_db()
    assert row.last_used_at is not None
    assert not Token.objects.exists()


def test_a_token_cannot_make_a_token_with_more_scopes(admin):
    _t, key = tokens.token_create(user=admin, name="narrow", scopes=["cases:read"])
    wider = client_for(key).post(
        "/api/v1/tokens/", {"name": "w", "scopes": ["webhooks:manage"]}, format="json"
    )
    assert wider.status_code == 400 and wider.json()["code"] == "invalid_scopes"


def test_scopes_beyond_the_role_are_refused(db):
    amb = user_create(username="amb", password=PASSWORD, role="ambassador")
    with pytest.raises(tokens.TokenError):
        tokens.token_create(user=amb, name="x", scopes=["reports:read"])
    token, _key = tokens.token_create(user=amb, name="x", scopes=["cases:read"])
    assert token.scopes == ["cases:read"]


def test_revoke_through_the_api_only_my_own(admin):
    other = user_create(username="m2", password=PASSWORD, role="manager")
    theirs, _k = tokens.token_create(user=other, name="theirs", scopes=["cases:read"])
    api = APIClient()
    api.force_authenticate(admin)
    assert api.delete(f"/api/v1/tokens/{theirs.pk}/").status_code == 404
    mine, key = tokens.token_create(user=admin, name="mine", scopes=["cases:read"])
    assert api.delete(f"/api/v1/tokens/{mine.pk}/").status_code == 204
    assert client_for(key).get("/api/v1/cases/").status_code == 401


def test_a_shops_legacy_token_keeps_working_with_redeem_only(db):
    from coupons.services import shop_account_create

    shop = shop_account_create(username="tmall")
    key = Token.objects.create(user=shop).key  # made by an older release
    answer = client_for(key).post("/api/v1/coupons/validate/", {}, format="json")
    assert answer.status_code == 400  # in: the body is what is wrong
    assert not Token.objects.filter(user=shop).exists()
    assert ApiToken.objects.get(user=shop).scopes == ["coupons:redeem"]
    assert client_for(key).get("/api/v1/cases/").status_code == 403
    assert client_for(key).get("/api/v1/coupons/campaigns/").status_code == 403


def test_data_migration_hashes_existing_tokens_with_their_roles_scopes(db):
    manager = user_create(username="mgr", password=PASSWORD, role="manager")
    shop = user_create(username="shop2", password=PASSWORD, role="ambassador")
    shop.groups.add(Group.objects.get_or_create(name="shop")[0])
    Token.objects.create(user=manager, key="a" * 40)
    Token.objects.create(user=shop, key="b" * 40)
    migration = importlib.import_module(
        "integrations.migrations.0003_tokens_from_clear_text"
    )
    migration.forwards(django_apps, None)
    assert not Token.objects.exists()
    by_user = {t.user_id: t for t in ApiToken.objects.all()}
    assert by_user[manager.pk].key_hash == tokens.key_hash("a" * 40)
    assert "reports:read" in by_user[manager.pk].scopes
    assert "webhooks:manage" not in by_user[manager.pk].scopes
    assert by_user[shop.pk].scopes == ["coupons:redeem"]
    assert client_for("a" * 40).get("/api/v1/reports/team/").status_code == 200


def test_the_schema_shows_each_endpoints_scope():
    schema = APIClient().get("/api/schema/?format=json")
    if schema.status_code in (401, 403):
        pytest.fail("schema not public")
    spec = schema.json()
    get_cases = spec["paths"]["/api/v1/cases/"]["get"]
    assert {"tokenAuth": ["cases:read"]} in get_cases["security"]
    assert "cases:read" in get_cases["description"]
    redeem = spec["paths"]["/api/v1/coupons/redeem/"]["post"]
    assert {"tokenAuth": ["coupons:redeem"]} in redeem["security"]
    assert "403" in redeem["responses"] and "401" in redeem["responses"]


def test_token_page_shows_the_key_once_and_revokes(client, admin):
    client.login(username="boss", password=PASSWORD)
    made = client.post(
        "/integrations/tokens/", {"name": "bi", "scopes": ["reports:read"]}
    )
    assert made.status_code == 302
    page = client.get("/integrations/tokens/").content.decode()
    key = re.search(r'id="new-token">([^<]+)<', page).group(1)
    assert client_for(key).get("/api/v1/reports/team/").status_code == 200
    again = client.get("/integrations/tokens/").content.decode()
    assert key not in again
    token = ApiToken.objects.get()
    client.post(f"/integrations/tokens/{token.pk}/revoke/")
    assert client_for(key).get("/api/v1/reports/team/").status_code == 401
    bad = client.post("/integrations/tokens/", {"name": "x", "scopes": ["nope"]})
    assert bad.status_code == 400
