"""The listening room's crisis, with every component really started: the mock's
crisis switched on is detected by beat and a worker, explained by its topic's words,
told in-app and by e-mail (a real local SMTP server); switched off, the spike ends."""

from __future__ import annotations

import time

import pytest
import requests
from django.test import Client

from ambassadors.services import user_create
from listening.models import Mention, Source, Spike, WatchedTerm
from listening.nlp.services import brands_seed
from listening.services.alerts import alert_rule_create
from notifications.models import Notification
from tests.integration.stack import Stack, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def control(stack: Stack, payload: dict) -> dict:
    response = requests.post(
        f"{stack.base_url}/mock/_control", json=payload, timeout=120
    )
    assert response.ok, response.text
    return response.json()


def test_the_mock_crisis_is_detected_explained_alerted_and_ends(
    stack, smtp_server, settings
):
    settings.AXES_ENABLED = False  # force_login below has no request for axes
    # Short windows so the test runs in minutes: one-minute windows, checked every
    # five seconds, against the same minute of the previous seven days.
    stack.env.update(
        {
            "LISTENING_SPIKE_WINDOW_MINUTES": "1",
            "LISTENING_SPIKE_INTERVAL_SECONDS": "5",
            "LISTENING_SPIKE_MIN_COUNT": "5",
            "EMAIL_URL": f"smtp://{smtp_server.host}:{smtp_server.port}",
            "NOTIFICATIONS_EMAIL_GROUP_SECONDS": "0",
        }
    )
    brands_seed()
    WatchedTerm.objects.create(term="蓝屏")
    manager = user_create(
        username="crisis-manager",
        password="pw-123456789",
        role="manager",
        email="manager@example.com",
    )
    alert_rule_create(
        user=manager, name="蓝屏 <b>spike</b>", kind="spike", subject="蓝屏"
    )
    # A week of quiet history, then no traffic until the crisis.
    control(stack, {"reset": ["weibo"], "seed": 11, "rate": {"weibo": 0}})
    control(
        stack,
        {"backlog": {"weibo": 1500}, "backlog_span_hours": 7 * 24, "seed": 11},
    )
    for query in ("戴尔", "蓝屏"):
        Source.objects.create(
            name=f"weibo {query}",
            platform="weibo",
            kind="search",
            query=query,
            poll_interval=2,
        )
    stack.start_worker()
    stack.start_beat()
    wait_for(
        lambda: Mention.objects.filter(analyzed_at__isnull=False).count() >= 300,
        timeout=150,
        what="the week of history ingested and analysed",
    )
    assert not Spike.objects.filter(subject="蓝屏").exists()

    control(stack, {"crisis": {"on": True, "topic": "XPS 蓝屏"}, "rate": {"weibo": 40}})
    switched_on = time.monotonic()
    spike = wait_for(
        lambda: Spike.objects.filter(subject="蓝屏", ended_at__isnull=True).first(),
        timeout=150,
        what="the crisis detected",
    )
    # Within the 15 minutes (here, windows of a minute checked every 5 s).
    assert time.monotonic() - switched_on < 15 * 60
    words = " ".join(k["keyword"] for k in spike.explanation["keywords"])
    assert "蓝屏" in words or "xps" in words.lower(), spike.explanation
    assert spike.negative_share > spike.baseline_negative_share
    note = wait_for(
        lambda: Notification.objects.filter(user=manager).first(),
        timeout=60,
        what="the in-app alert",
    )
    assert "/listening/?" in note.url
    assert f"spike={spike.id}" in note.url
    # The link opens the room on the spike, explained in Chinese.
    reader = Client()
    reader.force_login(manager)
    room = reader.get(note.url)
    assert room.status_code == 200
    text = room.content.decode()
    assert f'id="spike-{spike.id}"' in text
    assert "蓝屏" in text and "上升的词" in text
    messages = smtp_server.wait(1, timeout=90)
    assert messages, "no alert e-mail reached the SMTP server"
    body = messages[0].get_body(preferencelist=("plain",)).get_content()
    assert "蓝屏" in body
    html = messages[0].get_body(preferencelist=("html",))
    if html is not None:
        assert "<b>spike</b>" not in html.get_content()

    control(stack, {"crisis": {"on": False}, "rate": {"weibo": 0}})
    wait_for(
        lambda: Spike.objects.filter(id=spike.id, ended_at__isnull=False).exists(),
        timeout=180,
        what="the spike to end",
    )
    # One episode, one alert: the manager was told once.
    assert Notification.objects.filter(user=manager).count() == 1
