"""Hostile input is a clear 400 that stores nothing, never a 500 (issue 11, item 8):
NUL characters, Unicode digits, deeply nested JSON; on the DRF endpoints, the HTML
forms and the mock's control endpoint. A small fuzz of the HTML forms sends every
hostile string to every field listed."""

from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient

from ambassadors.models import Role
from engagement.models import Case, CaseNote, Label
from engagement.services.routing import mentions_route
from tests.engagement.conftest import MONDAY_10AM, make_mention, make_person

pytestmark = pytest.mark.django_db

NESTED = "[" * 5000 + "]" * 5000
HOSTILE = [
    "a\x00b",
    "\x00",
    "²",
    "٣",
    "①",
    "9" * 400,
    "-1",
    "\ud800",  # a lone surrogate
    "<script>alert(1)</script>",
    "=cmd|' /C calc'!A0",
    NESTED,
    "戴尔" * 3000,
]


@pytest.fixture
def manager(client):
    user = make_person("boss", role=Role.MANAGER)
    client.force_login(user)
    return user


@pytest.fixture
def case():
    mention = make_mention(author="fan1")
    mentions_route(mention_ids=[mention.id], now=MONDAY_10AM)
    return Case.objects.get()


def counts():
    return (Label.objects.count(), CaseNote.objects.count())


def _enc(value: str) -> str:
    return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def test_nul_in_the_queue_search_is_a_400(client, manager):
    response = client.get("/engagement/", {"q": "dell\x00"})
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_a_unicode_digit_in_an_integer_filter_is_not_a_500(client, manager):
    for value in ("²", "٣", "①", "9" * 400):
        response = client.get("/engagement/", {"team": value, "assignee": value})
        assert response.status_code in (200, 400), value


def test_nul_in_labels_notes_and_bulk_label_stores_nothing(client, manager, case):
    before = counts()
    for url, data in [
        (f"/engagement/cases/{case.id}/labels/", {"labels": "vip\x00"}),
        (f"/engagement/cases/{case.id}/notes/", {"text": "call back\x00"}),
        (
            "/engagement/queue/bulk/",
            {"action": "label", "case": case.id, "label": "x\x00"},
        ),
    ]:
        response = client.post(url, data)
        assert response.status_code == 400, url
    assert counts() == before


def test_nul_in_the_canned_response_search_is_a_400(client, manager, case):
    response = client.get(f"/engagement/cases/{case.id}/canned/", {"q": "\x00"})
    assert response.status_code == 400


def test_nul_in_the_coupon_code_path_is_a_400(manager):
    api = APIClient()
    api.force_authenticate(manager)
    response = api.get("/api/v1/coupons/codes/AB%00CD/")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_input"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/coupons/redeem/",
        "/api/v1/coupons/validate/",
        "/api/v1/coupons/campaigns/",
        "/api/v1/coupons/codes/issue/",
        "/api/v1/cases/",
    ],
)
def test_deeply_nested_json_on_a_drf_endpoint_is_a_400(manager, path):
    api = APIClient()
    api.force_authenticate(manager)
    response = api.post(path, NESTED, content_type="application/json")
    assert response.status_code in (400, 403, 405), response.content[:200]
    if response.status_code == 400:
        assert "nested" in response.json()["message"]


def test_nul_inside_a_json_body_is_a_400(manager):
    api = APIClient()
    api.force_authenticate(manager)
    body = json.dumps({"code": "AB\u0000", "order_id": "1", "order_amount": "5"})
    response = api.post(
        "/api/v1/coupons/validate/", body, content_type="application/json"
    )
    assert response.status_code in (400, 403)


def test_the_mock_control_endpoint_refuses_nesting_and_nul(client):
    response = client.post("/mock/_control", NESTED, content_type="application/json")
    assert response.status_code == 400
    response = client.post(
        "/mock/_control",
        json.dumps({"plant": [{"text": "\u0000"}]}),
        content_type="application/json",
    )
    assert response.status_code == 400


FORMS = [
    ("get", "/engagement/", "q"),
    ("get", "/engagement/", "team"),
    ("get", "/engagement/", "assignee"),
    ("get", "/engagement/", "status"),
    ("get", "/engagement/queue/rows/", "q"),
    ("get", "/engagement/cases/{case}/canned/", "q"),
    ("post", "/engagement/cases/{case}/labels/", "labels"),
    ("post", "/engagement/cases/{case}/notes/", "text"),
    ("post", "/engagement/cases/{case}/priority/", "priority"),
    ("post", "/engagement/cases/{case}/status/", "status"),
    ("post", "/engagement/queue/bulk/", "label"),
    ("post", "/engagement/queue/bulk/", "case"),
    ("get", "/listening/mentions/latest/", "after"),
    ("get", "/coupons/", "status"),
]


@pytest.mark.parametrize(("method", "url", "field"), FORMS)
def test_html_forms_under_hostile_strings_never_answer_500(
    client, manager, case, method, url, field
):
    client.raise_request_exception = False
    url = url.format(case=case.id)
    before = counts()
    for value in HOSTILE:
        data = {field: _enc(value)}
        if url.endswith("/bulk/") and field != "case":
            data.update(action="label", case=case.id)
        response = getattr(client, method)(url, data)
        assert response.status_code < 500, (url, field, value[:20])
        if "\x00" in value:
            assert response.status_code == 400, (url, field)
    # Only the one-character label/text values that are plain text may be stored.
    assert counts()[1] - before[1] <= len(HOSTILE)
