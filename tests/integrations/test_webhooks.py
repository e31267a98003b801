"""Webhooks against a real local HTTP receiver: signed, retried, deduplicable,
disabled after repeated failures; private addresses refused."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from ambassadors.services import user_create
from integrations import delivery, outbound, services
from integrations.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from tests.integrations.receiver import Receiver

pytestmark = pytest.mark.django_db
SECRET = "s3cret-for-tests"


@pytest.fixture
def receiver(settings):
    r = Receiver(secret=SECRET).start()
    settings.WEBHOOK_ALLOWED_HOSTS = [f"127.0.0.1:{r.port}"]
    settings.WEBHOOK_READ_TIMEOUT = 0.5
    settings.WEBHOOK_RETRY_BASE_SECONDS = 0
    settings.WEBHOOK_COUNTDOWN_MAX_SECONDS = -1  # retries are run by the test
    yield r
    r.stop()


@pytest.fixture
def admin(db):
    return user_create(username="boss", password="pw-123456789", role="admin")


@pytest.fixture
def endpoint(admin, receiver):
    return services.endpoint_create(
        owner=admin,
        url=receiver.url,
        events=["case.created", "coupon.redeemed"],
        secret=SECRET,
    )


def _record(event="case.created", key="case.created:1", data=None):
    services.events_record(event=event, items=[(key, data or {"case_id": 1})])
    return list(WebhookDelivery.objects.order_by("id").values_list("id", flat=True))


def _run(ids):
    return delivery.deliveries_run(delivery_ids=ids)


def test_receiver_gets_signed_event_with_the_documented_shape(endpoint, receiver):
    ids = _record(data={"case_id": 1, "summary": "戴尔 <script>"})
    assert _run(ids) == {"succeeded": 1, "retrying": 0, "failed": 0}
    got = receiver.received[0]
    assert got.signature_ok
    body = got.json
    assert set(body) == {"id", "event", "created_at", "data"}
    assert (
        body["event"] == "case.created" and body["data"]["summary"] == "戴尔 <script>"
    )
    assert got.headers["X-Webhook-Id"] == body["id"]
    assert got.headers["X-Webhook-Event"] == "case.created"
    assert got.headers["X-Webhook-Signature"].startswith("sha256=")
    delivery = WebhookDelivery.objects.get()
    assert (
        delivery.status == DeliveryStatus.SUCCEEDED and delivery.response_status == 200
    )
    assert delivery.attempt_log.count() == 1


def test_a_tampered_body_fails_verification():
    body = b'{"a":1}'
    good = outbound.signature(SECRET, "100", body)
    assert good != outbound.signature(SECRET, "100", b'{"a":2}')
    assert good != outbound.signature(SECRET, "101", body)


def test_retries_after_500s_and_a_timeout_then_delivers_the_same_event(
    endpoint, receiver
):
    receiver.script = [500, "timeout", 503]
    ids = _record()
    assert _run(ids)["retrying"] == 1
    delivery = WebhookDelivery.objects.get()
    assert (
        delivery.status == DeliveryStatus.RETRYING and delivery.response_status == 500
    )
    assert _run(ids)["retrying"] == 1
    assert WebhookDelivery.objects.get().error == "timeout"
    assert _run(ids)["retrying"] == 1
    assert _run(ids)["succeeded"] == 1
    delivery = WebhookDelivery.objects.get()
    assert delivery.attempts == 4 and delivery.status == DeliveryStatus.SUCCEEDED
    # Four requests, one event id, every one signed.
    assert len({r.headers["X-Webhook-Id"] for r in receiver.received}) == 1
    assert all(r.signature_ok for r in receiver.received)
    assert [a.response_status for a in delivery.attempt_log.order_by("id")] == [
        500,
        None,
        503,
        200,
    ]
    # Delivered: running it again sends nothing.
    assert _run(ids) == {"succeeded": 0, "retrying": 0, "failed": 0}


def test_backoff_doubles_and_gives_up_after_the_window(endpoint, receiver, settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 30
    receiver.script = [500] * 10
    ids = _record()
    before = timezone.now()
    _run(ids)
    first = WebhookDelivery.objects.get().next_attempt_at - before
    assert dt.timedelta(seconds=29) < first < dt.timedelta(seconds=32)
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    before = timezone.now()
    _run(ids)
    second = WebhookDelivery.objects.get().next_attempt_at - before
    assert dt.timedelta(seconds=59) < second < dt.timedelta(seconds=62)
    # A day later it stops trying.
    WebhookDelivery.objects.update(
        next_attempt_at=timezone.now(),
        created_at=timezone.now() - dt.timedelta(hours=24),
    )
    assert _run(ids)["failed"] == 1
    assert WebhookDelivery.objects.get().status == DeliveryStatus.FAILED


def test_replay_sends_the_same_event_id_and_the_receiver_sees_a_duplicate(
    endpoint, receiver
):
    ids = _record()
    _run(ids)
    replay = services.delivery_replay(delivery=WebhookDelivery.objects.get())
    _run([replay.pk])
    first, second = receiver.received
    assert first.headers["X-Webhook-Id"] == second.headers["X-Webhook-Id"]
    assert not first.duplicate and second.duplicate


def test_an_event_emitted_twice_is_stored_and_delivered_once(endpoint, receiver):
    _record(key="case.created:7")
    ids = _record(key="case.created:7")
    assert len(ids) == 1
    _run(ids)
    _run(ids)
    assert len(receiver.received) == 1


def test_endpoint_disabled_after_repeated_failures(endpoint, receiver, settings):
    settings.WEBHOOK_DISABLE_AFTER = 3
    receiver.script = [500] * 5
    ids = _record()
    for _ in range(3):
        _run(ids)
    endpoint.refresh_from_db()
    assert not endpoint.active and endpoint.disabled_at is not None
    assert WebhookDelivery.objects.get().status == DeliveryStatus.FAILED
    # Its owner is told, in the app and by e-mail.
    from notifications.models import Notification

    told = Notification.objects.get(user=endpoint.owner)
    assert told.kind == "integrations.webhook_disabled"
    # Disabled: new events make no deliveries.
    assert (
        services.events_record(event="case.created", items=[("case.created:2", {})])
        == 0
    )


def test_events_only_reach_endpoints_that_hear_them(endpoint, receiver):
    assert services.events_record(event="reply.sent", items=[("reply.sent:1", {})]) == 0
    assert services.events_record(event="coupon.redeemed", items=[("c:1", {})]) == 1


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/hook",
        "http://localhost/hook",
        "http://10.0.0.5/hook",
        "http://192.168.1.1/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
        "ftp://example.com/x",
    ],
)
def test_private_loopback_and_link_local_addresses_are_refused(admin, url):
    with pytest.raises(services.WebhookError) as refused:
        services.endpoint_create(owner=admin, url=url, events=["case.created"])
    assert refused.value.code == "address_refused"
    assert not WebhookEndpoint.objects.exists()


def test_a_stored_endpoint_whose_address_turns_private_is_refused_at_send(
    endpoint, receiver, settings
):
    settings.WEBHOOK_ALLOWED_HOSTS = []
    ids = _record()
    _run(ids)
    delivery = WebhookDelivery.objects.get()
    assert delivery.error.startswith("refused") and not receiver.received


def test_redirects_are_not_followed(endpoint, receiver):
    receiver.script = ["redirect"]
    ids = _record()
    assert _run(ids)["retrying"] == 1
    assert WebhookDelivery.objects.get().response_status == 302
    assert len(receiver.received) == 1


def test_test_event_button_and_api(client, admin, endpoint, receiver):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=admin).key}")
    sent = api.post(f"/api/v1/webhooks/{endpoint.pk}/test/")
    assert sent.status_code == 202
    _run([sent.json()["id"]])
    assert receiver.received[0].json["event"] == "webhook.test"
    log = api.get(f"/api/v1/webhooks/{endpoint.pk}/deliveries/").json()
    assert log["results"][0]["status"] == "succeeded"
    replay = api.post(f"/api/v1/webhooks/deliveries/{sent.json()['id']}/replay/")
    assert replay.status_code == 202
    created = api.post(
        "/api/v1/webhooks/",
        {"url": receiver.url, "events": ["case.resolved"], "secret": "x" * 20},
        format="json",
    )
    assert created.status_code == 201 and created.json()["secret"] == "x" * 20
    listed = api.get("/api/v1/webhooks/").json()
    assert all("secret" not in e for e in listed)
    bad = api.post(
        "/api/v1/webhooks/", {"url": receiver.url, "events": ["nope"]}, format="json"
    )
    assert bad.status_code == 400
    private = api.post(
        "/api/v1/webhooks/",
        {"url": "http://10.1.1.1/", "events": ["case.created"]},
        format="json",
    )
    assert private.status_code == 400 and private.json()["code"] == "address_refused"
    assert api.get("/api/v1/webhooks/99999/deliveries/").status_code == 404


def test_pages_register_an_endpoint_and_show_its_log(client, admin, receiver):
    client.login(username="boss", password="pw-123456789")
    page = client.post(
        "/integrations/webhooks/",
        {
            "url": receiver.url,
            "events": ["case.created"],
            "secret": SECRET,
            "active": "on",
        },
    )
    assert page.status_code == 302
    endpoint = WebhookEndpoint.objects.get()
    client.post(f"/integrations/webhooks/{endpoint.pk}/test/")
    _run(list(WebhookDelivery.objects.values_list("id", flat=True)))
    html = client.get(f"/integrations/webhooks/{endpoint.pk}/").content.decode()
    assert "webhook.test" in html and "200" in html
    refused = client.post(
        "/integrations/webhooks/",
        {"url": "http://10.0.0.1/x", "events": ["case.created"]},
    )
    assert refused.status_code == 400


def test_ambassadors_and_managers_have_no_webhooks(client, db):
    user_create(username="m", password="pw-123456789", role="manager")
    client.login(username="m", password="pw-123456789")
    assert client.get("/integrations/webhooks/").status_code == 403


def test_body_is_compact_json_with_unicode():
    body = outbound.body_of(event_id="e", event="x", created_at="t", data={"t": "戴尔"})
    assert json.loads(body)["data"]["t"] == "戴尔" and b" " not in body
