"""The one door for telling people things: in-app rows, e-mail once, quiet hours."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from celery import current_app
from django.core import mail
from django.utils import timezone, translation

from notifications.kinds import render
from notifications.models import EmailState, Notification
from notifications.services import (
    notification_send,
    notifications_email_due,
    notifications_email_user,
    preference_update,
    quiet_until,
)
from tests.notifications.factories import make_user

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def sent_tasks(monkeypatch):
    sent = []
    monkeypatch.setattr(
        current_app,
        "send_task",
        lambda name, args=None, kwargs=None, **options: sent.append(
            (name, args, kwargs, options)
        ),
    )
    return sent


def _quiet(user, start: str, end: str, zone: str = "Asia/Shanghai"):
    return preference_update(
        user=user,
        email_enabled=True,
        email_muted_kinds=[],
        quiet_start=dt.time.fromisoformat(start),
        quiet_end=dt.time.fromisoformat(end),
        time_zone=zone,
    )


def test_each_recipient_gets_one_notification(django_capture_on_commit_callbacks):
    alice, bob = make_user(), make_user()
    with django_capture_on_commit_callbacks():
        created = notification_send(
            user_ids=[alice.id, bob.id, alice.id],
            kind="notifications.test",
            params={},
            url="/listening/",
        )
    assert created == 2
    assert Notification.objects.filter(user=alice).count() == 1
    assert Notification.objects.filter(user=bob).count() == 1


def test_the_same_event_twice_notifies_once():
    alice = make_user()
    for _ in range(3):
        notification_send(
            user_ids=[alice.id], kind="notifications.test", dedupe_key="spike:7"
        )
    assert Notification.objects.filter(user=alice).count() == 1


def test_a_link_to_another_host_is_dropped():
    alice = make_user()
    for url in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        notification_send(user_ids=[alice.id], kind="notifications.test", url=url)
    assert set(Notification.objects.values_list("url", flat=True)) == {""}


def test_an_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError):
        notification_send(user_ids=[make_user().id], kind="nope")


def test_email_is_handed_on_after_commit(
    sent_tasks, django_capture_on_commit_callbacks
):
    alice = make_user()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification_send(user_ids=[alice.id], kind="notifications.test")
    assert sent_tasks == []  # nothing is sent before the transaction commits
    for callback in callbacks:
        callback()
    assert [(name, args) for name, args, _, _ in sent_tasks] == [
        ("notifications.email_user", [alice.id])
    ]


def test_nobody_without_an_address_or_with_email_off_is_emailed():
    no_address = make_user(email="")
    muted = make_user()
    preference_update(
        user=muted,
        email_enabled=True,
        email_muted_kinds=["notifications.test"],
        quiet_start=None,
        quiet_end=None,
        time_zone="",
    )
    notification_send(user_ids=[no_address.id, muted.id], kind="notifications.test")
    assert set(Notification.objects.values_list("email_state", flat=True)) == {
        EmailState.NONE
    }


def test_events_waiting_together_share_one_email_sent_once():
    alice = make_user()
    notification_send(user_ids=[alice.id], kind="notifications.test", dedupe_key="a")
    notification_send(
        user_ids=[alice.id],
        kind="listening.alert",
        dedupe_key="b",
        params={"rule": "XPS", "summary": "蓝屏 rising"},
    )
    assert notifications_email_user(user_id=alice.id) == 2
    assert notifications_email_user(user_id=alice.id) == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [alice.email]
    assert set(Notification.objects.values_list("email_state", flat=True)) == {
        EmailState.SENT
    }


def test_email_speaks_the_recipients_language():
    chinese, english = make_user(language="zh-hans"), make_user(language="en")
    notification_send(user_ids=[chinese.id, english.id], kind="notifications.test")
    notifications_email_user(user_id=chinese.id)
    notifications_email_user(user_id=english.id)
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert "Test notification" in by_recipient[english.email].subject
    assert "Test notification" not in by_recipient[chinese.email].subject
    assert "测试" in by_recipient[chinese.email].subject


def test_hostile_values_are_escaped_in_the_html_email_and_cannot_add_headers():
    alice = make_user(language="en")
    notification_send(
        user_ids=[alice.id],
        kind="listening.alert",
        params={"rule": "<script>x</script>\r\nBcc: all@example.com", "summary": "<b>"},
    )
    notifications_email_user(user_id=alice.id)
    message = mail.outbox[0]
    html = message.alternatives[0][0]
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>" not in html
    assert "\n" not in message.subject and "\r" not in message.subject
    assert message.bcc == []


def test_quiet_hours_hold_email_until_they_end(monkeypatch):
    alice = make_user()
    _quiet(alice, "22:00", "07:00")
    night = dt.datetime(2026, 11, 30, 23, 30, tzinfo=SHANGHAI)
    monkeypatch.setattr(timezone, "now", lambda: night)
    notification_send(user_ids=[alice.id], kind="notifications.test")
    row = Notification.objects.get()
    assert row.email_after == dt.datetime(2026, 12, 1, 7, 0, tzinfo=SHANGHAI)
    assert notifications_email_user(user_id=alice.id) == 0
    assert notifications_email_due() == 0
    assert mail.outbox == []

    morning = dt.datetime(2026, 12, 1, 7, 1, tzinfo=SHANGHAI)
    monkeypatch.setattr(timezone, "now", lambda: morning)
    assert notifications_email_user(user_id=alice.id) == 1
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("start", "end", "at", "expected_end"),
    [
        ("22:00", "07:00", "23:00", "2026-12-02T07:00"),  # wraps past midnight
        ("22:00", "07:00", "06:59", "2026-12-01T07:00"),
        ("22:00", "07:00", "07:00", None),
        ("12:00", "13:00", "12:30", "2026-12-01T13:00"),
        ("12:00", "13:00", "13:30", None),
    ],
)
def test_quiet_hours_in_the_persons_zone(start, end, at, expected_end):
    alice = make_user()
    preference = _quiet(alice, start, end)
    now = dt.datetime.fromisoformat(f"2026-12-01T{at}").replace(tzinfo=SHANGHAI)
    until = quiet_until(preference, now)
    if expected_end is None:
        assert until is None
    else:
        expected = dt.datetime.fromisoformat(expected_end).replace(tzinfo=SHANGHAI)
        assert until == expected


def test_the_sweep_takes_back_a_dead_workers_claim(sent_tasks):
    alice = make_user()
    notification_send(user_ids=[alice.id], kind="notifications.test")
    Notification.objects.update(
        email_state=EmailState.SENDING,
        emailed_at=timezone.now() - dt.timedelta(hours=1),
    )
    assert notifications_email_due() == 1
    assert Notification.objects.get().email_state == EmailState.PENDING
    assert ("notifications.email_user", [alice.id]) in [
        (name, args) for name, args, _, _ in sent_tasks
    ]


def test_a_placeholder_without_a_value_renders_empty():
    with translation.override("en"):
        assert render("listening.alert", {}) == ("Alert: ", "")
        assert render("listening.alert", {"rule": "XPS", "summary": "s"}) == (
            "Alert: XPS",
            "s",
        )


def test_pipeline_notify_waits_for_commit(
    sent_tasks, django_capture_on_commit_callbacks
):
    from dellsocial import pipeline

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        pipeline.notify(user_ids=[3, 1, 3], kind="notifications.test", url="/x/")
    assert sent_tasks == []
    for callback in callbacks:
        callback()
    assert sent_tasks[0][0] == "notifications.send"
    assert sent_tasks[0][2]["user_ids"] == [1, 3]
